"""The command line of shared/design/contracts.md: names, options, JSON keys, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desk_app.cli import main
from desk_app.store.schema import SCHEMA_HEAD
from tests.tools import ADMIN

ROOT = Path(__file__).resolve().parent.parent


def run(capsys, *args: str) -> tuple[int, dict | str, str]:
    rc = main(list(args))
    out, err = capsys.readouterr()
    if "--json" in args and out.strip():
        lines = out.strip().splitlines()
        assert len(lines) == 1, f"--json must print exactly one object: {out!r}"
        return rc, json.loads(lines[0]), err
    return rc, out, err


def refusal_lines(err: str) -> list[str]:
    """stderr without the setup-mode notice (these halls have no admin account yet)."""
    from desk_app.cli.identity import SETUP_WARNING

    return [line for line in err.strip().splitlines() if line != SETUP_WARNING]


@pytest.fixture
def hall_url(db_url, capsys) -> str:
    for args in (
        ["service", "add", "newborn", "--name", "新生儿出生一件事", "--prefix", "A"],
        [
            "service",
            "add",
            "retirement",
            "--name",
            "退休一件事",
            "--prefix",
            "B",
            "--daily-cap",
            "3",
        ],
        ["window", "add", "1", "--services", "newborn,retirement"],
        ["window", "add", "2", "--services", "retirement"],
        ["staff", "add", "s01", "--name", "王芳"],
        ["staff", "add", "s02", "--name", "李强", "--role", "counter"],
        ["window", "open", "1", "--staff", "s01"],
    ):
        assert run(capsys, "--db", db_url, *args)[0] == 0, args
    return db_url


def _row_counts(url: str) -> dict[str, int]:
    from sqlalchemy import text

    from desk_app.store import Database

    db = Database(url).acting_as(ADMIN)
    tables = [
        "services",
        "windows",
        "staff",
        "window_sessions",
        "tickets",
        "ticket_events",
        "ticket_counters",
        "window_events",
    ]
    with db.read() as s:
        counts = {t: s.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in tables}
    db.dispose()
    return counts


def test_issue_and_call_json_shapes(hall_url, capsys):
    rc, t, _ = run(
        capsys,
        "--db",
        hall_url,
        "ticket",
        "issue",
        "--service",
        "newborn",
        "--priority",
        "elderly",
        "--json",
    )
    assert rc == 0
    assert set(t) >= {"id", "number", "service", "priority", "ahead", "eta_minutes", "issued_at"}
    assert (t["number"], t["service"], t["priority"], t["ahead"]) == (
        "A001",
        "newborn",
        "elderly",
        0,
    )
    assert "+08:00" in t["issued_at"]
    rc, c, _ = run(capsys, "--db", hall_url, "call", "next", "--window", "1", "--json")
    assert rc == 0 and {k: c[k] for k in ("id", "number", "service", "window")} == {
        "id": t["id"],
        "number": "A001",
        "service": "newborn",
        "window": 1,
    }
    for op, state in (("recall", "called"), ("start", "serving"), ("complete", "completed")):
        rc, r, _ = run(capsys, "--db", hall_url, "call", op, "--window", "1", "--json")
        assert rc == 0 and r["state"] == state and r["number"] == "A001"
    rc, c, _ = run(capsys, "--db", hall_url, "call", "next", "--window", "1", "--json")
    assert rc == 0 and c["number"] is None


def test_queue_status_json(hall_url, capsys):
    run(capsys, "--db", hall_url, "ticket", "issue", "--service", "retirement", "--json")
    rc, st, _ = run(capsys, "queue", "status", "--json", "--db", hall_url)
    assert rc == 0
    assert {"code", "waiting", "longest_wait_s"} <= set(st["services"][0])
    assert {s["code"]: s["waiting"] for s in st["services"]} == {"newborn": 0, "retirement": 1}
    assert [(w["number"], w["state"], w["current"]) for w in st["windows"]] == [
        (1, "open", None),
        (2, "closed", None),
    ]


def test_hold_transfer_and_call_ticket(hall_url, capsys):
    run(capsys, "--db", hall_url, "ticket", "issue", "--service", "newborn", "--json")
    run(capsys, "--db", hall_url, "call", "next", "--window", "1", "--json")
    rc, r, _ = run(capsys, "--db", hall_url, "call", "hold", "--window", "1", "--json")
    assert (rc, r["state"]) == (0, "held")
    rc, r, _ = run(capsys, "--db", hall_url, "call", "ticket", "A001", "--window", "1", "--json")
    assert (rc, r["state"], r["window"]) == (0, "called", 1)
    rc, r, _ = run(
        capsys,
        "--db",
        hall_url,
        "call",
        "transfer",
        "--window",
        "1",
        "--to-service",
        "retirement",
        "--json",
    )
    assert (rc, r["state"], r["service"]) == (0, "waiting", "retirement")
    rc, r, _ = run(capsys, "--db", hall_url, "call", "no-show", "--window", "1", "--json")
    assert rc == 2  # nothing current any more


@pytest.mark.parametrize(
    "args, message",
    [
        (["ticket", "issue", "--service", "nope", "--json"], "未知的业务"),
        (["call", "next", "--window", "9", "--json"], "未知的窗口"),
        (["call", "next", "--window", "2", "--json"], "未登录"),
        (["window", "open", "1", "--staff", "s02", "--json"], "已由"),
        (["call", "complete", "--window", "1", "--json"], "没有当前号"),
        (["ticket", "issue", "--service", "newborn", "--priority", "king"], "参数错误"),
        (["window", "add", "3", "--services", "newborn,ghost"], "未知的业务"),
        (["service", "add", "x", "--name", "X", "--prefix", "A"], "已被使用"),
        (["call", "transfer", "--window", "1"], "参数错误"),
    ],
)
def test_bad_input_exit_2_one_line_nothing_written(hall_url, capsys, args, message):
    before = _row_counts(hall_url)
    rc, out, err = run(capsys, "--db", hall_url, *args)
    assert rc == 2
    assert out == ""
    assert len(refusal_lines(err)) == 1 and message in err
    assert _row_counts(hall_url) == before


def test_daily_cap_exit_2_and_nothing_written(hall_url, capsys):
    for _ in range(3):
        assert (
            run(capsys, "--db", hall_url, "ticket", "issue", "--service", "retirement", "--json")[0]
            == 0
        )
    before = _row_counts(hall_url)
    rc, _, err = run(
        capsys, "--db", hall_url, "ticket", "issue", "--service", "retirement", "--json"
    )
    assert rc == 2 and "号源已满" in err
    assert _row_counts(hall_url) == before


def test_db_commands(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    rc, r, _ = run(capsys, "--db", url, "db", "check", "--json")
    assert rc == 0 and r == {"revision": None, "head": SCHEMA_HEAD, "ok": False, "warning": None}
    assert run(capsys, "--db", url, "db", "upgrade", "--json")[1]["ok"] is True
    assert run(capsys, "--db", url, "db", "upgrade", "--json")[1]["ok"] is True
    assert run(capsys, "--db", url, "db", "check", "--json")[1]["ok"] is True
    from sqlalchemy import create_engine, text

    eng = create_engine(url)
    with eng.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num='0099'"))
    eng.dispose()
    rc, r, err = run(capsys, "--db", url, "db", "check", "--json")
    assert rc == 2 and r["ok"] is False and "newer" in err
    rc, _, err = run(capsys, "--db", url, "queue", "status", "--json")
    assert rc == 2 and "newer" in err


def test_unreachable_database_is_a_clear_message(capsys):
    rc, out, err = run(
        capsys, "--db", "postgresql+psycopg://root@127.0.0.1:1/none", "queue", "status", "--json"
    )
    assert rc == 1 and out == ""
    assert "无法连接数据库" in err and "Traceback" not in err
    rc, _, err = run(capsys, "--db", "mysql+nodriver://x/y", "queue", "status")
    assert rc == 2 and "unsupported database URL" in err


def test_env_var_selects_database(tmp_path, capsys, monkeypatch):
    url = f"sqlite:///{tmp_path / 'env.db'}"
    monkeypatch.setenv("DESK_APP_DB", url)
    assert run(capsys, "service", "add", "s", "--name", "S", "--prefix", "S")[0] == 0
    assert (tmp_path / "env.db").exists()


def test_demo_seed_is_deterministic_and_believable(tmp_path, capsys):
    from datetime import UTC, datetime

    from sqlalchemy import select

    from desk_app.services.demo.seed import seed_demo
    from desk_app.store import Database
    from desk_app.store.models import Ticket
    from desk_app.store.schema import upgrade

    now = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
    snapshots = []
    for name in ("a", "b"):
        db = Database(f"sqlite:///{tmp_path / name}.db").acting_as(ADMIN)
        upgrade(db)
        result = seed_demo(db, days=6, windows=6, seed=7, now=now)
        with db.read() as s:
            rows = s.execute(
                select(
                    Ticket.id, Ticket.number, Ticket.arrival_at, Ticket.service_seconds
                ).order_by(Ticket.id)
            ).all()
        snapshots.append(rows)
        db.dispose()
    assert snapshots[0] == snapshots[1] and result["tickets"] == len(rows) > 400
    waits = [r for r in rows if r.service_seconds]
    median = sorted(r.service_seconds for r in waits)[len(waits) // 2]
    assert 8 * 60 < median < 25 * 60  # service times of a 一件事 window
    hours = [r.arrival_at.astimezone().hour for r in rows]
    assert hours  # arrivals exist; the peaks are checked in the domain tests of demo data


def test_console_script_round_trip_as_separate_processes(tmp_path):
    """`desk-app ticket issue` and `call next` as separate processes (the call-pad's way); their
    speed is measured in bench/, not here: a timed test only measures the CI machine's load."""
    url = f"sqlite:///{tmp_path / 'p.db'}"
    exe = [sys.executable, "-m", "desk_app", "--db", url]
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="0")
    for args in (
        ["service", "add", "newborn", "--name", "新生儿", "--prefix", "A"],
        ["window", "add", "1", "--services", "newborn"],
        ["staff", "add", "s01", "--name", "王芳"],
        ["window", "open", "1", "--staff", "s01"],
    ):
        subprocess.run(exe + args, check=True, capture_output=True, env=env)
    for args in (
        ["ticket", "issue", "--service", "newborn", "--json"],
        ["call", "next", "--window", "1", "--json"],
    ):
        out = subprocess.run(exe + args, check=True, capture_output=True, text=True, env=env)
        assert json.loads(out.stdout)["number"] == "A001"


