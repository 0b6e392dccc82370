"""``desk-app calendar|appt``: the contract's commands and refusals, and the race for the last
place between two processes (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desk_app.cli.main import main
from desk_app.store import Database
from desk_app.store.schema import upgrade
from tests.appt_tools import calendar_hall, person
from tests.tools import ADMIN, pdf_fonts, pdf_text

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def hall_url(db_url):
    db = Database(db_url)
    upgrade(db)
    calendar_hall(db.acting_as(ADMIN))
    db.dispose()
    return db_url


def run(capsys, monkeypatch, url: str, now: str, *args: str) -> tuple[int, dict, list[str]]:
    monkeypatch.setenv("DESK_APP_NOW", now)
    rc = main(["--db", url, *args, "--json"])
    out, err = capsys.readouterr()
    from desk_app.cli.identity import SETUP_WARNING

    errors = [x for x in err.strip().splitlines() if x and x != SETUP_WARNING]
    return rc, json.loads(out) if out.strip() else {}, errors


def test_calendar_and_booking_commands(hall_url, capsys, monkeypatch, tmp_path):
    monday = "2026-11-30T10:00:00+08:00"
    rc, day, _ = run(capsys, monkeypatch, hall_url, monday, "calendar", "show", "2026-12-01")
    assert rc == 0 and day["open"] and {"date", "workday", "source", "sessions"} <= set(day)
    assert [s["kind"] for s in day["sessions"]] == ["regular", "midday", "regular", "evening"]
    rc, slots, _ = run(
        capsys,
        monkeypatch,
        hall_url,
        monday,
        "appt",
        "slots",
        "--service",
        "newborn",
        "--date",
        "2026-12-01",
    )
    assert rc == 0 and slots["slots"][0] == slots["slots"][0] | {
        "start": "09:00",
        "end": "09:30",
        "capacity": 2,
        "booked": 0,
        "left": 2,
    }
    slip = tmp_path / "slip.pdf"
    book = ("appt", "book", "--service", "newborn", "--date", "2026-12-01", "--time", "09:00")
    rc, b, _ = run(
        capsys,
        monkeypatch,
        hall_url,
        monday,
        *book,
        "--name",
        "张三丰",
        "--id",
        person(1),
        "--phone",
        "13812345678",
        "--print",
        str(slip),
    )
    assert rc == 0 and b == b | {
        "service": "newborn",
        "date": "2026-12-01",
        "start": "09:00",
        "end": "09:30",
        "state": "booked",
    }
    fonts = pdf_fonts(slip)
    assert fonts and all(f["emb"] == "yes" for f in fonts)
    text = pdf_text(slip)
    assert b["code"] in text and "请带齐以下材料" in text and "2026年12月1日" in text
    # The newborn bundle's checklist: the application form to bring, the birth certificate
    # produced by an item of the bundle is not asked for.
    assert "联办申请表" in text
    assert person(1) not in text  # masked on paper too
    rc, listed, _ = run(
        capsys, monkeypatch, hall_url, monday, "appt", "list", "--date", "2026-12-01"
    )
    (row,) = listed["appointments"]
    assert row["code"] == b["code"] and person(1) not in json.dumps(listed, ensure_ascii=False)
    rc, moved, _ = run(
        capsys,
        monkeypatch,
        hall_url,
        monday,
        "appt",
        "reschedule",
        b["code"],
        "--date",
        "2026-12-01",
        "--time",
        "09:30",
    )
    assert rc == 0 and moved["start"] == "09:30"
    rc, t, _ = run(
        capsys,
        monkeypatch,
        hall_url,
        "2026-12-01T09:10:00+08:00",
        "appt",
        "checkin",
        "--id",
        person(1),
        "--phone-last4",
        "5678",
    )
    assert rc == 0 and t["appointment"] == b["code"] and t["number"] == "A001"
    assert {"id", "number", "service", "priority", "ahead", "eta_minutes", "issued_at"} <= set(t)


REFUSALS = [
    # (now, args, a word of the one line)
    (
        "2026-11-30T10:00",
        (
            "appt",
            "book",
            "--service",
            "newborn",
            "--date",
            "2026-12-06",
            "--time",
            "09:00",
            "--name",
            "李四",
            "--id",
            person(9),
        ),
        "不开放",
    ),
    (
        "2026-11-30T10:00",
        (
            "appt",
            "book",
            "--service",
            "newborn",
            "--date",
            "2026-12-09",
            "--time",
            "09:00",
            "--name",
            "李四",
            "--id",
            person(9),
        ),
        "工作日内",
    ),
    (
        "2026-11-30T10:00",
        (
            "appt",
            "book",
            "--service",
            "newborn",
            "--date",
            "2026-12-01",
            "--time",
            "09:00",
            "--name",
            "李四",
            "--id",
            "370202199001011230",
        ),
        "校验位",
    ),
    (
        "2026-11-30T10:00",
        (
            "calendar",
            "session",
            "add",
            "midday",
            "--days",
            "someday",
            "--from",
            "12:00",
            "--to",
            "13:00",
        ),
        "mon-fri",
    ),
    ("2026-11-30T10:00", ("appt", "checkin", "--code", "ZZZZ2222"), "ZZZZ2222"),
    ("2026-11-30T10:00", ("appt", "unblock", "--id", person(9), "--reason", "x"), "未被暂停"),
]


@pytest.mark.parametrize("now,args,word", REFUSALS)
def test_refusals_exit_2_with_one_line(hall_url, capsys, monkeypatch, now, args, word):
    rc, out, err = run(capsys, monkeypatch, hall_url, now, *args)
    assert rc == 2 and out == {} and len(err) == 1 and word in err[0], err


def test_full_slot_second_booking_early_and_late_check_in(hall_url, capsys, monkeypatch):
    monday = "2026-11-30T10:00"
    book = ("appt", "book", "--service", "newborn", "--date", "2026-12-01", "--time", "10:00")
    codes = []
    for n in (1, 2):
        rc, b, _ = run(
            capsys, monkeypatch, hall_url, monday, *book, "--name", f"人{n}", "--id", person(n)
        )
        codes.append(b["code"])
    rc, _, err = run(
        capsys, monkeypatch, hall_url, monday, *book, "--name", "人3", "--id", person(3)
    )
    assert rc == 2 and "已满" in err[0]
    rc, _, err = run(
        capsys,
        monkeypatch,
        hall_url,
        monday,
        *book[:-1],
        "11:00",
        "--name",
        "人1",
        "--id",
        person(1),
    )
    assert rc == 2 and "同一人同一天" in err[0]
    rc, _, err = run(
        capsys, monkeypatch, hall_url, "2026-12-01T09:20", "appt", "checkin", "--code", codes[0]
    )
    assert rc == 2 and "09:30 起" in err[0]
    rc, _, err = run(
        capsys, monkeypatch, hall_url, "2026-12-01T10:20", "appt", "checkin", "--code", codes[1]
    )
    assert rc == 2 and "普通号" in err[0] and "walk-in" in err[0]
    rc, swept, _ = run(capsys, monkeypatch, hall_url, "2026-12-01T10:20", "appt", "sweep")
    assert rc == 0 and swept == {
        "no_shows": 2
    }  # a refused check-in writes nothing, no sweep either
    rc, listed, _ = run(
        capsys, monkeypatch, hall_url, "2026-12-01T10:20", "appt", "list", "--date", "2026-12-01"
    )
    assert [a["state"] for a in listed["appointments"]] == ["no_show", "no_show"]
    rc, bo, _ = run(
        capsys,
        monkeypatch,
        hall_url,
        monday,
        "appt",
        "blackout",
        "add",
        "--from",
        "2026-12-01T00:00",
        "--to",
        "2026-12-02T00:00",
        "--reason",
        "停电",
    )
    assert rc == 0 and bo == {"affected": []}  # no-shows are not "affected"


RACER = """
import os, sys, time
from pathlib import Path
go = Path(sys.argv[1])
while not go.exists():
    time.sleep(0.001)
