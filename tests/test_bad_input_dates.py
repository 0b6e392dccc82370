"""Dates outside 2000-01-01 .. 2100-12-31, empty required text and unwritable files are refused
in one line (exit 2), with nothing written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from desk_app.cli import main
from desk_app.domain.validators import SANE_FIRST, SANE_LAST, sane_date
from desk_app.store import Database
from desk_app.store.appointment_models import Blackout, CalendarSession


@pytest.fixture
def cli(db_url, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("DESK_APP_USER", raising=False)
    assert main(["--db", db_url, "demo", "seed", "--days", "0", "--windows", "2"]) == 0
    monkeypatch.setenv("DESK_APP_USER", "admin")
    monkeypatch.setenv("DESK_APP_PASSWORD", "Demo-1234")
    capsys.readouterr()

    def run(*args: str) -> tuple[int, str]:
        rc = main(["--db", db_url, *args])
        return rc, capsys.readouterr().err

    return run


def test_the_window_itself():
    assert sane_date(SANE_FIRST) and sane_date(SANE_LAST)
    assert not sane_date(SANE_FIRST.replace(year=1999)) and not sane_date(
        SANE_LAST.replace(year=2101)
    )


@pytest.mark.parametrize(
    "args",
    [
        ("appt", "blackout", "add", "--from", "0001-01-01T00:00", "--to", "2026-12-10T00:00",
         "--reason", "检修"),
        ("appt", "blackout", "add", "--from", "2026-12-10T00:00", "--to", "9999-12-31T00:00",
         "--reason", "检修"),
        ("calendar", "session", "add", "special", "--days", "0001-01-01", "--from", "09:00",
         "--to", "10:00"),
        ("calendar", "session", "add", "special", "--days", "9999-12-31", "--from", "09:00",
         "--to", "10:00"),
        ("stats", "summary", "--from", "1999-12-31", "--to", "2026-12-01"),
        ("calendar", "show", "9999-12-31"),
        ("audit", "list", "--since", "0001-01-01T00:00"),
    ],
)  # fmt: skip
def test_dates_outside_the_window_are_refused_in_one_line(cli, db_url, args):
    db = Database(db_url)
    with db.read() as s:
        before = (
            s.scalar(select(func.count()).select_from(Blackout)),
            s.scalar(select(func.count()).select_from(CalendarSession)),
        )
    rc, err = cli(*args)
    assert rc == 2 and err.count("\n") == 1 and "2000-01-01" in err and "Traceback" not in err
    with db.read() as s:
        after = (
            s.scalar(select(func.count()).select_from(Blackout)),
            s.scalar(select(func.count()).select_from(CalendarSession)),
        )
    assert after == before
    db.dispose()


def test_an_xlsx_that_cannot_be_written_is_one_line(cli, tmp_path):
    rc, err = cli("stats", "summary", "--from", "2026-12-01", "--to", "2026-12-05", "--xlsx",
                  str(tmp_path / "no" / "such" / "folder" / "x.xlsx"))  # fmt: skip
    assert rc == 2 and err.count("\n") == 1 and "Traceback" not in err


def test_an_xlsx_on_a_full_disk_is_one_line(cli):
    import os

    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    rc, err = cli("stats", "summary", "--from", "2026-12-01", "--to", "2026-12-05", "--xlsx",
                  "/dev/full")  # fmt: skip
    assert rc == 2 and err.count("\n") == 1 and "Traceback" not in err and "Exception" not in err


def test_an_empty_item_on_a_helper_step_is_refused(cli, monkeypatch, capsys):
    monkeypatch.setenv("DESK_APP_USER", "h01")
    rc, err = cli("assist", "start", "--mode", "accompany", "--name", "张三",
                  "--id", "11010519491231002X", "--json")  # fmt: skip
    assert rc == 0, err
    rc, err = cli("assist", "step", "1", "--window", "1", "--action", "取号", "--item", " ")
    assert rc == 2 and "--item" in err and err.count("\n") == 1
