"""Write resources/kb/entries/<bundle>.json: entries derived from the catalog, plus the
hand-written colloquial ones of scripts/kb_colloquial.py.

    python scripts/kb_generate.py

Derived answers say only what the catalog file says (items, departments, time limits, materials,
situations, deferral, figures). Per bundle: one overview (what it is, which departments, one
window, online, deferral in a sentence: the general questions all land there), then the
materials, the time limits, the proxy where the bundle asks who comes, the reform figures, one
entry per item and one per situation that changes something. An answer is verified only when
every catalog fact it is built from is; a bundle listed without a checklist gets its overview
only. Hand-written answers (kb_colloquial.py) are never verified by this script. Spoken forms
per bundle (kb_colloquial.SPOKEN) become synonyms of the bundle's name in kb.json.
Re-run after changing the catalog; review the diff before committing.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from kb_colloquial import ALIASES, COLLOQUIAL, SPOKEN  # noqa: E402

from desk_app.domain.bundle import Bundle, Listing, Source, Verified  # noqa: E402
from desk_app.domain.catalog import Catalog, load_catalog  # noqa: E402
from desk_app.domain.checklist import Checklist, resolve  # noqa: E402

EFFECTIVE = "2026-12-05"
REVIEW = "2027-06-30"
NUMBERS = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮"

_CJK = "\u4e00-\u9fff“”《》、。"
_PAREN = re.compile(rf"\(([^()]*[{_CJK}][^()]*)\)")
_MARK = {",": "，", ";": "；", ":": "：", "?": "？"}
_PUNCT = re.compile(rf"(?<=[{_CJK}）\d])([,;:?])|([,;:?])(?=[{_CJK}（])")


def zh(text: str) -> str:
    """Chinese punctuation in Chinese text (the catalog writes ASCII ,;:?() in places)."""
    while _PAREN.search(text):
        text = _PAREN.sub(r"（\1）", text)
    return _PUNCT.sub(lambda m: _MARK[m.group(1) or m.group(2)], text)


def short(b: Bundle) -> str:
    return b.name.removesuffix("一件事")


def checked(*facts: Verified | None) -> dict | None:
    """Verified when every fact the answer is built from is (the latest check's date)."""
    if not facts or any(f is None for f in facts):
        return None
    latest = max(facts, key=lambda f: f.at)  # type: ignore[union-attr]
    return {"by": "由已核实的目录内容生成", "at": latest.at}  # type: ignore[union-attr]


def material_line(e) -> str:  # noqa: ANN001 - a ChecklistEntry
    form = "原件" if e.form.value == "original" else "复印件"
    need = "" if e.required else "(可选)"
    return f"{e.name}{form}{e.count}份{need}"


def numbered(lines: list[str]) -> str:
    return ";".join(
        f"{NUMBERS[i] if i < len(NUMBERS) else str(i + 1) + '.'}{x}" for i, x in enumerate(lines)
    )


def default_situation(b: Bundle) -> str:
    parts = [f"{q.text.rstrip('?？')}:{q.label(q.default)}" for q in b.questions]
    return ";".join(parts)


def entry(
    b: Bundle | Listing,
    n: str,
    question: str,
    phrasings: list[str],
    answer: str,
    source: str,
    situations: list[str] | None = None,
    *,
    kind: str = "derived",
    verified: dict | None = None,
) -> dict:
    return {
        "id": f"{b.code}-{n}",
        "bundle": b.code,
        "question": zh(question),
        "phrasings": [zh(p) for p in phrasings],
        "answer": zh(answer),
        "situations": situations or [],
        "source": source,
        "effective": EFFECTIVE,
        "review": REVIEW,
        "version": 1,
        "kind": kind,
        "verified": verified,
    }


def derived(cat: Catalog, b: Bundle) -> list[dict]:
    name, s = b.name, short(b)
    aliases = ALIASES.get(b.code, [])
    alias = aliases[0] if aliases else s
    src = f"{b.cite};本厅“一件事”目录 {cat.version}(bundles/{b.code}.json)"
    cl: Checklist = resolve(b, {})
    out: list[dict] = []
    n = 0

    def add(
        question: str,
        phrasings: list[str],
        answer: str,
        facts: list[Verified | None],
        situations: list[str] | None = None,
        kind: str = "derived",
    ) -> None:
        nonlocal n
        n += 1
        out.append(
            entry(
                b,
                f"{n:03d}",
                question,
                phrasings,
                answer,
                src,
                situations,
                kind=kind,
                verified=checked(*facts),
            )
        )

    # 1. the overview: what it is, who handles it, one window, online, deferral in a sentence
    items = "、".join(i.name for i in b.items)
    depts = "、".join(d.name for d in b.departments)
    deferrable = [i.name for i in b.items if i.deferral_allowed]
    text = (
        f"{b.summary}本窗口按“一件事”一次受理,包括{len(b.items)}个事项:{items}。"
        "部分事项只在特定情形下办理,窗口会先问清情形。"
        f"不用分别跑部门:在“一件事”专窗一次提交,由窗口分送{depts}办理。"
        "也可以在“爱山东”青岛站的“一件事”专栏网上申请,需要核验原件或签字的按提示到窗口。"
    )
    text += (
        "非关键材料暂缺的可以容缺受理,签承诺书后先办、限期补齐。"
        if deferrable
        else "本一件事不实行容缺受理,材料不齐时窗口出具一次性告知单。"
    )
    add(
        f"什么是{name}?包括哪些事项?",
        [
            f"{s}一件事能办哪些事",
            f"{alias}要办哪些手续",
            f"{s}联办包括什么",
            f"{s}要去哪些部门",
            f"{alias}去哪办",
            f"{s}网上能办吗",
            f"{s}手机上能办吗",
            *aliases[1:],
        ],
        text,
        [b.verified, *(i.verified for i in b.items)],
        kind="overview",
    )

    # 2. materials in the common situation, what need not be brought, what may be deferred
    submit = [material_line(e) for e in cl.submit]
    obtained = [e.name for e in cl.obtained if e.source is not Source.PRODUCED]
    produced = [e.name for e in cl.obtained if e.source is Source.PRODUCED]
    text = (
        f"一般情形({default_situation(b)})需要提交:{numbered(submit)}。"
        if b.questions
        else (f"需要提交:{numbered(submit)}。")
    )
    if obtained:
        text += f"不用提交,由部门通过数据共享或电子证照获取:{'、'.join(obtained)}。"
    if produced:
        text += f"前一个事项办出的结果后面直接使用,不用再交:{'、'.join(produced)}。"
    non_key = [
        e.name
        for e in cl.submit
        if not e.key and any(b.item(c).deferral_allowed for c in e.needed_by)
    ]
    if non_key:
        text += f"暂缺时可容缺受理的:{'、'.join(non_key)}。"
    text += "情形不同材料会有增减,以窗口按情形生成的清单为准。"
    add(
        f"办理{name}需要带哪些材料?",
        [
            f"{alias}要带什么",
            f"{s}需要什么证件",
            f"{s}材料清单",
            f"办{s}带啥",
            f"{s}哪些材料不用交",
            f"{s}缺材料能先受理吗",
        ],
        text,
        [*(e.material.verified for e in (*cl.submit, *cl.obtained))],
    )

    # 3. time limits
    limits = ";".join(f"{i.name}{i.time_limit_days}个工作日" for i in b.items)
    text = f"各事项的承诺办结时限:{limits}。"
    if b.time_limit_days:
        text += f"整件事承诺{b.time_limit_days}个工作日内办结。"
    text += "时限按工作日计算,不含法定节假日;具体以受理回执上的办结期限为准。"
    add(
        f"{name}多长时间能办完?",
        [f"{alias}要多久", f"{s}几天能办好", f"{s}办结时限", f"{s}什么时候能拿到"],
        text,
        [i.verified for i in b.items],
    )

    # 4. proxy, where the bundle asks who comes
    role = next((q for q in b.questions if q.key == "applicant_role"), None)
    if role is not None:
        agent_entries = [
            e
            for e in resolve(b, {"applicant_role": "agent"}).submit
            if e.material.condition is not None and "applicant_role" in str(e.material.condition)
        ]
        agent = [e.name for e in agent_entries]
        text = f"可以由经办人办理,需另带:{'、'.join(agent)}。法定代表人本人办理的,带本人身份证现场核验。"
        add(
            f"{name}可以让员工去办吗?",
            [f"{s}可以委托别人办吗", f"{s}经办人要带什么", f"{s}法人必须到场吗"],
            text,
            [role.verified, *(e.material.verified for e in agent_entries)],
            ["applicant_role=agent"],
        )

    # 5. reform figures
    f = b.figures
    if f is not None:
        parts = []
        for label, pair in (
            ("办事环节", f.steps),
            ("申请材料", f.materials),
            ("跑动次数", f.trips),
            ("办理时限(天)", f.time_limit_days),
        ):
            if pair is not None:
                parts.append(f"{label}由{pair.before}减为{pair.after}")
        add(
            f"{name}改革后简化了多少?",
            [f"{s}现在比以前快多少", f"{s}减了多少材料"],
            f"青岛{name}:{','.join(parts)}。数据来源:{f.source}。",
            [Verified("青岛日报报道", "2024-09-25")],  # the figures are the article's own
        )

    # 6. one entry per item
    for item in b.items:
        dept = b.department(item.department).name
        needs = [
            m.name + ("(视情形)" if m.condition is not None else "")
            for m in b.materials
            if item.code in m.needed_by
            and m.source is Source.APPLICANT
            and "applicant_role" not in str(m.condition)  # who comes: the proxy entry says
        ]
        text = f"{item.name}由{dept}办理,承诺办结时限{item.time_limit_days}个工作日。"
        if item.condition is not None:
            text += "只在相应情形下办理(见情形引导)。"
        if needs:
            text += f"需要申请人提供的材料:{'、'.join(needs)}。"
        text += "在本一件事中与其他事项一次申请、一窗受理。"
        add(
            f"{item.name}由哪个部门办?要多久?",
            [f"{item.name}怎么办", f"{item.name}需要什么材料", f"{item.name}多久"],
            text,
            [
                item.verified,
                *(m.verified for m in b.materials if item.code in m.needed_by),
            ],
        )

    # 7. one entry per non-default situation
    base = {e.code for e in cl.submit}
    base_items = {i.code for i in cl.items}
    for q in b.questions:
        if q.key == "applicant_role":
            continue
        for choice in q.choices:
            if choice.value == q.default:
                continue
            alt = resolve(b, {q.key: choice.value})
            more = [material_line(e) for e in alt.submit if e.code not in base]
            fewer = [e.name for e in cl.submit if e.code not in {x.code for x in alt.submit}]
            items_more = [i.name for i in alt.items if i.code not in base_items]
            items_fewer = [i.name for i in cl.items if i.code not in {x.code for x in alt.items}]
            parts = []
            if items_more:
                parts.append(f"增加办理:{'、'.join(items_more)}")
            if items_fewer:
                parts.append(f"不再办理:{'、'.join(items_fewer)}")
            if more:
                parts.append(f"另需提交:{'、'.join(more)}")
            if fewer:
                parts.append(f"不用提交:{'、'.join(fewer)}")
            if not parts:
                continue  # nothing changes (e.g. the data is shared either way): no question
            qtext = q.text.rstrip("?？")
            phrasings = [f"{qtext}选{choice.label}要带什么材料"]
            if len(choice.label) > 2:
                phrasings.append(f"{s}{choice.label}怎么办")
            changed_facts = [
                *(i.verified for i in (*alt.items, *cl.items)),
                *(e.material.verified for e in (*alt.submit, *cl.submit)),
            ]
            add(
                f"{s}:{qtext}——“{choice.label}”时有什么不同?",
                phrasings,
                f"{qtext}为“{choice.label}”时,与一般情形({q.label(q.default)})相比:"
                f"{';'.join(parts)}。",
                [q.verified, *changed_facts],
                [f"{q.key}={choice.value}"],
            )
    return out


def listed(cat: Catalog, b: Listing) -> list[dict]:
    """A bundle listed without a checklist: one overview saying so, and where to ask."""
    s = short(b)
    spoken = SPOKEN.get(b.code, [])
    lead = f"牵头部门为{b.department(b.lead).name}。" if b.lead else ""
    text = (
        f"{b.name}已列入国家“高效办成一件事”重点事项清单({b.document})。{lead}"
        "本厅尚未取得可核对的办事指南,所需材料、办理地点和时限请在窗口或拨打12345咨询,"
        "以窗口告知为准。"
    )
    src = f"{b.cite};本厅“一件事”目录 {cat.version}(bundles/{b.code}.json)"
    return [
        entry(
            b,
            "001",
            f"{b.name}怎么办理?",
            [f"{s}怎么申请", f"{s}在哪里办", f"{s}要带什么材料", *spoken[:3]],
            text,
            src,
            kind="overview",
            verified=checked(b.verified),
        )
    ]


def main() -> None:
    cat = load_catalog()
    out_dir = ROOT / "resources" / "kb" / "entries"
    out_dir.mkdir(parents=True, exist_ok=True)
    total = 0
    for b in cat.everything:
        entries = listed(cat, b) if isinstance(b, Listing) else derived(cat, b)
        for i, raw in enumerate(COLLOQUIAL.get(b.code, []), start=1):
            extra = entry(
                b,
                f"h{i:02d}",
                raw["q"],
                raw.get("p", []),
                raw["a"],
                raw["src"],
                raw.get("sit"),
                kind="hand",
            )
            entries.append(extra)
        doc = {"bundle": b.code, "entries": entries}
        (out_dir / f"{b.code}.json").write_text(
            json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        total += len(entries)
        print(f"{b.code:<30} {len(entries):>3}")
    write_synonyms(cat)
    print("total", total)


def write_synonyms(cat: Catalog) -> None:
    """kb.json's synonyms: the hand-kept table plus each bundle's spoken forms -> its name."""
    path = ROOT / "resources" / "kb" / "kb.json"
    head = json.loads(path.read_text(encoding="utf-8"))
    synonyms: dict[str, list[str]] = dict(head.get("synonyms", {}))
    for b in cat.everything:
        for word in SPOKEN.get(b.code, []):
            terms = synonyms.setdefault(word, [])
            if short(b) not in terms:
                terms.append(short(b))
    head["synonyms"] = synonyms
    path.write_text(json.dumps(head, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
