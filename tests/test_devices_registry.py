"""``desk-app device list|add|remove|test``: per-PC devices with their targets checked, audited
changes, a real exchange on ``test`` (a pty that is not a device, a missing port, a scanner's
folder), and a fault on any PC shown on the supervisor's alerts."""

from __future__ import annotations

import os
import pty
import socket

from sqlalchemy import select

from desk_app.services.devices import registry
from desk_app.services.supervision import alerts
from desk_app.store.identity_models import AuditEntry
from tests.test_cli import refusal_lines, run


def test_add_list_test_remove(db, db_url, capsys, tmp_path):
    base = ["--db", db_url]
    rc, d, _ = run(capsys, *base, "device", "add", "pad-1", "--kind", "callpad", "--target",
                   "/dev/ttyUSB7", "--options", '{"format": "hex"}', "--json")  # fmt: skip
    assert rc == 0 and d["pc"] == socket.gethostname()[:64] and d["options"] == {"format": "hex"}
    rc, d, _ = run(capsys, *base, "device", "add", "scan", "--kind", "camera", "--target",
                   f"folder:{tmp_path}", "--json")  # fmt: skip
    assert rc == 0 and d["state"] == "unknown"
    rc, listed, _ = run(capsys, *base, "device", "list", "--json")
    assert [(x["name"], x["kind"], x["target"], x["state"]) for x in listed["devices"]] == [
        ("pad-1", "callpad", "/dev/ttyUSB7", "unknown"),
        ("scan", "camera", f"folder:{tmp_path}", "unknown"),
    ]
    # test talks to the device: the port is not there -> fault, recorded, alert raised.
    rc, t, _ = run(capsys, *base, "device", "test", "pad-1", "--json")
    assert rc == 1 and t["state"] == "fault" and "/dev/ttyUSB7" in t["detail"]
    rc, t, _ = run(capsys, *base, "device", "test", "scan", "--json")
    assert rc == 0 and t["state"] == "ok"
    found = [a for a in alerts.list_alerts(db) if a.kind == "device"]
    assert [a.subject for a in found] == ["pad-1"] and "/dev/ttyUSB7" in found[0].message_en
    # A serial port that opens (a pty standing in for the receiver) -> ok, the alert clears.
    master, slave = pty.openpty()
    try:
        with db.begin() as s:
            from desk_app.store.device_models import Device

            s.scalar(select(Device).where(Device.name == "pad-1")).target = os.ttyname(slave)
        rc, t, _ = run(capsys, *base, "device", "test", "pad-1", "--json")
        assert rc == 0 and t["state"] == "ok"
    finally:
        os.close(master)
        os.close(slave)
    assert [a for a in alerts.list_alerts(db) if a.kind == "device"] == []
    rc, _, _ = run(capsys, *base, "device", "remove", "pad-1", "--json")
    assert rc == 0 and [d.name for d in registry.list_devices(db)] == ["scan"]
    with db.read() as s:
        actions = s.scalars(
            select(AuditEntry.action).where(AuditEntry.action.like("device.%"))
        ).all()
    assert actions == ["device.add", "device.add", "device.remove"]


def test_bad_entries_are_refused_in_one_line(db, db_url, capsys):
    base = ["--db", db_url, "device", "add"]
    cases = [
        ["Bad Name", "--kind", "callpad", "--target", "/dev/ttyUSB0"],
        ["strip-3", "--kind", "strip", "--target", "/dev/ttyUSB0"],  # no window
        ["p1", "--kind", "escpos", "--target", "lpt1"],
        ["p1", "--kind", "escpos", "--target", "usb:zz:01"],
        ["p1", "--kind", "callpad", "--target", "/dev/ttyUSB0", "--options", "[1]"],
        ["p1", "--kind", "callpad", "--target", "/dev/tty\x1b[2J"],
    ]
    for args in cases:
        rc, _, err = run(capsys, *base, *args)
        assert rc == 2 and len(refusal_lines(err)) == 1, (args, err)
    run(capsys, *base, "dup", "--kind", "printer", "--target", "HP LaserJet")
    rc, _, err = run(capsys, *base, "dup", "--kind", "printer", "--target", "Other")
    assert rc == 2 and "exists" in err
    assert [d.name for d in registry.list_devices(db)] == ["dup"]


def test_only_an_admin_manages_devices(db, db_url, capsys, monkeypatch):
    from desk_app.security.authz import Forbidden
    from desk_app.security.roles import Actor, Role

    clerk = db.acting_as(Actor(staff_id=1, code="s01", role=Role.COUNTER))
    for call in (
        lambda: registry.add_device(clerk, "x", "callpad", "/dev/ttyUSB0"),
        lambda: registry.remove_device(clerk, "x"),
        lambda: registry.list_devices(clerk),
    ):
        try:
            call()
        except Forbidden:
            continue
        raise AssertionError("a counter managed a device")


def test_ticket_issue_on_a_registered_escpos_device(db, db_url, capsys, tmp_path):
    out = tmp_path / "printer.bin"
    registry.add_device(db, "kp", "escpos", f"file:{out}")
    from desk_app.services.hall import setup as hall

    hall.add_service(db, "newborn", "新生儿出生一件事", "A")
    rc, t, _ = run(capsys, "--db", db_url, "ticket", "issue", "--service", "newborn",
                   "--device", "kp", "--json")  # fmt: skip
    assert rc == 0 and t["number"] == "A001" and b"A001" in out.read_bytes()
    (tmp_path / "printer.bin.status").write_text("paper_out")
    rc, t, err = run(capsys, "--db", db_url, "ticket", "issue", "--service", "newborn",
                     "--device", "kp", "--json")  # fmt: skip
    assert rc == 0 and t["number"] == "A002" and "缺纸" in t["print_error"]  # the number stands
    assert b"A002" not in out.read_bytes()


def test_device_simulate_prints_its_port_and_runs_until_stopped(sqlite_url, tmp_path):
    import json
    import signal
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-m", "desk_app", "--db", sqlite_url, "device", "simulate", "callpad",
         "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        line = proc.stdout.readline()
        port = json.loads(line)["port"]
        assert port.startswith("/dev/pts/") and os.path.exists(port)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)
    assert proc.returncode == 0
