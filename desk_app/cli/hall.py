"""``desk-app db|demo|service|window|settings ...``: setting up the hall (no Qt)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, cast

from desk_app.cli.common import CliError, Commands, db_from_args, db_int, out, positive_int
from desk_app.cli.identity import acting_person, person_at_window
from desk_app.security.roles import Operation

if TYPE_CHECKING:
    from desk_app.services.common.dto import WindowInfo
    from desk_app.store import Database


def cmd_db_upgrade(args: argparse.Namespace) -> None:
    from desk_app.store import schema

    db = db_from_args(args, ensure_schema=False)
    st = schema.upgrade(db)
    payload: dict[str, object] = {"revision": st.revision, "head": st.head, "ok": st.ok}
    if args.training:
        from desk_app.services.hall import mode

        mode.mark(db, mode.TRAINING)
        payload["mode"] = mode.TRAINING
    else:  # setting up a live hall: say now that its QR codes would point nowhere
        warning = _example_progress_url(db, st.ok)
        if warning:
            print(warning, file=sys.stderr)
    out(args, payload, f"schema at {st.revision}" + (", training hall" if args.training else ""))


def cmd_db_check(args: argparse.Namespace) -> None:
    from desk_app.store import schema

    db = db_from_args(args, ensure_schema=False)
    st = schema.status(db)
    warnings = [w for w in (_open_to_others(db), _example_progress_url(db, st.ok)) if w]
    warning = "; ".join(warnings) or None
    for line in warnings:
        print(line, file=sys.stderr)
    out(
        args,
        {"revision": st.revision, "head": st.head, "ok": st.ok, "warning": warning},
        f"revision {st.revision}, head {st.head}, {'ok' if st.ok else 'needs upgrade'}",
    )
    if st.newer:
        raise CliError(
            f"数据库结构版本 {st.revision} 比本程序 ({st.head}) 新, 请升级程序 / "
            "database schema is newer than this application"
        )


def _example_progress_url(db: Database, schema_ok: bool) -> str | None:
    """A warning while the progress URL printed as QR codes is still the example domain."""
    if not schema_ok:
        return None
    from desk_app.services.common.lookups import example_progress_url

    with db.read() as s:
        url = example_progress_url(s)
    if url is None:
        return None
    return (
        f"警告: 进度查询地址仍是示例 {url}, 号票和回执上的二维码无法打开; "
        "请执行 desk-app settings set progress_base_url URL / "
        f"warning: progress_base_url is still the example {url}: QR codes on paper point "
        "nowhere"
    )


def _open_to_others(db: Database) -> str | None:
    """A warning when the SQLite file (or its write-ahead log) can be read by other users."""
    from desk_app.store import lite
    from desk_app.store.filelock import readable_by_others

    path = lite.sqlite_path(db.url)
    if path is None:
        return None
    exposed = [p for p in (path, path + "-wal", path + "-shm") if readable_by_others(p)]
    if not exposed:
        return None
    return (
        f"警告: 其他用户可读取数据库文件 {', '.join(exposed)}; 请执行 chmod 600 / "
        f"warning: other users can read {', '.join(exposed)}: chmod 600 them"
    )


def cmd_demo_seed(args: argparse.Namespace) -> None:
    from desk_app.services.demo.seed import hall_is_empty, seed_demo

    db = db_from_args(args, clock_check=False)  # it makes a demo hall, whose clock may be set
    if args.if_empty and not hall_is_empty(db):  # before any log-in: a second start just works
        out(args, {"seeded": False}, "the hall already has data; demo seed skipped")
        return
    db = db.acting_as(acting_person(db, Operation.DEMO_SEED))
    result = seed_demo(
        db,
        days=args.days,
        windows=args.windows,
        seed=args.seed,
        password=args.password,
        calendar=not args.no_calendar,
    )
    accounts = cast("list[dict[str, str]]", result["accounts"])
    codes = ", ".join(f"{a['code']} ({a['role']})" for a in accounts)
    out(
        args,
        result,
        f"demo hall: {result['services']} services, {result['windows']} windows, "
        f"{result['tickets']} tickets of history\n"
        f"演示账户 / demo accounts: {codes}\n"
        f"密码均为 / every password: {result['password']}",
    )


def cmd_service_add(args: argparse.Namespace) -> None:
    from desk_app.services.hall import setup as hall

    info = hall.add_service(
        db_from_args(args, acting=Operation.SERVICE_ADD),
        args.code,
        args.name,
        args.prefix,
        daily_cap=args.daily_cap,
    )
    out(
        args,
        info.to_json(),
        f"service {info.code} ({info.prefix}) added",
    )


def cmd_service_list(args: argparse.Namespace) -> None:
    from desk_app.services.hall import setup as hall

    rows = hall.list_services(db_from_args(args, acting=Operation.SERVICE_LIST))
    out(
        args,
        {"services": [r.to_json() for r in rows]},
        "\n".join(f"{r.prefix}  {r.code:<24} {r.name}" for r in rows),
    )


def cmd_window_add(args: argparse.Namespace) -> None:
    from desk_app.services.hall import setup as hall

    info = hall.add_window(
        db_from_args(args, acting=Operation.WINDOW_ADD),
        args.number,
        args.services.split(","),
        calling_rule=args.rule,
    )
    out(args, info.to_json(), f"window {info.number} added: {','.join(info.services)}")


def cmd_window_list(args: argparse.Namespace) -> None:
    from desk_app.services.hall import setup as hall

    rows = hall.list_windows(db_from_args(args, acting=Operation.WINDOW_LIST))
    out(
        args,
        {"windows": [w.to_json() for w in rows]},
        "\n".join(
            f"{w.number:>3} {w.state:<7} {w.staff or '-':<8} {','.join(w.services)}" for w in rows
        ),
    )


def cmd_window_open(args: argparse.Namespace) -> None:
    from desk_app.services.hall import setup as hall

    db = db_from_args(args)
    info = hall.open_window(db.acting_as(person_at_window(db, args.staff)), args.number, args.staff)
    out(args, info.to_json(), f"window {info.number} open ({info.staff})")


def _window_changed(args: argparse.Namespace, info: WindowInfo) -> None:
    out(args, info.to_json(), f"window {info.number} {info.state}")


def cmd_window_pause(args: argparse.Namespace) -> None:
    from desk_app.services.hall import setup as hall

    _window_changed(
        args, hall.pause_window(db_from_args(args, acting=Operation.WINDOW_PAUSE), args.number)
    )


def cmd_window_resume(args: argparse.Namespace) -> None:
    from desk_app.services.hall import setup as hall

    _window_changed(
        args, hall.resume_window(db_from_args(args, acting=Operation.WINDOW_RESUME), args.number)
    )


def cmd_window_close(args: argparse.Namespace) -> None:
    from desk_app.services.hall import setup as hall

    _window_changed(
        args, hall.close_window(db_from_args(args, acting=Operation.WINDOW_CLOSE), args.number)
    )


def cmd_settings_set(args: argparse.Namespace) -> None:
    from desk_app.services.hall import setup as hall

    db = db_from_args(args, acting=Operation.SETTINGS_SET)
    hall.set_setting(db, args.key, args.value)
    out(args, hall.settings(db), f"{args.key} = {args.value}")


def cmd_settings_show(args: argparse.Namespace) -> None:
    from desk_app.services.hall import setup as hall

    values = hall.settings(db_from_args(args, acting=Operation.SETTINGS_SHOW))
    out(args, values, "\n".join(f"{k} = {v}" for k, v in values.items()))


def register(c: Commands) -> None:
    db = c.group("db", "schema")
    p = c.add(db, "upgrade", cmd_db_upgrade, "create or migrate the schema (idempotent)")
    p.add_argument(
        "--training",
        action="store_true",
        help="make a new hall a training hall (DESK_APP_NOW allowed; 培训)",
    )
    c.add(db, "check", cmd_db_check, "compare the schema with this application")

    demo = c.group("demo", "demo hall")
    d = c.add(demo, "seed", cmd_demo_seed, "build a realistic demo hall with history")
    d.add_argument(
        "--days",
        type=db_int,
        default=5,
        help="days of simulated history before today, window by window (default 5; 0: none)",
    )
    d.add_argument(
        "--windows",
        type=db_int,
        default=8,
        help="number of windows, each with a counter account s01.. (default 8; the first two "
        "are integrated 综窗 serving every service)",
    )
    d.add_argument(
        "--seed", type=db_int, default=1, help="random seed: the same seed, the same hall"
    )
    d.add_argument("--if-empty", action="store_true", help="do nothing if the hall has data")
    d.add_argument(
        "--password", default="Demo-1234", help="password of every demo account (default Demo-1234)"
    )
    d.add_argument(
        "--no-calendar",
        action="store_true",
        help="no opening calendar: tickets at any hour (training after hours, benchmarks)",
    )

    svc = c.group("service", "services")
    a = c.add(svc, "add", cmd_service_add, "add a service")
    a.add_argument("code")
    a.add_argument("--name", required=True)
    a.add_argument("--prefix", required=True)
    a.add_argument("--daily-cap", type=db_int)
    c.add(svc, "list", cmd_service_list, "list services")

    win = c.group("window", "windows")
    a = c.add(win, "add", cmd_window_add, "add a window")
    a.add_argument("number", type=positive_int)
    a.add_argument("--services", required=True, help="CODE[,CODE...] in calling order")
    a.add_argument(
        "--rule",
        default="arrival:2/1",
        help="calling rule MODE:P/N, MODE arrival|service_order (default arrival:2/1)",
    )
    c.add(win, "list", cmd_window_list, "list windows")
    o = c.add(win, "open", cmd_window_open, "log staff in at a window")
    o.add_argument("number", type=positive_int)
    o.add_argument("--staff", required=True)
    for name, handler in (
        ("pause", cmd_window_pause),
        ("resume", cmd_window_resume),
        ("close", cmd_window_close),
    ):
        c.add(win, name, handler, f"{name} a window").add_argument("number", type=positive_int)

    se = c.group("settings", "hall settings")
    s1 = c.add(se, "set", cmd_settings_set, "set a hall setting")
    s1.add_argument("key")
    s1.add_argument("value")
    c.add(se, "show", cmd_settings_show, "show hall settings")
