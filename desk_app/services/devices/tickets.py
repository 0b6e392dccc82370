"""The kiosk's tickets on a thermal printer spoken to in ESC/POS (a registered ``escpos``
device of this PC): the sink the issuing pipeline hands each ticket to, and the printer's
paper state, recorded as the device's state (paper out shows on the supervisor's alerts)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desk_app.domain.devices import DeviceState
from desk_app.services.common.dto import IssuedTicket
from desk_app.services.devices import escpos, registry
from desk_app.services.queue.documents import ticket_print
from desk_app.store import Database

REASONS_ZH = {"paper_out": "缺纸", "cover_open": "纸仓盖打开", "offline": "打印机脱机"}


class EscposSink:
    """A TicketSink printing on ``device`` (its ``text_mode`` option: gb18030 or raster). It
    needs no PDF: the printer lays the ticket out itself."""

    wants_pdf = False

    def __init__(self, db: Database, device: registry.DeviceView) -> None:
        self.db = db
        self.device = device
        self.text_mode = str(device.options.get("text_mode", "gb18030"))

    def __call__(self, ticket: IssuedTicket, _pdf: bytes) -> Path | None:
        try:
            escpos.print_ticket(
                self.device.target, ticket_print(self.db, ticket), text_mode=self.text_mode
            )
        except escpos.DeviceError as exc:
            self.report(False, str(exc.zh))
            raise
        self.report(True, "")
        return None

    def paper_ok(self) -> tuple[bool, str]:
        """Whether tickets can come out now (read from the printer), recorded as its state,
        and why not: ``paper_out``, ``cover_open``, ``offline`` or ``error`` (unreachable)."""
        try:
            st = escpos.status(self.device.target)
        except escpos.DeviceError as exc:
            self.report(False, str(exc.zh))
            return False, "error"
        ok = st.online and not st.paper_out and not st.cover_open
        why = ""
        if not ok:
            why = "paper_out" if st.paper_out else "cover_open" if st.cover_open else "offline"
        self.report(ok, REASONS_ZH.get(why, ""))
        return ok, why

    def report(self, ok: bool, detail: str) -> Any:
        try:
            return registry.report_state(
                self.db, self.device.name, DeviceState.OK if ok else DeviceState.FAULT, detail
            )
        except Exception:  # noqa: BLE001 - the ticket matters more than the record
            return False


def escpos_device(db: Database) -> registry.DeviceView | None:
    """This PC's ESC/POS ticket printer, if one is registered."""
    from desk_app.domain.devices import DeviceKind

    found = registry.devices_here(db, DeviceKind.ESCPOS)
    return found[0] if found else None
