"""The A4 documents a hall hands out for a 一件事 case (see ``domain.md``, "一件事 rules").

- :func:`render_notice_pdf`: 一次性告知单, every missing material listed at once, for the
  applicant to sign for.
- :func:`render_receipt_pdf`: 受理回执, the case number, the items with their working-day time
  limits and expected dates, the materials received and deferred, a QR code for progress and
  the 好差评 invitation.
- :func:`render_commitment_pdf`: 容缺受理承诺书, the deferred materials, the due date, the
  applicant's promise and signature, and room for the hall's stamp.

The inputs are plain frozen dataclasses filled by the case service; personal data arrives
already masked (the documents print what they are given). Times are printed on the hall's
clock (``desk_app.domain.clock.HALL_TZ``).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from printing.case_doc_data import (
    CaseDocData,
    DocAgent,
    DocItem,
    DocMaterial,
    check_date,
    check_deferrable,
)
from printing.documents_common import (
    CONTENT_WIDTH,
    RULE,
    DocTitle,
    PageFrame,
    PathOrFile,
    QRCode,
    Rule,
    boxed,
    build_pdf,
    cn_date,
    cn_datetime,
    columns,
    data_table,
    due_box,
    fit_one_page,
    hall_time,
    info_table,
    make_table,
    meta_line,
    side_by_side,
    sign_column,
)
from printing.documents_text import Styles, Text, make_styles

__all__ = [
    "CaseDocData",
    "DocAgent",
    "DocItem",
    "DocMaterial",
    "render_commitment_pdf",
    "render_notice_pdf",
    "render_receipt_pdf",
]

NOTICE_TITLE = "一次性告知单"
RECEIPT_TITLE = "受理回执"
COMMITMENT_TITLE = "容缺受理承诺书"
PROGRESS_QR_CAPTION = "扫码查询办理进度"
NOTICE_QR_CAPTION = "补交时出示，窗口扫码调出本件"
EVALUATION_QR_CAPTION = "扫码评价本次服务"
EVALUATION_TEXT = (
    "请对本次服务进行评价：扫码或使用窗口评价器，非常满意/满意/基本满意/不满意/非常不满意"
)
KEEP_RECEIPT_TEXT = "请妥善保管本回执，凭办件编号查询进度、领取结果；如有疑问，可拨打 12345 热线。"
HOTLINE_TEXT = "如有疑问，可向窗口咨询或拨打 12345 政务服务便民热线。"
NUMERALS = "一二三四五六七八九十"


# --- shared blocks -----------------------------------------------------------------------


class _Headings:
    """Section headings numbered 一、二、三、 in the order they appear."""

    def __init__(self, st: Styles) -> None:
        self.st, self.count = st, 0

    def __call__(self, text: str) -> Text:
        self.count += 1
        return Text(f"{NUMERALS[self.count - 1]}、{text}", self.st.heading)


def _opening(st: Styles, data: CaseDocData, title: str, date_label: str | None) -> list[Flowable]:
    """The hall and the title, then (with ``date_label``) the case number and the date, over a
    thick-thin rule."""
    story: list[Flowable] = [DocTitle(st.font, data.hall_name, title), Spacer(1, 4 * mm)]
    if date_label:
        day = cn_date(hall_time(data.accepted_at).date())
        story.append(meta_line(st, f"办件编号：{data.case_no}", f"{date_label}：{day}"))
    return [*story, Rule(double=True, space_after=1 * mm)]


def _applicant_rows(data: CaseDocData) -> list[list[str]]:
    """The case, the applicant and the agent with the authorization (委托书), as table rows."""
    rows = [
        ["申请事项", data.bundle_name],
        ["申请人", data.applicant_name, data.applicant_id_label, data.applicant_id_masked],
        ["联系电话", data.applicant_phone_masked or "—", "受理窗口", _window_text(data)],
    ]
    agent = data.agent
    if agent is not None:
        rows += [
            ["代办人", agent.name, "证件号码", agent.id_masked],
            ["委托事项", agent.scope],
            ["委托有效期", agent.validity],
        ]
    return rows


def _materials_rows(st: Styles, materials: list[DocMaterial], with_reason: bool) -> list[list]:
    rows: list[list] = []
    for number, material in enumerate(materials, start=1):
        name: str | list[Flowable] = material.name
        if material.key:
            name = [Text(material.name, st.cell), Text("【关键材料】", st.tag)]
        row = [str(number), name, material.form, "、".join(material.needed_by) or "—"]
        if with_reason:
            row.append(material.reason or "—")
        rows.append(row)
    return rows


def _window_text(data: CaseDocData) -> str:
    """The window that accepted the case; a case opened without one says where to go."""
    return f"{data.window} 号窗口" if data.window else "“一件事”综合窗口"


def _staff_line(data: CaseDocData, label: str) -> str:
    """``受理人：王芳``; without a recorded name, room for a signature instead of an empty line."""
    if data.staff_name:
        return f"{label}：{data.staff_name}"
    return f"{label}（签字）：　　　　　　"


def _time_limit(item: DocItem) -> str:
    return "即办" if item.time_limit_days == 0 else f"{item.time_limit_days} 个工作日"


def _stamp_column(st: Styles, data: CaseDocData) -> list[Flowable]:
    """受理单位（盖章）: room for the hall's round stamp, the member of staff, a date."""
    return sign_column(
        st, "受理单位（盖章）", rule=False, lines=[_staff_line(data, "受理人")], room=10 * mm
    )


