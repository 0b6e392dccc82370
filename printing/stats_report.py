"""The supervisor's monthly report (月度运行报告) as an A4 PDF: the month's key figures, the
charts (arrivals vs served by hour, daily waits, no-shows, 好差评), the figures per service, the
reform's claims beside the measured cases, and the negative ratings still to follow up.

Takes plain figures (built by ``desk_app.services.supervision.report``); draws with reportlab only."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, Flowable, SimpleDocTemplate, Spacer

from printing.documents_common import (
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    PAGE_WIDTH,
    RULE,
    DocTitle,
    KeepWithTable,
    PathOrFile,
    data_table,
)
from printing.documents_text import GREY_TEXT, Text, make_styles
from printing.stats_charts import bar_chart, line_chart

FIGURE_NAMES = {"steps": "环节", "materials": "材料", "trips": "跑动", "days": "时限(工作日)"}


@dataclass(frozen=True)
class MonthlyFigures:
    """Everything the report prints (plain values, no database)."""

    hall_name: str
    month: str  # "2026-11"
    total: Mapping[str, Any]  # the month's summary total row
    by_service: Sequence[Mapping[str, Any]]  # summary rows with "name"
    daily: Sequence[Mapping[str, Any]]  # summary rows by day
    hourly: Mapping[int, tuple[int, int]]
    evaluations: Mapping[str, Any]  # the stats evaluations payload
    reform: Sequence[Mapping[str, Any]]  # bundles as in stats reform
    reductions: Sequence[Mapping[str, Any]]  # figure, claimed_pct, measured_pct, cases
    sla_minutes: int
    # The audit trail's head when the report was made (seq, hash): on paper, outside the hall's
    # database, so a tail cut later shows against it.
    audit_head: tuple[int, str] | None = None
    # 线上线下融合 (services/supervision/online_stats.py to_json), and 免证办's calls and
    # materials saved; None: not printed.
    online: Mapping[str, Any] | None = None
    sharing: Mapping[str, int] | None = None


def _min(seconds: Any) -> str:
    return "-" if seconds is None else f"{seconds / 60:.1f}"


def _pct(value: Any, scale: float = 1) -> str:
    return "-" if value is None else f"{value * scale:.1f}%"


def _num(value: Any) -> str:
    return "-" if value is None else str(value)


def _story(f: MonthlyFigures) -> list[Flowable]:
    st = make_styles()
    y, m = f.month.split("-")
    t, ev = f.total, f.evaluations
    story: list[Flowable] = [
        DocTitle(st.font, f.hall_name, f"{y}年{int(m)}月 运行报告"),
        Spacer(0, 4 * mm),
        Text("一、本月概况", st.heading),
        data_table(
            st,
            [
                "取号",
                "办结",
                "过号率",
                "等候 P50/P90 (分)",
                f"{f.sla_minutes} 分钟内叫号",
                "评价数",
                "满意率",
                "差评逾期未回访",
            ],
            [
                [
                    _num(t.get("arrivals")),
                    _num(t.get("served")),
                    _pct(t.get("no_show_rate"), 100),
                    f"{_min(t.get('wait_p50_s'))} / {_min(t.get('wait_p90_s'))}",
                    _pct(t.get("sla_pct")),
                    _num(ev.get("ratings")),
                    _pct(ev.get("satisfied_pct")),
                    _num(ev.get("follow_ups", {}).get("overdue")),
                ]
            ],
            [20, 20, 18, 30, 26, 18, 18, 26],
            centred=range(8),
        ),  # fmt: skip
        Spacer(0, 4 * mm),
    ]
    hours = sorted(f.hourly)
    story.append(
        bar_chart(
            "按小时 到达与办结 (人次)",
            [f"{h:02d}" for h in hours],
            [("到达", [f.hourly[h][0] for h in hours]), ("办结", [f.hourly[h][1] for h in hours])],
        )
    )
    days = [str(r["key"])[8:] for r in f.daily]
    every = 1 if len(days) <= 16 else 3

    def minutes(key: str) -> list[float | None]:
        return [None if r[key] is None else r[key] / 60 for r in f.daily]

    story += [
        Spacer(0, 3 * mm),
        line_chart(
            "每日等候时间 (分钟)",
            days,
            [
                ("P50", minutes("wait_p50_s")),
                ("P90", minutes("wait_p90_s")),
                ("P95", minutes("wait_p95_s")),
            ],
            label_every=every,
        ),  # fmt: skip
        Spacer(0, 3 * mm),
        line_chart(
            "每日过号率 (%)",
            days,
            [
                (
                    "过号率",
                    [
                        None if r["no_show_rate"] is None else r["no_show_rate"] * 100
                        for r in f.daily
                    ],
                )
            ],
            label_every=every,
        ),  # fmt: skip
        CondPageBreak(90 * mm),
        Text("二、各业务", st.heading),
        data_table(
            st,
            ["业务", "取号", "办结", "过号", "等候P50", "等候P90", "办理P50", "达标率"],
            [
                [
                    r.get("name") or str(r["key"]),
                    _num(r["arrivals"]),
                    _num(r["served"]),
                    _num(r["no_shows"]),
                    _min(r["wait_p50_s"]),
                    _min(r["wait_p90_s"]),
                    _min(r["service_p50_s"]),
                    _pct(r["sla_pct"]),
                ]
                for r in f.by_service
            ],
            [52, 16, 16, 14, 18, 18, 18, 18],
            centred=range(1, 8),
        ),  # fmt: skip
        Text(
            "等候、办理时间单位为分钟 (最近秩百分位数); 达标率 = 等候不超过目标的叫号占比。",
            st.note,
        ),
        Spacer(0, 4 * mm),
    ]
    levels = ev.get("levels", {})
    story += [
        bar_chart(
            "好差评分布 (条)",
            ["非常满意", "满意", "基本满意", "不满意", "非常不满意"],
            [("评价数", [levels.get(k, 0) for k in ("5", "4", "3", "2", "1")])],
        ),
        CondPageBreak(80 * mm),
        Text("三、改革成效 (已办结办件实测)", st.heading),
    ]
    cut = {r["figure"]: r for r in f.reductions}
    story.append(
        data_table(
            st,
            ["指标", "改革目标", "本厅实测降幅", "依据办件"],
            [
                [
                    FIGURE_NAMES[k],
                    f"-{cut[k]['claimed_pct']}%" if cut[k]["claimed_pct"] else "-",
                    "当日办结"
                    if cut[k].get("same_day")
                    else "-"
                    if cut[k]["measured_pct"] is None
                    else f"-{cut[k]['measured_pct']}%",
                    str(cut[k]["cases"]),
                ]
                for k in ("trips", "steps", "days", "materials")
            ],
            [30, 30, 40, 30],
            centred=range(4),
        )  # fmt: skip
    )
    story.append(Spacer(0, 3 * mm))

    def pair(b: Mapping[str, Any], k: str) -> str:
        before, after, got = b["claimed_before"][k], b["claimed"][k], b["measured"][k]
        claim = f"{before}→{after}" if after is not None and before is not None else _num(after)
        shown = "当日办结" if k == "days" and got == 0 else _num(got)
        return f"{claim} / {shown}" if after is not None else shown

    story.append(
        data_table(
            st,
            [
                "一件事",
                "办结",
                "环节 承诺/实测",
                "材料 承诺/实测",
                "跑动 实测",
                "时限 承诺/实测",
                "差于承诺",
            ],
            [
                [
                    b["name"],
                    str(b["cases"]),
                    pair(b, "steps"),
                    pair(b, "materials"),
                    _num(b["measured"]["trips"]),
                    pair(b, "days"),
                    "、".join(FIGURE_NAMES[k] for k in b["worse"]) or "-",
                ]
                for b in f.reform
            ],
            [46, 14, 24, 24, 16, 24, 22],
            centred=range(1, 7),
        )  # fmt: skip
    )
    overdue = ev.get("overdue", [])
    story += [
        CondPageBreak(40 * mm),
        Text("四、差评回访", st.heading),
        Text(
            f"本月差评 {ev.get('follow_ups', {}).get('negative', 0)} 条, 已回访 "
            f"{ev.get('follow_ups', {}).get('done', 0)} 条; 申诉成立 "
            f"{ev.get('appeals', {}).get('upheld', 0)} 条。逾期未回访:",
            st.body,
        ),
    ]
    if overdue:
        story.append(
            data_table(
                st,
                ["办件编号", "一件事", "等级", "应回访日", "窗口"],
                [
                    [o["case_no"], o["bundle"], str(o["level"]), o["due"] or "-", _num(o["window"])]
                    for o in overdue[:40]
                ],
                [40, 60, 14, 26, 14],
                centred=(2, 3, 4),
            )  # fmt: skip
        )
    else:
        story.append(Text("无。", st.body))
    story += _online(st, f)
    if f.audit_head is not None:
        seq, digest = f.audit_head
        story += [
            Spacer(0, 4 * mm),
            Text(
                f"审计记录链: 截至制表共 {seq} 条, 末条摘要 {digest[:16]}…{digest[-8:]}"
                "（与 desk-app audit verify 核对）",
                st.body,
            ),
        ]
    return story


def _online(st: Any, f: MonthlyFigures) -> list[Flowable]:
    """五、线上线下融合: channels and the online share per 一件事, review time, 12345, sharing."""
    if f.online is None:
        return []
    o, sh = f.online, f.sharing or {}
    rv, wo = o["review"], o["workorders"]
    rows = [
        [b["name"], str(b["walk-in"]), str(b["appointment"]), str(b["online"]),
         _pct(b["online_share"], 100)]
        for b in o["bundles"]
    ]  # fmt: skip
    out: list[Flowable] = [
        CondPageBreak(40 * mm),
        Text("五、线上线下融合", st.heading),
        Text(
            f"网办件审核 {rv['decided']} 件, 收件至审核用时 p50 {_num(rv['p50_minutes'])} 分钟、"
            f"p90 {_num(rv['p90_minutes'])} 分钟。12345 工单 {wo['received']} 件: 按时签收 "
            f"{wo['signed_on_time']} 件, 答复 {wo['replied']} 件 (按时 {wo['replied_on_time']}), "
            f"退回 {wo['returned']} 件, 逾期未办 {wo['open_late']} 件。数据共享接口调用 "
            f"{sh.get('calls', 0)} 次, 免提交材料 {sh.get('materials_saved', 0)} 份。",
            st.body,
        ),
    ]
    if rows:
        out.append(
            data_table(
                st,
                ["一件事", "现场", "预约", "网办", "网办占比"],
                rows,
                [70, 20, 20, 20, 24],
                centred=range(1, 5),
            )  # fmt: skip
        )
    return out


def _page_canvas(font: str, hall_name: str, label: str) -> type[Canvas]:
    """A canvas that holds its pages back until saved, to print "第 n 页 共 m 页" on each."""

    class _Pages(Canvas):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            self._held: list[dict[str, object]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held)
            for number, state in enumerate(self._held, start=1):
                self.__dict__.update(state)
                self.saveState()
                self.setLineWidth(RULE)
                self.setStrokeGray(0.4)
                y = 11 * mm
                self.line(MARGIN_X, y + 10, PAGE_WIDTH - MARGIN_X, y + 10)
                self.setFillGray(GREY_TEXT)
                self.setFont(font, 8.5)
                self.drawString(MARGIN_X, y, f"{hall_name}　{label}")
                self.setFillGray(0)
                self.setFont(font, 9)
                self.drawRightString(PAGE_WIDTH - MARGIN_X, y, f"第 {number} 页 共 {total} 页")
                self.restoreState()
                super().showPage()
            super().save()

    return _Pages


def render_monthly_report(target: PathOrFile, figures: MonthlyFigures) -> None:
    """Write the monthly report PDF (A4, numbered pages, the CJK font embedded)."""
    story = _story(figures)
    font = make_styles().font
    y, m = figures.month.split("-")
    label = f"{y}年{int(m)}月 运行报告"
    out = os.fspath(target) if isinstance(target, str | os.PathLike) else target
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=f"{figures.hall_name} {label}",
        author=figures.hall_name,
        subject=f"monthly report {figures.month}",
        creator="desk-app",
        pageCompression=1,
        initialFontName=font,  # otherwise Helvetica is declared on every page, not embedded
        lang="zh-CN",
        keepTogetherClass=KeepWithTable,
    )
    doc.build(story, canvasmaker=_page_canvas(font, figures.hall_name, label))
