"""`desk-app assist` and `desk-app pain` as scripts use them: JSON out, refusals exit 2 with one
line and nothing written, the papers printed with the bundled font (both databases)."""

from __future__ import annotations

import json
import os

from sqlalchemy import func, select

from desk_app.cli import main
from desk_app.store import Database
from desk_app.store.assist_models import AssistStep
from desk_app.store.identity_models import AuditEntry
from tests.ids import resident_id
from tests.tools import pdf_fonts, pdf_text

ID = resident_id("37020219500101123")


def run(capsys, *args):
    rc = main(list(args))
    out, err = capsys.readouterr()
    return rc, (json.loads(out) if out.strip().startswith("{") else out), err


def _steps(url: str) -> int:
    db = Database(url)
    try:
        with db.read() as s:
            return s.scalar(select(func.count()).select_from(AssistStep))
    finally:
        db.dispose()


def test_a_proxy_session_end_to_end(db_url, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("DESK_APP_NOW", "2026-11-30T10:00:00+08:00")
    base = ["--db", db_url]
    run(capsys, *base, "db", "upgrade", "--training")  # a training hall: its clock may be set
    rc, r, _ = run(
        capsys,
        *base,
        "assist",
        "start",
        "--mode",
        "proxy",
        "--bundle",
        "newborn",
        "--name",
        "张三丰",
        "--id",
        ID,
        "--json",
    )
    assert rc == 0 and r["state"] == "active" and r["mode"] == "proxy"
    sid = str(r["id"])
    assert r["visitor"]["name"] == "张*丰" and ID not in json.dumps(r)

    rc, _, err = run(capsys, *base, "assist", "step", sid, "--window", "1", "--action", "x")
    refusal = [line for line in err.splitlines() if not line.startswith("提示")]  # setup mode
    assert rc == 2 and len(refusal) == 1 and "授权委托书" in refusal[0]
    letter = tmp_path / "auth.pdf"
    rc, r, _ = run(
        capsys,
        *base,
        "assist",
        "authorize",
        sid,
        "--principal-name",
        "李四",
        "--principal-id",
        resident_id("37020219800505123"),
        "--items",
        "hukou_birth_registration",
        "--until",
        "2026-12-01",
        "--print",
        str(letter),
        "--json",
    )
    assert rc == 0 and r["authorization"]["items"] == ["hukou_birth_registration"]
    text = pdf_text(letter)
    assert "授权委托书" in text and "户口登记" in text
    # A letter to be signed names the principal in full (void otherwise), through an audited
    # reveal; the session's visitor stays masked on it, and the audit holds no ID.
    principal = resident_id("37020219800505123")
    flat = text.replace(" ", "")
    assert "李四" in flat and principal in flat and ID not in flat
    assert all(f["emb"] == "yes" for f in pdf_fonts(letter))
    audit_db = Database(db_url)
    with audit_db.read() as s:
        printed = [
            json.loads(e.detail)
            for e in s.scalars(select(AuditEntry).where(AuditEntry.action == "assist.print"))
        ]
    audit_db.dispose()
    assert [p["document"] for p in printed] == ["authorization"]
    assert "principal_id" in printed[0]["revealed"] and principal not in json.dumps(printed)

    rc, _, err = run(
        capsys,
        *base,
        "assist",
        "step",
        sid,
        "--department",
        "市医保局",
        "--action",
        "参保",
        "--item",
        "medical_insurance_enrolment",
    )
    assert rc == 2 and "未包含" in err and _steps(db_url) == 0
    monkeypatch.setenv("DESK_APP_NOW", "2026-12-02T10:00:00+08:00")
    rc, _, err = run(
        capsys,
        *base,
        "assist",
        "step",
        sid,
        "--department",
        "市公安局",
        "--action",
        "户口",
        "--item",
        "hukou_birth_registration",
    )
    assert rc == 2 and "过期" in err and _steps(db_url) == 0
    monkeypatch.setenv("DESK_APP_NOW", "2026-11-30T10:20:00+08:00")
    rc, r, _ = run(
        capsys,
        *base,
        "assist",
        "step",
        sid,
        "--department",
        "市公安局",
        "--action",
        "户口登记",
        "--item",
        "hukou_birth_registration",
        "--material",
        "户口簿",
        "--outcome",
        "已受理",
        "--json",
    )
    assert rc == 0 and r["steps"][0]["minutes"] == 20 and r["steps"][0]["materials"] == ["户口簿"]

    rc, _, err = run(capsys, *base, "assist", "suspend", sid)
    assert rc == 2 and "原因" in err
    form = tmp_path / "suspend.pdf"
    rc, r, _ = run(
        capsys,
        *base,
        "assist",
        "suspend",
        sid,
        "--reason",
        "等待补发",
        "--print",
        str(form),
        "--json",
    )
    assert rc == 0 and r["state"] == "suspended" and "中止单" in pdf_text(form)
    run(capsys, *base, "assist", "resume", sid)
    done = tmp_path / "done.pdf"
    rc, r, _ = run(capsys, *base, "assist", "conclude", sid, "--print", str(done), "--json")
    assert rc == 0 and r["state"] == "concluded" and "办结单" in pdf_text(done)
    rc, r, _ = run(capsys, *base, "assist", "list", "--date", "2026-11-30", "--json")
    assert [s["id"] for s in r["sessions"]] == [int(sid)]

    rc, r, _ = run(
        capsys,
        *base,
        "pain",
        "add",
        "--category",
        "materials",
        "--bundle",
        "newborn",
        "--text",
        "重复提交户口簿",
        "--session",
        sid,
        "--json",
    )
    assert rc == 0 and r["state"] == "open" and r["due"] == "2026-12-21"
    pid = str(r["id"])
    rc, _, err = run(capsys, *base, "pain", "resolve", pid, "--note", "x")
    assert rc == 2
    assert run(capsys, *base, "pain", "assign", pid, "--owner", "市公安局")[0] == 0
    rc, r, _ = run(capsys, *base, "pain", "resolve", pid, "--note", "已共享", "--json")
    assert r["state"] == "resolved"
    rc, r, _ = run(capsys, *base, "pain", "list", "--json")
    assert r["by_state"] == {"resolved": 1}
    rc, r, _ = run(capsys, *base, "assist", "stats", "--json")
    assert r["sessions"] == 1 and r["by_mode"][0]["key"] == "proxy"


def test_bad_print_target_writes_nothing(sqlite_url, tmp_path, capsys):
    base = ["--db", sqlite_url]
    rc, _, err = run(
        capsys,
        *base,
        "assist",
        "start",
        "--mode",
        "accompany",
        "--name",
        "张三",
        "--id",
        ID,
        "--print",
        str(tmp_path / "no" / "such" / "x.pdf"),
    )
    assert rc == 2 and "cannot write" in err
    rc, r, _ = run(capsys, *base, "assist", "list", "--json")
    assert r["sessions"] == []
    if os.path.exists("/dev/full"):  # the file fails only when written: the session stands
        rc, r, err = run(capsys, *base, "assist", "start", "--mode", "accompany", "--name",
                         "张三", "--id", ID, "--print", "/dev/full", "--json")  # fmt: skip
        assert rc == 0 and "the form was not written" in err
        rc, r, _ = run(capsys, *base, "assist", "list", "--json")
        assert len(r["sessions"]) == 1
