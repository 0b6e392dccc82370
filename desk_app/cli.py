"""The ``desk-app`` command line (shared/design/contracts.md).

Headless sub-commands import no Qt, so kiosks, call-pads and scripts get an answer fast.
Exit status: 0 success; 2 bad input or a refused operation (one line on stderr, nothing written);
1 anything unexpected (including an unreachable database).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from desk_app.cli_common import (
    EXIT_OK,
    EXIT_REFUSED,
    EXIT_UNEXPECTED,
    CliError,
    db_from_args,
    out,
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2 (argparse prints usage otherwise)
        raise CliError(f"参数错误 / bad arguments: {message}")


def _out(args: argparse.Namespace, payload: dict[str, Any], human: str) -> None:
    out(args, payload, human)


def _db(args: argparse.Namespace, *, ensure_schema: bool = True):  # type: ignore[no-untyped-def]
    return db_from_args(args, ensure_schema=ensure_schema)


# -- handlers ----------------------------------------------------------------------------------


def cmd_db_upgrade(args: argparse.Namespace) -> None:
    from desk_app.store import schema

    st = schema.upgrade(_db(args, ensure_schema=False))
    _out(args, {"revision": st.revision, "head": st.head, "ok": st.ok}, f"schema at {st.revision}")


def cmd_db_check(args: argparse.Namespace) -> None:
    from desk_app.store import schema

    st = schema.status(_db(args, ensure_schema=False))
    _out(
        args,
        {"revision": st.revision, "head": st.head, "ok": st.ok},
        f"revision {st.revision}, head {st.head}, {'ok' if st.ok else 'needs upgrade'}",
    )
    if st.newer:
        raise CliError(
            f"数据库结构版本 {st.revision} 比本程序 ({st.head}) 新, 请升级程序 / "
            "database schema is newer than this application"
        )


def cmd_demo_seed(args: argparse.Namespace) -> None:
    from desk_app.services.demo import hall_is_empty, seed_demo

    db = _db(args)
    if args.if_empty and not hall_is_empty(db):
        _out(args, {"seeded": False}, "the hall already has data; demo seed skipped")
        return
    result = seed_demo(db, days=args.days, windows=args.windows, seed=args.seed)
    _out(
        args,
        result,
        f"demo hall: {result['services']} services, {result['windows']} windows, "
        f"{result['tickets']} tickets of history",
    )


def cmd_service_add(args: argparse.Namespace) -> None:
    from desk_app.services import hall

    info = hall.add_service(_db(args), args.code, args.name, args.prefix, daily_cap=args.daily_cap)
    _out(
        args,
        {"code": info.code, "name": info.name, "prefix": info.prefix, "daily_cap": info.daily_cap},
        f"service {info.code} ({info.prefix}) added",
    )


def cmd_service_list(args: argparse.Namespace) -> None:
    from desk_app.services import hall

    rows = hall.list_services(_db(args))
    _out(
        args,
        {
            "services": [
                {"code": r.code, "name": r.name, "prefix": r.prefix, "daily_cap": r.daily_cap}
                for r in rows
            ]
        },
        "\n".join(f"{r.prefix}  {r.code:<24} {r.name}" for r in rows),
    )


def cmd_window_add(args: argparse.Namespace) -> None:
    from desk_app.services import hall

    info = hall.add_window(_db(args), args.number, args.services.split(","), calling_rule=args.rule)
    _out(args, _window_json(info), f"window {info.number} added: {','.join(info.services)}")


def _window_json(info: Any) -> dict[str, Any]:
    return {
        "number": info.number,
        "services": info.services,
        "calling_rule": info.calling_rule,
        "state": info.state,
        "staff": info.staff,
    }


def cmd_window_list(args: argparse.Namespace) -> None:
    from desk_app.services import hall

    rows = hall.list_windows(_db(args))
    _out(
        args,
        {"windows": [_window_json(w) for w in rows]},
        "\n".join(
            f"{w.number:>3} {w.state:<7} {w.staff or '-':<8} {','.join(w.services)}" for w in rows
        ),
    )


def cmd_window_open(args: argparse.Namespace) -> None:
    from desk_app.services import hall

    info = hall.open_window(_db(args), args.number, args.staff)
    _out(args, _window_json(info), f"window {info.number} open ({info.staff})")


def _window_change(fn_name: str) -> Callable[[argparse.Namespace], None]:
    def handler(args: argparse.Namespace) -> None:
        from desk_app.services import hall

        info = getattr(hall, fn_name)(_db(args), args.number)
        _out(args, _window_json(info), f"window {info.number} {info.state}")

    return handler


def cmd_staff_add(args: argparse.Namespace) -> None:
    from desk_app.services import hall

    info = hall.add_staff(_db(args), args.code, args.name, args.role)
    _out(
        args, {"code": info.code, "name": info.name, "role": info.role}, f"staff {info.code} added"
    )


def cmd_ticket_issue(args: argparse.Namespace) -> None:
    from desk_app.services import queue

    db = _db(args)
    ticket = queue.issue_ticket(db, args.service, args.priority)
    payload = ticket.to_json()
    if args.print:
        from desk_app.services.tickets_print import print_ticket_pdf

        try:
            print_ticket_pdf(db, ticket, args.print)
            payload["printed"] = args.print
        except OSError as exc:
            # The ticket exists; the visitor is not sent away because the paper jammed.
            payload["print_error"] = str(exc)
            print(
                f"号票已取 {ticket.number}, 但打印失败: {exc} / ticket issued, printing failed",
                file=sys.stderr,
            )
    _out(
        args,
        payload,
        f"{ticket.number}  {ticket.service_name}  前面 {ticket.ahead} 人  "
        f"约 {ticket.eta_minutes} 分钟",
    )


def cmd_ticket_requeue(args: argparse.Namespace) -> None:
    from desk_app.services import queue

    info = queue.requeue(_db(args), args.number, window=args.window)
    _out(args, _ticket_json(info), f"{info.number} back in the queue")


def cmd_ticket_show(args: argparse.Namespace) -> None:
    from desk_app.services import queue

    info = queue.ticket_by_id(_db(args), args.id)
    _out(args, info.to_json(), f"{info.number} {info.state}")


def _ticket_json(info: Any) -> dict[str, Any]:
    return {
        "id": info.id,
        "number": info.number,
        "service": info.service,
        "window": info.window,
        "state": info.state,
        "priority": info.priority,
        "recall_count": info.recall_count,
    }


def cmd_call_next(args: argparse.Namespace) -> None:
    from desk_app.services import queue

    info = queue.call_next(_db(args), args.window)
    if info is None:
        _out(args, {"number": None, "window": args.window}, "no one is waiting")
        return
    payload = _ticket_json(info) | {"repeated": info.repeated}
    _out(
        args,
        payload,
        f"{info.number} -> window {info.window}" + (" (already called)" if info.repeated else ""),
    )


def _call_action(fn_name: str) -> Callable[[argparse.Namespace], None]:
    def handler(args: argparse.Namespace) -> None:
        from desk_app.services import queue

        info = getattr(queue, fn_name)(_db(args), args.window)
        _out(args, _ticket_json(info), f"{info.number} {info.state}")

    return handler


def cmd_call_ticket(args: argparse.Namespace) -> None:
    from desk_app.services import queue

    info = queue.call_ticket(_db(args), args.window, args.number)
    _out(args, _ticket_json(info), f"{info.number} -> window {info.window}")


def cmd_call_transfer(args: argparse.Namespace) -> None:
    from desk_app.services import queue

    info = queue.transfer(
        _db(args), args.window, to_service=args.to_service, to_window=args.to_window
    )
    _out(
        args,
        _ticket_json(info) | {"to_service": info.service, "to_window": args.to_window},
        f"{info.number} transferred",
    )


def cmd_queue_status(args: argparse.Namespace) -> None:
    from desk_app.services import queue

    st = queue.queue_status(_db(args))
    lines = [
        f"{s.code:<24} waiting {s.waiting:>3}  longest {s.longest_wait_s // 60} min"
        for s in st.services
    ]
    lines += [f"window {w.number:>3} {w.state:<7} {w.current or '-'}" for w in st.windows]
    _out(args, st.to_json(), "\n".join(lines))


def cmd_queue_clear(args: argparse.Namespace) -> None:
    from desk_app.services import queue

    n = queue.clear_queue(_db(args))
    _out(args, {"expired": n}, f"{n} tickets expired")


def cmd_settings_set(args: argparse.Namespace) -> None:
    from desk_app.services import hall

    db = _db(args)
    hall.set_setting(db, args.key, args.value)
    _out(args, hall.settings(db), f"{args.key} = {args.value}")


def cmd_settings_show(args: argparse.Namespace) -> None:
    from desk_app.services import hall

    values = hall.settings(_db(args))
    _out(args, values, "\n".join(f"{k} = {v}" for k, v in values.items()))


def cmd_gui(args: argparse.Namespace) -> None:
    from desk_app.ui.app import run_gui

    raise SystemExit(
        run_gui(
            db_url=getattr(args, "db", None),
            role=getattr(args, "role", None),
            window=getattr(args, "window", None),
            lang=getattr(args, "lang", None),
            large_text=getattr(args, "large_text", False),
            screen=getattr(args, "screen", None),
        )
    )


def cmd_agent_serve(args: argparse.Namespace) -> None:
    from desk_app.agent import serve

    serve(args.port)


# -- parser ------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--db",
        default=argparse.SUPPRESS,  # not reset by a sub-parser
        help="SQLAlchemy URL (default: DESK_APP_DB or the SQLite file in the user data directory)",
    )
    common.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help="print one JSON object"
    )

    p = _Parser(prog="desk-app", description="高效办成一件事 service windows", parents=[common])
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    def cmd(
        parent: Any, name: str, handler: Callable[[argparse.Namespace], None], help_: str
    ) -> argparse.ArgumentParser:
        sp = parent.add_parser(name, parents=[common], help=help_)
        sp.set_defaults(handler=handler)
        return sp

    g = cmd(sub, "gui", cmd_gui, "start the GUI")
    g.add_argument("--role", choices=["kiosk", "counter", "helper", "supervisor", "display"])
    g.add_argument("--window", type=int)
    g.add_argument("--lang", help="interface language, e.g. en (default: Chinese)")
    g.add_argument("--large-text", action="store_true", help="适老化: large high-contrast text")
    g.add_argument("--screen", type=int, help="monitor index for the kiosk or call display")

    db = sub.add_parser("db", help="schema").add_subparsers(
        dest="sub", required=True, parser_class=_Parser
    )
    cmd(db, "upgrade", cmd_db_upgrade, "create or migrate the schema (idempotent)")
    cmd(db, "check", cmd_db_check, "compare the schema with this application")

    demo = sub.add_parser("demo", help="demo hall").add_subparsers(
        dest="sub", required=True, parser_class=_Parser
    )
    d = cmd(demo, "seed", cmd_demo_seed, "build a realistic demo hall with history")
    d.add_argument("--days", type=int, default=5)
    d.add_argument("--windows", type=int, default=8)
    d.add_argument("--seed", type=int, default=1)
    d.add_argument("--if-empty", action="store_true", help="do nothing if the hall has data")

    svc = sub.add_parser("service", help="services").add_subparsers(
        dest="sub", required=True, parser_class=_Parser
    )
    a = cmd(svc, "add", cmd_service_add, "add a service")
    a.add_argument("code")
    a.add_argument("--name", required=True)
    a.add_argument("--prefix", required=True)
    a.add_argument("--daily-cap", type=int)
    cmd(svc, "list", cmd_service_list, "list services")

    win = sub.add_parser("window", help="windows").add_subparsers(
        dest="sub", required=True, parser_class=_Parser
    )
    a = cmd(win, "add", cmd_window_add, "add a window")
    a.add_argument("number", type=int)
    a.add_argument("--services", required=True, help="CODE[,CODE...] in calling order")
    a.add_argument(
        "--rule",
        default="arrival:2/1",
        help="calling rule MODE:P/N, MODE arrival|service_order (default arrival:2/1)",
    )
    cmd(win, "list", cmd_window_list, "list windows")
    o = cmd(win, "open", cmd_window_open, "log staff in at a window")
    o.add_argument("number", type=int)
    o.add_argument("--staff", required=True)
    for name, fn in (
        ("pause", "pause_window"),
        ("resume", "resume_window"),
        ("close", "close_window"),
    ):
        c = cmd(win, name, _window_change(fn), f"{name} a window")
        c.add_argument("number", type=int)

    st = sub.add_parser("staff", help="staff").add_subparsers(
        dest="sub", required=True, parser_class=_Parser
    )
    a = cmd(st, "add", cmd_staff_add, "add a staff member")
    a.add_argument("code")
    a.add_argument("--name", required=True)
    a.add_argument(
        "--role", default="counter", choices=["counter", "helper", "supervisor", "admin"]
    )

    tk = sub.add_parser("ticket", help="tickets").add_subparsers(
        dest="sub", required=True, parser_class=_Parser
    )
    i = cmd(tk, "issue", cmd_ticket_issue, "issue a ticket")
    i.add_argument("--service", required=True)
    i.add_argument(
        "--priority", choices=["elderly", "disabled", "pregnant", "military", "appointment", "vip"]
    )
    i.add_argument("--print", metavar="FILE.pdf", help="also write the ticket as a PDF")
    r = cmd(tk, "requeue", cmd_ticket_requeue, "put a no-show back in the queue")
    r.add_argument("number")
    r.add_argument("--window", type=int)
    sh = cmd(tk, "show", cmd_ticket_show, "show a ticket by id")
    sh.add_argument("id")

    call = sub.add_parser("call", help="window operations").add_subparsers(
        dest="sub", required=True, parser_class=_Parser
    )
    for name, handler in (
        ("next", cmd_call_next),
        ("recall", _call_action("recall")),
        ("no-show", _call_action("no_show")),
        ("start", _call_action("start")),
        ("complete", _call_action("complete")),
        ("hold", _call_action("hold")),
    ):
        c = cmd(call, name, handler, f"{name} at a window")
        c.add_argument("--window", type=int, required=True)
    c = cmd(call, "ticket", cmd_call_ticket, "call a specific waiting or held ticket")
    c.add_argument("number")
    c.add_argument("--window", type=int, required=True)
    c = cmd(call, "transfer", cmd_call_transfer, "transfer the current ticket")
    c.add_argument("--window", type=int, required=True)
    grp = c.add_mutually_exclusive_group(required=True)
    grp.add_argument("--to-service")
    grp.add_argument("--to-window", type=int)

    q = sub.add_parser("queue", help="the queue").add_subparsers(
        dest="sub", required=True, parser_class=_Parser
    )
    cmd(q, "status", cmd_queue_status, "waiting per service, windows")
    cmd(q, "clear", cmd_queue_clear, "expire all waiting and held tickets (closing time)")

    se = sub.add_parser("settings", help="hall settings").add_subparsers(
        dest="sub", required=True, parser_class=_Parser
    )
    s1 = cmd(se, "set", cmd_settings_set, "set a hall setting")
    s1.add_argument("key")
    s1.add_argument("value")
    cmd(se, "show", cmd_settings_show, "show hall settings")

    ag = sub.add_parser("agent", help="resident agent for call-pads and scripts").add_subparsers(
        dest="sub", required=True, parser_class=_Parser
    )
    a = cmd(ag, "serve", cmd_agent_serve, "keep a warm desk-app on 127.0.0.1 (DESK_APP_AGENT)")
    a.add_argument("--port", type=int, default=8470, help="0 picks a free port")

    from desk_app import cli_cases, cli_sync

    cli_cases.add_parsers(sub, cmd, _Parser)
    cli_sync.add_parsers(sub, cmd, _Parser)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    address = os.environ.get("DESK_APP_AGENT")
    # Long-running or network-bound commands (the GUI, the agent itself, sync) stay in-process:
    # the agent runs one command at a time and must not be held by a loop.
    if address and args_list and args_list[0] not in ("agent", "gui", "sync"):
        from desk_app.agent import forward

        code = forward(args_list, address)  # a warm agent answers in milliseconds
        if code is not None:
            return code
    from desk_app.services.errors import Refused
    from desk_app.store.database import DatabaseUnavailable

    try:
        args = build_parser().parse_args(argv)
        handler = getattr(args, "handler", None)
        if handler is None:
            handler = cmd_gui
        handler(args)
        return EXIT_OK
    except CliError as exc:
        print(str(exc), file=sys.stderr)
        return exc.code
    except Refused as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_REFUSED
    except DatabaseUnavailable as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_UNEXPECTED
    except Exception as exc:  # noqa: BLE001 - the last line of defence for a script caller
        from desk_app.store.schema import SchemaTooNew

        if isinstance(exc, SchemaTooNew):
            print(str(exc), file=sys.stderr)
            return EXIT_REFUSED
        if os.environ.get("DESK_APP_DEBUG"):
            raise
        print(
            f"意外错误 / unexpected error: {type(exc).__name__}: {exc}".splitlines()[0],
            file=sys.stderr,
        )
        return EXIT_UNEXPECTED


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
