"""The right-hand side of the helper screen: the chosen session (mode, channel, state, the
visitor masked, the authorization in force, linked cases and tickets), its timeline, and the
hall's pain points with the overdue ones first."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain import clock
from desk_app.domain.assist import AssistMode
from desk_app.services.assist import documents as assist_print
from desk_app.services.assist.pain_points import PainView
from desk_app.services.assist.views import SessionView
from desk_app.services.common.catalog import english_name
from desk_app.ui.cases.labels import fact as case_fact
from desk_app.ui.cases.labels import state as case_state
from desk_app.ui.common import theme
from desk_app.ui.common.i18n import QT_TRANSLATE_NOOP, is_english, listed

MODE_LABELS = {
    "accompany": QT_TRANSLATE_NOOP("SessionPanel", "帮办"),
    "proxy": QT_TRANSLATE_NOOP("SessionPanel", "代办"),
    "walkthrough": QT_TRANSLATE_NOOP("SessionPanel", "走流程"),
}
CHANNEL_LABELS = {
    "site": QT_TRANSLATE_NOOP("SessionPanel", "现场"),
    "home": QT_TRANSLATE_NOOP("SessionPanel", "上门"),
    "video": QT_TRANSLATE_NOOP("SessionPanel", "视频"),
}
STATE_LABELS = {
    "active": QT_TRANSLATE_NOOP("SessionPanel", "办理中"),
    "suspended": QT_TRANSLATE_NOOP("SessionPanel", "已中止"),
    "terminated": QT_TRANSLATE_NOOP("SessionPanel", "已终止"),
    "concluded": QT_TRANSLATE_NOOP("SessionPanel", "已办结"),
}
PAIN_STATE_LABELS = {
    "open": QT_TRANSLATE_NOOP("SessionPanel", "待分派"),
    "assigned": QT_TRANSLATE_NOOP("SessionPanel", "整改中"),
    "resolved": QT_TRANSLATE_NOOP("SessionPanel", "已解决"),
    "explained": QT_TRANSLATE_NOOP("SessionPanel", "已解释"),
}
CATEGORY_LABELS = {
    "materials": QT_TRANSLATE_NOOP("SessionPanel", "材料"),
    "process": QT_TRANSLATE_NOOP("SessionPanel", "流程"),
    "system": QT_TRANSLATE_NOOP("SessionPanel", "系统"),
    "information": QT_TRANSLATE_NOOP("SessionPanel", "信息"),
    "attitude": QT_TRANSLATE_NOOP("SessionPanel", "作风"),
}
STATE_COLOURS = {
    "active": theme.PRIMARY,
    "suspended": theme.ACCENT,
    "terminated": theme.DANGER,
    "concluded": theme.OK,
}


def label(text: str) -> str:
    """A label of the tables above in the screen's language."""
    return QCoreApplication.translate("SessionPanel", text)


def list_table(headers: list[str], stretch: int) -> QTableWidget:
    """A read-only list; column ``stretch`` takes the room left and wraps (long texts)."""
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().setVisible(False)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setAlternatingRowColors(True)
    t.setWordWrap(True)
    header = t.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    t.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return t


def fixed_width(table: QTableWidget, columns: dict[int, int]) -> None:
    """Columns of a set width whose text wraps, so the stretching one keeps its room."""
    header = table.horizontalHeader()
    for column, width in columns.items():
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(column, width)


def cell(text: Any, data: Any = None) -> QTableWidgetItem:
    item = QTableWidgetItem("" if text is None else str(text))
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


