"""The README's screenshots show a plausible hall: a working morning, a real-looking address."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

from desk_app.domain import clock

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def shots():
    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "scripts/screenshots.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_shots_are_made_at_a_fixed_working_hour_without_the_temporary_path(qtbot, shots, tmp_path):
    hall_time = shots.HALL_TIME
    assert hall_time.weekday() < 5 and 9 <= hall_time.hour < 12  # a weekday morning
    with shots.hall_clock():
        assert clock.local(clock.now()) == hall_time
        db = shots.build_hall(f"sqlite:///{tmp_path / 'shots.db'}")
        login = shots.shoot_login(db, tmp_path)
        kiosk = shots.shoot_kiosk(db, tmp_path)
    try:
        login_text = " ".join(label.text() for label in login.findChildren(QLabel))
        assert str(tmp_path) not in login_text
        assert "C:/hall/hall.db" in login_text
        assert kiosk.clock_label.text() == "11月26日 星期四\n10:05"
        assert (tmp_path / "login.png").is_file() and (tmp_path / "kiosk.png").is_file()
    finally:
        login.close()
        kiosk.close()
        db.dispose()
    assert clock.now().year >= 2025 and clock.now() != hall_time  # the real clock is back
