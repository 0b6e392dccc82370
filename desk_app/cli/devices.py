"""``desk-app device list|add|remove|test|simulate``: the hall's devices per PC (contracts.md
"Devices"); ``test`` talks to the device through its real protocol and records what it saw."""

from __future__ import annotations

import argparse
import json
from typing import Any

from desk_app.cli.common import CliError, Commands, Parser, db_from_args, out, positive_int
from desk_app.security.roles import Operation


def cmd_device_list(args: argparse.Namespace) -> None:
    from desk_app.services.devices import registry

    found = registry.list_devices(db_from_args(args, acting=Operation.DEVICE_LIST))
    lines = [
        f"{d.name:<16} {d.kind:<9} {d.target:<28} "
        f"{'' if d.window is None else f'窗口{d.window}':<6} {d.pc:<16} {d.state} {d.detail}"
        for d in found
    ]
    out(args, {"devices": [d.to_json() for d in found]}, "\n".join(lines) or "no devices")


def cmd_device_add(args: argparse.Namespace) -> None:
    from desk_app.services.devices import registry

    db = db_from_args(args, acting=Operation.DEVICE_ADD)
    d = registry.add_device(
        db, args.name, args.kind, args.target, window=args.window, options=args.options
    )
    out(args, d.to_json(), f"{d.name}: {d.kind} {d.target} ({d.pc})")


def cmd_device_remove(args: argparse.Namespace) -> None:
    from desk_app.services.devices import registry

    registry.remove_device(db_from_args(args, acting=Operation.DEVICE_REMOVE), args.name)
    out(args, {"name": args.name, "removed": True}, f"{args.name} removed")


def cmd_device_test(args: argparse.Namespace) -> None:
    from desk_app.services.devices import checks

    def printer_probe(name: str) -> tuple[bool, str]:
        from desk_app.ui.common.printer import printer_state  # Qt, only for an OS printer

        return printer_state(name)

    db = db_from_args(args, acting=Operation.DEVICE_TEST)
    result = checks.test_device(db, args.name, printer_probe=printer_probe)
    out(args, result, f"{args.name}: {result['state']} {result['detail']}")
    if result["state"] != "ok":  # the device does not work: exit 1, its reason on stderr
        raise CliError(f"{args.name}: {result['detail']}", code=1)


def cmd_device_simulate(args: argparse.Namespace) -> None:
    """Start a simulated device on a pty and keep it until interrupted (tests, demos)."""
    from desk_app.services.devices import simulate

    db_from_args(args, acting=Operation.DEVICE_SIMULATE)  # admin only, like adding a device
    options = json.loads(args.options) if args.options else {}
    makers = {
        "callpad": simulate.simulate_callpad,
        "strip": simulate.simulate_strip,
        "evaluator": simulate.simulate_evaluator,
    }
    if args.what == "idcard":  # a reader with a card on it: the sample, or --card FILE
        from desk_app.services.devices.idcard import card_from_json

        card = card_from_json(args.card) if args.card else None
        twin: Any = simulate.simulate_idcard(options, card)
    elif args.what in makers:
        twin = makers[args.what](options)
    else:
        raise CliError(f"{args.what}: simulated devices are callpad, strip, evaluator, idcard")
    # The stop signal is caught before the port is printed: whoever starts the twin may stop
    # it the moment it reads the port (SIGINT between the two used to kill the process).
    import signal
    import threading

    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_a: stop.set()) for sig in (signal.SIGINT,
                signal.SIGTERM)}  # fmt: skip
    try:
        out(args, {"port": twin.port}, f"{args.what} on {twin.port} (Ctrl+C to stop)")
        while not stop.wait(3600):
            pass
    finally:
        twin.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def cmd_token_create(args: argparse.Namespace) -> None:
    from desk_app.services.accounts import device_tokens

    kind = "window" if args.window else "kiosk" if args.kiosk else "display"
    db = db_from_args(args, acting=Operation.DEVICE_TOKEN_CREATE)
    token, view = device_tokens.create_token(db, kind, window=args.window, label=args.label or "")
    out(
        args,
        {**view.to_json(), "token": token},
        f"{token}\n(shown once: keep it where the device or script reads DESK_APP_TOKEN)",
    )


