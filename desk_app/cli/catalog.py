"""``desk-app catalog ...``: the 一件事 catalog (no Qt)."""

from __future__ import annotations

import argparse
from typing import Any

from desk_app.cli.common import (
    CliError,
    Commands,
    check_allowed,
    db_from_args,
    out,
    parse_answers,
)
from desk_app.security.roles import Operation


def _verified(v: Any) -> dict[str, str] | None:
    return None if v is None else {"by": v.by, "at": v.at}


def _item_json(bundle: Any, item: Any) -> dict[str, Any]:
    return {
        "code": item.code,
        "name": item.name,
        "department": bundle.department(item.department).name,
        "time_limit_days": item.time_limit_days,
        "deferral_allowed": item.deferral_allowed,
        "verified": _verified(item.verified),
    }


def _listed_item_json(bundle: Any, item: Any) -> dict[str, Any]:
    return {
        "code": item.code,
        "name": item.name,
        "department": bundle.department(item.department).name,
        "time_limit_days": None,
        "deferral_allowed": None,
    }


def _lead(b: Any) -> str | None:
    return b.department(b.lead).name if b.lead else None


def _in_force(args: argparse.Namespace) -> Any:
    """The catalog in force in the hall's database (the shipped one when there is none yet)."""
    from desk_app.services.common.catalog import catalog

    if _hall_db_exists(args):
        check_allowed(args, Operation.CATALOG_LIST)  # opens the database: puts its version in force
    return catalog()


def _open_conflicts(args: argparse.Namespace) -> list[dict[str, Any]]:
    """Facts a merge left for a person to decide, in the version in force."""
    if not _hall_db_exists(args):
        return []
    from desk_app.services.catalog import versions

    db = db_from_args(args, acting=Operation.CATALOG_LIST, hall_key=False)
    with db.read() as s:
        return [{"code": c["code"], "fact": c["fact"]} for c in versions.current(s).conflicts]


def _hall_db_exists(args: argparse.Namespace) -> bool:
    """A database to read the version in force from (a SQLite file not yet made: none)."""
    from pathlib import Path

    from desk_app.store.lite import database_url, sqlite_path

    url = getattr(args, "db", None) or database_url()
    path = sqlite_path(url)
    return path is None or Path(path).exists()


def cmd_catalog_list(args: argparse.Namespace) -> None:
    from desk_app.domain.bundle import Listing
    from desk_app.domain.catalog import batch_ok

    if args.batch and not batch_ok(args.batch):
        raise CliError(
            f"未知的批次 {args.batch} / unknown batch (national-YYYY-N|provincial|local)"
        )
    cat = _in_force(args)
    bundles = []
    for b in cat.everything:
        if args.batch and b.batch != args.batch:
            continue
        listed = isinstance(b, Listing)
        bundles.append(
            {
                "code": b.code,
                "name": b.name,
                "name_en": b.name_en,
                "audience": b.audience.value,
                "batch": b.batch,
                "document": b.document,
                "lead": _lead(b),
                "status": "listed" if listed else "guided",
                "items": [(_listed_item_json if listed else _item_json)(b, i) for i in b.items],
                "unverified": b.unverified,
                "facts": len(b.facts()),
                "source": b.cite,
            }
        )
    conflicts = _open_conflicts(args)
    out(
        args,
        {"version": cat.version, "seq": cat.seq, "bundles": bundles, "conflicts": conflicts},
        "\n".join(
            f"{b['code']:<30} {b['audience']:<8} {b['batch'] or '-':<16} "
            f"{'清单' if b['status'] == 'guided' else '仅列名'} 未核实{b['unverified']:>3}/{b['facts']:<3} "
            f"{b['name']}"
            for b in bundles
        ),
    )


def _figures(b: Any) -> dict[str, Any]:
    f = b.figures
    result: dict[str, Any] = {}
    if f is None:
        return result
    for key in ("steps", "materials", "trips", "time_limit_days"):
        ba = getattr(f, key)
        if ba is not None:
            result[key] = {"before": ba.before, "after": ba.after}
    if f.source:
        result["source"] = f.source
    return result


def cmd_catalog_show(args: argparse.Namespace) -> None:
    from desk_app.services.common.catalog import bundle

    check_allowed(args, Operation.CATALOG_SHOW)
    b = bundle(args.code)
    payload = {
        "code": b.code,
        "name": b.name,
        "audience": b.audience.value,
        "summary": b.summary,
        "departments": [{"code": d.code, "name": d.name} for d in b.departments],
        "items": [_item_json(b, i) for i in b.items],
        "batch": b.batch,
        "document": b.document,
        "lead": _lead(b),
        "cite": b.cite,
        "verified": _verified(b.verified),
        "unverified": [path for path, v in b.facts() if v is None],
        "questions": [
            {
                "key": q.key,
                "text": q.text,
                "cite": q.cite,
                "verified": _verified(q.verified),
                "default": q.default,
                "choices": [{"value": c.value, "label": c.label} for c in q.choices],
            }
            for q in b.questions
        ],
        "materials": [
            {
                "code": m.code,
                "name": m.name,
                "required": m.required,
                "key": m.key,
                "form": m.form.value,
                "count": m.count,
                "source": m.source.value,
                "needed_by": list(m.needed_by),
                "produced_by": m.produced_by,
                "cite": m.cite,
                "verified": _verified(m.verified),
            }
            for m in b.materials
        ],
        "figures": _figures(b),
    }
    lines = [f"{b.name} ({b.code})"] + [
        f"  事项 {i.name} · {i.time_limit_days} 个工作日" for i in b.items
    ]
    lines += [
        f"  问 {q.key}: {q.text} [{'/'.join(c.value for c in q.choices)}]" for q in b.questions
    ]
    out(args, payload, "\n".join(lines))