class SessionPanel(QFrame):
    """Shows one session and the pain points; holds no database handle (the screen reads)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.current: SessionView | None = None
        self.pains: list[PainView] = []
        self.setObjectName("detail")
        self.setStyleSheet(
            "#detail { background: white; border: 1px solid #d5dce5; border-radius: 8px; }"
        )
        rlay = QVBoxLayout(self)
        self.title = QLabel(self.tr("请选择或新建一次帮办服务 (F2)"))
        self.title.setStyleSheet(f"font-size: 16pt; font-weight: bold; color: {theme.PRIMARY};")
        self.visitor = QLabel()
        self.visitor.setStyleSheet("font-size: 13pt;")
        self.auth_label = QLabel()
        self.auth_label.setWordWrap(True)
        self.links = QLabel()
        self.links.setWordWrap(True)
        self.links.setStyleSheet(f"color: {theme.MUTED};")
        self.tabs = QTabWidget()
        self.steps = list_table(
            [
                self.tr("序号"),
                self.tr("时间"),
                self.tr("窗口/部门"),
                self.tr("办理内容"),
                self.tr("递交材料"),
                self.tr("结果"),
                self.tr("用时"),
            ],
            stretch=3,
        )
        self.pain_table = list_table(
            [
                self.tr("编号"),
                self.tr("堵点类别"),
                self.tr("一件事"),
                self.tr("堵点"),
                self.tr("责任部门"),
                self.tr("期限"),
                self.tr("状态"),
            ],
            stretch=3,
        )
        fixed_width(self.pain_table, {2: 150, 4: 150})
        fixed_width(self.steps, {4: 150})
        self.tabs.addTab(self.steps, self.tr("办理过程"))
        self.tabs.addTab(self.pain_table, self.tr("堵点（逾期在前）"))
        self.pain_table.setToolTip(self.tr("选中一条后按 Ctrl+E 解释说明"))
        for w in (self.title, self.visitor, self.auth_label, self.links):
            rlay.addWidget(w)
        rlay.addWidget(self.tabs, 1)

    def show_session(self, v: SessionView) -> None:
        self.current = v
        self.title.setText(
            f"{assist_print.session_number(v.id)}  {label(MODE_LABELS[v.mode])} · "
            f"{label(CHANNEL_LABELS[v.channel])} · {label(STATE_LABELS[v.state])}"
        )
        origin = v.ticket or v.appointment or self.tr("现场接待")
        self.visitor.setText(
            self.tr("服务对象：%1  %2    一件事：%3    来源：%4")
            .replace("%1", v.visitor_name)
            .replace("%2", v.visitor_id)
            .replace(
                "%3",
                english_name(v.bundle, v.bundle_name or "—")
                if is_english()
                else v.bundle_name or "—",
            )
            .replace("%4", origin)
        )
        self._show_authorization(v)
        parts = []
        if v.cases:
            parts.append(
                self.tr("办件：")
                + listed(
                    [
                        f"{c['case_no']}" + self.tr("（%1）").replace("%1", case_state(c["state"]))
                        for c in v.cases
                    ]
                )
            )
        if v.tickets:
            parts.append(self.tr("号票：") + listed(list(v.tickets)))
        if v.end_reason:
            parts.append(self.tr("原因：") + v.end_reason)
        parts.append(
            self.tr("环节 %1 个，跑动 %2 次，用时 %3 分钟")
            .replace("%1", str(len(v.steps)))
            .replace("%2", str(v.trips))
            .replace("%3", str(v.minutes))
        )
        self.links.setText("    ".join(parts))
        self.steps.setRowCount(len(v.steps))
        for row, st in enumerate(v.steps):
            cells = [
                st.seq,
                f"{clock.local(st.started_at):%H:%M}-{clock.local(st.ended_at):%H:%M}",
                st.where
                if st.window is None
                else self.tr("%1 号窗口").replace("%1", str(st.window)),
                st.action,
                listed(list(st.materials)) or "—",
                st.outcome or "—",
                self.tr("%1 分钟").replace("%1", str(st.minutes)),
            ]
            for col, text in enumerate(cells):
                self.steps.setItem(row, col, cell(text))

    def _show_authorization(self, v: SessionView) -> None:
        a = v.authorization
        if v.mode != AssistMode.PROXY:
            self.auth_label.setText("")
            self.auth_label.setVisible(False)
            return
        self.auth_label.setVisible(True)
        if a is None:
            self.auth_label.setText(self.tr("代办尚无授权委托书：按 F4 签署后方可代为办理"))
            self.auth_label.setStyleSheet(f"color: {theme.DANGER}; font-size: 12pt;")
            return
        text = (
            self.tr("授权委托书：%1 委托 %2，事项：%3，有效期至 %4")
            .replace("%1", a.principal_name)
            .replace("%2", a.agent_name)
            .replace(
                "%3",
                listed(
                    [
                        case_fact(v.bundle, "item", code, name)
                        for code, name in zip(a.items, a.item_names, strict=True)
                    ]
                ),
            )
            .replace("%4", a.valid_until.isoformat())
        )
        if not a.valid:
            text += self.tr("（已过期，请重新签署）")
        self.auth_label.setText(text)
        colour = theme.OK if a.valid else theme.DANGER
        self.auth_label.setStyleSheet(f"color: {colour}; font-size: 12pt;")

    def show_pains(self, pains: list[PainView]) -> None:
        """Every pain point, overdue first (as the service sorts them)."""
        self.pains = pains
        self.pain_table.setRowCount(len(self.pains))
        for row, p in enumerate(self.pains):
            state = label(PAIN_STATE_LABELS[p.state])
            if p.overdue:
                state = self.tr("逾期") + " · " + state
            cells = [
                p.id,
                label(CATEGORY_LABELS[p.category]),
                p.bundle_name,
                p.text,
                p.owner or "—",
                p.due.isoformat(),
                state,
            ]
            for col, text in enumerate(cells):
                item = cell(text, p.id)
                if p.overdue:
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.pain_table.setItem(row, col, item)
        self.tabs.setTabText(
            1,
            self.tr("堵点（逾期在前）")
            + f" {sum(p.overdue for p in self.pains)}/{len(self.pains)}",
        )