def test_ticket_issue_print_writes_the_ticket_pdf(tmp_path, capsys):
    from tests.tools import decode_qr, pdf_fonts, pdf_text, pdf_to_png

    url = f"sqlite:///{tmp_path / 'k.db'}"
    run(
        capsys,
        "--db",
        url,
        "service",
        "add",
        "newborn",
        "--name",
        "新生儿出生一件事",
        "--prefix",
        "A",
    )
    run(capsys, "--db", url, "settings", "set", "progress_base_url", "https://q.example.cn/t")
    pdf = tmp_path / "ticket.pdf"
    rc, t, _ = run(
        capsys,
        "--db",
        url,
        "ticket",
        "issue",
        "--service",
        "newborn",
        "--print",
        str(pdf),
        "--json",
    )
    assert rc == 0 and t["printed"] == str(pdf)
    text = pdf_text(pdf)
    assert "A001" in text and "新生儿出生一件事" in text
    assert all(f["emb"] == "yes" for f in pdf_fonts(pdf))
    png = pdf_to_png(pdf, tmp_path)[0]
    assert decode_qr(png) == [f"https://q.example.cn/t/{t['id']}"]


def test_print_failure_keeps_the_ticket(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'k.db'}"
    run(capsys, "--db", url, "service", "add", "newborn", "--name", "新生儿", "--prefix", "A")
    rc, t, err = run(
        capsys,
        "--db",
        url,
        "ticket",
        "issue",
        "--service",
        "newborn",
        "--print",
        str(tmp_path / "no" / "such" / "dir.pdf"),
        "--json",
    )
    assert rc == 0 and t["number"] == "A001" and "打印失败" in err and "printed" not in t
    rc, st, _ = run(capsys, "--db", url, "queue", "status", "--json")
    assert st["services"][0]["waiting"] == 1


