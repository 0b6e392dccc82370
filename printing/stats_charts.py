"""The monthly report's charts, drawn with reportlab graphics (vector, in the bundled CJK font:
no Qt and no other font in the PDF)."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.units import mm

from printing.fonts import register_fonts

SERIES = (
    colors.HexColor("#1f5fa8"),
    colors.HexColor("#d9822b"),
    colors.HexColor("#2e7d32"),
    colors.HexColor("#b3261e"),
)
WIDTH, HEIGHT = 170 * mm, 62 * mm


def _top(values: Sequence[float]) -> float:
    top = max([v for v in values if v is not None] or [0])
    step = 1 if top <= 5 else 5 if top <= 50 else 10 ** (len(str(int(top))) - 1)
    return max(1.0, (int(top * 1.1 / step) + 1) * step)


def _isolated(row: Sequence[float | None]) -> bool:
    """Whether a series has a value with no value beside it (a line cannot show it)."""
    for i, v in enumerate(row):
        if v is None:
            continue
        before = i > 0 and row[i - 1] is not None
        after = i + 1 < len(row) and row[i + 1] is not None
        if not before and not after:
            return True
    return False


def _frame(title: str, legend: Sequence[str]) -> Drawing:
    font = register_fonts()
    d = Drawing(WIDTH, HEIGHT, initialFontName=font)  # else Helvetica, not embedded
    d.add(String(0, HEIGHT - 11, title, fontName=font, fontSize=10.5))
    if len(legend) > 1:
        lg = Legend()
        lg.fontName, lg.fontSize = font, 8
        lg.x, lg.y = WIDTH - 12 * mm * len(legend) - 10 * mm, HEIGHT - 6
        lg.alignment = "right"
        lg.columnMaximum = 1
        lg.deltax = 14 * mm
        lg.colorNamePairs = [(SERIES[i], name) for i, name in enumerate(legend)]
        d.add(lg)
    return d


def _axes_font(chart) -> None:  # type: ignore[no-untyped-def]
    font = register_fonts()
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = font
        axis.labels.fontSize = 7.5


def bar_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
) -> Drawing:
    """Grouped bars (e.g. arrivals and served per hour)."""
    d = _frame(title, [name for name, _ in series])
    chart = VerticalBarChart()
    chart.x, chart.y = 10 * mm, 8 * mm
    chart.width, chart.height = WIDTH - 14 * mm, HEIGHT - 24 * mm
    data = [[float(v or 0) for v in values] for _, values in series] or [[0.0]]
    chart.data = data
    chart.categoryAxis.categoryNames = list(categories) or ["-"]
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = _top([v for row in data for v in row])
    chart.barSpacing = 0.5
    chart.groupSpacing = 4
    for i in range(len(data)):
        chart.bars[i].fillColor = SERIES[i % len(SERIES)]
        chart.bars[i].strokeColor = None
    _axes_font(chart)
    d.add(chart)
    return d


def line_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    label_every: int = 1,
) -> Drawing:
    """Lines over days; a missing value (a day without tickets) leaves a gap."""
    d = _frame(title, [name for name, _ in series])
    data = [[None if v is None else float(v) for v in values] for _, values in series]
    if not any(v is not None for row in data for v in row):  # nothing to draw a line through
        d.add(String(WIDTH / 2, HEIGHT / 2, "本期无数据", fontName=register_fonts(),
                     fontSize=10, textAnchor="middle"))  # fmt: skip
        return d
    chart = HorizontalLineChart()
    chart.x, chart.y = 10 * mm, 8 * mm
    chart.width, chart.height = WIDTH - 14 * mm, HEIGHT - 24 * mm
    chart.data = data
    names = [c if i % label_every == 0 else "" for i, c in enumerate(categories)]
    chart.categoryAxis.categoryNames = names or ["-"]
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = _top([v for row in data for v in row if v is not None])
    for i, row in enumerate(data):
        chart.lines[i].strokeColor = SERIES[i % len(SERIES)]
        chart.lines[i].strokeWidth = 1.4
        if _isolated(row):  # a day alone between gaps is a point, or the chart looks empty
            marker = makeMarker("FilledCircle", size=4)
            marker.fillColor = marker.strokeColor = SERIES[i % len(SERIES)]
            chart.lines[i].symbol = marker
    _axes_font(chart)
    d.add(chart)
    return d
