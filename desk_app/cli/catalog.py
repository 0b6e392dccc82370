"""``desk-app catalog ...``: the 一件事 catalog (no Qt)."""

from __future__ import annotations

import argparse
from typing import Any

from desk_app.cli.common import (
    Commands,
    check_allowed,
    out,
    parse_answers,
)
from desk_app.security.roles import Operation


def _item_json(bundle: Any, item: Any) -> dict[str, Any]:
    return {
        "code": item.code,
        "name": item.name,
        "department": bundle.department(item.department).name,
        "time_limit_days": item.time_limit_days,
        "deferral_allowed": item.deferral_allowed,
    }


def cmd_catalog_list(args: argparse.Namespace) -> None:
    from desk_app.services.common.catalog import catalog

    cat = catalog()
    bundles = [
        {
            "code": b.code,
            "name": b.name,
            "audience": b.audience.value,
            "batch": b.batch,
            "items": [_item_json(b, i) for i in b.items],
        }
        for b in cat.bundles
    ]
    out(
        args,
        {"version": cat.version, "bundles": bundles},
        "\n".join(
            f"{b['code']:<26} {b['audience']:<8} {b['batch'] or '-':<11} {b['name']}"
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
        "questions": [
            {
                "key": q.key,
                "text": q.text,
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


def register(c: Commands) -> None:
    cat = c.group("catalog", "一件事 catalog")
    c.add(cat, "list", cmd_catalog_list, "list bundles")
    p = c.add(cat, "show", cmd_catalog_show, "one bundle: items, questions, figures")
    p.add_argument("code")
    p = c.add(cat, "checklist", cmd_catalog_checklist, "the material checklist for answers")
    p.add_argument("code")
    p.add_argument("--answer", action="append", metavar="KEY=VALUE")
