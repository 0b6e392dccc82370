"""`desk-app stats|alerts|followup`: the contracts' keys, the exports (CSV with BOM, XLSX), the
monthly PDF (charts, CJK font embedded), refusals (exit 2, one line)."""

from __future__ import annotations

import csv
import json

import pytest
from openpyxl import load_workbook

from desk_app.cli import main
from tests.test_cli import refusal_lines
from tests.test_reform_and_evaluations import build_cases
from tests.tools import pdf_fonts, pdf_text

SUMMARY_KEYS = {
    "key", "arrivals", "called", "served", "no_shows", "no_show_rate", "wait_p50_s",
    "wait_p90_s", "wait_p95_s", "service_p50_s", "service_p90_s", "sla_pct",
}  # fmt: skip


def run(capsys, *args):
    rc = main(list(args))
    out, err = capsys.readouterr()
    if "--json" in args and out.strip():
        lines = out.strip().splitlines()
        assert len(lines) == 1, out
        return rc, json.loads(lines[0]), err
    return rc, out, err


@pytest.fixture
def url(db, db_url, monkeypatch):
    from desk_app.services.hall import mode

    mode.mark(db, mode.TRAINING)  # the tests set the hall's clock (DESK_APP_NOW)
    build_cases(db)
    monkeypatch.setenv("DESK_APP_NOW", "2026-12-28T09:00:00+08:00")
    return db_url


def test_summary_json_csv_and_xlsx(url, db, capsys, tmp_path):
    from desk_app.services.hall import calendar

    # The session kinds are the hall's opening calendar's (set after the tickets were issued).
    calendar.add_session(db, "regular", "mon-fri", "09:00", "12:00")
    calendar.add_session(db, "midday", "mon-fri", "12:00", "14:00")
    calendar.add_session(db, "regular", "mon-fri", "14:00", "17:30")
    calendar.add_session(db, "evening", "mon-fri", "17:30", "20:00")
    calendar.add_session(db, "saturday", "sat", "09:00", "12:00")
    rc, r, _ = run(capsys, "--db", url, "stats", "summary", "--from", "2026-11-27", "--to",
                   "2026-11-28", "--by", "session", "--json")  # fmt: skip
    assert rc == 0 and (r["from"], r["to"]) == ("2026-11-27", "2026-11-28")
    assert {row["key"] for row in r["rows"]} == {"regular", "midday", "evening", "saturday"}
    assert all(set(row) >= SUMMARY_KEYS for row in r["rows"])
    target = tmp_path / "s.csv"
    rc, _, _ = run(capsys, "--db", url, "stats", "summary", "--from", "2026-11-27", "--to",
                   "2026-11-28", "--csv", str(target))  # fmt: skip
    raw = target.read_bytes()
    assert rc == 0 and raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][0] == "分组 key" and rows[1][:3] == ["newborn", "新生儿出生一件事", "3"]
    book = tmp_path / "s.xlsx"
    rc, _, _ = run(capsys, "--db", url, "stats", "summary", "--from", "2026-11-27", "--to",
                   "2026-11-28", "--by", "window", "--xlsx", str(book))  # fmt: skip
    sheet = load_workbook(book).active
    assert rc == 0 and sheet.cell(1, 3).value == "取号数 arrivals"
    assert [sheet.cell(r, 1).value for r in range(2, 5)] == [1, 2, None]
    assert (
        sheet.cell(sheet.max_row, 1).value == "合计 all" and sheet.cell(sheet.max_row, 3).value == 6
    )


def test_reform_and_evaluations_json(url, capsys):
    rc, r, _ = run(capsys, "--db", url, "stats", "reform", "--json")
    newborn = next(b for b in r["bundles"] if b["code"] == "newborn")
    assert rc == 0 and set(newborn["claimed"]) == {"steps", "materials", "trips", "days"}
    assert set(newborn["measured"]) == {"trips", "steps", "days", "materials"}
    assert newborn["worse"] == ["materials"] and newborn["cases"] == 2
    rc, r, _ = run(capsys, "--db", url, "stats", "evaluations", "--from", "2026-11-01", "--to",
                   "2026-11-30", "--json")  # fmt: skip
    assert rc == 0 and r["concluded"] == 2 and r["ratings"] == 0