def _frame(st: Styles, data: CaseDocData, title: str) -> PageFrame:
    return PageFrame(font=st.font, hall_name=data.hall_name, title=title, case_no=data.case_no)


def _where(data: CaseDocData) -> str:
    if not data.window:
        return f"{data.hall_name}任一“一件事”综合窗口"
    return f"{data.hall_name} {data.window} 号窗口（或任一“一件事”综合窗口）"


# --- 一次性告知单 ------------------------------------------------------------------------


def render_notice_pdf(data: CaseDocData, missing: list[DocMaterial], target: PathOrFile) -> None:
    """Render the one-time notice (一次性告知单) listing all ``missing`` materials at once.

    Args:
        data: the case.
        missing: every material still missing, in the order to list them.
        target: a file name or path, or a binary file object open for writing.

    Raises:
        ValueError: ``missing`` is empty (there is nothing to tell).
        printing.fonts.FontNotFoundError: the bundled font is missing.
    """
    if not missing:
        raise ValueError("a one-time notice needs at least one missing material")
    st = make_styles()
    heading = _Headings(st)
    items = "、".join(item.name for item in data.items)
    scope = f"（含{items}，共 {len(data.items)} 个事项）" if data.items else ""
    story = _opening(st, data, NOTICE_TITLE, "告知日期")
    story += [
        heading("申请人信息"),
        info_table(st, _applicant_rows(data)),
        heading("尚缺材料"),
        Text(
            f"您申请办理的“{data.bundle_name}”{scope}，经窗口审核，尚缺以下材料，"
            f"现一次性告知如下（共 {len(missing)} 项）：",
            st.lead,
        ),
        data_table(
            st,
            ["序号", "材料名称", "形式及份数", "用于事项", "说明"],
            _materials_rows(st, missing, with_reason=True),
            [11, 50, 24, 37, 48],
        ),
    ]
    if any(m.key for m in missing):
        story.append(Text("※ 标注【关键材料】的，须补齐后方可受理，不适用容缺受理。", st.note))
    how = Text(
        f"请备齐上述全部材料后，携带本告知单到{_where(data)}提交；已提交的材料无需重复提交。"
        "补交时请出示右侧二维码，窗口扫码即可调出本件，无需重新申请。",
        st.body_indent,
    )
    qr_size = 24 * mm
    story += [heading("补交方式")]
    if data.progress_url:
        code = [QRCode(data.progress_url, qr_size), Text(NOTICE_QR_CAPTION, st.cell_centre)]
        story.append(columns([[how], code], [CONTENT_WIDTH - qr_size - 6 * mm, qr_size + 6 * mm]))
    else:
        story.append(how)
    contact = []
    if data.hall_address:
        contact.append(f"办理地址：{data.hall_address}")
    if data.hall_phone:
        contact.append(f"咨询电话：{data.hall_phone}")
    if contact:
        story.append(Text("；".join(contact) + "。", st.body_indent))
    final = Text(
        "本告知单所列为本次申请尚需补齐的全部材料，窗口不再要求您提供告知单以外的材料"
        "（申请情形发生变化的除外）。" + HOTLINE_TEXT,
        st.body_indent,
    )
    signer = "申请人/代办人签收：" if data.agent else "申请人签收："
    staff: list[Flowable] = [
        Text(
            _staff_line(data, "经办人") + (f"（{data.window} 号窗口）" if data.window else ""),
            st.body,
        ),
        Text(f"告知日期：{cn_date(hall_time(data.accepted_at).date())}", st.body),
    ]
    half = CONTENT_WIDTH / 2
    signatures = columns([staff, sign_column(st, signer)], [half, half])
    story.append(KeepTogether([final, Spacer(1, 5 * mm), signatures]))  # never signed alone
    build_pdf(target, story, _frame(st, data, NOTICE_TITLE), subject=data.bundle_name)


# --- 受理回执 ----------------------------------------------------------------------------


