"""Taking a number (取号): issue first, print after, never lose the ticket.

The one policy the kiosk and the command line share. The ticket is committed in its own unit of
work before anything is rendered; the PDF is rendered after it and handed to a sink (a file for
the command line, the receipt printer or the tickets folder for the kiosk). A jammed printer,
a full disk or a rendering fault is an outcome to show, never an exception past the ticket: the
visitor keeps the number either way.
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.services.common.dto import IssuedTicket
from desk_app.services.common.errors import Refused
from desk_app.services.queue import operations as queue
from desk_app.store import Database

log = logging.getLogger(__name__)

# Takes the ticket and its rendered PDF; prints or saves it. Returns the saved file (None when
# it went to a printer); raises OSError with a reason a person can act on when it cannot.
TicketSink = Callable[[IssuedTicket, bytes], Path | None]
# None: issue only. A path: write the PDF there. A TicketSink: hand the PDF to it.
SinkArg = TicketSink | str | os.PathLike[str] | None


@dataclass(frozen=True)
class IssueOutcome:
    """A ticket that exists, and whether its paper came out."""

    ticket: IssuedTicket
    printed: bool
    pdf_path: Path | None = None  # where the PDF was written (None: a printer, or not at all)
    print_error: str | None = None  # why it did not come out; the number stands regardless
    # Rendered once; a reprint hands it to the sink again instead of rendering anew.
    pdf: bytes | None = field(default=None, repr=False, compare=False)

    def to_json(self) -> dict[str, Any]:
        """The ticket's JSON, with ``printed`` (the file written) or ``print_error``."""
        payload = self.ticket.to_json()
        if self.printed:
            payload["printed"] = str(self.pdf_path) if self.pdf_path is not None else True
        if self.print_error is not None:
            payload["print_error"] = self.print_error
        return payload


def issue_and_print(
    db: Database,
    service_code: str,
    priority: str | None = None,
    *,
    sink: SinkArg,
    on_issued: Callable[[IssuedTicket], None] | None = None,
    now: datetime | None = None,
) -> IssueOutcome:
    """Issue a ticket for ``service_code``, then render its PDF and hand it to ``sink``.

    ``on_issued`` is called with the committed ticket before rendering starts (the kiosk shows
    the number while the printer works).

    Raises:
        Refused: the ticket could not be issued (unknown or paused service, daily cap reached,
            unknown priority); nothing was written. Once issued, nothing raises: a printing
            problem is in the outcome's ``print_error``.
    """
    ticket = queue.issue_ticket(db, service_code, priority, now=now)
    if on_issued is not None:
        try:
            on_issued(ticket)
        except Exception:  # noqa: BLE001 - the ticket exists; its paper still comes out
            log.exception("ticket %s issued; showing it failed", ticket.number)
    if sink is None:
        return IssueOutcome(ticket, printed=False)
    return print_ticket(db, ticket, sink=sink)


def print_ticket(
    db: Database, ticket: IssuedTicket, *, sink: SinkArg, pdf: bytes | None = None
) -> IssueOutcome:
    """Render ``ticket`` (unless ``pdf`` is given) and hand it to ``sink``; also for a reprint.

    Never raises: a rendering or printer failure is returned as ``print_error``.
    """
    require(db.actor, Operation.TICKET_ISSUE)
    if sink is None:
        return IssueOutcome(ticket, printed=False, pdf=pdf)
    send = sink if callable(sink) else file_sink(sink)
    if pdf is None and getattr(send, "wants_pdf", True):  # an ESC/POS printer lays out its own
        try:
            pdf = _render(db, ticket)
        except Exception as exc:  # noqa: BLE001 - the ticket exists; a reprint may retry
            log.exception("ticket %s issued but its PDF could not be rendered", ticket.number)
            return IssueOutcome(ticket, printed=False, print_error=_reason(exc, "号票无法生成"))
    try:
        path = send(ticket, pdf or b"")
    except (OSError, Refused) as exc:  # paper out, printer offline, folder not writable
        log.warning("ticket %s issued but not printed: %s", ticket.number, exc)
        return IssueOutcome(
            ticket, printed=False, print_error=_reason(exc, "号票未能打印"), pdf=pdf
        )
    except Exception as exc:  # noqa: BLE001 - a printer driver fault must not lose the number
        log.exception("ticket %s issued; the printer failed unexpectedly", ticket.number)
        return IssueOutcome(
            ticket, printed=False, print_error=_reason(exc, "号票未能打印"), pdf=pdf
        )
    return IssueOutcome(ticket, printed=True, pdf_path=path, pdf=pdf)


def file_sink(target: str | os.PathLike[str]) -> TicketSink:
    """A sink writing the PDF to the file ``target`` (the command line's ``--print FILE``)."""

    def write(_ticket: IssuedTicket, pdf: bytes) -> Path:
        path = Path(target)
        path.write_bytes(pdf)
        return path

    return write


def _render(db: Database, ticket: IssuedTicket) -> bytes:
    buffer = io.BytesIO()
    # reportlab loads only when a ticket is printed: a plain issue from a call-pad starts cold
    from desk_app.services.queue.documents import print_ticket_pdf

    print_ticket_pdf(db, ticket, buffer)
    return buffer.getvalue()


def _reason(exc: Exception, what: str) -> str:
    """An OSError already says why (and the printer module says it in Chinese); anything
    else is a fault whose message means nothing to the person at the kiosk."""
    if isinstance(exc, OSError) and str(exc):
        return str(exc)
    if isinstance(exc, Refused):  # a device's own reason (paper out, printer offline)
        return exc.zh
    return f"{what} ({type(exc).__name__}), 请重试或联系系统管理员"
