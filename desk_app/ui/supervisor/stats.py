"""The supervisor's statistics page: a period and a grouping, the figures table, the four charts,
and the exports (CSV with BOM, XLSX, the charts as PNG, the monthly PDF report)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain import clock
from desk_app.services.cases import sharing
from desk_app.services.evaluation import stats as evaluation_stats
from desk_app.services.supervision import export as stats_export
from desk_app.services.supervision import online_stats, statistics
from desk_app.store import Database
from desk_app.ui.common import theme
from desk_app.ui.common.i18n import in_documents
from desk_app.ui.common.tasks import TaskRunner, user_message
from desk_app.ui.supervisor.charts import ChartBook
from desk_app.ui.supervisor.tables import fill_row, table

GROUPINGS = ("service", "window", "staff", "hour", "weekday", "session", "channel", "day")


@dataclass(frozen=True)
class StatsData:
    summary: statistics.Summary
    daily: statistics.Summary
    hourly: dict[int, tuple[int, int]]
    levels: dict[str, int]
    share: tuple[int, int] = (0, 0)  # 免证办: calls to the sharing gateway, materials saved
    online: Any = None  # online_stats.OnlineFigures: 网办件 and 12345 of the period


def minutes(seconds: Any) -> str:
    return "" if seconds is None else f"{seconds / 60:.1f}"


class StatsPage(QWidget):
    """Figures of a period; loads off the UI thread when shown or asked."""

    loaded = Signal(object)  # StatsData

    def __init__(self, db: Database, runner: TaskRunner) -> None:
        super().__init__()
        self.db = db
        self.runner = runner
        self.data: StatsData | None = None
        self._loaded_once = False
        today = clock.today()
        start = today - timedelta(days=29)
        self.first = QDateEdit(QDate(start.year, start.month, start.day))
        self.last = QDateEdit(QDate(today.year, today.month, today.day))
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.by = QComboBox()
        labels = {
            "service": self.tr("按业务"),
            "window": self.tr("按窗口"),
            "staff": self.tr("按工作人员"),
            "hour": self.tr("按小时"),
            "weekday": self.tr("按星期"),
            "session": self.tr("按时段"),
            "channel": self.tr("按渠道"),
            "day": self.tr("按日"),
        }
        for key in GROUPINGS:
            self.by.addItem(labels[key], key)
        self.load_button = QPushButton(self.tr("统计 (Ctrl+R)"))
        self.load_button.setProperty("primary", True)
        self.load_button.setShortcut("Ctrl+R")
        self.load_button.clicked.connect(self.load)
        self.csv_button = QPushButton(self.tr("导出 CSV"))
        self.xlsx_button = QPushButton(self.tr("导出 Excel"))
        self.png_button = QPushButton(self.tr("保存图表 PNG"))
        self.pdf_button = QPushButton(self.tr("月报 PDF"))
        self.csv_button.clicked.connect(lambda: self._ask_export("csv"))
        self.xlsx_button.clicked.connect(lambda: self._ask_export("xlsx"))
        self.png_button.clicked.connect(self._ask_png)
        self.pdf_button.clicked.connect(self._ask_pdf)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("从")))
        bar.addWidget(self.first)
        bar.addWidget(QLabel(self.tr("至")))
        bar.addWidget(self.last)
        bar.addWidget(self.by)
        bar.addWidget(self.load_button)
        bar.addStretch(1)
        for b in (self.csv_button, self.xlsx_button, self.png_button, self.pdf_button):
            bar.addWidget(b)
        self.table = table(
            [self.tr("分组"), self.tr("取号"), self.tr("叫号"), self.tr("办结"), self.tr("过号"),
             self.tr("过号率"), self.tr("等候P50(分)"), self.tr("等候P90(分)"),
             self.tr("等候P95(分)"), self.tr("办理P50(分)"), self.tr("办理P90(分)"),
             self.tr("达标率%"), self.tr("空闲(时)")], stretch=0,
        )  # fmt: skip
        self.charts = ChartBook(self)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for view in self.charts.views.values():
            row.addWidget(view)
        chart_box = QWidget()
        chart_box.setLayout(row)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(chart_box)
        split.setSizes([420, 360])
        self.status = QLabel()
        self.status.setStyleSheet(f"color: {theme.MUTED};")
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(split, 1)
        lay.addWidget(self.status)

    def period(self) -> tuple[date, date]:
        return self.first.date().toPython(), self.last.date().toPython()  # type: ignore[return-value]

    def load_once(self) -> None:
        if not self._loaded_once:
            self.load()

    def load(self) -> None:
        self._loaded_once = True
        first, last = self.period()
        by, db = str(self.by.currentData()), self.db
        self.status.setText(self.tr("正在统计…"))
        self.load_button.setEnabled(False)

        def work() -> StatsData:
            summary = statistics.summary(db, first, last, by=by)
            daily = summary if by == "day" else statistics.summary(db, first, last, by="day")
            hourly = statistics.hourly(db, first, last)
            levels = evaluation_stats.evaluations(db, first, last).payload["levels"]
            rows = sharing.stats(db, "resource", first, last)
            share = (sum(r["calls"] for r in rows), sum(r["materials_saved"] for r in rows))
            online = online_stats.figures(db, first, last)
            return StatsData(summary, daily, hourly, levels, share, online)

        self.runner.submit(work, self._show, self._failed)

    def _show(self, data: StatsData) -> None:
        self.data = data
        self.load_button.setEnabled(True)
        rows = [*data.summary.rows, {**data.summary.total, "key": self.tr("合计"), "name": None}]
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            rate = r.get("no_show_rate")
            idle = r.get("idle_s")
            fill_row(
                self.table,
                i,
                [
                    self.key_label(data.summary.by, r),
                    r["arrivals"],
                    r["called"],
                    r["served"],
                    r["no_shows"],
                    "" if rate is None else f"{rate * 100:.1f}%",
                    minutes(r["wait_p50_s"]),
                    minutes(r["wait_p90_s"]),
                    minutes(r["wait_p95_s"]),
                    minutes(r["service_p50_s"]),
                    minutes(r["service_p90_s"]),
                    "" if r["sla_pct"] is None else r["sla_pct"],
                    "" if idle is None else f"{idle / 3600:.1f}",
                ],
            )
        self.charts.fill(data.hourly, data.daily.rows, data.levels)
        s = data.summary
        self.status.setText(
            self.tr("%1 至 %2：取号 %3，办结 %4，达标线 %5 分钟")
            .replace("%1", s.first.isoformat())
            .replace("%2", s.last.isoformat())
            .replace("%3", str(s.total["arrivals"]))
            .replace("%4", str(s.total["served"]))
            .replace("%5", str(s.sla_target_s // 60))
            + self.tr("；数据共享调用 %1 次，免提交材料 %2 份")
            .replace("%1", str(data.share[0]))
            .replace("%2", str(data.share[1]))
            + self._online_text(data.online)
        )
        self.loaded.emit(data)

    def _online_text(self, f: Any) -> str:
        """网办 share, review time and 12345 on time, in one line (empty when none)."""
        if f is None:
            return ""
        online = sum(r.get("online", 0) for r in f.by_bundle.values())
        total = sum(sum(r.values()) for r in f.by_bundle.values())
        wo = f.orders
        if not total and not wo.get("received"):
            return ""
        share = f"{online * 100 / total:.0f}%" if total else "-"
        p50 = "-" if f.review_p50 is None else f"{f.review_p50:.0f}"
        return (
            self.tr(
                "\n网办占比 %1，审核用时 p50 %2 分钟；12345 工单 %3 件，按时签收 %4，按时答复 %5"
            )
            .replace("%1", share)
            .replace("%2", p50)
            .replace("%3", str(wo.get("received", 0)))
            .replace("%4", str(wo.get("signed_on_time", 0)))
            .replace("%5", str(wo.get("replied_on_time", 0)))
        )

    def key_label(self, by: str, row: dict[str, Any]) -> str:
        """A row's group as staff read it: the name of a service or person, 周一, 09:00 ..."""
        key = row["key"]
        if key is None:
            return self.tr("（未叫号）") if by in ("window", "staff") else "-"
        if row.get("name"):
            return f"{key} {row['name']}" if by != "service" else str(row["name"])
        if by == "hour" and isinstance(key, int):
            return f"{key:02d}:00"
        if by == "weekday" and isinstance(key, int):
            days = [self.tr("周一"), self.tr("周二"), self.tr("周三"), self.tr("周四"),
                    self.tr("周五"), self.tr("周六"), self.tr("周日")]  # fmt: skip
            return days[key - 1]
        kinds = {
            "regular": self.tr("常规时段"),
            "midday": self.tr("午间延时"),
            "evening": self.tr("晚间延时"),
            "saturday": self.tr("周六"),
            "walk-in": self.tr("现场取号"),
            "appointment": self.tr("预约"),
        }
        return kinds.get(str(key), str(key))

    def _failed(self, exc: Exception) -> None:
        self.load_button.setEnabled(True)
        self.status.setText(user_message(exc))

    # -- exports (the file is chosen on the UI thread, written off it) --------------------------

    def _ask_export(self, kind: str) -> None:
        suffix = "csv" if kind == "csv" else "xlsx"
        base = self.tr("统计")
        name = f"{base}-{self.period()[0]}.{suffix}"
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("导出统计"), in_documents(name), f"*.{suffix}"
        )
        if path:
            self.export(kind, Path(path))

    def export(self, kind: str, path: Path) -> None:
        if self.data is None:
            self.status.setText(self.tr("请先统计。"))
            return
        summary, db = self.data.summary, self.db
        self.runner.submit(
            lambda: stats_export.export_summary(db, summary, path, kind),
            lambda p: self.status.setText(self.tr("已导出：") + str(p)),
            self._failed,
        )

    def _ask_png(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("保存图表到文件夹"), in_documents("")
        )
        if folder:
            self.save_charts(Path(folder))

    def save_charts(self, folder: Path) -> list[Path]:
        saved = []
        for name, view in self.charts.views.items():
            path = folder / f"{name}-{self.period()[0]}.png"
            if view.save_png(path):
                saved.append(path)
        self.status.setText(
            self.tr("已保存 %1 张图表到 ").replace("%1", str(len(saved))) + str(folder)
        )
        return saved

    def _ask_pdf(self) -> None:
        month = self.period()[0].strftime("%Y-%m")
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("保存月报"), in_documents(self.tr("月报") + f"-{month}.pdf"), "*.pdf"
        )
        if path:
            self.report(Path(path))

    def report(self, path: Path) -> None:
        from desk_app.services.supervision import report as stats_report

        first, last = stats_report.month_bounds(self.period()[0].strftime("%Y-%m"))
        db = self.db
        self.status.setText(self.tr("正在生成月报…"))
        self.runner.submit(
            lambda: stats_report.monthly_report(db, first, last, path),
            lambda pages: self.status.setText(self.tr("已生成月报：") + str(path)),
            self._failed,
        )