def _case_box(st: Styles, data: CaseDocData) -> Table:
    """The case number in large type, the case and the applicant, beside the progress QR code.

    The receipt's whole head in one frame: the applicant needs no section of their own.
    """
    pad, qr_size = 6, 31 * mm
    inner_width = CONTENT_WIDTH - 2 * (pad + 2)
    right_width = qr_size + 6 * mm
    window = _window_text(data) + (f"（受理人：{data.staff_name}）" if data.staff_name else "")
    pairs = [
        ("申请事项", data.bundle_name, "受理时间", cn_datetime(data.accepted_at)),
        ("申请人", data.applicant_name, data.applicant_id_label, data.applicant_id_masked),
        ("联系电话", data.applicant_phone_masked or "—", "受理窗口", window),
    ]
    if data.agent is not None:
        pairs.append(("代办人", data.agent.name, "证件号码", data.agent.id_masked))
    half = (inner_width - right_width) / 2
    rows = [
        [Text(f"{row[0]}：{row[1]}", st.body), Text(f"{row[2]}：{row[3]}", st.body)]
        for row in pairs
    ]
    grid = make_table(
        rows,
        [half - 2 * mm, half + 2 * mm],
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ],
    )
    left: list[Flowable] = [
        Text("办件编号", st.small),
        Text(data.case_no, st.case_number),
        Spacer(1, 2 * mm),
        grid,
    ]
    right: list[Flowable] = [
        QRCode(data.progress_url, qr_size),
        Text(PROGRESS_QR_CAPTION, st.cell_centre),
    ]
    inner = side_by_side(left, right, right_width, inner_width)
    return boxed([inner], CONTENT_WIDTH, pad=pad)


def render_receipt_pdf(
    data: CaseDocData,
    received: list[DocMaterial],
    deferred: list[DocMaterial],
    target: PathOrFile,
    *,
    due_date: date | None = None,
) -> None:
    """Render the acceptance receipt (受理回执).

    Args:
        data: the case.
        received: materials handed in (may be empty when everything came from shared data).
        deferred: materials accepted as missing (容缺受理); they need ``due_date``.
        target: a file name or path, or a binary file object open for writing.
        due_date: the date by which the deferred materials are due (required with ``deferred``).

    Raises:
        ValueError: ``deferred`` without ``due_date``, a key material deferred, a datetime
            given as a date, an empty progress URL.
        printing.fonts.FontNotFoundError: the bundled font is missing.
    """
    check_date(due_date, "due_date")
    check_deferrable(deferred)
    if deferred and due_date is None:
        raise ValueError("deferred materials need the due_date by which they are to be supplied")
    st = make_styles()
    heading = _Headings(st)
    story = _opening(st, data, RECEIPT_TITLE, None)  # the case box shows number and time
    story += [
        Spacer(1, 3 * mm),
        _case_box(st, data),
        heading("办理事项及办结时限"),
        data_table(
            st,
            ["序号", "事项名称", "承办部门", "办结时限", "预计办结日期"],
            [
                [
                    str(n),
                    item.name,
                    item.department,
                    _time_limit(item),
                    cn_date(item.deadline) if item.deadline else "—",
                ]
                for n, item in enumerate(data.items, start=1)
            ],
            [11, 52, 42, 28, 37],
            centred=(0, 3, 4),
        ),
        Text("※ 办结时限按工作日计算，不含法定节假日和休息日（调休上班日计入）。", st.note),
    ]
    if data.calendar_note:
        story.append(Text(f"※ {data.calendar_note}", st.note))
    story.append(heading("已收取材料"))
    if received:
        story.append(
            data_table(
                st,
                ["序号", "材料名称", "形式及份数", "用于事项"],
                _materials_rows(st, received, with_reason=False),
                [11, 72, 30, 57],
            )
        )
    else:
        story.append(Text("本次未收取纸质材料（已通过数据共享或电子证照获取）。", st.body_indent))
    if data.shared:
        story += [
            heading("通过数据共享获取的材料（免提交）"),
            Text("；".join(data.shared) + "。", st.body_indent),
        ]
    if data.share_consent:
        story.append(
            Text("※ 申请人已同意本厅通过政务数据共享获取上述材料，仅用于本次办理。", st.note)
        )
    if deferred:
        assert due_date is not None
        story += [
            heading("容缺材料"),
            Text(
                f"以下材料已容缺受理，请于 {cn_date(due_date, weekday=True)} 前补齐；"
                "逾期未补齐的，本次申请将终止办理。",
                st.lead,
            ),
            data_table(
                st,
                ["序号", "材料名称", "形式及份数", "用于事项", "补齐期限"],
                [row + [cn_date(due_date)] for row in _materials_rows(st, deferred, False)],
                [11, 55, 26, 46, 32],
                centred=(0, 4),
            ),
        ]
    story.append(
        KeepTogether(
            [Text(f"※ {KEEP_RECEIPT_TEXT}", st.note), Spacer(1, 4 * mm), *_closing(st, data)]
        )
    )
    build_pdf(target, story, _frame(st, data, RECEIPT_TITLE), subject=data.bundle_name)