def cmd_catalog_checklist(args: argparse.Namespace) -> None:
    from desk_app.domain.bundle import FORM_LABELS_ZH
    from desk_app.services.common.catalog import checklist_for

    _in_force(args)
    cl = checklist_for(args.code, parse_answers(args.answer))
    b = cl.bundle

    def entry(e: Any) -> dict[str, Any]:
        return {
            "code": e.code,
            "name": e.name,
            "required": e.required,
            "key": e.key,
            "form": e.form.value,
            "count": e.count,
            "source": e.source.value,
            "needed_by": list(e.needed_by),
            "why": [r.text_zh() for r in e.reasons],
        }

    payload = {
        "bundle": b.code,
        "answers": {a.key: a.value for a in cl.answers},
        "items": [_item_json(b, i) for i in cl.items],
        "submit": [entry(e) for e in cl.submit],
        "obtained": [entry(e) for e in cl.obtained],
    }
    lines = [f"事项: {'、'.join(i.name for i in cl.items)}", "需提交:"]
    lines += [
        f"  {'*' if e.required else ' '} {e.name} {FORM_LABELS_ZH[e.form]}{e.count}份"
        for e in cl.submit
    ]
    lines += ["免提交:"] + [f"    {e.name} ({e.source.value})" for e in cl.obtained]
    out(args, payload, "\n".join(lines))


def _changes_line(r: dict[str, Any]) -> str:
    parts = [f"版本 {r['version']}"]
    parts += [f"新增 {', '.join(r['added'])}"] if r.get("added") else []
    parts += [f"删除 {', '.join(r['removed'])}"] if r.get("removed") else []
    parts += [f"修改 {c['code']}: {', '.join(c['facts'])}" for c in r.get("changed", [])]
    parts += [f"冲突 {c['code']} {c['fact']} (保留本厅的)" for c in r.get("conflicts", [])]
    return "\n".join(parts)


def cmd_catalog_export(args: argparse.Namespace) -> None:
    from desk_app.services.catalog.upkeep import export

    r = export(db_from_args(args, acting=Operation.CATALOG_EXPORT), args.file)
    out(args, r, f"已导出版本 {r['version']} ({r['bundles']} 个一件事) 到 {r['file']}")


def cmd_catalog_import(args: argparse.Namespace) -> None:
    from desk_app.services.catalog.upkeep import import_file

    r = import_file(
        db_from_args(args, acting=Operation.CATALOG_IMPORT), args.file, dry_run=args.dry_run
    )
    head = "试导入 (未写入):" if args.dry_run else ("已导入:" if r["applied"] else "无变化:")
    out(args, r, f"{head}\n{_changes_line(r)}")


def cmd_catalog_verify(args: argparse.Namespace) -> None:
    from desk_app.services.catalog.upkeep import verify

    r = verify(
        db_from_args(args, acting=Operation.CATALOG_VERIFY), args.code, args.fact, args.source
    )
    out(args, r, f"{args.code} {args.fact} 已核实 (版本 {r['version']})")


def cmd_catalog_history(args: argparse.Namespace) -> None:
    from desk_app.services.catalog.upkeep import history

    r = history(db_from_args(args, acting=Operation.CATALOG_HISTORY), args.code)
    lines = [
        f"{v['version']:<18} {v['kind']:<9} {v['by'] or '-':<8} {v['at'] or '':<26} "
        f"{v['change']} {', '.join(v['facts'])}"
        for v in r["versions"]
    ]
    out(args, r, "\n".join(lines))


def cmd_catalog_rollback(args: argparse.Namespace) -> None:
    from desk_app.services.catalog.upkeep import rollback

    r = rollback(db_from_args(args, acting=Operation.CATALOG_ROLLBACK), args.to)
    out(args, r, f"已回到 {r['to']} 的内容, 发布为版本 {r['version']}\n{_changes_line(r)}")


def register(c: Commands) -> None:
    cat = c.group("catalog", "一件事 catalog")
    p = c.add(cat, "list", cmd_catalog_list, "list bundles (with their sources' state)")
    p.add_argument("--batch", help="national-2024-1 ... national-2026-1 | provincial | local")
    p = c.add(cat, "export", cmd_catalog_export, "write the version in force as a package file")
    p.add_argument("file")
    p = c.add(cat, "import", cmd_catalog_import, "merge a package file in (the hall's own kept)")
    p.add_argument("file")
    p.add_argument("--dry-run", action="store_true", help="show the changes, write nothing")
    p = c.add(cat, "verify", cmd_catalog_verify, "mark a fact checked against its source")
    p.add_argument("code")
    p.add_argument(
        "--fact", required=True, help="bundle | items.CODE | questions.KEY | materials.CODE"
    )
    p.add_argument("--source", required=True, help="document number or URL, and its date")
    p = c.add(cat, "history", cmd_catalog_history, "the versions that changed a bundle")
    p.add_argument("code")
    p = c.add(cat, "rollback", cmd_catalog_rollback, "publish an earlier version again")
    p.add_argument("--to", required=True, metavar="VERSION", help="its number or label")
    p = c.add(cat, "show", cmd_catalog_show, "one bundle: items, questions, figures")
    p.add_argument("code")
    p = c.add(cat, "checklist", cmd_catalog_checklist, "the material checklist for answers")
    p.add_argument("code")
    p.add_argument("--answer", action="append", metavar="KEY=VALUE")
