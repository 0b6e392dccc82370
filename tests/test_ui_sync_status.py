"""The sync indicator on the counter tells staff whether concluded cases reach the centre."""

from __future__ import annotations

import pytest

from desk_app.ui.common import theme
from desk_app.ui.common.sync_status import SyncIndicator

pytestmark = pytest.mark.gui


@pytest.fixture
def indicator(qtbot, db):
    made: list[SyncIndicator] = []

    def make(**kwargs: object) -> SyncIndicator:
        ind = SyncIndicator(db, interval_ms=100, **kwargs)  # type: ignore[arg-type]
        qtbot.addWidget(ind)
        made.append(ind)
        return ind

    yield make
    for ind in made:
        ind.runner.shutdown()


def test_without_a_backend_it_says_not_configured_not_green(qtbot, indicator, monkeypatch):
    monkeypatch.delenv("DESK_APP_CENTRAL_URL", raising=False)
    monkeypatch.delenv("DESK_APP_CENTRAL_TOKEN", raising=False)
    ind = indicator()
    qtbot.waitUntil(lambda: ind.status is not None, timeout=10000)
    assert "未配置" in ind.text()
    assert "上次成功" not in ind.text()
    assert theme.OK not in ind.styleSheet()


def test_with_a_backend_it_shows_the_backlog_and_the_last_success(qtbot, indicator, monkeypatch):
    monkeypatch.setenv("DESK_APP_CENTRAL_URL", "https://central.example.gov.cn")
    monkeypatch.setenv("DESK_APP_CENTRAL_TOKEN", "t0ken")
    ind = indicator()
    qtbot.waitUntil(lambda: ind.status is not None, timeout=10000)
    assert ind.text() == "同步：待发 0 · 上次成功 无"
    assert theme.OK in ind.styleSheet()
