"""``device test NAME``: talk to one device through its real protocol, say what was seen and
record it as the device's state (a fault then shows on the supervisor's alerts)."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from desk_app.domain.devices import DeviceKind, DeviceState
from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.services.devices import registry
from desk_app.store import Database

# A printer of the OS is asked through Qt's QPrinterInfo, which only the screens load: the
# command line hands its probe in (the core imports no Qt).
PrinterProbe = Callable[[str], tuple[bool, str]]


def test_device(
    db: Database, name: str, *, printer_probe: PrinterProbe | None = None
) -> dict[str, Any]:
    """{"name", "kind", "state", "detail"} after one exchange with the device."""
    require(db.actor, Operation.DEVICE_TEST)
    device = registry.get_device(db, name)
    ok, detail = probe(device, printer_probe=printer_probe)
    state = DeviceState.OK if ok else DeviceState.FAULT
    registry.report_state(db, name, state, detail)
    return {"name": name, "kind": device.kind, "state": state.value, "detail": detail}


def probe(
    device: registry.DeviceView, *, printer_probe: PrinterProbe | None = None
) -> tuple[bool, str]:
    """(works, what was seen) for one device, without raising."""
    kind = DeviceKind(device.kind)
    try:
        if kind is DeviceKind.ESCPOS:
            from desk_app.services.devices.escpos import status as printer_status

            st = printer_status(device.target)
            problems = [
                word
                for flag, word in (
                    (not st.online, "offline"),
                    (st.paper_out, "paper out"),
                    (st.cover_open, "cover open"),
                )
                if flag
            ]
            if problems:
                return False, ", ".join(problems)
            return True, "paper near end" if st.paper_near_end else (st.detail or "ready")
        if kind is DeviceKind.PRINTER:
            if printer_probe is None:
                return False, "an OS printer is checked by the screen that prints on it"
            return printer_probe(device.target)
        if kind is DeviceKind.CAMERA:
            if device.target.startswith("folder:"):
                folder = device.target.removeprefix("folder:")
                if os.path.isdir(folder) and os.access(folder, os.W_OK):
                    return True, f"folder {folder}"
                return False, f"folder {folder} missing or not writable"
            return True, "camera ids are checked by the case dialog (Qt Multimedia)"
        if kind is DeviceKind.IDCARD and device.target.startswith("sdk:"):
            path = device.target.removeprefix("sdk:")
            return (os.path.isfile(path), f"vendor library {path}")
        if kind is DeviceKind.IDCARD:  # the reader's SAM module answers its status
            from desk_app.services.devices.idcard import check_reader

            return True, check_reader(device.target, device.options)
        return _serial_opens(device.target, device.options)
    except Exception as exc:  # noqa: BLE001 - a device test reports, it does not crash
        return False, " ".join(str(exc).split())[:200] or type(exc).__name__


def _serial_opens(port: str, options: dict[str, Any]) -> tuple[bool, str]:
    import serial

    try:
        link = serial.Serial(port, baudrate=int(options.get("baud", 9600)), timeout=0.2)
    except (OSError, ValueError, serial.SerialException) as exc:
        return False, f"{port}: {' '.join(str(exc).split())[:160]}"
    link.close()
    return True, f"{port} opens"
