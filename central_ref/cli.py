"""The ``central-ref`` command line.

::

    central-ref serve --host 127.0.0.1 --port P --db URL --token TOKEN [--token ...]
                      [--auditor-token TOKEN ...]
                      [--fail-rate 0.0-1.0] [--latency-ms N] [--fault-modes drop,error,timeout]
                      [--hang-seconds S] [--seed N] [--log-level info] [--no-access-log]
                      [--share-synthetic] [--share-down CODE,...] [--share-no-record CODE,...]
                      [--share-latency-ms N]
    central-ref stats --db URL [--json]
    central-ref forget --db URL --last N [--json]      simulate a restore from an older backup
    central-ref catalog-publish FILE --db URL [--json]  publish a catalog package
    central-ref eid-issue --db URL --name NAME --id ID [--sex 男|女] [--birth YYYY-MM-DD]
                      [--valid-to YYYY-MM-DD|长期] [--ttl SECONDS] [--data-key-file F]
                                                       issue an e-ID code (the citizen's app)
    central-ref share-seed --db URL --subject-kind person|company --id ID --name NAME
                      [--resource CODE ...] [--data-key-file F]
                                                       add a subject's shared-data records
    central-ref application-submit --db URL --hall H --file JSON [--data-key-file F]
                                                       an online application (the citizen's app)
    central-ref workorder-dispatch --db URL --hall H --kind K --text T --deadline YYYY-MM-DD
                      [--bundle B] [--citizen-name N] [--citizen-phone P] [--data-key-file F]
                                                       a 12345 work order (the 12345 desk)
    central-ref openapi [--output FILE]                print or write the OpenAPI document

``serve --port 0`` picks a free port. Once the socket listens, ``serve`` prints one JSON line
on stdout, ``{"url": "http://127.0.0.1:PORT", "pid": N}``, so scripts and tests need no port
guessing; logs go to stderr. A ``--token`` (workstation) reads back only the cases it sent; an
``--auditor-token`` (also ``CENTRAL_REF_AUDITOR_TOKEN``, which keeps it out of the process
list) reads every case and uploads nothing. Exit status: 0 success, 2 bad input (one line on stderr),
1 anything unexpected.
"""

from __future__ import annotations

import argparse
import copy
import json
import logging
import os
import socket
import sys
from collections.abc import Sequence
from datetime import date
from typing import Any

EXIT_OK = 0
EXIT_UNEXPECTED = 1
EXIT_BAD_INPUT = 2
# In-flight requests get this long at shutdown; a request held by an injected "timeout"
# must not keep a stopped server alive for half a minute.
GRACEFUL_SHUTDOWN_S = 2