def test_alerts_ack_and_follow_up_from_the_command_line(url, capsys, db):
    from desk_app.services.evaluation import ratings as evaluations
    from tests.test_reform_and_evaluations import FRI2, at

    evaluations.evaluate(db, "YJS-TEST-C2", 1, now=at(FRI2, "16:05"))
    rc, r, _ = run(capsys, "--db", url, "alerts", "list", "--json")
    ids = [a["id"] for a in r["alerts"]]
    assert rc == 0 and any(i.startswith("follow_up_overdue:") for i in ids)
    rc, _, err = run(capsys, "--db", url, "alerts", "ack", ids[0], "--note", "")
    assert rc == 2 and len(refusal_lines(err)) == 1
    rc, r, _ = run(capsys, "--db", url, "alerts", "ack", ids[0], "--note", "已处理", "--json")
    assert rc == 0 and r["acked"] is True
    rc, r, _ = run(capsys, "--db", url, "followup", "list", "--overdue", "--json")
    eid = r["follow_ups"][0]["evaluation"]
    rc, r, _ = run(capsys, "--db", url, "followup", "record", str(eid), "--outcome", "fixed",
                   "--note", "已电话联系", "--json")  # fmt: skip
    assert rc == 0 and r["state"] == "done"
    rc, r, _ = run(capsys, "--db", url, "followup", "list", "--overdue", "--json")
    assert r["follow_ups"] == []


@pytest.mark.parametrize(
    "month", ["2026-13", "2026/11", "", "9999-12", "0001-01", "1999-12", "2101-01"]
)
def test_a_bad_month_is_refused(url, capsys, tmp_path, month):
    rc, _, err = run(capsys, "--db", url, "stats", "report", "--month", month, "--pdf",
                     str(tmp_path / "r.pdf"))  # fmt: skip
    assert rc == 2 and len(refusal_lines(err)) == 1 and not (tmp_path / "r.pdf").exists()


def test_monthly_report_pdf(url, capsys, tmp_path):
    target = tmp_path / "report.pdf"
    rc, r, _ = run(capsys, "--db", url, "stats", "report", "--month", "2026-11", "--pdf",
                   str(target), "--json")  # fmt: skip
    assert rc == 0 and r["pages"] >= 2
    fonts = pdf_fonts(target)
    assert fonts and all(f["emb"] == "yes" for f in fonts)  # the CJK font, nothing else
    text = pdf_text(target)
    assert "2026年11月" in text and "新生儿出生一件事" in text and "按小时 到达与办结" in text
    assert "第1页共" in text.replace(" ", "")
    # The audit trail's head as the report was made is printed (outside the database).
    import re

    from sqlalchemy import text as sql

    from desk_app.store import Database

    flat = text.replace(" ", "").replace("\n", "")
    printed = re.search(r"截至制表共(\d+)条,末条摘要([0-9a-f]{16})", flat)
    assert printed, flat[-300:]
    db = Database(url)
    with db.read() as s:
        stored = s.execute(
            sql("SELECT hash FROM audit_log WHERE seq = :n"), {"n": int(printed.group(1))}
        ).scalar()
    db.dispose()
    assert stored is not None and stored.startswith(printed.group(2))


def test_a_single_day_in_a_months_chart_is_drawn_as_a_point(tmp_path):
    """A month with tickets on one day only: its daily chart shows that day's point (a line
    needs two days; the chart used to look empty)."""
    from PIL import Image
    from reportlab.graphics import renderPDF

    from printing.stats_charts import SERIES, line_chart
    from tests.tools import pdf_to_png

    days = [f"{d:02d}" for d in range(1, 31)]
    values = [None] * 30
    values[11] = 12.0
    target = tmp_path / "chart.pdf"
    renderPDF.drawToFile(line_chart("每日等候时间 (分钟)", days, [("P50", values)]), str(target))
    png = pdf_to_png(target, tmp_path, dpi=100)[0]
    blue = SERIES[0].rgb()
    want = tuple(round(c * 255) for c in blue)
    image = Image.open(png).convert("RGB")
    near = sum(
        n
        for n, px in image.getcolors(maxcolors=1 << 24) or []
        if all(abs(a - b) <= 40 for a, b in zip(px, want, strict=True))
    )
    assert near >= 4, near  # the point, a few pixels across at 100 dpi


def test_stats_rebuild_catches_up_once_and_rolls_a_period_again(url, db, capsys):
    from datetime import date

    from sqlalchemy import func, select

    from desk_app.store.models import Ticket

    with db.read() as s:
        first = s.scalar(select(func.min(Ticket.day)))
    rc, r, _ = run(capsys, "--db", url, "stats", "rebuild", "--json")
    assert rc == 0 and set(r) == {"days", "rows"} and r["rows"] > 0
    assert r["days"] == (date(2026, 12, 27) - first).days + 1  # up to yesterday (now 12-28)
    rc, r, _ = run(capsys, "--db", url, "stats", "rebuild", "--json")
    assert (rc, r) == (0, {"days": 0, "rows": 0})  # nothing left to roll up
    summary = ("stats", "summary", "--from", "2026-11-01", "--to", "2026-12-28", "--by", "staff")
    rc, before, _ = run(capsys, "--db", url, *summary, "--json")
    rc, r, _ = run(capsys, "--db", url, "stats", "rebuild", "--from", "2026-11-27", "--to",
                   "2026-11-28", "--json")  # fmt: skip
    assert rc == 0 and r["days"] == 2 and r["rows"] > 0
    rc, after, _ = run(capsys, "--db", url, *summary, "--json")
    assert after == before and before["total"]["arrivals"] > 0
