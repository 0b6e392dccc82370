"""The call display follows calls made anywhere in the hall, and announces each one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from desk_app.services.hall import setup as hall
from desk_app.services.queue import boards
from desk_app.services.queue import operations as queue
from desk_app.store import Database
from desk_app.store.database import DatabaseUnavailable
from desk_app.ui.display import follow
from desk_app.ui.display import window as display_module
from desk_app.ui.display.announcer import Announcer, AnnouncerBackend, sentence
from desk_app.ui.display.window import CallDisplay
from tests.tools import add_staff

pytestmark = pytest.mark.gui


def _dispose(qtbot, widget) -> None:
    """Close (which waits for the screen's worker, so nothing runs on a disposed database) and
    delete on the UI thread now: left to Python's garbage collector, a widget may be deleted
    on whichever thread happens to collect, e.g. a worker, while its animations run."""
    widget.close()
    gone: list[bool] = []
    widget.destroyed.connect(lambda: gone.append(True))
    widget.deleteLater()
    qtbot.waitUntil(lambda: gone == [True], timeout=5000)


ROOT = Path(__file__).resolve().parent.parent


class RecordingVoice(AnnouncerBackend):
    """Remembers every announcement it is asked to make; each takes a few milliseconds."""

    def __init__(self, ms: int = 10) -> None:
        super().__init__()
        self.ms = ms
        self.said: list[str] = []

    def say(self, text: str) -> None:
        self.said.append(text)
        QTimer.singleShot(self.ms, self, self.done.emit)  # cancelled if the voice is deleted


@pytest.fixture
def hall_with_ticket(db: Database) -> Database:
    """One service, window 1 open, one ticket (A001) waiting."""
    hall.add_service(db, "newborn", "新生儿出生一件事", "A")
    hall.add_service(db, "retirement", "退休一件事", "B")
    hall.add_window(db, 1, ["newborn", "retirement"])
    hall.add_window(db, 2, ["newborn", "retirement"])
    add_staff(db, "s01", "王芳")
    add_staff(db, "s02", "李强")
    hall.open_window(db, 1, "s01")
    hall.open_window(db, 2, "s02")
    hall.set_setting(db, "hall_name", "青岛市民中心")
    queue.issue_ticket(db, "newborn")
    return db


@pytest.fixture
def open_display(qtbot) -> Iterator[Callable[..., tuple[CallDisplay, RecordingVoice]]]:
    displays: list[CallDisplay] = []

    def start(db: Database, **kwargs: object) -> tuple[CallDisplay, RecordingVoice]:
        voice = RecordingVoice()
        announcer = Announcer(backend=voice, gap_ms=5)
        shown = CallDisplay(db, announcer=announcer, **kwargs)  # type: ignore[arg-type]
        displays.append(shown)
        shown.resize(1920, 1080)
        shown.show()
        qtbot.waitUntil(shown.is_ready, timeout=5000)
        return shown, voice

    yield start
    for shown in displays:
        _dispose(qtbot, shown)


def _cli(db: Database, *args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "desk_app", "--db", db.url, *args, "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_a_call_from_another_process_is_shown_and_announced_within_a_second(
    qtbot, hall_with_ticket, open_display
):
    db = hall_with_ticket
    display, voice = open_display(db)
    assert display.latest_number() is None  # nobody called yet today
    assert display.hall_label.text() == "青岛市民中心"

    called = _cli(db, "call", "next", "--window", "1")
    assert called["number"] == "A001"
    # Timed from the moment the other process has committed its call.
    qtbot.waitUntil(lambda: display.latest_number() == "A001", timeout=1000)
    assert display.latest_window() == 1
    assert display.window_tile_text(1) == "A001"
    assert display.window_tile_text(2) is None
    announcement = "请 A001 号 到 1 号窗口 办理"
    qtbot.waitUntil(lambda: voice.said.count(announcement) == 2, timeout=3000)  # said twice

    # 重呼 at the window: announced again, and marked as a recall on the screen.
    _cli(db, "call", "recall", "--window", "1")
    qtbot.waitUntil(lambda: voice.said.count(announcement) == 4, timeout=3000)
    assert display.recall_badge.isVisible()
    assert display.latest_number() == "A001"


def test_a_call_committed_after_a_later_one_is_still_shown_and_announced(
    qtbot, hall_with_ticket, open_display
):
    """PostgreSQL takes event ids at insert and commits transactions in any order: window 1's
    call gets the lower id but commits after window 2's, which the display has shown already."""
    db = hall_with_ticket
    if not db.is_postgres:
        pytest.skip("SQLite commits its writers one after another, in id order")
    from sqlalchemy import insert, select

    from desk_app.domain import clock
    from desk_app.store.models import Ticket, TicketEvent, Window

    queue.issue_ticket(db, "retirement")
    display, voice = open_display(db)
    slow = db.engine.connect()
    tx = slow.begin()
    ticket = slow.execute(select(Ticket.id).where(Ticket.number == "A001")).scalar_one()
    window = slow.execute(select(Window.id).where(Window.number == 1)).scalar_one()
    event = {"action": "call", "from_state": "waiting", "to_state": "called", "at": clock.now()}
    slow.execute(insert(TicketEvent).values(ticket_id=ticket, window_id=window, **event))
    assert queue.call_next(db, 2).number == "B001"  # a later id, committed first
    qtbot.waitUntil(lambda: display.window_tile_text(2) == "B001", timeout=3000)
    assert display.window_tile_text(1) is None
    tx.commit()
    slow.close()
    qtbot.waitUntil(lambda: display.window_tile_text(1) == "A001", timeout=3000)
    late = "请 A001 号 到 1 号窗口 办理"
    qtbot.waitUntil(lambda: voice.said.count(late) == 2, timeout=3000)
    assert voice.said.count("请 B001 号 到 2 号窗口 办理") == 2  # and nothing twice over


def test_a_restarted_display_shows_todays_calls_without_announcing_them(
    qtbot, hall_with_ticket, open_display
):
    db = hall_with_ticket
    queue.issue_ticket(db, "retirement")
    queue.call_next(db, 1)
    queue.call_next(db, 2)
    display, voice = open_display(db)
    assert display.latest_number() == "B001"
    assert display.latest_window() == 2
    assert display.window_tile_text(1) == "A001"
    assert display.window_tile_text(2) == "B001"
    assert display.announcer.pending() == []
    assert voice.said == []


def test_calls_at_once_are_announced_in_turn_and_the_big_panel_follows(
    qtbot, hall_with_ticket, open_display
):
    db = hall_with_ticket
    queue.issue_ticket(db, "retirement")
    display, voice = open_display(db)
    shown: list[str | None] = []
    display.announcer.started.connect(lambda _text: shown.append(display.latest_number()))

    queue.call_next(db, 1)  # both calls arrive in the same poll
    queue.call_next(db, 2)
    first, second = sentence("A001", 1), sentence("B001", 2)
    qtbot.waitUntil(lambda: voice.said == [first, first, second, second], timeout=3000)
    assert shown == ["A001", "B001"]  # the panel showed each call while it was announced
    assert display.latest_number() == "B001"
    # Both tiles changed at once, without waiting for the voice.
    assert display.window_tile_text(1) == "A001"
    assert display.window_tile_text(2) == "B001"


def test_a_database_outage_shows_a_discreet_line_and_the_display_recovers(
    qtbot, hall_with_ticket, open_display, monkeypatch
):
    db = hall_with_ticket
    display, voice = open_display(db, poll_ms=50)
    assert not display.status_label.isVisible()

    def unreachable(*_args: object, **_kwargs: object) -> list:
        raise DatabaseUnavailable("无法连接数据库 / database unreachable")

    monkeypatch.setattr(boards, "calls_since", unreachable)
    # Only the query fails here (the change watch still works), so the display finds out at
    # its safety poll, every SAFETY_POLL_MS; a real outage fails the watch's look at once.
    qtbot.waitUntil(display.status_label.isVisible, timeout=follow.SAFETY_POLL_MS + 3000)
    assert display.is_offline()
    assert "连接中断" in display.status_label.text()

    queue.call_next(db, 1)  # made during the outage
    monkeypatch.undo()
    qtbot.waitUntil(lambda: not display.status_label.isVisible(), timeout=3000)
    qtbot.waitUntil(lambda: display.latest_number() == "A001", timeout=3000)
    assert sentence("A001", 1) in voice.said


def test_a_display_started_during_an_outage_keeps_trying(qtbot, hall_with_ticket, monkeypatch):
    db = hall_with_ticket
    calls = {"n": 0}
    real = display_module.load_start

    def flaky(database: Database) -> object:
        calls["n"] += 1
        if calls["n"] < 3:
            raise DatabaseUnavailable("无法连接数据库 / database unreachable")
        return real(database)

    monkeypatch.setattr(display_module, "load_start", flaky)
    display = CallDisplay(db, poll_ms=50, announcer=Announcer(backend=RecordingVoice(), gap_ms=5))
    try:
        qtbot.waitUntil(display.is_offline, timeout=3000)
        qtbot.waitUntil(display.is_ready, timeout=3000)
        assert not display.is_offline()
        assert calls["n"] == 3
    finally:
        _dispose(qtbot, display)


def test_a_display_closed_before_its_first_read_stays_quiet(db, qtbot):
    """Closed at once (the app quitting, a test ending): the answers of the work already in
    flight must not restart its timers or start new work on a screen that is going away."""
    from desk_app.ui.display.window import CallDisplay

    display = CallDisplay(db, poll_ms=50)
    qtbot.addWidget(display)
    display.close()
    qtbot.wait(600)  # the change watch and the first read come back meanwhile
    assert not display.is_ready()
    assert [t for t in display.findChildren(QTimer) if t.isActive()] == []
    assert display.runner.pending == 0


def test_a_display_that_cannot_play_sound_shows_a_mark(qtbot, hall_with_ticket, open_display):
    from desk_app.ui.display.announcer import SilentBackend

    heard, _ = open_display(hall_with_ticket)
    assert heard.sound_label.isHidden()
    # Not given to qtbot.addWidget: _dispose deletes it, and pytest-qt's own close at teardown
    # would then find a wrapper whose widget is gone (when the wrapper outlives the test).
    mute = CallDisplay(hall_with_ticket, announcer=Announcer(backend=SilentBackend(10), gap_ms=5))
    try:
        mute.resize(1366, 768)
        mute.show()
        qtbot.waitUntil(mute.is_ready, timeout=5000)
        assert mute.sound_label.isVisible() and mute.sound_label.text() == "无声音"
        if os.environ.get("DESK_APP_SHOTS"):
            mute.grab().save(os.path.join(os.environ["DESK_APP_SHOTS"], "display-mute.png"))
    finally:
        _dispose(qtbot, mute)


def test_every_call_reaches_the_screen_once_and_in_order(
    qtbot, hall_with_ticket, open_display, monkeypatch
):
    """The follower reads on its own thread while the windows call: in a burst (several pages
    of a read) and then a few at a time, each call is announced once, in the order made."""
    db = hall_with_ticket
    monkeypatch.setattr(boards, "CALL_PAGE", 3)  # a burst of calls is read page by page
    for _ in range(30):
        queue.issue_ticket(db, "newborn")
    display, voice = open_display(db)
    made: list[tuple[str, int]] = []
    for i in range(30):
        window = 1 + i % 2
        called = queue.call_next(db, window)
        assert called is not None
        made.append((called.number, window))
        queue.no_show(db, window)
        if i >= 15 and i % 3 == 0:
            qtbot.wait(30)  # the follower reads meanwhile
    said = [sentence(number, window) for number, window in made for _ in range(2)]
    qtbot.waitUntil(lambda: len(voice.said) >= len(said), timeout=15000)
    qtbot.wait(300)  # and nothing more comes
    assert voice.said == said
    assert display.window_tile_text(1) == made[-2][0]
    assert display.window_tile_text(2) == made[-1][0]
    assert display.recent_rows()[1][0].text().endswith(made[-2][0])


def test_the_display_reads_while_a_window_holds_the_write_lock(
    qtbot, hall_with_ticket, monkeypatch
):
    """A window's call takes the writer's lock (SQLite) or locks the queue's tables (PostgreSQL,
    the strongest lock that lets plain reads through): the display's reads never wait for it."""
    db = hall_with_ticket
    queue.call_next(db, 1)
    reads: list[int] = []
    real = boards.calls_since

    def counted(*args: object, **kwargs: object) -> list:
        found = real(*args, **kwargs)  # type: ignore[arg-type]
        reads.append(len(found))
        return found

    monkeypatch.setattr(boards, "calls_since", counted)
    writer = db.engine.raw_connection()
    cursor = writer.cursor()
    if db.is_postgres:
        cursor.execute("LOCK TABLE tickets, ticket_events, windows IN EXCLUSIVE MODE")
    else:
        cursor.execute("BEGIN IMMEDIATE")  # a reader that wanted it would wait 30 s
        cursor.execute("UPDATE settings SET value = value")
    display = None
    try:
        display = CallDisplay(db, announcer=Announcer(backend=RecordingVoice(), gap_ms=5))
        display.show()  # disposed below, not by qtbot (see the mute display's test)
        qtbot.waitUntil(display.is_ready, timeout=3000)
        assert display.window_tile_text(1) == "A001"
        qtbot.waitUntil(lambda: len(reads) >= 2, timeout=3000)  # the start's read, the first
        before = len(reads)
        display.refresh_now()  # and one more, at once
        qtbot.waitUntil(lambda: len(reads) > before, timeout=1000)
        qtbot.waitUntil(lambda: display.runner.pending == 0, timeout=3000)  # the hall's name
        assert not display.is_offline()
    finally:
        writer.rollback()
        writer.close()
        if display is not None:
            _dispose(qtbot, display)


def test_the_display_asks_for_a_higher_priority_and_runs_without_it(monkeypatch):
    """Where the OS allows it (here: a privileged user), every thread of the display's process
    runs ahead of normal programs; where it refuses, the display starts all the same."""
    if sys.platform == "win32":
        pytest.skip("POSIX nice values (Windows: a priority class)")
    script = (
        "import os, threading, time\n"
        "from desk_app.ui.display.priority import NICE, raise_priority\n"
        "early = threading.Thread(target=time.sleep, args=(2,)); early.start()\n"
        "ok = raise_priority()\n"
        "late = []; t = threading.Thread(target=lambda: late.append(os.getpriority(0, 0)))\n"
        "t.start(); t.join()\n"
        "print(ok, os.getpriority(0, 0), os.getpriority(0, early.native_id), late[0], NICE)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert out.returncode == 0, out.stderr
    ok, main, early, late, nice = out.stdout.split()
    if ok == "True":
        assert int(main) == int(early) == int(late) == int(nice)
    else:
        assert int(main) == int(early) == int(late) == 0

    from desk_app.ui.display import priority

    def refused(*_args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(priority.os, "setpriority", refused)
    monkeypatch.setattr(priority.os, "getpriority", lambda *_args: 0)
    assert priority.raise_priority() is False


def test_a_display_deleted_without_being_closed_stops_following(qtbot, hall_with_ticket):
    """Its parent window went, or nobody closed it: its thread must not go on reading a
    database that may be gone (and telling a screen that no longer exists)."""
    import threading

    def followers() -> int:
        return sum(t.name == "call-follower" and t.is_alive() for t in threading.enumerate())

    before = followers()
    display = CallDisplay(hall_with_ticket, announcer=Announcer(backend=RecordingVoice()))
    qtbot.waitUntil(display.is_ready, timeout=5000)
    assert followers() == before + 1
    gone: list[bool] = []
    display.destroyed.connect(lambda: gone.append(True))
    display.deleteLater()
    qtbot.waitUntil(lambda: gone == [True], timeout=5000)
    qtbot.waitUntil(lambda: followers() == before, timeout=3000)
