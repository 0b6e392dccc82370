"""The A4 papers of 帮办代办 (domain.md "帮办代办"):

- :func:`render_authorization_pdf`: 授权委托书, the principal's letter appointing the agent for
  the listed items of a 一件事 until a date, to be signed by both;
- :func:`render_session_form_pdf`: the session's 受理单 (started), 中止单 (suspended),
  终止单 (terminated) and 办结单 (concluded), with the timeline so far.

Personal data arrives masked (the documents print what they are given), times are printed on
the hall's clock, the bundled font is embedded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from printing.documents_common import (
    CONTENT_WIDTH,
    DocTitle,
    PageFrame,
    PathOrFile,
    Rule,
    boxed,
    build_pdf,
    cn_date,
    cn_datetime,
    columns,
    data_table,
    fit_one_page,
    hall_time,
    info_table,
    meta_line,
    sign_column,
)
from printing.documents_text import Styles, Text, make_styles

AUTHORIZATION_TITLE = "授权委托书"
FORM_TITLES = {
    "accept": "帮办代办受理单",
    "suspend": "帮办代办中止单",
    "terminate": "帮办代办终止单",
    "conclude": "帮办代办办结单",
}
NUMBER_LABEL = "服务编号"
FREE_TEXT = "帮办代办服务坚持群众自愿、免费的原则，不收取任何费用。"
NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class DocStep:
    when: str  # "09:05-09:20"
    where: str  # "3 号窗口" or a department
    action: str
    materials: str  # "、"-joined, or ""
    outcome: str


@dataclass(frozen=True)
class AssistDocData:
    """What the papers print about a session (personal data already masked)."""

    hall_name: str
    number: str  # the service number, e.g. BB-000012
    mode_label: str  # 帮办 / 代办 / 走流程
    channel_label: str  # 现场 / 上门 / 视频
    bundle_name: str
    visitor_name: str
    visitor_id: str
    helper_name: str
    started_at: datetime
    state_label: str
    ended_at: datetime | None = None
    reason: str | None = None
    steps: list[DocStep] = field(default_factory=list)
    cases: list[str] = field(default_factory=list)
    minutes: int = 0
    trips: int = 0
    printed_at: datetime | None = None


@dataclass(frozen=True)
class AuthorizationDoc:
    """The letter: principal, agent, the items with their departments, the last valid day."""

    principal_name: str
    principal_id: str
    agent_name: str
    agent_id: str | None
    items: list[tuple[str, str]]  # (item name, department)
    valid_until: date
    signed_on: date


class _Headings:
    def __init__(self, st: Styles) -> None:
        self.st, self.count = st, 0

    def __call__(self, text: str) -> Text:
        self.count += 1
        return Text(f"{NUMERALS[self.count - 1]}、{text}", self.st.heading)


def _opening(st: Styles, data: AssistDocData, title: str, day: date) -> list[Flowable]:
    return [
        DocTitle(st.font, data.hall_name, title),
        Spacer(1, 4 * mm),
        meta_line(st, f"{NUMBER_LABEL}：{data.number}", f"日期：{cn_date(day)}"),
        Rule(double=True, space_after=1 * mm),
    ]


def _frame(st: Styles, data: AssistDocData, title: str) -> PageFrame:
    return PageFrame(st.font, data.hall_name, title, data.number, NUMBER_LABEL)


def _session_rows(data: AssistDocData) -> list[list[str]]:
    rows = [
        ["服务方式", f"{data.mode_label}（{data.channel_label}）", "服务状态", data.state_label],
        ["一件事", data.bundle_name or "—"],
        ["服务对象", data.visitor_name, "证件号码", data.visitor_id],
        ["帮办人", data.helper_name or "—", "开始时间", cn_datetime(data.started_at)],
    ]
    if data.ended_at is not None:
        rows.append(
            ["结束时间", cn_datetime(data.ended_at), "办件编号", "、".join(data.cases) or "—"]
        )
    elif data.cases:
        rows.append(["办件编号", "、".join(data.cases)])
    return rows


def render_authorization_pdf(
    data: AssistDocData, letter: AuthorizationDoc, target: PathOrFile
) -> None:
    """Render the authorization letter (授权委托书) for the principal and the agent to sign.

    Raises ValueError when it covers no item (a letter for nothing is not signed)."""
    if not letter.items:
        raise ValueError("an authorization covers at least one item")
    st = make_styles()
    heading = _Headings(st)
    story = _opening(st, data, AUTHORIZATION_TITLE, letter.signed_on)
    agent_id = f"（证件号码 {letter.agent_id}）" if letter.agent_id else ""
    story += [
        heading("委托人与受托人"),
        info_table(
            st,
            [
                ["委托人", letter.principal_name, "证件号码", letter.principal_id],
                [
                    "受托人",
                    letter.agent_name,
                    "证件号码",
                    letter.agent_id or "—（本中心帮办代办人员）",
                ],
            ],
        ),
        heading("委托事项"),
        Text(
            f"本人{letter.principal_name}自愿委托{letter.agent_name}{agent_id}"
            f"作为本人的代理人，代为办理“{data.bundle_name}”中的下列事项"
            f"（共 {len(letter.items)} 项）：",
            st.lead,
        ),
        data_table(
            st,
            ["序号", "事项名称", "承办部门"],
            [[str(n), name, dept] for n, (name, dept) in enumerate(letter.items, start=1)],
            [12, 98, 60],
        ),
        heading("委托权限及期限"),
        Text(
            "受托人可代为填写、递交申请材料，代为查询办理进度，代为签收受理通知、告知书及办理结果。"
            "受托人在委托权限内办理的事项，本人均予以承认；受托人无权转委托，"
            "也不得代为办理上列以外的事项。",
            st.body_indent,
        ),
        boxed(
            [
                Text(
                    f"委托期限：自 {cn_date(letter.signed_on)} 起至 {cn_date(letter.valid_until)} 止；"
                    "逾期本委托书自动失效。",
                    st.body,
                )
            ],
            CONTENT_WIDTH,
        ),
        Spacer(1, 2 * mm),
        Text(FREE_TEXT + "委托人可随时书面撤回本委托。", st.body_indent),
    ]
    third = CONTENT_WIDTH / 3
    signatures = columns(
        [
            sign_column(st, "委托人（签字并按手印）"),
            sign_column(st, "受托人（签字）"),
            sign_column(st, "受理单位（盖章）", rule=False),
        ],
        [third, third, third],
    )
    story.append(KeepTogether([Spacer(1, 8 * mm), signatures]))
    build_pdf(
        target, fit_one_page(story), _frame(st, data, AUTHORIZATION_TITLE), subject=data.bundle_name
    )


def render_session_form_pdf(data: AssistDocData, kind: str, target: PathOrFile) -> None:
    """Render the 受理单 (``accept``), 中止单 (``suspend``), 终止单 (``terminate``) or 办结单
    (``conclude``) of a session, with its timeline so far."""
    title = FORM_TITLES[kind]
    st = make_styles()
    heading = _Headings(st)
    day = hall_time(data.printed_at or data.ended_at or data.started_at).date()
    story = _opening(st, data, title, day)
    story += [heading("服务信息"), info_table(st, _session_rows(data))]
    if kind in ("suspend", "terminate"):
        word = "中止" if kind == "suspend" else "终止"
        story += [
            heading(f"{word}原因"),
            boxed([Text(data.reason or "—", st.body)], CONTENT_WIDTH),
        ]
        follow = (
            "待上述情况消除后，请持本单联系帮办人或到“一件事”综合窗口恢复办理，已办环节和已交材料无需重复。"
            if kind == "suspend"
            else "本次帮办代办服务已终止。如需再次办理，可重新申请帮办代办服务。"
        )
        story.append(Text(follow, st.body_indent))
    if data.steps:
        story += [
            heading("办理过程"),
            data_table(
                st,
                ["序号", "时间", "窗口/部门", "办理内容", "递交材料", "结果"],
                [
                    [str(n), s.when, s.where, s.action, s.materials or "—", s.outcome or "—"]
                    for n, s in enumerate(data.steps, start=1)
                ],
                [10, 24, 28, 44, 34, 30],
            ),
        ]
    if kind == "conclude":
        story += [
            heading("办结情况"),
            Text(
                f"本次服务共办理 {len(data.steps)} 个环节，跑动 {data.trips} 次，"
                f"用时 {data.minutes} 分钟。" + (f"说明：{data.reason}" if data.reason else ""),
                st.body_indent,
            ),
        ]
    if kind == "accept":
        story += [
            heading("服务说明"),
            Text(FREE_TEXT + "请保管好本单，凭服务编号查询和联系帮办人。", st.body_indent),
        ]
    half = CONTENT_WIDTH / 2
    signatures = columns(
        [sign_column(st, "服务对象（签字）"), sign_column(st, "帮办人（签字）")], [half, half]
    )
    story.append(KeepTogether([Spacer(1, 6 * mm), signatures]))
    build_pdf(target, fit_one_page(story), _frame(st, data, title), subject=title)
