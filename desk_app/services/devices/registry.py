"""The devices of the hall, configured per PC by an admin (``device add|list|remove|test``),
and the state each PC's device runner last saw (a fault shows on the supervisor's alerts).

A device belongs to the PC it was added on (its host name): a kiosk's printer or a window's
strip is driven by the screen running on that PC, and the same name cannot be added twice in
the hall. Adding and removing are audited; the runner's state reports are written only when
the state changes, so a device polled every second does not write every second.
"""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from desk_app.domain import clock
from desk_app.domain.devices import DeviceKind, DeviceState, check_spec
from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.services.common import audit
from desk_app.services.common.errors import NotFound, Refused
from desk_app.store import Database
from desk_app.store.device_models import Device

DETAIL_MAX = 300  # characters of a fault's detail kept (one line for the supervisor)


def this_pc() -> str:
    """The host name devices are registered under on this PC."""
    return (socket.gethostname() or "localhost")[:64]


@dataclass(frozen=True)
class DeviceView:
    name: str
    kind: str
    target: str
    window: int | None
    pc: str
    options: dict[str, Any]
    state: str
    detail: str
    state_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "target": self.target,
            "window": self.window,
            "pc": self.pc,
            "options": self.options,
            "state": self.state,
            "detail": self.detail,
            "state_at": clock.iso(self.state_at),
        }


def _view(d: Device) -> DeviceView:
    try:
        options = json.loads(d.options or "{}")
    except ValueError:
        options = {}
    return DeviceView(
        d.name, d.kind, d.target, d.window, d.pc, options, d.state, d.detail, d.state_at
    )


def add_device(
    db: Database,
    name: str,
    kind: str,
    target: str,
    *,
    window: int | None = None,
    options: str | dict[str, Any] | None = None,
    pc: str | None = None,
) -> DeviceView:
    """Register a device on this PC (or ``pc``); refused with the reason when its entry is not
    valid or the name is taken."""
    require(db.actor, Operation.DEVICE_ADD)
    spec = check_spec(name, kind, target, window, options)
    now = clock.now()
    row = Device(
        name=spec.name,
        kind=spec.kind.value,
        target=spec.target,
        window=spec.window,
        pc=(pc or this_pc())[:64],
        options=json.dumps(spec.options, ensure_ascii=False, sort_keys=True),
        state=DeviceState.UNKNOWN.value,
        detail="",
        state_at=None,
        created_at=now,
    )
    try:
        with db.begin() as s:
            if s.scalar(select(Device.id).where(Device.name == spec.name)) is not None:
                raise Refused(f"设备名称 {spec.name} 已存在", f"device {spec.name} already exists")
            s.add(row)
            s.flush()
            audit.record(
                s,
                db.actor,
                "device.add",
                spec.name,
                {"kind": spec.kind.value, "target": spec.target, "window": spec.window},
            )
            return _view(row)
    except IntegrityError:
        raise Refused(
            f"设备名称 {spec.name} 已存在", f"device {spec.name} already exists"
        ) from None


def list_devices(
    db: Database, *, pc: str | None = None, kinds: tuple[DeviceKind, ...] = ()
) -> list[DeviceView]:
    """The hall's devices by name (only ``pc``'s, and only ``kinds``, when given)."""
    require(db.actor, Operation.DEVICE_LIST)
    return _select(db, pc=pc, kinds=kinds)


def devices_here(db: Database, *kinds: DeviceKind) -> list[DeviceView]:
    """This PC's devices of ``kinds``, for the runner of the screen on it (any role that may
    report a device's state may read its own PC's devices)."""
    require(db.actor, Operation.DEVICE_REPORT)
    return _select(db, pc=this_pc(), kinds=kinds)


def _select(db: Database, *, pc: str | None, kinds: tuple[DeviceKind, ...]) -> list[DeviceView]:
    with db.read() as s:
        q = select(Device).order_by(Device.name)
        if pc is not None:
            q = q.where(Device.pc == pc)
        if kinds:
            q = q.where(Device.kind.in_([k.value for k in kinds]))
        return [_view(d) for d in s.scalars(q)]


def get_device(db: Database, name: str) -> DeviceView:
    require(db.actor, Operation.DEVICE_REPORT)
    with db.read() as s:
        row = s.scalar(select(Device).where(Device.name == name))
        if row is None:
            raise NotFound(f"没有设备 {name}", f"no device {name}")
        return _view(row)


def remove_device(db: Database, name: str) -> None:
    require(db.actor, Operation.DEVICE_REMOVE)
    with db.begin() as s:
        row = s.scalar(select(Device).where(Device.name == name))
        if row is None:
            raise NotFound(f"没有设备 {name}", f"no device {name}")
        s.delete(row)
        audit.record(s, db.actor, "device.remove", name, {"kind": row.kind})


def report_state(db: Database, name: str, state: DeviceState | str, detail: str = "") -> bool:
    """Record what the runner saw of ``name``; written only when the state or its detail
    changed (True then). A fault's detail is one line, cut to DETAIL_MAX characters."""
    require(db.actor, Operation.DEVICE_REPORT)
    state = DeviceState(state)
    detail = " ".join((detail or "").split())[:DETAIL_MAX]
    with db.begin() as s:
        row = s.scalar(select(Device).where(Device.name == name).with_for_update())
        if row is None:
            return False
        if row.state == state.value and row.detail == detail:
            return False
        row.state, row.detail, row.state_at = state.value, detail, clock.now()
        return True


def faults(db_session: Any) -> list[Device]:
    """The devices whose last state is a fault (for the supervisor's alerts, in its read)."""
    return list(
        db_session.scalars(
            select(Device).where(Device.state == DeviceState.FAULT.value).order_by(Device.name)
        )
    )