def test_calendar_add_workdays_crosses_national_day(capsys):
    rc, r, _ = run(capsys, "calendar", "add-workdays", "2026-09-24", "5", "--json")
    assert (rc, r) == (0, {"date": "2026-10-09", "source": "official"})
    rc, r, _ = run(capsys, "calendar", "add-workdays", "2099-03-02", "5", "--json")
    assert r["source"] == "weekends-only" and r["date"] == "2099-03-09"
    assert run(capsys, "calendar", "add-workdays", "2026-13-01", "5")[0] == 2


def test_catalog_commands_json(capsys):
    rc, r, _ = run(capsys, "catalog", "list", "--json")
    assert rc == 0 and len(r["bundles"]) >= 12
    assert {"code", "name", "audience", "items"} <= set(r["bundles"][0])
    assert {b["audience"] for b in r["bundles"]} == {"person", "company"}
    rc, r, _ = run(capsys, "catalog", "show", "newborn", "--json")
    assert r["figures"]["steps"] == {"before": 10, "after": 1}
    assert r["figures"]["materials"] == {"before": 19, "after": 4}
    rc, r, _ = run(capsys, "catalog", "show", "retirement", "--json")
    assert r["figures"]["steps"] == {"before": 12, "after": 4}
    assert r["figures"]["time_limit_days"] == {"before": 20, "after": 10}
    rc, r, _ = run(capsys, "catalog", "checklist", "newborn", "--json")
    assert {"items", "submit", "obtained"} <= set(r) and len(r["submit"]) == 4
    rc, r2, _ = run(
        capsys, "catalog", "checklist", "newborn", "--answer", "parents_married=no", "--json"
    )
    assert {e["code"] for e in r2["submit"]} != {e["code"] for e in r["submit"]}
    assert run(capsys, "catalog", "show", "nope", "--json")[0] == 2
    assert run(capsys, "catalog", "checklist", "newborn", "--answer", "x")[0] == 2


