"""Reading the visitor's resident ID card on this PC's reader (a registered ``idcard`` device:
a serial port speaking the SAM protocol, or ``sdk:PATH`` for a vendor DLL on Windows).

What the counter, the helper desk and the kiosk ask: ``read_here`` reads one card, refuses a
card past its validity with the date, records the reader's state (a fault reaches the
supervisor), and returns the card. Nothing of the card is logged: the card's repr is masked,
and the number is then handled like a typed one (sealed, masked, looked up by keyed hash).
"""

from __future__ import annotations

from typing import Any

from desk_app.domain import clock
from desk_app.domain.devices import DeviceKind, DeviceState
from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.services.common.errors import Refused
from desk_app.services.devices import registry
from desk_app.store import Database


def reader_here(db: Database) -> registry.DeviceView | None:
    """This PC's ID card reader, if one is registered."""
    found = registry.devices_here(db, DeviceKind.IDCARD)
    return found[0] if found else None


def read_here(
    db: Database, *, timeout: float = 5.0, device: str | None = None, check_valid: bool = True
) -> Any:
    """The card on this PC's reader (or on the reader called ``device``), checked valid today.

    Refused: no reader registered here, no card laid on it within ``timeout``, an unreadable
    card, a card past its validity (with the date)."""
    from desk_app.services.devices import idcard

    require(db.actor, Operation.IDCARD_READ)
    reader = registry.get_device(db, device) if device else reader_here(db)
    if reader is None:
        raise Refused(
            "本机未配置身份证阅读器 (device add ... --kind idcard)",
            "no ID card reader is registered on this PC",
        )
    try:
        card = idcard.read_target(reader.target, reader.options, timeout=timeout)
    except idcard.NoCard:
        registry.report_state(db, reader.name, DeviceState.OK, "")
        raise
    except Refused as exc:
        registry.report_state(db, reader.name, DeviceState.FAULT, exc.zh)
        raise
    except idcard.DeviceFault as exc:  # the port gone, a garbled frame: one clear line
        registry.report_state(db, reader.name, DeviceState.FAULT, exc.zh)
        raise Refused(exc.zh, exc.en) from None
    registry.report_state(db, reader.name, DeviceState.OK, "")
    today = clock.hall_day(clock.now())
    if check_valid and idcard.expired(card, today):
        raise Refused(
            f"身份证已于 {card.valid_to} 过期, 请使用有效证件",
            f"the ID card expired on {card.valid_to}: a valid document is needed",
        )
    return card
