"""The supervisor's 好差评 page (the distribution, the follow-up of negative ratings, appeals) and
the reform page (each bundle's claim beside what its cases show)."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain import clock
from desk_app.services.evaluation import follow_up
from desk_app.services.evaluation import stats as evaluation_stats
from desk_app.services.supervision import reform
from desk_app.store import Database
from desk_app.ui.common import theme
from desk_app.ui.common.i18n import listed
from desk_app.ui.common.tasks import TaskRunner, user_message
from desk_app.ui.supervisor.tables import fill_row, table

PERIOD_DAYS = 30


class EvaluationsPage(QWidget):
    """Last 30 days' ratings and every negative rating's follow-up, overdue first."""

    def __init__(self, db: Database, runner: TaskRunner) -> None:
        super().__init__()
        self.db = db
        self.runner = runner
        self.rows: list[follow_up.FollowUpView] = []
        self._loaded_once = False
        self.headline = QLabel()
        self.headline.setWordWrap(True)
        self.headline.setStyleSheet("font-size: 13pt;")
        self.by_window = table(
            [self.tr("分组"), self.tr("评价数"), self.tr("平均"), self.tr("差评")]
        )
        self.grouping = QComboBox()
        for key, label in (
            ("by_window", self.tr("按窗口")),
            ("by_staff", self.tr("按工作人员")),
            ("by_bundle", self.tr("按一件事")),
            ("by_dimension", self.tr("按评价维度")),
        ):
            self.grouping.addItem(label, key)
        self.grouping.currentIndexChanged.connect(self._show_groups)
        self.payload: dict = {}
        self.follow = table(
            [self.tr("评价"), self.tr("状态"), self.tr("应回访日"), self.tr("办件"),
             self.tr("一件事"), self.tr("等级"), self.tr("意见"), self.tr("回访结果"),
             self.tr("申诉")]
        )  # fmt: skip
        self.outcome = QComboBox()
        self.outcome.addItem(self.tr("已整改"), "fixed")
        self.outcome.addItem(self.tr("已解释说明"), "explained")
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("回访记录或复核意见（必填）"))
        self.record_button = QPushButton(self.tr("记录回访"))
        self.record_button.setProperty("primary", True)
        self.record_button.clicked.connect(self._record)
        self.review = QComboBox()
        self.review.addItem(self.tr("申诉成立（不计入）"), "upheld")
        self.review.addItem(self.tr("申诉不成立"), "rejected")
        self.review_button = QPushButton(self.tr("复核申诉"))
        self.review_button.clicked.connect(self._review)
        self.status = QLabel()
        actions = QHBoxLayout()
        actions.addWidget(self.outcome)
        actions.addWidget(self.note, 1)
        actions.addWidget(self.record_button)
        actions.addSpacing(16)
        actions.addWidget(self.review)
        actions.addWidget(self.review_button)
        side = QVBoxLayout()
        side.addWidget(self.grouping)
        side.addWidget(self.by_window)
        top = QHBoxLayout()
        top.addWidget(self.headline, 2)
        top.addLayout(side, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(top, 1)
        title = QLabel(self.tr("差评回访（15 个工作日内）"))
        title.setStyleSheet(f"font-weight: bold; color: {theme.PRIMARY}; font-size: 13pt;")
        lay.addWidget(title)
        lay.addWidget(self.follow, 2)
        lay.addLayout(actions)
        lay.addWidget(self.status)

    def load_once(self) -> None:
        if not self._loaded_once:
            self.load()

    def load(self) -> None:
        self._loaded_once = True
        db = self.db
        last = clock.today()
        first = last - timedelta(days=PERIOD_DAYS - 1)

        def work() -> tuple[dict, list[follow_up.FollowUpView]]:
            stats = evaluation_stats.evaluations(db, first, last).to_json()
            return stats, follow_up.follow_ups(db)

        self.runner.submit(work, self._show, lambda e: self.status.setText(user_message(e)))

    def _show(self, result: tuple[dict, list[follow_up.FollowUpView]]) -> None:
        chosen = self._selected()
        keep = chosen.evaluation_id if chosen is not None else None
        p, self.rows = result
        levels = p["levels"]
        self.headline.setText(
            self.tr(
                "近 %1 天：评价 %2 条，办结 %3 件，评价率 %4；满意率 %5%；"
                "非常满意 %6 · 满意 %7 · 基本满意 %8 · 不满意 %9 · 非常不满意 %10。"
                "差评待回访 %11，逾期 %12；申诉待复核 %13。"
            )
            .replace("%10", str(levels["1"]))
            .replace("%11", str(p["follow_ups"]["open"]))
            .replace("%12", str(p["follow_ups"]["overdue"]))
            .replace("%13", str(p["appeals"]["pending"]))
            .replace("%1", str(PERIOD_DAYS))
            .replace("%2", str(p["ratings"]))
            .replace("%3", str(p["concluded"]))
            .replace("%4", "-" if p["rating_rate"] is None else f"{p['rating_rate'] * 100:.0f}%")
            .replace("%5", "-" if p["satisfied_pct"] is None else str(p["satisfied_pct"]))
            .replace("%6", str(levels["5"]))
            .replace("%7", str(levels["4"]))
            .replace("%8", str(levels["3"]))
            .replace("%9", str(levels["2"]))
        )
        self.payload = p
        self._show_groups()
        states = {"overdue": self.tr("逾期"), "open": self.tr("待回访"), "done": self.tr("已回访")}
        outcomes = {"fixed": self.tr("已整改"), "explained": self.tr("已解释说明")}
        appeals = {
            "pending": self.tr("待复核"),
            "upheld": self.tr("成立"),
            "rejected": self.tr("不成立"),
        }
        self.follow.clearSelection()  # re-chosen by evaluation below, not by row number
        self.follow.setRowCount(len(self.rows))
        for i, r in enumerate(self.rows):
            colour = {"overdue": theme.DANGER, "done": theme.MUTED}.get(r.state)
            fill_row(
                self.follow,
                i,
                [r.evaluation_id, states[r.state], r.due, r.case_no, r.bundle, r.level,
                 r.comment or "", outcomes.get(r.outcome or "", ""), appeals.get(r.appeal or "", "")],
                colour,
            )  # fmt: skip
            if r.evaluation_id == keep:
                self.follow.selectRow(i)  # the one just followed up stays chosen

    def _show_groups(self) -> None:
        """The chosen distribution: per window, member of staff, bundle or dimension."""
        key = str(self.grouping.currentData())
        if key == "by_dimension":
            names = {
                "overall": self.tr("整体满意度"),
                "efficiency": self.tr("服务效率"),
                "competence": self.tr("服务水平"),
                "attitude": self.tr("服务态度"),
            }
            rows = []
            for dim, levels in self.payload.get("by_dimension", {}).items():
                n = sum(levels.values())
                mean = round(sum(int(k) * v for k, v in levels.items()) / n, 2) if n else None
                rows.append([names.get(dim, dim), n, mean, levels["1"] + levels["2"]])
        else:
            rows = [
                ["-" if r["key"] is None else r["key"], r["ratings"], r["mean"], r["negative"]]
                for r in self.payload.get(key, [])
            ]
        self.by_window.setRowCount(len(rows))
        for i, row in enumerate(rows):
            fill_row(self.by_window, i, row)

    def _selected(self) -> follow_up.FollowUpView | None:
        rows = self.follow.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows and rows[0].row() < len(self.rows) else None

    def _act(self, fn) -> None:  # type: ignore[no-untyped-def]
        row = self._selected()
        if row is None:
            self.status.setText(self.tr("请先选择一条差评。"))
            return
        note = self.note.text().strip()
        if not note:
            self.status.setText(self.tr("请填写回访记录或复核意见。"))
            return
        self.runner.submit(
            lambda: fn(row.evaluation_id, note),
            lambda _v: self._saved(),
            lambda e: self.status.setText(user_message(e)),
        )

    def _saved(self) -> None:
        self.note.clear()
        self.status.setText(self.tr("已保存。"))
        self.load()

    def _record(self) -> None:
        outcome, db = str(self.outcome.currentData()), self.db
        self._act(lambda eid, note: follow_up.record(db, eid, outcome, note))

    def _review(self) -> None:
        outcome, db = str(self.review.currentData()), self.db
        self._act(lambda eid, note: follow_up.review(db, eid, outcome, note))


class ReformPage(QWidget):
    """Per bundle: published before → after, and the measured mean of the concluded cases."""

    def __init__(self, db: Database, runner: TaskRunner) -> None:
        super().__init__()
        self.db = db
        self.runner = runner
        self._loaded_once = False
        self.yardstick = QLabel()
        self.yardstick.setWordWrap(True)
        self.yardstick.setStyleSheet("font-size: 13pt;")
        self.table = table(
            [self.tr("一件事"), self.tr("办结件数"), self.tr("环节 承诺→实测"),
             self.tr("材料 承诺→实测"), self.tr("跑动 实测"), self.tr("时限(工作日) 承诺→实测"),
             self.tr("共享获取 / 转纸质"), self.tr("差于承诺")]
        )  # fmt: skip
        self.status = QLabel()
        lay = QVBoxLayout(self)
        lay.addWidget(self.yardstick)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.status)

    def load_once(self) -> None:
        if not self._loaded_once:
            self.load()

    def load(self) -> None:
        self._loaded_once = True
        db = self.db
        self.runner.submit(
            lambda: reform.reform(db), self._show, lambda e: self.status.setText(user_message(e))
        )

    def _show(self, report: reform.ReformReport) -> None:
        cut = report.yardstick["reductions_pct"]
        self.yardstick.setText(
            self.tr("改革目标（首批一件事平均）：跑动 -%1% · 环节 -%2% · 时限 -%3% · 材料 -%4%")
            .replace("%1", str(cut["trips"]))
            .replace("%2", str(cut["steps"]))
            .replace("%3", str(cut["days"]))
            .replace("%4", str(cut["materials"]))
        )
        names = {
            "steps": self.tr("环节"),
            "materials": self.tr("材料"),
            "trips": self.tr("跑动"),
            "days": self.tr("时限"),
        }

        def pair(b: reform.BundleReform, key: str) -> str:
            before, after, got = b.claimed_before[key], b.claimed[key], b.measured[key]
            claim = (
                "" if after is None else (f"{before}→{after}" if before is not None else f"{after}")
            )
            shown = "-" if got is None else str(got)
            if key == "days" and got == 0:
                shown = self.tr("当日办结")
            return f"{claim}  ({shown})" if claim else shown

        self.table.setRowCount(len(report.bundles))
        for i, b in enumerate(report.bundles):
            fill_row(
                self.table,
                i,
                [b.name, b.cases, pair(b, "steps"), pair(b, "materials"),
                 "-" if b.measured["trips"] is None else b.measured["trips"], pair(b, "days"),
                 f"{b.shared} / {b.fell_back}" if b.shared or b.fell_back else "",
                 listed([names[k] for k in b.worse])],
                theme.DANGER if b.worse else None,
            )  # fmt: skip