def _closing(st: Styles, data: CaseDocData) -> list[Flowable]:
    """The 好差评 invitation (with its own QR code if given) beside the hall's stamp."""
    column, gap, pad = 118 * mm, 8 * mm, 6
    box_width = column - gap
    invitation: list[Flowable] = [
        Text("服务评价（好差评）", replace(st.heading, space_before=0)),
        Text(EVALUATION_TEXT, st.body),
    ]
    if data.evaluation_url:
        qr_size = 23 * mm
        right: list[Flowable] = [
            QRCode(data.evaluation_url, qr_size),
            Text(EVALUATION_QR_CAPTION, replace(st.tag, align="centre")),
        ]
        inner_width = box_width - 2 * (pad + 2)
        qr_column = qr_size + 5 * mm
        invitation = [
            columns([invitation, right], [inner_width - qr_column, qr_column], gap=3 * mm)
        ]
    box = boxed(invitation, box_width, border=RULE, pad=pad)
    stamp = _stamp_column(st, data)
    return [columns([[box], stamp], [column, CONTENT_WIDTH - column], gap=gap, valign="TOP")]


# --- 容缺受理承诺书 ----------------------------------------------------------------------


def render_commitment_pdf(
    data: CaseDocData, deferred: list[DocMaterial], due_date: date, target: PathOrFile
) -> None:
    """Render the deferral commitment (容缺受理承诺书) for the applicant to sign.

    Args:
        data: the case (with ``agent``, the agent signs too).
        deferred: the materials accepted as missing; none may be a key material.
        due_date: the day by which they must be supplied, printed large.
        target: a file name or path, or a binary file object open for writing.

    Raises:
        ValueError: ``deferred`` is empty or holds a key material, ``due_date`` is a datetime
            or before the day of acceptance.
        printing.fonts.FontNotFoundError: the bundled font is missing.
    """
    if not deferred:
        raise ValueError("a deferral commitment needs at least one deferred material")
    check_date(due_date, "due_date")
    check_deferrable(deferred)
    accepted_day = hall_time(data.accepted_at).date()
    if due_date < accepted_day:
        raise ValueError(f"due_date {due_date} is before the day of acceptance {accepted_day}")
    st = make_styles()
    heading = _Headings(st)
    who = "本人（本单位）"
    due = cn_date(due_date, weekday=True)
    story = _opening(st, data, COMMITMENT_TITLE, "日期")
    story += [
        heading("申请人信息"),
        info_table(st, _applicant_rows(data)),
        heading("容缺材料"),
        Text(
            f"{who}申请办理“{data.bundle_name}”，因下列非关键材料暂时无法提供，"
            f"申请容缺受理（共 {len(deferred)} 项）：",
            st.lead,
        ),
        data_table(
            st,
            ["序号", "材料名称", "形式及份数", "用于事项", "暂缺原因"],
            _materials_rows(st, deferred, with_reason=True),
            [11, 50, 24, 37, 48],
        ),
        Spacer(1, 5 * mm),
        due_box(st, due, data.calendar_note),
    ]
    promises = [
        f"{who}将于 {due} 前，将上述容缺材料全部提交至{_where(data)}。",
        f"{who}已提交的申请材料及所填信息真实、合法、有效，如有虚假，愿意承担相应的法律责任。",
        f"{who}已知悉：如未在上述期限内补齐材料，本次申请将终止办理（不予办理），"
        "逾期未补齐的情况将被记录在案，并可能影响今后申请容缺受理。",
        "本承诺书一式两份，申请人与受理单位各执一份。",
    ]
    signers = [sign_column(st, "承诺人（签字/盖章）：")]
    if data.agent is not None:
        signers.append(sign_column(st, "代办人（签字）："))
    stamp_width = 58 * mm
    widths = [(CONTENT_WIDTH - stamp_width) / len(signers)] * len(signers) + [stamp_width]
    # What is promised and the signatures under it stay on one page.
    story.append(
        KeepTogether(
            [
                heading("承诺事项"),
                *(Text(f"{n}. {text}", st.body_indent) for n, text in enumerate(promises, 1)),
                Spacer(1, 6 * mm),
                columns([*signers, _stamp_column(st, data)], widths, gap=10 * mm),
            ]
        )
    )
    # A usual commitment is one sheet: the promises are never signed on a page of their own.
    story = fit_one_page(story)
    build_pdf(target, story, _frame(st, data, COMMITMENT_TITLE), subject=data.bundle_name)
