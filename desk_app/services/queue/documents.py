"""The kiosk's ticket as a PDF: the queue's data plus the hall's settings."""

from __future__ import annotations

import os
from typing import BinaryIO

from desk_app.domain.tickets import PRIORITY_LABELS_ZH, Priority
from desk_app.services.common.dto import IssuedTicket
from desk_app.services.hall import setup as hall
from desk_app.store import Database
from printing.progress import progress_url
from printing.ticket import TicketPrint, render_ticket_pdf


def ticket_print(db: Database, ticket: IssuedTicket) -> TicketPrint:
    """What goes on the paper for ``ticket`` (hall name and progress URL from the settings)."""
    settings = hall.read_settings(db)
    label = None
    if ticket.priority == Priority.APPOINTMENT:
        label = "预约签到"  # an appointment ticket is its own class, not the priority lane
    elif ticket.priority:
        label = "绿色通道·" + PRIORITY_LABELS_ZH[Priority(ticket.priority)]
    return TicketPrint(
        number=ticket.number,
        service_name=ticket.service_name,
        ahead=ticket.ahead,
        eta_minutes=ticket.eta_minutes,
        issued_at=ticket.issued_at,
        hall_name=settings["hall_name"],
        progress_url=progress_url(settings["progress_base_url"], ticket.id),
        priority_label=label,
    )


def print_ticket_pdf(
    db: Database, ticket: IssuedTicket, target: str | os.PathLike[str] | BinaryIO
) -> None:
    """Write the ticket PDF (to a file, or a buffer the UI sends to the printer)."""
    render_ticket_pdf(ticket_print(db, ticket), target)
