"""``desk-app appt ...``: appointments (预约) — slots, booking, check-in, no-shows (no Qt)."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

from desk_app.cli.common import CliError, Commands, Parser, db_from_args, out, parse_date
from desk_app.security.roles import Operation


def _instant(text: str, what: str) -> datetime:
    from desk_app.domain import clock

    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise CliError(
            f"{what} 应为 ISO 时间, 如 2026-12-01T09:00 / bad instant: {text!r}"
        ) from None
    from desk_app.domain.validators import date_window_message, sane_date

    if not sane_date(at.date()):
        raise CliError(" / ".join(date_window_message(what + " ", "the date", text)))
    return at.replace(tzinfo=clock.HALL_TZ) if at.tzinfo is None else at


def _line(v) -> str:  # type: ignore[no-untyped-def]
    return f"{v.code}  {v.day} {v.to_json()['start']}-{v.to_json()['end']}  {v.service_name}  {v.state}  {v.name} {v.id_no}"


def cmd_slots(args: argparse.Namespace) -> None:
    from desk_app.services.appointments import booking as appointments

    rows = appointments.slots(
        db_from_args(args, acting=Operation.APPT_SLOTS, hall_key=False),
        args.service,
        parse_date(args.date, "日期"),
    )
    payload = {"slots": [r.to_json() for r in rows]}
    human = "\n".join(
        f"{r['start']}-{r['end']}  余 {r['left']}/{r['capacity']}" for r in payload["slots"]
    )
    out(args, payload, human or "no slots (closed)")


def cmd_book(args: argparse.Namespace) -> None:
    from desk_app.services.appointments import booking as appointments

    db = db_from_args(args, acting=Operation.APPT_BOOK)
    view = appointments.book(
        db,
        args.service,
        parse_date(args.date, "日期"),
        args.time,
        args.name,
        args.id,
        phone=args.phone,
        reveal=bool(args.print),
    )
    payload = {
        "code": view.code,
        "service": view.service,
        "date": view.day.isoformat(),
        "start": view.to_json()["start"],
        "end": view.to_json()["end"],
        "state": "booked",
    }
    if view.warning:
        payload["warning"] = view.warning
    if args.print:
        from desk_app.services.appointments.documents import print_slip

        try:
            payload["printed"] = str(print_slip(db, view, args.print))
        except OSError as exc:
            # The booking stands (as a ticket issued whose paper jammed): exit 0, say so once.
            payload["print_error"] = exc.strerror or str(exc)
            print(
                f"预约已成功 {view.code}, 但凭条无法写入 {args.print}: {payload['print_error']} "
                "/ booked, the slip was not written",
                file=sys.stderr,
            )
    out(args, payload, f"{view.code}  {view.day} {payload['start']}  {view.service_name}")


def cmd_cancel(args: argparse.Namespace) -> None:
    from desk_app.services.appointments import booking as appointments

    v = appointments.cancel(
        db_from_args(args, acting=Operation.APPT_CANCEL), args.code, reason=args.reason
    )
    out(args, v.to_json(), f"{v.code} cancelled")


def cmd_reschedule(args: argparse.Namespace) -> None:
    from desk_app.services.appointments import booking as appointments

    v = appointments.reschedule(
        db_from_args(args, acting=Operation.APPT_RESCHEDULE),
        args.code,
        parse_date(args.date, "日期"),
        args.time,
    )
    out(args, v.to_json(), _line(v))


def cmd_list(args: argparse.Namespace) -> None:
    from desk_app.services.appointments import checkin as appointment_checkin

    services = [c for c in (args.services or "").split(",") if c]
    rows = appointment_checkin.list_day(
        db_from_args(args, acting=Operation.APPT_LIST),
        parse_date(args.date, "日期"),
        services=services or None,
    )
    out(args, {"appointments": [r.to_json() for r in rows]}, "\n".join(_line(r) for r in rows))


def cmd_checkin(args: argparse.Namespace) -> None:
    from desk_app.services.appointments import checkin as appointment_checkin

    if (args.code is None) == (args.id is None):
        raise CliError("请给出 --code 或 --id (二选一) / give exactly one of --code, --id")
    r = appointment_checkin.checkin(
        db_from_args(args, acting=Operation.APPT_CHECKIN),
        code=args.code,
        id_no=args.id,
        phone_last4=args.phone_last4,
    )
    t = r.ticket
    out(args, r.to_json(), f"{t.number}  {t.service_name}  预约 {r.appointment}")


def cmd_sweep(args: argparse.Namespace) -> None:
    from desk_app.services.appointments import checkin as appointment_checkin

    n = appointment_checkin.sweep(db_from_args(args, acting=Operation.APPT_SWEEP))
    out(args, {"no_shows": n}, f"{n} no-shows")


def cmd_unblock(args: argparse.Namespace) -> None:
    from desk_app.services.appointments import checkin as appointment_checkin

    n = appointment_checkin.unblock(
        db_from_args(args, acting=Operation.APPT_UNBLOCK), args.id, args.reason
    )
    out(args, {"unblocked": n}, "unblocked")


def cmd_blackout_add(args: argparse.Namespace) -> None:
    from desk_app.services.appointments import booking as appointments

    affected = appointments.add_blackout(
        db_from_args(args, acting=Operation.APPT_BLACKOUT_ADD),
        _instant(args.start, "--from"),
        _instant(args.end, "--to"),
        args.reason,
    )
    out(
        args,
        {"affected": affected},
        "\n".join(["请电话通知以下预约人 / call these bookings:", *affected])
        if affected
        else "no bookings affected",
    )


def register(c: Commands) -> None:
    g = c.group("appt", "appointments (预约)")
    p = c.add(g, "slots", cmd_slots, "a service's slots on a day with places left")
    p.add_argument("--service", required=True)
    p.add_argument("--date", required=True)
    p = c.add(g, "book", cmd_book, "book a place (real name)")
    p.add_argument("--service", required=True)
    p.add_argument("--date", required=True)
    p.add_argument("--time", required=True, metavar="HH:MM")
    p.add_argument("--name", required=True)
    p.add_argument("--id", required=True, metavar="RESIDENT_ID")
    p.add_argument("--phone")
    p.add_argument("--print", metavar="FILE.pdf")
    p = c.add(g, "cancel", cmd_cancel, "cancel a booking")
    p.add_argument("code")
    p.add_argument("--reason")
    p = c.add(g, "reschedule", cmd_reschedule, "move a booking (one transaction)")
    p.add_argument("code")
    p.add_argument("--date", required=True)
    p.add_argument("--time", required=True, metavar="HH:MM")
    p = c.add(g, "list", cmd_list, "the bookings of a day (masked)")
    p.add_argument("--date", required=True)
    p.add_argument("--services", help="CODE,CODE")
    p = c.add(g, "checkin", cmd_checkin, "check in: the booking becomes an appointment ticket")
    p.add_argument("--code")
    p.add_argument("--id", metavar="RESIDENT_ID")
    p.add_argument(
        "--phone-last4",
        metavar="NNNN",
        help="with --id: the last four digits of the booking's phone",
    )
    c.add(g, "sweep", cmd_sweep, "mark no-shows now")
    p = c.add(g, "unblock", cmd_unblock, "lift a no-show block (audited)")
    p.add_argument("--id", required=True, metavar="RESIDENT_ID")
    p.add_argument("--reason", required=True)
    bo = g.add_parser("blackout", help="periods without new bookings").add_subparsers(
        dest="subsub", required=True, parser_class=Parser
    )
    p = c.add(bo, "add", cmd_blackout_add, "no new bookings in a period; lists those affected")
    p.add_argument("--from", dest="start", required=True, metavar="ISO")
    p.add_argument("--to", dest="end", required=True, metavar="ISO")
    p.add_argument("--reason", required=True)
