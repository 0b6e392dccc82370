"""Statistics as files for the office: CSV in UTF-8 with a byte-order mark (Excel on a Chinese
Windows opens it without garbling) and XLSX (openpyxl). Every export is audited."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.services.common import audit
from desk_app.services.supervision.statistics import Summary
from desk_app.store import Database

# Column headings: the hall's words, then the JSON key (stable for scripts).
LABELS_ZH = {
    "key": "分组",
    "name": "名称",
    "arrivals": "取号数",
    "called": "叫号数",
    "served": "办结数",
    "no_shows": "过号数",
    "no_show_rate": "过号率",
    "wait_p50_s": "等候P50(秒)",
    "wait_p90_s": "等候P90(秒)",
    "wait_p95_s": "等候P95(秒)",
    "service_p50_s": "办理P50(秒)",
    "service_p90_s": "办理P90(秒)",
    "sla_pct": "达标率%",
    "session_s": "在岗(秒)",
    "serving_s": "办理中(秒)",
    "paused_s": "暂停(秒)",
    "idle_s": "空闲(秒)",
}


def header(columns: Sequence[str]) -> list[str]:
    return [f"{LABELS_ZH.get(c, c)} {c}" for c in columns]


def table(summary: Summary) -> tuple[list[str], list[list[Any]]]:
    """The summary as a header and rows, the total last."""
    cols = list(summary.columns)
    rows = [[r.get(c) for c in cols] for r in summary.rows]
    rows.append([("合计 all" if c == "key" else summary.total.get(c)) for c in cols])
    return header(cols), rows


def write_csv(path: Path, head: list[str], rows: list[list[Any]]) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(head)
        for row in rows:
            w.writerow(["" if v is None else v for v in row])


def write_xlsx(path: Path, title: str, head: list[str], rows: list[list[Any]]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(head)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    ws.freeze_panes = "B2"
    for i, h in enumerate(head, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = max(10, len(h) + 2)
    # Built in memory, then written in one piece: a full disk or a bad path is one OSError
    # here, not a half-closed zip file complaining on the way out.
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(buffer.getvalue())


def export_summary(db: Database, summary: Summary, path: Path, kind: str) -> Path:
    """Write ``summary`` to ``path`` as ``kind`` (csv | xlsx); audited (what, not the figures)."""
    require(db.actor, Operation.STATS_SUMMARY)
    head, rows = table(summary)
    if kind == "csv":
        write_csv(path, head, rows)
    elif kind == "xlsx":
        write_xlsx(path, f"{summary.first}~{summary.last}", head, rows)
    else:
        raise ValueError(kind)
    with db.begin() as s:
        audit.record(
            s,
            db.actor,
            "stats.export",
            kind,
            {"from": summary.first.isoformat(), "to": summary.last.isoformat(), "by": summary.by},
        )
    return path
