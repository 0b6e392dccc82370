"""DESK_APP_NOW sets the clock of a training or demo hall only: on a live hall every way in
(the full commands, the quick queue commands, the screens' start) refuses it in one line."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import func, select, text

from desk_app.cli import main
from desk_app.domain.errors import Refused
from desk_app.services.hall import mode
from desk_app.services.hall.schema import prepare_database
from desk_app.store import Database
from desk_app.store.identity_models import AuditEntry
from tests.tools import ADMIN

NOW = "2026-12-01T09:30:00+08:00"


def _run(capsys, *args: str) -> tuple[int, dict, str]:
    rc = main(list(args))
    out, err = capsys.readouterr()
    lines = out.strip().splitlines()
    return rc, json.loads(lines[-1]) if "--json" in args and lines else {}, err


@pytest.fixture
def live(db_url, capsys, monkeypatch, tmp_path):
    """A live hall (setup mode: no admin yet) with one service, window 1 open."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    for args in (
        ["service", "add", "newborn", "--name", "新生儿出生一件事", "--prefix", "A"],
        ["window", "add", "1", "--services", "newborn"],
        ["staff", "add", "s01", "--name", "王芳", "--role", "counter", "--password-stdin"],
    ):
        if "--password-stdin" in args:
            monkeypatch.setattr("sys.stdin", io.StringIO("Hall-2026x\n"))
        assert _run(capsys, "--db", db_url, *args)[0] == 0
    return db_url


@pytest.mark.parametrize(
    "args",
    [
        ("ticket", "issue", "--service", "newborn"),  # a quick command on SQLite
        ("queue", "status"),
        ("call", "next", "--window", "1"),
        ("window", "list"),
        ("stats", "summary", "--from", "2026-11-01", "--to", "2026-11-30"),
    ],
)
def test_a_live_hall_refuses_a_set_clock(live, capsys, monkeypatch, args):
    monkeypatch.setenv("DESK_APP_NOW", NOW)
    rc, _, err = _run(capsys, "--db", live, *args, "--json")
    lines = [ln for ln in err.splitlines() if "DESK_APP_NOW" in ln]
    assert rc == 2 and len(lines) == 1 and "training" in lines[0]
    db = Database(live)
    with db.read() as s:
        assert s.scalar(text("SELECT count(*) FROM tickets")) == 0  # nothing written
    db.dispose()


def test_the_screens_start_refuses_it_too(live, monkeypatch):
    monkeypatch.setenv("DESK_APP_NOW", NOW)
    db = Database(live)
    with pytest.raises(Refused, match="DESK_APP_NOW"):
        prepare_database(db)
    monkeypatch.delenv("DESK_APP_NOW")
    prepare_database(db)  # the real clock: fine
    db.dispose()


def test_a_training_hall_and_a_demo_hall_may_set_it(db_url, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("DESK_APP_NOW", NOW)
    rc, out, _ = _run(capsys, "--db", db_url, "db", "upgrade", "--training", "--json")
    assert rc == 0 and out["mode"] == "training"
    assert (
        _run(capsys, "--db", db_url, "service", "add", "a", "--name", "综合", "--prefix", "A")[0]
        == 0
    )
    rc, t, _ = _run(capsys, "--db", db_url, "ticket", "issue", "--service", "a", "--json")
    assert rc == 0 and t["issued_at"] == NOW
    db = Database(db_url)
    with db.read() as s:
        assert mode.hall_mode(s) == "training"
        assert (
            s.scalar(
                select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "hall.mode")
            )
            == 1
        )
    db.dispose()


def test_demo_seed_makes_a_demo_hall(tmp_path, capsys, monkeypatch):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("DESK_APP_NOW", NOW)
    assert _run(capsys, "--db", url, "demo", "seed", "--days", "0", "--windows", "1")[0] == 0
    assert mode.mode_of(Database(url)) == "demo"
    monkeypatch.setenv("DESK_APP_USER", "s01")
    monkeypatch.setenv("DESK_APP_PASSWORD", "Demo-1234")
    rc, _, err = _run(capsys, "--db", url, "window", "list", "--json")
    assert rc == 0, err


def test_the_mode_is_set_at_creation_only(db, capsys):
    from desk_app.services.hall import setup as hall
    from desk_app.services.queue import operations as queue

    admin = db.acting_as(ADMIN)
    hall.add_service(admin, "newborn", "新生儿出生一件事", "A")
    queue.issue_ticket(db, "newborn")
    with pytest.raises(Refused, match="new database"):
        mode.mark(admin, mode.TRAINING)  # a live hall's records are not mixed with training
    with pytest.raises(Refused, match="unknown setting"):
        hall.set_setting(admin, "hall_mode", "training")
    assert mode.mode_of(db) == "live"


def test_a_training_or_demo_halls_screens_and_papers_say_so(db, tmp_path):
    from desk_app.services.hall import setup as hall
    from desk_app.services.queue import boards
    from desk_app.services.queue import documents as tickets_print
    from desk_app.services.queue import operations as queue
    from tests.tools import pdf_text

    admin = db.acting_as(ADMIN)
    hall.add_service(admin, "newborn", "新生儿出生一件事", "A")
    hall.set_setting(admin, "hall_name", "青岛市民中心")
    assert boards.kiosk_board(db).hall_name == "青岛市民中心"  # a live hall: as set
    mode.mark(admin, mode.TRAINING)
    assert boards.kiosk_board(db).hall_name == "青岛市民中心（培训）"
    assert hall.read_settings(db)["hall_name"] == "青岛市民中心（培训）"
    assert hall.settings(admin)["hall_name"] == "青岛市民中心"  # the setting itself is unchanged
    ticket = queue.issue_ticket(db, "newborn")
    pdf = tmp_path / "t.pdf"
    tickets_print.print_ticket_pdf(db, ticket, pdf)
    assert "（培训）" in pdf_text(pdf)