def cmd_token_list(args: argparse.Namespace) -> None:
    from desk_app.services.accounts import device_tokens

    found = device_tokens.list_tokens(db_from_args(args, acting=Operation.DEVICE_TOKEN_LIST))
    lines = [
        f"{t.id:>4} {t.kind:<8} {'' if t.window is None else t.window:<4} "
        f"{'revoked' if t.revoked_at else 'active':<8} {t.label}"
        for t in found
    ]
    out(args, {"tokens": [t.to_json() for t in found]}, "\n".join(lines) or "no tokens")


def cmd_token_revoke(args: argparse.Namespace) -> None:
    from desk_app.services.accounts import device_tokens

    db = db_from_args(args, acting=Operation.DEVICE_TOKEN_REVOKE)
    view = device_tokens.revoke_token(db, args.id)
    out(args, view.to_json(), f"token {view.id} revoked")


def cmd_idcard_read(args: argparse.Namespace) -> None:
    """The card on this PC's reader, masked (the clerk's screen fills the form with it)."""
    from desk_app.domain import clock
    from desk_app.services.devices import cards, idcard

    db = db_from_args(args, acting=Operation.IDCARD_READ)
    card = cards.read_here(db, device=args.device, timeout=args.timeout, check_valid=False)
    payload = idcard.summary(card, clock.hall_day(clock.now()))
    out(
        args,
        payload,
        f"{payload['name_masked']} {payload['id_masked']} 有效期至 {payload['valid_to']}",
    )


def register(c: Commands) -> None:
    dev = c.group("device", "the hall's devices on this PC")
    c.add(dev, "list", cmd_device_list, "the hall's devices and their last state")
    a = c.add(dev, "add", cmd_device_add, "register a device on this PC")
    a.add_argument("name", help="a name of 1-32 lowercase letters, digits, - or _")
    a.add_argument(
        "--kind",
        required=True,
        choices=["printer", "escpos", "idcard", "evaluator", "strip", "callpad", "camera"],
        help="the kind of device",
    )
    a.add_argument(
        "--target",
        required=True,
        metavar="T",
        help="printer name, usb:VID:PID, a serial port (/dev/ttyUSB0, COM3), tcp:HOST[:PORT], "
        "file:PATH, sdk:PATH or folder:PATH (by kind)",
    )
    a.add_argument("--window", type=positive_int, metavar="N", help="the window number")
    a.add_argument(
        "--options",
        metavar="JSON",
        help='the adapter\'s options as a JSON object, e.g. {"format": "hex", "baud": 9600}',
    )
    r = c.add(dev, "remove", cmd_device_remove, "remove a device")
    r.add_argument("name", help="the device's name")
    t = c.add(dev, "test", cmd_device_test, "talk to a device and record its state")
    t.add_argument("name", help="the device's name")
    s = c.add(dev, "simulate", cmd_device_simulate, "a simulated device on a pty (tests, demos)")
    s.add_argument("what", choices=["callpad", "strip", "evaluator", "idcard"], help="the device")
    s.add_argument("--options", metavar="JSON", help="the simulated device's options (JSON)")
    s.add_argument("--card", metavar="FILE", help="the ID card to present (idcard)")
    ic = c.group("idcard", "the resident ID card reader of this PC")
    r = c.add(ic, "read", cmd_idcard_read, "read the card on the reader (shown masked)")
    r.add_argument("--device", metavar="NAME", help="the reader (default: this PC's idcard)")
    r.add_argument(
        "--timeout", type=float, default=5.0, metavar="S", help="seconds to wait for a card (5)"
    )
    tok = dev.add_parser(
        "token", help="credentials of call-pads, kiosks, displays and scripts"
    ).add_subparsers(dest="token_sub", required=True, parser_class=Parser)
    tc = c.add(tok, "create", cmd_token_create, "make a device token (shown once)")
    which = tc.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--window", type=positive_int, metavar="N", help="what a call-pad at window N does"
    )
    which.add_argument("--kiosk", action="store_true", help="what a kiosk does")
    which.add_argument("--display", action="store_true", help="what a call display does")
    tc.add_argument("--label", metavar="TEXT", help="what the token is for, e.g. the pad's place")
    c.add(tok, "list", cmd_token_list, "the device tokens (never the tokens themselves)")
    tr = c.add(tok, "revoke", cmd_token_revoke, "revoke a device token")
    tr.add_argument("id", type=positive_int, help="the token's id (device token list)")