class CliError(Exception):
    """Bad input: printed as one line on stderr, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise CliError(f"bad arguments: {message}")


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("must be between 0.0 and 1.0")
    return value


def _non_negative(kind: type[int] | type[float]) -> Any:
    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if value < 0:
            raise argparse.ArgumentTypeError("must not be negative")
        return value

    return parse


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def _valid_to(text: str) -> date | None:
    """The ID card's validity end: a date, or 长期 (long-term: None)."""
    return None if text.strip() == "长期" else _date(text)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (public so the docs and tests can inspect it)."""
    parser = _Parser(prog="central-ref", description="Reference central backend (test double).")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    serve = sub.add_parser("serve", help="run the HTTP server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    serve.add_argument("--db", default=os.environ.get("CENTRAL_REF_DB"), help="SQLAlchemy URL")
    serve.add_argument(
        "--token",
        action="append",
        default=[],
        metavar="TOKEN",
        help="workstation token (repeatable, or comma-separated); NAME=TOKEN names it",
    )
    serve.add_argument(
        "--auditor-token",
        action="append",
        default=[],
        metavar="TOKEN",
        help="token that reads every workstation's cases and uploads none (repeatable; "
        "NAME=TOKEN names it; also CENTRAL_REF_AUDITOR_TOKEN)",
    )
    serve.add_argument("--fail-rate", type=_rate, default=0.0, help="0.0-1.0, mutating requests")
    serve.add_argument("--latency-ms", type=_non_negative(int), default=0)
    serve.add_argument(
        "--fault-modes", default="drop,error,timeout", help="subset of drop,error,timeout"
    )
    serve.add_argument(
        "--hang-seconds", type=_non_negative(float), default=30.0, help="timeout mode"
    )
    serve.add_argument("--seed", type=int, default=None, help="reproducible fault sequence")
    serve.add_argument("--max-batch", type=int, default=500, help=argparse.SUPPRESS)
    serve.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    serve.add_argument("--no-access-log", action="store_true")
    serve.add_argument(
        "--data-key-file",
        default=None,
        help="the key sealing personal data at rest (made if missing; default: "
        "CENTRAL_REF_DATA_KEY_FILE, CENTRAL_REF_DATA_KEY, or DB.key beside a SQLite file)",
    )

    serve.add_argument(
        "--share-synthetic",
        action="store_true",
        help="shared data: any valid subject without a record gets a generated one",
    )
    for option, text in (
        ("--share-down", "these resources answer 503 resource_unavailable"),
        ("--share-no-record", "these resources answer 404 no_record to everyone"),
    ):
        serve.add_argument(option, action="append", default=[], metavar="CODE,...", help=text)
    serve.add_argument(
        "--share-latency-ms", type=_non_negative(int), default=0, help="extra, share calls only"
    )

    stats = sub.add_parser("stats", help="print counts of the store")
    stats.add_argument("--db", default=os.environ.get("CENTRAL_REF_DB"))
    stats.add_argument("--json", action="store_true")

    forget = sub.add_parser("forget", help="delete the N most recently received cases")
    forget.add_argument("--db", default=os.environ.get("CENTRAL_REF_DB"))
    forget.add_argument("--last", type=_non_negative(int), required=True)
    forget.add_argument("--json", action="store_true")

    publish = sub.add_parser("catalog-publish", help="publish a catalog package to the halls")
    publish.add_argument("file")
    publish.add_argument("--db", default=os.environ.get("CENTRAL_REF_DB"))
    publish.add_argument("--json", action="store_true")

    eid = sub.add_parser("eid-issue", help="issue an e-ID code for a person (the citizen's app)")
    eid.add_argument("--db", default=os.environ.get("CENTRAL_REF_DB"))
    eid.add_argument("--name", required=True)
    eid.add_argument("--id", dest="id_number", required=True, help="resident ID (18 characters)")
    eid.add_argument("--sex", choices=["男", "女"], default=None, help="default: from the ID")
    eid.add_argument("--birth", type=_date, default=None, help="default: from the ID")
    eid.add_argument(
        "--valid-to", type=_valid_to, default=None, help="the ID card's end: YYYY-MM-DD or 长期"
    )
    eid.add_argument("--ttl", type=int, default=120, help="seconds the code lives (default 120)")
    eid.add_argument("--data-key-file", default=None, help="as for serve")

    share = sub.add_parser("share-seed", help="add a subject's shared-data records")
    share.add_argument("--db", default=os.environ.get("CENTRAL_REF_DB"))
    share.add_argument("--subject-kind", choices=["person", "company"], required=True)
    share.add_argument("--id", dest="id_number", required=True, help="resident ID or USCC")
    share.add_argument("--name", required=True, help="the person's or the company's name")
    share.add_argument(
        "--resource", action="append", default=[], metavar="CODE", help="default: all its kind's"
    )
    share.add_argument("--data-key-file", default=None, help="as for serve")

    submit = sub.add_parser("application-submit", help="submit an online application")
    submit.add_argument("--db", default=os.environ.get("CENTRAL_REF_DB"))
    submit.add_argument("--hall", required=True)
    submit.add_argument("--file", required=True, help="the application (the POST's JSON body)")
    submit.add_argument("--data-key-file", default=None, help="as for serve")

    order = sub.add_parser("workorder-dispatch", help="dispatch a 12345 work order to a hall")
    order.add_argument("--db", default=os.environ.get("CENTRAL_REF_DB"))
    order.add_argument("--kind", required=True, choices=["consult", "complaint", "suggestion"])
    for option in ("--hall", "--text", "--deadline"):
        order.add_argument(option, required=True)
    for option in ("--bundle", "--citizen-name", "--citizen-phone", "--data-key-file"):
        order.add_argument(option, default=None)

    openapi = sub.add_parser("openapi", help="print (or write) the OpenAPI document")
    openapi.add_argument("--output", default=None)
    return parser


def _store(args: argparse.Namespace) -> Any:
    from central_ref.store import Store

    if not args.db:
        raise CliError("--db URL is required (or CENTRAL_REF_DB)")
    try:
        store = Store(args.db, data_key_file=getattr(args, "data_key_file", None))
    except ValueError as exc:
        raise CliError(str(exc)) from None
    store.create_schema()
    return store


def _listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket, bound here so that port 0 works and is reported."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        raise CliError(f"cannot resolve --host {host!r}: {exc}") from None
    sock = socket.socket(family, kind, proto)
    if os.name != "nt":  # on Windows SO_REUSEADDR would let two servers share a port
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise CliError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


class _DropNoise(logging.Filter):
    """Hide uvicorn's error line for a response the fault injector cut on purpose.

    The injector logs each injected fault itself; uvicorn's "returned without completing
    response" would otherwise look like a server bug in every drop-mode test log.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return "returned without completing response" not in record.getMessage()


