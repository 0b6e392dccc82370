"""Write resources/kb/entries/<bundle>.json: entries derived from the catalog, plus the
hand-written colloquial ones of scripts/kb_colloquial.py.

    python scripts/kb_generate.py

Derived answers say only what the catalog file says (items, departments, time limits, materials,
situations, deferral, figures); an answer built from a catalog fact marked "(check)" is marked
"(check)" too. Re-run after changing the catalog; review the diff before committing.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from kb_colloquial import ALIASES, COLLOQUIAL  # noqa: E402

from desk_app.domain.bundle import Bundle, Source  # noqa: E402
from desk_app.domain.catalog import Catalog, load_catalog  # noqa: E402
from desk_app.domain.checklist import Checklist, resolve  # noqa: E402

EFFECTIVE = "2026-11-27"
REVIEW = "2027-05-31"
CHECK = " (check)"
NUMBERS = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮"

SOURCES = {
    "national-1": "《国务院关于进一步优化政务服务提升行政效能推动“高效办成一件事”的指导意见》"
    "(国发〔2024〕3号)第一批重点事项清单",
    "national-2": "2024年第二批“高效办成一件事”重点事项清单(文号待核 (check))",
    "local": "青岛市特色“一件事”(青岛日报2024-09《首批“高效办成一件事”:少跑腿90%,减流程81%》)",
}


_CJK = "\u4e00-\u9fff“”《》、。"
_PAREN = re.compile(rf"\(([^()]*[{_CJK}][^()]*)\)")
_MARK = {",": "，", ";": "；", ":": "：", "?": "？"}
_PUNCT = re.compile(rf"(?<=[{_CJK}）\d])([,;:?])|([,;:?])(?=[{_CJK}（])")


def zh(text: str) -> str:
    """Chinese punctuation in Chinese text (the catalog writes ASCII ,;:?() in places);
    the "(check)" marker stays as it is."""
    text = text.replace("(check)", "\0")
    while _PAREN.search(text):
        text = _PAREN.sub(r"（\1）", text)
    text = _PUNCT.sub(lambda m: _MARK[m.group(1) or m.group(2)], text)
    return text.replace("\0", "(check)")


def short(b: Bundle) -> str:
    return b.name.removesuffix("一件事")


def marked(text: str, *notes: str) -> str:
    return text + CHECK if any("(check)" in n for n in notes) and "(check)" not in text else text


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
    b: Bundle,
    n: str,
    question: str,
    phrasings: list[str],
    answer: str,
    source: str,
    situations: list[str] | None = None,
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
    }


def derived(cat: Catalog, b: Bundle) -> list[dict]:
    name, s = b.name, short(b)
    aliases = ALIASES.get(b.code, [])
    alias = aliases[0] if aliases else s
    src = f"{SOURCES.get(b.batch, '本市“一件事”目录')};本厅“一件事”目录 {cat.version}(bundles/{b.code}.json)"
    src_check = marked(src, b.notes)
    cl: Checklist = resolve(b, {})
    out: list[dict] = []
    n = 0

    def add(
        question: str, phrasings: list[str], answer: str, situations: list[str] | None = None
    ) -> None:
        nonlocal n
        n += 1
        out.append(entry(b, f"{n:03d}", question, phrasings, answer, src_check, situations))

    # 1. what it is
    items = "、".join(i.name for i in b.items)
    add(
        f"什么是{name}?包括哪些事项?",
        [f"{s}一件事能办哪些事", f"{alias}要办哪些手续", f"{s}联办包括什么"],
        marked(
            f"{b.summary}本窗口按“一件事”一次受理,包括{len(b.items)}个事项:{items}。"
            "其中部分事项只在特定情形下办理,窗口会先问清情形。",
            b.notes,
        ),
    )

    # 2. materials in the common situation
    submit = [material_line(e) for e in cl.submit]
    obtained = [e.name for e in cl.obtained if e.source is not Source.PRODUCED]
    text = (
        f"一般情形({default_situation(b)})需要提交:{numbered(submit)}。"
        if b.questions
        else (f"需要提交:{numbered(submit)}。")
    )
    if obtained:
        text += f"以下材料不用提交,由部门通过数据共享或电子证照获取:{'、'.join(obtained)}。"
    text += "情形不同材料会有增减,以窗口按情形生成的清单为准。"
    add(
        f"办理{name}需要带哪些材料?",
        [f"{alias}要带什么", f"{s}需要什么证件", f"{s}材料清单", f"办{s}带啥"],
        marked(text, b.notes, *(e.material.notes for e in cl.submit)),
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
        marked(text, *(i.notes for i in b.items)),
    )

    # 4. what need not be brought
    shared = [e for e in b.materials if e.source in (Source.SHARED, Source.E_LICENCE)]
    produced = [e for e in b.materials if e.source is Source.PRODUCED]
    if shared or produced:
        text = ""
        if shared:
            text += f"这些材料不用提交,部门通过数据共享或电子证照直接获取:{'、'.join(m.name for m in shared)}。"
        if produced:
            text += (
                "前一个事项办出的结果,后面的事项直接使用,不用再交:"
                f"{'、'.join(m.name for m in produced)}。"
            )
        add(
            f"{name}哪些材料不用交?",
            [f"{s}免提交材料", f"{s}哪些材料可以共享", f"{alias}哪些证明不用开"],
            marked(text, *(m.notes for m in shared + produced)),
        )

    # 5. deferral (容缺受理)
    deferrable = [i.name for i in b.items if i.deferral_allowed]
    if deferrable:
        non_key = sorted(
            {
                m.name
                for m in b.materials
                if not m.key
                and m.source is Source.APPLICANT
                and any(b.item(c).deferral_allowed for c in m.needed_by)
            }
        )
        text = (
            f"{'、'.join(deferrable)}可以容缺受理:非关键材料暂缺时,签署容缺受理承诺书后先受理,"
            "在承诺期限内补齐。"
        )
        if non_key:
            text += f"可以容缺的材料:{'、'.join(non_key)}。"
        text += "关键材料缺少时不能容缺,窗口出具一次性告知单;有失信记录的申请人不适用容缺受理。"
    else:
        text = (
            "本一件事的事项不实行容缺受理。材料不齐时,窗口出具一次性告知单,"
            "一次列明所有缺少的材料,补齐后再来办理。"
        )
    add(
        f"{name}材料没带齐能先受理吗?",
        [f"{s}缺材料怎么办", f"{s}能容缺受理吗", f"{alias}少带了证件", "材料不全可以先办吗"],
        text,
    )

    # 6. departments / one window
    depts = "、".join(d.name for d in b.departments)
    add(
        f"{name}要跑几个部门?",
        [f"{s}要去哪些部门", f"{s}在哪个窗口办", f"{alias}去哪办", f"{s}要跑几趟"],
        marked(
            f"不用分别跑。在“一件事”专窗一次提交申请,由窗口分送以下部门办理:{depts}。"
            "办理结果可以邮寄或到窗口领取(check)。",
            b.notes,
        ),
    )

    # 7. proxy
    role = next((q for q in b.questions if q.key == "applicant_role"), None)
    if role is not None:
        agent = [
            e.name
            for e in resolve(b, {"applicant_role": "agent"}).submit
            if e.material.condition is not None and "applicant_role" in str(e.material.condition)
        ]
        text = f"可以由经办人办理,需另带:{'、'.join(agent)}。法定代表人本人办理的,带本人身份证现场核验。"
        add(
            f"{name}可以让员工去办吗?",
            [f"{s}可以委托别人办吗", f"{s}经办人要带什么", f"{s}法人必须到场吗"],
            text,
            ["applicant_role=agent"],
        )
    else:
        add(
            f"{name}可以找人代办吗?",
            [f"{s}能委托亲属办吗", f"{alias}本人不能来怎么办", f"{s}代办要带什么"],
            "可以委托他人代办:受托人带授权委托书(写明委托人、受托人、委托事项和有效期)和本人身份证件;"
            "需要本人现场核验或签字的事项,窗口会提前告知。行动不便的,可预约帮办代办服务。 (check)",
        )

    # 8. online
    add(
        f"{name}网上能办吗?",
        [f"{s}手机上能办吗", f"{s}网上申请", f"{alias}不想跑窗口"],
        "可以在“爱山东”青岛站网上端、掌上端的“一件事”专栏申请;需要核验原件或签字的,"
        "按提示到“一件事”专窗办理。网上与窗口的材料要求相同。 (check)",
    )

    # 9. reform figures
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
        )

    # 10. one entry per item
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
            marked(text, item.notes),
        )

    # 11. one entry per non-default situation
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
            add(
                f"{s}:{qtext}——“{choice.label}”时有什么不同?",
                phrasings,
                marked(
                    f"{qtext}为“{choice.label}”时,与一般情形({q.label(q.default)})相比:"
                    f"{';'.join(parts)}。",
                    q.notes,
                ),
                [f"{q.key}={choice.value}"],
            )
    return out


def main() -> None:
    cat = load_catalog()
    out_dir = ROOT / "resources" / "kb" / "entries"
    out_dir.mkdir(parents=True, exist_ok=True)
    total = 0
    for b in cat.bundles:
        entries = derived(cat, b)
        for i, raw in enumerate(COLLOQUIAL.get(b.code, []), start=1):
            extra = entry(
                b, f"h{i:02d}", raw["q"], raw.get("p", []), raw["a"], raw["src"], raw.get("sit")
            )
            entries.append(extra)
        doc = {"bundle": b.code, "entries": entries}
        (out_dir / f"{b.code}.json").write_text(
            json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        total += len(entries)
        print(f"{b.code:<28} {len(entries):>3}")
    print("total", total)


if __name__ == "__main__":
    main()
