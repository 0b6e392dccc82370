"""The supervisor's charts (Qt Charts): arrivals vs served by hour, daily wait percentiles, the
no-show trend and the 好差评 distribution. Each is a chart view filled from the services' plain
figures; ``save_png`` writes one as an image."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QDateTimeAxis,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QDateTime, QObject, Qt, QTime
from PySide6.QtGui import QColor, QFont, QPainter, QPen

from desk_app.ui.common import theme

SERIES_COLOURS = ("#1f5fa8", "#d9822b", "#2e7d32", "#b3261e", "#6a4c93")


def _small(axis) -> None:  # type: ignore[no-untyped-def]
    font = QFont(theme.load_bundled_font(), 9)
    axis.setLabelsFont(font)
    axis.setTruncateLabels(False)  # "08" and "非常满意" in full, not "…"


def _axis_max(values: Sequence[float]) -> float:
    top = max([v for v in values if v is not None] or [0])
    return max(1.0, top * 1.15)


class ChartView(QChartView):
    """A chart view that draws smoothly and can be saved as PNG."""

    def __init__(self, title: str) -> None:
        chart = QChart()
        chart.setTitle(title)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        font = chart.titleFont()
        font.setFamily(theme.load_bundled_font())
        font.setPointSize(12)
        font.setBold(True)
        chart.setTitleFont(font)
        chart.setBackgroundRoundness(4)
        super().__init__(chart)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumSize(260, 260)  # four side by side fit a 1280-wide screen

    def reset(self) -> QChart:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        return chart

    def save_png(self, path: Path | str) -> bool:
        return self.grab().save(str(path), "PNG")


class ChartBook(QObject):
    """Builds and refills the four charts (a QObject so its titles go through self.tr)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.hourly = ChartView(self.tr("按小时 到达与办结"))
        self.waits = ChartView(self.tr("每日等候时间 (分钟, P50/P90/P95)"))
        self.no_shows = ChartView(self.tr("过号率走势 (%)"))
        self.ratings = ChartView(self.tr("好差评分布"))

    @property
    def views(self) -> dict[str, ChartView]:
        return {
            "hourly": self.hourly,
            "waits": self.waits,
            "no_shows": self.no_shows,
            "ratings": self.ratings,
        }

    def _bars(
        self,
        view: ChartView,
        categories: list[str],
        sets: list[tuple[str, list[float]]],
        *,
        x_title: str = "",
    ) -> None:
        chart = view.reset()
        series = QBarSeries()
        values: list[float] = []
        for i, (name, data) in enumerate(sets):
            bar = QBarSet(name)
            bar.setColor(QColor(SERIES_COLOURS[i % len(SERIES_COLOURS)]))
            bar.append([float(v or 0) for v in data])
            values += [float(v or 0) for v in data]
            series.append(bar)
        chart.addSeries(series)
        x = QBarCategoryAxis()
        x.append(categories or ["-"])
        y = QValueAxis()
        y.setRange(0, _axis_max(values))
        y.applyNiceNumbers()  # ticks at 0, 200, 400 ... rather than 0, 205, 410
        y.setLabelFormat("%d")
        _small(x)
        _small(y)
        if x_title:
            x.setTitleText(x_title)
            x.setTitleFont(QFont(theme.load_bundled_font(), 9))
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x)
        series.attachAxis(y)
        chart.legend().setVisible(len(sets) > 1)

    def _lines(self, view: ChartView, days: list[str], lines: list[tuple[str, list[Any]]]) -> None:
        """Daily lines over a date axis (about six date labels, whatever the period)."""
        chart = view.reset()
        values: list[float] = []
        all_series = []
        for i, (name, data) in enumerate(lines):
            series = QLineSeries()
            series.setName(name)
            pen = QPen(QColor(SERIES_COLOURS[i % len(SERIES_COLOURS)]))
            pen.setWidth(2)
            series.setPen(pen)
            series.setPointsVisible(len(days) <= 31)
            for day, v in zip(days, data, strict=True):
                if v is not None:
                    when = QDateTime.fromString(day, "yyyy-MM-dd")
                    when.setTime(QTime(12, 0))
                    series.append(float(when.toMSecsSinceEpoch()), float(v))
                    values.append(float(v))
            chart.addSeries(series)
            all_series.append(series)
        x = QDateTimeAxis()
        x.setFormat("MM-dd")
        x.setTickCount(min(7, max(2, len(days))))
        if days:
            a, b = (
                QDateTime.fromString(days[0], "yyyy-MM-dd"),
                QDateTime.fromString(days[-1], "yyyy-MM-dd"),
            )
            b.setTime(QTime(23, 59))
            x.setRange(a, b)
        y = QValueAxis()
        y.setRange(0, _axis_max(values))
        y.applyNiceNumbers()
        y.setLabelFormat("%.0f")
        _small(x)
        _small(y)
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        for series in all_series:
            series.attachAxis(x)
            series.attachAxis(y)
        chart.legend().setVisible(len(lines) > 1)

    def fill(
        self,
        hourly: Mapping[int, tuple[int, int]],
        daily: Sequence[Mapping[str, Any]],
        levels: Mapping[str, int],
    ) -> None:
        """Refill every chart: hourly flow, daily rows (summary by day) and rating levels."""
        hours = sorted(hourly)
        self._bars(
            self.hourly,
            [f"{h:02d}" for h in hours],
            [
                (self.tr("到达"), [hourly[h][0] for h in hours]),
                (self.tr("办结"), [hourly[h][1] for h in hours]),
            ],
        )
        days = [str(r["key"]) for r in daily]

        def minutes(key: str) -> list[float | None]:
            return [None if r[key] is None else round(r[key] / 60, 1) for r in daily]

        self._lines(
            self.waits,
            days,
            [("P50", minutes("wait_p50_s")), ("P90", minutes("wait_p90_s")),
             ("P95", minutes("wait_p95_s"))],
        )  # fmt: skip
        self._lines(
            self.no_shows,
            days,
            [
                (
                    self.tr("过号率"),
                    [None if r["no_show_rate"] is None else r["no_show_rate"] * 100 for r in daily],
                )
            ],
        )
        self._bars(
            self.ratings,
            ["5", "4", "3", "2", "1"],
            [(self.tr("评价数"), [levels.get(k, 0) for k in ("5", "4", "3", "2", "1")])],
            x_title=self.tr("5 非常满意 … 1 非常不满意"),
        )