from desk_app.cli.main import main
sys.exit(main(sys.argv[2:]))
"""


def test_two_processes_racing_for_the_last_place_exactly_one_wins(
    hall_url, tmp_path, monkeypatch, capsys
):
    monday = "2026-11-30T10:00"
    env = {**__import__("os").environ, "DESK_APP_NOW": monday}
    for round_, time_ in enumerate(("09:00", "09:30", "10:00")):
        # One of the two hall places goes first; then two processes want the last one.
        rc, _, _ = run(
            capsys,
            monkeypatch,
            hall_url,
            monday,
            "appt",
            "book",
            "--service",
            "newborn",
            "--date",
            "2026-12-01",
            "--time",
            time_,
            "--name",
            "先到",
            "--id",
            person(10 + round_),
        )
        assert rc == 0
        go = tmp_path / f"go{round_}"
        procs = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    RACER,
                    str(go),
                    "--db",
                    hall_url,
                    "appt",
                    "book",
                    "--service",
                    "newborn",
                    "--date",
                    "2026-12-01",
                    "--time",
                    time_,
                    "--name",
                    f"抢{n}",
                    "--id",
                    person(20 + 2 * round_ + n),
                    "--json",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for n in (0, 1)
        ]
        time.sleep(1.5)  # both imported and polling (not a timing assertion: just a start line)
        go.touch()
        results = [p.communicate(timeout=60) for p in procs]
        codes = sorted(p.returncode for p in procs)
        assert codes == [0, 2], results
        loser_err = next(
            err for p, (_, err) in zip(procs, results, strict=True) if p.returncode == 2
        )
        assert "已满" in loser_err
    rc, slots, _ = run(
        capsys,
        monkeypatch,
        hall_url,
        monday,
        "appt",
        "slots",
        "--service",
        "newborn",
        "--date",
        "2026-12-01",
    )
    assert [s["booked"] for s in slots["slots"][:3]] == [2, 2, 2]
