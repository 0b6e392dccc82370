"""``desk-app gui --role R --snapshot FILE.png``: a screen rendered to an image, as the frozen
build's smoke test and the hall's IT use it; staff screens only for a person who logs in."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtGui import QImage

pytestmark = pytest.mark.gui


@pytest.fixture
def hall(tmp_path):
    env = {
        **os.environ,
        "DESK_APP_DB": f"sqlite:///{tmp_path / 'hall.db'}",
        "QT_QPA_PLATFORM": "offscreen",
        "DESK_APP_NOW": "2026-12-01T10:00:00+08:00",
    }
    for key in ("DESK_APP_USER", "DESK_APP_PASSWORD"):
        env.pop(key, None)
    seeded = subprocess.run(
        [sys.executable, "-m", "desk_app", "demo", "seed", "--days", "0", "--windows", "2"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert seeded.returncode == 0, seeded.stderr
    return env


def snap(env, tmp_path, *args: str):
    out = tmp_path / "shot.png"
    done = subprocess.run(
        [sys.executable, "-m", "desk_app", "gui", *args, "--snapshot", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done, out


def test_the_kiosk_renders_without_anyone(hall, tmp_path):
    done, out = snap(hall, tmp_path, "--role", "kiosk")
    assert done.returncode == 0, done.stderr
    image = QImage(str(out))
    assert image.width() >= 1000 and image.height() >= 600


def test_the_counter_renders_for_its_member_of_staff(hall, tmp_path):
    env = {**hall, "DESK_APP_USER": "s01", "DESK_APP_PASSWORD": "Demo-1234"}
    done, out = snap(env, tmp_path, "--role", "counter", "--window", "1", "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert not QImage(str(out)).isNull()


@pytest.mark.parametrize("password", [None, "wrong-password"])
def test_the_counter_needs_a_person_who_logs_in(hall, tmp_path, password):
    env = {**hall, "DESK_APP_USER": "s01"}
    if password:
        env["DESK_APP_PASSWORD"] = password
    done, out = snap(env, tmp_path, "--role", "counter", "--window", "1")
    assert done.returncode == 2
    assert not out.exists()
    assert "Traceback" not in done.stderr


def test_a_snapshot_needs_a_role(hall, tmp_path):
    done, out = snap(hall, tmp_path)
    assert done.returncode == 2 and "--role" in done.stderr
