"""The worker that keeps database calls off the UI thread."""

from __future__ import annotations

import threading

import pytest

from desk_app.services.common.errors import Refused
from desk_app.ui.common.tasks import TaskRunner, user_message

pytestmark = pytest.mark.gui


def test_results_and_errors_come_back_on_the_ui_thread_in_order(qtbot):
    runner = TaskRunner()
    seen: list[tuple[str, object, bool]] = []
    main = threading.get_ident()
    worker_threads: set[int] = set()

    def job(i: int):
        worker_threads.add(threading.get_ident())
        if i == 3:
            raise Refused("窗口 3 未登录", "window 3 is not open")
        return i

    for i in range(6):
        runner.submit(
            lambda i=i: job(i),
            lambda r: seen.append(("ok", r, threading.get_ident() == main)),
            lambda e: seen.append(("err", str(e), threading.get_ident() == main)),
        )
    qtbot.waitUntil(lambda: len(seen) == 6, timeout=5000)
    assert [s[1] for s in seen] == [0, 1, 2, "窗口 3 未登录 / window 3 is not open", 4, 5]
    assert all(s[2] for s in seen)  # callbacks on the UI thread
    assert main not in worker_threads and len(worker_threads) == 1
    assert runner.pending == 0


def test_many_none_results_do_not_corrupt_the_interpreter(qtbot):
    """PySide6 6.12.0 aborted here ("deallocating None") after a few thousand queued
    signals; the counter polls every second all day, so this must hold."""
    runner = TaskRunner()
    done = []
    for _ in range(5000):
        runner.submit(lambda: None, done.append, done.append)
    qtbot.waitUntil(lambda: len(done) == 5000, timeout=60000)
    assert done.count(None) == 5000


def test_user_message_is_chinese_with_what_to_do():
    from desk_app.store.database import DatabaseUnavailable

    assert user_message(Refused("窗口 5 已暂停", "paused")) == "窗口 5 已暂停"
    assert "请检查网络" in user_message(DatabaseUnavailable("x"))
    assert "请重试" in user_message(RuntimeError("boom"))


def test_answers_of_work_sent_before_shutdown_are_dropped(qtbot):
    """A closing screen waits for its work to reach the database, and its late answers do not
    call back into it; a runner used again after shutdown answers as usual."""
    import time

    runner = TaskRunner()
    seen: list[object] = []
    runner.submit(lambda: time.sleep(0.2) or "late", seen.append, seen.append)
    runner.submit(lambda: 1 / 0, seen.append, seen.append)
    runner.shutdown()
    qtbot.wait(300)  # the queued answers are processed now, and dropped
    assert seen == [] and runner.pending == 0
    runner.submit(lambda: "again", seen.append)
    qtbot.waitUntil(lambda: seen == ["again"], timeout=10000)
