"""``desk-app ticket|call|queue ...``: the queue at the kiosk and the windows (no Qt).

``queue status``, ``ticket issue`` and ``call next`` try their quick versions first
(``services/queue/quick.py``: the SQLite file through the standard library, no SQLAlchemy),
which hand back anything they do not handle before writing; then the full version runs.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from desk_app.cli.common import CliError, Commands, choices, db_from_args, out, positive_int
from desk_app.domain.tickets import Priority
from desk_app.security.roles import Operation

if TYPE_CHECKING:
    from desk_app.services.common.dto import TicketInfo


def _db(args: argparse.Namespace, operation: Operation) -> Any:
    """The database, acting as the person who runs the command. The queue's commands seal no
    personal data, so like the kiosk's they do not check the hall key (a PC that lost its key
    keeps working for the queue: ``protection.ensure_hall_key``); nor do the quick versions."""
    return db_from_args(args, acting=operation, hall_key=False)


def _url(args: argparse.Namespace) -> str:
    from desk_app.store import lite

    return getattr(args, "db", None) or lite.database_url()


def _quickly(url: str, run: Callable[..., Any], *more: Any) -> Any:
    """``run(connection, *more, now)`` on the SQLite file through the standard library, or
    ``queue_quick.FALLBACK`` when the database is not one for the quick path."""
    from desk_app.domain import clock
    from desk_app.services.queue import quick as queue_quick
    from desk_app.store import lite

    conn = lite.connect(url)
    if conn is None:
        return queue_quick.FALLBACK
    try:
        if clock.fixed_now() is not None and lite.hall_mode(conn) not in ("training", "demo"):
            return queue_quick.FALLBACK  # the full version refuses DESK_APP_NOW on a live hall
        return run(conn, *more, clock.now())
    finally:
        conn.close()


def _quick_call_next(args: argparse.Namespace) -> Any:
    """Call next as this OS user's ``desk-app login`` session, or FALLBACK (credentials in the
    environment, no session, setup mode, a session the full version would refuse: it decides
    and says why)."""
    from desk_app.cli.identity import os_user, session_token
    from desk_app.services.queue import quick as queue_quick
    from desk_app.store import lite

    if os.environ.get("DESK_APP_USER", "").strip():
        return queue_quick.FALLBACK
    url = _url(args)
    device_token = os.environ.get("DESK_APP_TOKEN", "").strip()
    if device_token:  # a call-pad's or a script's window token: a hash, no password run

        def as_device(conn: Any, now: Any) -> Any:
            from desk_app.services.accounts.quick_token import window_token_actor

            actor = window_token_actor(conn, device_token, args.window)
            if actor is None:
                return queue_quick.FALLBACK
            return queue_quick.call_next(conn, actor, args.window, now)

        return _quickly(url, as_device)
    token = session_token(lite.display_url(url))
    if not token:
        return queue_quick.FALLBACK

    def call(conn: Any, now: Any) -> Any:
        from desk_app.domain import clock

        # The session's life is checked on the real clock, whatever DESK_APP_NOW says.
        actor = queue_quick.session_actor(conn, token, os_user(), clock.real_now())
        if actor is queue_quick.FALLBACK:
            return actor
        return queue_quick.call_next(conn, actor, args.window, now)

    return _quickly(url, call)


def cmd_ticket_issue(args: argparse.Namespace) -> None:
    from desk_app.services.queue import quick as queue_quick

    ticket = None
    if not args.print and not args.device:
        ticket = _quickly(_url(args), queue_quick.issue, args.service, args.priority)
    if ticket is not None and ticket is not queue_quick.FALLBACK:
        _issued(args, ticket.to_json(), ticket)
        return
    from desk_app.services.queue.take_number import issue_and_print

    db = db_from_args(args, hall_key=False)
    sink: Any = args.print
    if args.device:
        if args.print:
            raise CliError("--print 与 --device 只能选一个 / --print or --device, not both")
        sink = _device_sink(db, args.device)
    outcome = issue_and_print(db, args.service, args.priority, sink=sink)
    ticket = outcome.ticket
    if outcome.print_error is not None:
        # The ticket exists; the visitor is not sent away because the paper jammed.
        print(
            f"号票已取 {ticket.number}, 但打印失败: {outcome.print_error} "
            "/ ticket issued, printing failed",
            file=sys.stderr,
        )
    _issued(args, outcome.to_json(), ticket)


def _device_sink(db: Any, name: str) -> Any:
    """The ticket's paper on a registered device: an ESC/POS printer directly, or an OS
    printer through Qt (offscreen: the command line has no window)."""
    from desk_app.security.roles import Actor, Role
    from desk_app.services.devices import registry

    kiosk = db.acting_as(Actor(staff_id=None, code="kiosk", role=Role.KIOSK, device=True))
    device = registry.get_device(kiosk, name)
    if device.kind == "escpos":
        from desk_app.services.devices.tickets import EscposSink

        return EscposSink(kiosk, device)
    if device.kind != "printer":
        raise CliError(f"{name} 不是打印机 / {name} is a {device.kind}, not a printer")
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        QGuiApplication(["desk-app"])  # kept alive by Qt for the rest of the command
    from desk_app.ui.common.printer import print_pdf_bytes

    def send(_ticket: Any, pdf: bytes) -> None:
        print_pdf_bytes(pdf, device.target)

    return send


def _issued(args: argparse.Namespace, payload: dict[str, Any], ticket: Any) -> None:
    out(
        args,
        payload,
        f"{ticket.number}  {ticket.service_name}  前面 {ticket.ahead} 人  "
        f"约 {ticket.eta_minutes} 分钟",
    )


def cmd_ticket_requeue(args: argparse.Namespace) -> None:
    from desk_app.services.queue import operations as queue

    info = queue.requeue(_db(args, Operation.TICKET_REQUEUE), args.number, window=args.window)
    out(args, info.to_json(), f"{info.number} back in the queue")


def cmd_ticket_show(args: argparse.Namespace) -> None:
    from desk_app.services.queue import operations as queue

    info = queue.ticket_by_id(_db(args, Operation.TICKET_SHOW), args.id)
    out(args, info.to_json(), f"{info.number} {info.state}")


def cmd_call_next(args: argparse.Namespace) -> None:
    from desk_app.services.queue import quick as queue_quick

    info = _quick_call_next(args)
    if info is queue_quick.FALLBACK:
        from desk_app.services.queue import operations as queue

        info = queue.call_next(_db(args, Operation.CALL_NEXT), args.window)
    if info is None:
        out(args, {"number": None, "window": args.window}, "no one is waiting")
        return
    payload = info.to_json()
    out(
        args,
        payload,
        f"{info.number} -> window {info.window}" + (" (already called)" if info.repeated else ""),
    )


def _acted(args: argparse.Namespace, info: TicketInfo) -> None:
    out(args, info.to_json(), f"{info.number} {info.state}")


def cmd_call_recall(args: argparse.Namespace) -> None:
    from desk_app.services.queue import operations as queue

    _acted(args, queue.recall(_db(args, Operation.CALL_RECALL), args.window))


def cmd_call_no_show(args: argparse.Namespace) -> None:
    from desk_app.services.queue import operations as queue

    _acted(args, queue.no_show(_db(args, Operation.CALL_NO_SHOW), args.window))


def cmd_call_start(args: argparse.Namespace) -> None:
    from desk_app.services.queue import operations as queue

    _acted(args, queue.start(_db(args, Operation.CALL_START), args.window))


def cmd_call_complete(args: argparse.Namespace) -> None:
    from desk_app.services.queue import operations as queue

    _acted(args, queue.complete(_db(args, Operation.CALL_COMPLETE), args.window))


def cmd_call_hold(args: argparse.Namespace) -> None:
    from desk_app.services.queue import operations as queue

    _acted(args, queue.hold(_db(args, Operation.CALL_HOLD), args.window))


def cmd_call_ticket(args: argparse.Namespace) -> None:
    from desk_app.services.queue import operations as queue

    info = queue.call_ticket(_db(args, Operation.CALL_TICKET), args.window, args.number)
    out(args, info.to_json(), f"{info.number} -> window {info.window}")


def cmd_call_transfer(args: argparse.Namespace) -> None:
    from desk_app.services.queue import operations as queue

    info = queue.transfer(
        _db(args, Operation.CALL_TRANSFER),
        args.window,
        to_service=args.to_service,
        to_window=args.to_window,
    )
    out(
        args,
        info.to_json() | {"to_service": info.service, "to_window": args.to_window},
        f"{info.number} transferred",
    )


def cmd_queue_status(args: argparse.Namespace) -> None:
    from desk_app.services.queue import quick as queue_quick

    st = _quickly(_url(args), queue_quick.queue_status)
    if st is queue_quick.FALLBACK:
        from desk_app.services.queue import operations as queue

        st = queue.queue_status(db_from_args(args, hall_key=False))
    lines = [
        f"{s.code:<24} waiting {s.waiting:>3}  longest {s.longest_wait_s // 60} min"
        for s in st.services
    ]
    lines += [f"window {w.number:>3} {w.state:<7} {w.current or '-'}" for w in st.windows]
    out(args, st.to_json(), "\n".join(lines))


def cmd_queue_clear(args: argparse.Namespace) -> None:
    from desk_app.services.queue import operations as queue

    n = queue.clear_queue(_db(args, Operation.QUEUE_CLEAR))
    out(args, {"expired": n}, f"{n} tickets expired")


def cmd_queue_rollover(args: argparse.Namespace) -> None:
    from desk_app.services.queue.rollover import rollover

    n = rollover(_db(args, Operation.QUEUE_ROLLOVER))
    out(args, {"expired": n}, f"{n} tickets of earlier days expired")


def register(c: Commands) -> None:
    tk = c.group("ticket", "tickets")
    i = c.add(tk, "issue", cmd_ticket_issue, "issue a ticket")
    i.add_argument("--service", required=True)
    i.add_argument("--priority", choices=choices(Priority))
    i.add_argument("--print", metavar="FILE.pdf", help="also write the ticket as a PDF")
    i.add_argument(
        "--device",
        metavar="NAME",
        help="print on this registered printer or ESC/POS device (device list)",
    )
    r = c.add(tk, "requeue", cmd_ticket_requeue, "put a no-show back in the queue")
    r.add_argument("number")
    r.add_argument("--window", type=positive_int)
    sh = c.add(tk, "show", cmd_ticket_show, "show a ticket by id")
    sh.add_argument("id")

    call = c.group("call", "window operations")
    for name, handler in (
        ("next", cmd_call_next),
        ("recall", cmd_call_recall),
        ("no-show", cmd_call_no_show),
        ("start", cmd_call_start),
        ("complete", cmd_call_complete),
        ("hold", cmd_call_hold),
    ):
        c.add(call, name, handler, f"{name} at a window").add_argument(
            "--window", type=positive_int, required=True
        )
    t = c.add(call, "ticket", cmd_call_ticket, "call a specific waiting or held ticket")
    t.add_argument("number")
    t.add_argument("--window", type=positive_int, required=True)
    t = c.add(call, "transfer", cmd_call_transfer, "transfer the current ticket")
    t.add_argument("--window", type=positive_int, required=True)
    grp = t.add_mutually_exclusive_group(required=True)
    grp.add_argument("--to-service")
    grp.add_argument("--to-window", type=positive_int)

    q = c.group("queue", "the queue")
    c.add(q, "status", cmd_queue_status, "waiting per service, windows")
    c.add(q, "clear", cmd_queue_clear, "expire all waiting and held tickets (closing time)")
    c.add(
        q,
        "rollover",
        cmd_queue_rollover,
        "close earlier days' waiting, called and held tickets (also done by the day's first "
        "issue or call)",
    )
