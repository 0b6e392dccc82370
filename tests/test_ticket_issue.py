"""Taking a number: the ticket is issued first and printed after, and is never lost to paper."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from desk_app.services.common.dto import IssuedTicket
from desk_app.services.common.errors import Refused
from desk_app.services.hall import setup as hall
from desk_app.services.queue import take_number as ticket_issue
from desk_app.services.queue.take_number import issue_and_print, print_ticket
from desk_app.store.models import Ticket


def _tickets(db) -> list[str]:
    with db.read() as s:
        return list(s.scalars(select(Ticket.number).order_by(Ticket.number)))


def test_the_pdf_goes_to_the_file_and_the_json_says_where(small_hall, tmp_path):
    target = tmp_path / "ticket.pdf"
    outcome = issue_and_print(small_hall, "newborn", sink=str(target))
    assert outcome.printed and outcome.print_error is None
    assert outcome.pdf_path == target
    assert "A001" in PdfReader(target).pages[0].extract_text()
    assert outcome.to_json()["printed"] == str(target)
    assert "print_error" not in outcome.to_json()
    assert outcome.to_json()["number"] == "A001"


def test_without_a_sink_the_ticket_is_only_issued(small_hall):
    outcome = issue_and_print(small_hall, "newborn", "elderly", sink=None)
    assert not outcome.printed and outcome.pdf is None
    assert outcome.ticket.priority == "elderly"
    assert set(outcome.to_json()) == set(outcome.ticket.to_json())
    assert _tickets(small_hall) == ["A001"]


def test_the_ticket_is_committed_before_anything_is_rendered(small_hall):
    seen: list[tuple[str, list[str]]] = []

    def on_issued(ticket: IssuedTicket) -> None:
        seen.append(("issued", _tickets(small_hall)))  # another connection sees it already

    def sink(ticket: IssuedTicket, pdf: bytes) -> None:
        seen.append(("printed", _tickets(small_hall)))
        assert pdf.startswith(b"%PDF")

    outcome = issue_and_print(small_hall, "newborn", sink=sink, on_issued=on_issued)
    assert seen == [("issued", ["A001"]), ("printed", ["A001"])]
    assert outcome.printed and outcome.pdf_path is None  # it went to a printer, not a file


def test_a_printer_failure_keeps_the_ticket_and_says_why(small_hall, caplog):
    def jammed(ticket: IssuedTicket, pdf: bytes) -> None:
        raise OSError("打印机报告错误 (可能缺纸、卡纸或脱机)")

    with caplog.at_level(logging.WARNING, logger=ticket_issue.log.name):
        outcome = issue_and_print(small_hall, "newborn", sink=jammed)
    assert _tickets(small_hall) == ["A001"]
    assert not outcome.printed and outcome.print_error == "打印机报告错误 (可能缺纸、卡纸或脱机)"
    assert outcome.to_json()["print_error"] == outcome.print_error
    assert "printed" not in outcome.to_json()
    assert "A001" in caplog.text
    # A reprint hands the same PDF to the printer again, without rendering it anew.
    assert outcome.pdf is not None
    received: list[bytes] = []
    again = print_ticket(
        small_hall, outcome.ticket, sink=lambda t, pdf: received.append(pdf), pdf=outcome.pdf
    )
    assert again.printed and received == [outcome.pdf]


def test_a_file_that_cannot_be_written_keeps_the_ticket(small_hall, tmp_path):
    outcome = issue_and_print(small_hall, "newborn", sink=tmp_path / "no" / "such" / "t.pdf")
    assert not outcome.printed and outcome.print_error
    assert _tickets(small_hall) == ["A001"]


def test_a_rendering_fault_keeps_the_ticket_and_never_reaches_the_printer(
    small_hall, monkeypatch, caplog
):
    def broken(db, ticket, target):  # type: ignore[no-untyped-def]
        raise ValueError("layout overflow")

    from desk_app.services.queue import documents as tickets_print

    monkeypatch.setattr(tickets_print, "print_ticket_pdf", broken)
    sent: list[bytes] = []
    with caplog.at_level(logging.ERROR, logger=ticket_issue.log.name):
        outcome = issue_and_print(small_hall, "newborn", sink=lambda t, pdf: sent.append(pdf))
    assert sent == [] and not outcome.printed and outcome.pdf is None
    assert outcome.print_error is not None and "号票无法生成" in outcome.print_error
    assert _tickets(small_hall) == ["A001"]
    assert "A001" in caplog.text


def test_an_unexpected_printer_fault_is_an_outcome_too(small_hall):
    def driver_bug(ticket: IssuedTicket, pdf: bytes) -> None:
        raise RuntimeError("driver crashed")

    outcome = issue_and_print(small_hall, "newborn", sink=driver_bug)
    assert not outcome.printed and "号票未能打印" in (outcome.print_error or "")
    assert _tickets(small_hall) == ["A001"]


def test_a_refused_ticket_renders_and_writes_nothing(db, tmp_path):
    hall.add_service(db, "newborn", "新生儿出生一件事", "A", daily_cap=1)
    issue_and_print(db, "newborn", sink=None)
    calls: list[str] = []
    target = tmp_path / "t.pdf"
    with pytest.raises(Refused, match="号源已满"):
        issue_and_print(db, "newborn", sink=target, on_issued=lambda t: calls.append(t.number))
    assert calls == [] and not Path(target).exists()
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Ticket)) == 1