def test_case_commands_round_trip_and_refusals(tmp_path, capsys):
    from tests.ids import mistyped, resident_id

    url = f"sqlite:///{tmp_path / 'c.db'}"
    base = ["--db", url]
    rc, r, _ = run(
        capsys,
        *base,
        "case",
        "open",
        "--bundle",
        "newborn",
        "--applicant-name",
        "张三丰",
        "--applicant-id",
        resident_id(),
        "--phone",
        "13812341234",
        "--answer",
        "maternity_claim=yes",
        "--consent",
        "--json",
    )
    assert rc == 0 and r["case_no"].startswith("YJS-") and len(r["id"]) == 36
    no = r["case_no"]
    before = _row_counts(url) | {"cases": _count(url, "cases")}
    for args, msg in (
        (
            [
                "case",
                "open",
                "--bundle",
                "newborn",
                "--applicant-name",
                "x",
                "--applicant-id",
                mistyped(resident_id()),
            ],
            "校验",
        ),
        (
            [
                "case",
                "open",
                "--bundle",
                "newborn",
                "--applicant-name",
                "x",
                "--applicant-id",
                resident_id(),
                "--phone",
                "1234",
            ],
            "手机",
        ),
        (
            [
                "case",
                "open",
                "--bundle",
                "nope",
                "--applicant-name",
                "x",
                "--applicant-id",
                resident_id(),
            ],
            "未知的一件事",
        ),
        (
            [
                "case",
                "open",
                "--bundle",
                "company_change",
                "--applicant-name",
                "x",
                "--credit-code",
                "91370200MA3C000000",
            ],
            "信用代码",
        ),
        (["case", "receive", no, "passport"], "不在本办件"),
        (["case", "decide", no, "accept"], "尚缺"),
        (["case", "conclude", no], "不能办结"),
        (["case", "show", "YJS-19990101-0001"], "没有办件"),
    ):
        rc, out, err = run(capsys, *base, *args, "--json")
        assert rc == 2 and msg in err and len(refusal_lines(err)) == 1, (args, err)
        assert _row_counts(url) | {"cases": _count(url, "cases")} == before
    rc, r, _ = run(
        capsys,
        *base,
        "case",
        "receive",
        no,
        "application_form",
        "parents_id_cards",
        "household_register",
        "marriage_certificate",
        "maternity_invoices",
        "--json",
    )
    assert rc == 0 and sorted(r["missing"]) == ["discharge_record", "mother_bank_account"]
    rc, r, _ = run(capsys, *base, "case", "decide", no, "defer", "--json")
    assert rc == 0 and r["state"] == "deferred" and r["deferral_due"]
    rc, r, _ = run(
        capsys,
        *base,
        "case",
        "receive",
        no,
        "discharge_record",
        "mother_bank_account",
        "--copy",
        "--json",
    )
    rc, r, _ = run(capsys, *base, "case", "conclude", no, "--evaluation", "4", "--json")
    assert rc == 0 and r["state"] == "concluded" and r["evaluation"]["level"] == 4
    rc, r, _ = run(capsys, *base, "case", "show", no, "--json")
    assert r["applicant"]["id"].startswith("370202********")
    assert resident_id() not in json.dumps(r)


def _count(url: str, table: str) -> int:
    from sqlalchemy import text

    from desk_app.store import Database

    db = Database(url).acting_as(ADMIN)
    with db.read() as s:
        n = s.execute(text(f"SELECT count(*) FROM {table}")).scalar()
    db.dispose()
    return int(n)


def test_plain_desk_app_takes_the_screen_options(monkeypatch):
    """`desk-app --lang en` (no `gui`) starts the screens in English, as a newcomer types it."""
    seen = {}
    monkeypatch.setattr("desk_app.ui.common.app.run_gui", lambda **kw: seen.update(kw) or 0)
    with pytest.raises(SystemExit) as ended:  # the GUI's exit status is the command's
        main(["--lang", "en", "--role", "kiosk", "--large-text"])
    assert ended.value.code == 0
    assert (seen["lang"], seen["role"], seen["large_text"]) == ("en", "kiosk", True)
    seen.clear()
    with pytest.raises(SystemExit):
        main(["gui", "--lang", "en"])
    assert seen["lang"] == "en" and seen["role"] is None