def _setup_logging(level: str, *, quiet_drops: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(name)s: %(message)s"))
    ours = logging.getLogger("central_ref")
    ours.addHandler(handler)
    ours.setLevel(level.upper())
    ours.propagate = False
    if quiet_drops:
        logging.getLogger("uvicorn.error").addFilter(_DropNoise())


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from central_ref.app import create_app, parse_tokens
    from central_ref.faults import parse_modes
    from central_ref.share_licence import font_path

    try:
        if not parse_tokens(args.token):
            raise CliError("at least one --token is required")
        modes = parse_modes(args.fault_modes)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    if not font_path().is_file():  # e-licences could not be drawn
        raise CliError(f"the CJK font is missing: {font_path()} (set CENTRAL_REF_FONT)")
    auditors = list(args.auditor_token)
    if os.environ.get("CENTRAL_REF_AUDITOR_TOKEN"):
        auditors.append(os.environ["CENTRAL_REF_AUDITOR_TOKEN"])
    store = _store(args)
    try:
        store.sealer  # noqa: B018 - the data key, found (or refused) before the socket opens
    except ValueError as exc:
        store.dispose()
        raise CliError(str(exc)) from None
    try:
        app = create_app(
            store,
            args.token,
            fail_rate=args.fail_rate,
            latency_ms=args.latency_ms,
            seed=args.seed,
            fault_modes=modes,
            hang_seconds=args.hang_seconds,
            max_batch=args.max_batch,
            auditor_tokens=auditors,
            share_down=args.share_down,
            share_no_record=args.share_no_record,
            share_latency_ms=args.share_latency_ms,
            share_synthetic=args.share_synthetic,
        )
    except ValueError as exc:  # an auditor token also a workstation's, a bad name or code
        store.dispose()
        raise CliError(str(exc)) from None
    # uvicorn's default sends the access log to stdout; keep stdout for the one "ready" line.
    log_config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    log_config["handlers"]["access"]["stream"] = "ext://sys.stderr"
    config = uvicorn.Config(
        app,
        log_config=log_config,
        log_level=args.log_level,
        access_log=not args.no_access_log,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
        lifespan="off",  # the store is ready before the socket is announced
    )
    # After uvicorn's Config, which (re)configures its own loggers.
    _setup_logging(args.log_level, quiet_drops="drop" in modes and args.fail_rate > 0)
    sock = _listen(args.host, args.port)
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    print(json.dumps({"url": f"http://{shown}:{port}", "pid": os.getpid()}), flush=True)
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    finally:
        store.dispose()
    return EXIT_OK


def _print(args: argparse.Namespace, payload: dict[str, Any], human: str) -> None:
    if args.json:
        print(json.dumps(payload, ensure_ascii=False))
    else:
        print(human)


def _stats(args: argparse.Namespace) -> int:
    store = _store(args)
    try:
        counts = store.stats()
    finally:
        store.dispose()
    _print(args, counts, "\n".join(f"{key}: {value}" for key, value in counts.items()))
    return EXIT_OK


def _forget(args: argparse.Namespace) -> int:
    store = _store(args)
    try:
        uuids = store.forget_latest(args.last)
    finally:
        store.dispose()
    _print(args, {"deleted": len(uuids), "uuids": uuids}, f"deleted {len(uuids)} case(s)")
    return EXIT_OK


def _catalog_publish(args: argparse.Namespace) -> int:
    from central_ref.catalogs import publish

    try:
        with open(args.file, encoding="utf-8") as fh:
            package = json.load(fh)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CliError(f"cannot read {args.file}: {exc}") from None
    store = _store(args)
    try:
        result = publish(store, package)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    finally:
        store.dispose()
    _print(args, result, f"{result['status']}: {result['version']} ({result['sha256'][:12]})")
    return EXIT_OK


def _eid_issue(args: argparse.Namespace) -> int:
    from central_ref.eid import check_person, check_ttl, issue

    try:  # bad input is refused before the database is touched
        check_ttl(args.ttl)
        check_person(args.name, args.id_number, args.sex, args.birth)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    store = _store(args)
    try:
        result = issue(
            store,
            name=args.name,
            id_number=args.id_number,
            sex=args.sex,
            birth=args.birth,
            valid_to=args.valid_to,
            ttl_s=args.ttl,
        )
    except ValueError as exc:  # a TTL out of range, a data key that cannot be found
        raise CliError(str(exc)) from None
    finally:
        store.dispose()
    print(json.dumps(result, ensure_ascii=False))
    return EXIT_OK


def _share_seed(args: argparse.Namespace) -> int:
    from central_ref.share_resources import check_subject
    from central_ref.share_store import check_codes, seed

    try:  # bad input is refused before the database is touched (never echoing the ID)
        check_subject(args.subject_kind, args.id_number)
        check_codes(args.resource, "--resource")
    except ValueError as exc:
        raise CliError(f"--id/--resource: {exc}") from None
    store = _store(args)
    try:
        written = seed(store, args.subject_kind, args.id_number, args.name, args.resource)
    except ValueError as exc:  # a resource of another subject kind, a bad name, no data key
        raise CliError(str(exc)) from None
    finally:
        store.dispose()
    print(json.dumps({"records": written}))
    return EXIT_OK


def _application_submit(args: argparse.Namespace) -> int:
    from central_ref.applications import submit_json

    try:
        with open(args.file, encoding="utf-8") as fh:
            application = json.load(fh)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CliError(f"cannot read {args.file}: {exc}") from None
    return _print_written(args, lambda store: submit_json(store, args.hall, application))


def _workorder_dispatch(args: argparse.Namespace) -> int:
    from central_ref.workorders import dispatch_fields

    fields = {"hall": args.hall, "kind": args.kind, "text": args.text, "bundle": args.bundle,
              "deadline": args.deadline, "citizen": {"name": args.citizen_name,
              "phone": args.citizen_phone}}  # fmt: skip
    return _print_written(args, lambda store: dispatch_fields(store, fields))


def _print_written(args: argparse.Namespace, write: Any) -> int:
    """Run ``write(store)`` and print its answer as JSON (ValueError: bad input, one line)."""
    if len(args.hall) > 64 or "/" in args.hall or not args.hall.strip():
        raise CliError("--hall: 1 to 64 characters without /")
    store = _store(args)
    try:
        result = write(store)
    except ValueError as exc:  # what and where, never the value (an ID, a name, a phone)
        raise CliError(str(exc)) from None
    finally:
        store.dispose()
    print(json.dumps(result, ensure_ascii=False))
    return EXIT_OK


def _openapi(args: argparse.Namespace) -> int:
    from central_ref.openapi import document_text

    text = document_text()
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)
    return EXIT_OK


_COMMANDS = {
    "serve": _serve,
    "stats": _stats,
    "forget": _forget,
    "catalog-publish": _catalog_publish,
    "eid-issue": _eid_issue,
    "share-seed": _share_seed,
    "application-submit": _application_submit,
    "workorder-dispatch": _workorder_dispatch,
    "openapi": _openapi,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``central-ref``; returns the exit status."""
    try:
        args = build_parser().parse_args(argv)
        return _COMMANDS[args.command](args)
    except CliError as exc:
        print(f"central-ref: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return EXIT_OK
    except Exception as exc:  # one line for operators; the traceback helps nobody at a desk
        print(f"central-ref: unexpected error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_UNEXPECTED
