"""The progress wall (电子大屏): the reform's figures large, for a screen in the hall. The
published goals (trips -90 %, steps -81 %, time -55 %, materials -67 %) beside what this hall's
concluded cases show, then one card per 一件事: the claim before → after and the measured mean,
red where reality is worse than the claim, eight to a page: the pages turn every 15 seconds,
with a page mark, so every bundle comes round. Refreshed every minute off the UI thread."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain import clock
from desk_app.services.supervision import reform
from desk_app.store import Database
from desk_app.ui.common.tasks import TaskRunner, user_message

BACKGROUND = "#0b2545"
CARD = "#13315c"
TEXT = "#ffffff"
SOFT = "#a9c1e0"
GOOD = "#7bd389"
BAD = "#ff8a80"
GOLD = "#ffd166"
PAGE_SIZE = 8  # two rows of four cards
PAGE_MS = 15_000  # how long a page of cards stays up


def _label(text: str, size: int, colour: str = TEXT, *, bold: bool = False) -> QLabel:
    label = QLabel(text)
    weight = "bold" if bold else "normal"
    label.setStyleSheet(f"color: {colour}; font-size: {size}pt; font-weight: {weight};")
    return label


def _wrapping(label: QLabel) -> QLabel:
    """Never wider than its share of the screen: long (English) text wraps instead."""
    label.setWordWrap(True)
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    return label


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}".rstrip("0").rstrip(".") if value % 1 else str(int(value))


def _fit(width: int, height: int) -> float:
    """The share of the 1080p type sizes a screen of ``width`` x ``height`` takes."""
    return max(0.5, min(width / 1920, height / 1200, 1.5))  # two-line names need the height


def _bundle_name(b: reform.BundleReform) -> str:
    """The bundle's name in the screen's language."""
    from desk_app.services.common.catalog import english_name
    from desk_app.ui.common.i18n import is_english

    return english_name(b.code, b.name) if is_english() else b.name


class ProgressWall(QWidget):
    """Full-screen figures; ``refresh_ms`` between reloads (a minute)."""

    def __init__(
        self,
        db: Database,
        *,
        refresh_ms: int = 60_000,
        page_ms: int = PAGE_MS,
        screen_size: tuple[int, int] | None = None,
    ) -> None:
        super().__init__()
        self.db = db
        self.runner = TaskRunner(self)
        self.report: reform.ReformReport | None = None
        self.bundles: list[reform.BundleReform] = []  # in display order, all of them
        self.page = 0
        # Type sizes are for a 1920x1080 screen; scaled to the screen the wall is on (a
        # 1366x768 TV gets 0.71 of them) so that nothing runs off it, and again on a resize.
        self.scale = 1.0 if screen_size is None else _fit(*screen_size)
        self.setWindowTitle(self.tr("高效办成一件事 · 改革成效"))
        self.setObjectName("wall")
        self.setStyleSheet(f"#wall {{ background: {BACKGROUND}; }}")
        self.setAutoFillBackground(True)
        self.title = self._label(self.tr("高效办成一件事 · 改革成效"), 34, GOLD, bold=True)
        self.clock = self._label("", 18, SOFT)
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.clock)
        self.tiles = QHBoxLayout()
        self.tiles.setSpacing(20)
        self.cards = QGridLayout()
        self.cards.setSpacing(18)
        self.note = _wrapping(self._label("", 13, SOFT))
        self.page_mark = self._label("", 16, SOFT)
        foot = QHBoxLayout()
        foot.addWidget(self.note, 1)
        foot.addWidget(self.page_mark, 0, Qt.AlignmentFlag.AlignBottom)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(40, 28, 40, 24)
        lay.setSpacing(20)
        lay.addLayout(head)
        lay.addLayout(self.tiles)
        lay.addLayout(self.cards, 1)
        lay.addLayout(foot)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._show_time)
        self._tick.start()
        self._reload = QTimer(self)
        self._reload.setInterval(refresh_ms)
        self._reload.timeout.connect(self.refresh)
        self._reload.start()
        self._turn = QTimer(self)
        self._turn.setInterval(page_ms)
        self._turn.timeout.connect(self.next_page)
        self._turn.start()
        self._show_time()
        self.refresh()

    def _label(self, text: str, size: int, colour: str = TEXT, *, bold: bool = False) -> QLabel:
        return _label(text, max(8, round(size * self.scale)), colour, bold=bold)

    def fit_to(self, width: int, height: int) -> None:
        """Scale the type to a screen of ``width`` x ``height`` (the full-screen wall's)."""
        scale = _fit(width, height)
        if abs(scale - self.scale) < 0.02:
            return
        self.scale = scale
        for label, size in (
            (self.title, 34),
            (self.clock, 18),
            (self.note, 13),
            (self.page_mark, 16),
        ):
            style = label.styleSheet()
            label.setStyleSheet(
                re.sub(r"font-size: \d+pt", f"font-size: {max(8, round(size * scale))}pt", style)
            )
        if self.report is not None:
            self.show_report(self.report)

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        super().resizeEvent(event)
        self.fit_to(event.size().width(), event.size().height())

    def _show_time(self) -> None:
        self.clock.setText(clock.local(clock.now()).strftime("%Y-%m-%d  %H:%M"))

    def refresh(self) -> None:
        db = self.db
        self.runner.submit(lambda: reform.reform(db), self.show_report, self._failed)

    def _failed(self, exc: Exception) -> None:
        self.note.setText(user_message(exc))

    @staticmethod
    def _clear(layout) -> None:  # type: ignore[no-untyped-def]
        while layout.count():
            item = layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()

    def _names(self) -> dict[str, str]:
        return {
            "trips": self.tr("跑动"),
            "steps": self.tr("环节"),
            "days": self.tr("时限"),
            "materials": self.tr("材料"),
        }

    def show_report(self, report: reform.ReformReport) -> None:
        self.report = report
        names = self._names()
        self._clear(self.tiles)
        for r in reform.measured_reductions(report):
            tile = QFrame()
            tile.setStyleSheet(f"background: {CARD}; border-radius: 14px;")
            box = QVBoxLayout(tile)
            box.setContentsMargins(22, 14, 22, 14)
            box.addWidget(self._label(names[r.figure], 20, SOFT))
            goal = "—" if r.claimed_pct is None else f"-{r.claimed_pct}%"
            box.addWidget(self._label(self.tr("目标 ") + goal, 36, GOLD, bold=True))
            if r.same_day:
                measured = self.tr("本厅实测：当日办结（%1 件）").replace("%1", str(r.cases))
                colour = GOOD
            elif r.measured_pct is None:
                measured = self.tr("本厅实测：暂无改革前数据")
                colour = SOFT
            else:
                measured = (
                    self.tr("本厅实测 -%1%（%2 件）")
                    .replace("%1", _number(r.measured_pct))
                    .replace("%2", str(r.cases))
                )
                worse = r.claimed_pct is not None and r.measured_pct < r.claimed_pct
                colour = BAD if worse else GOOD
            box.addWidget(_wrapping(self._label(measured, 20, colour, bold=True)))
            self.tiles.addWidget(tile, 1)
        if report.share_calls:  # 免证办: what the departments' shared data saved visitors
            tile = QFrame()
            tile.setStyleSheet(f"background: {CARD}; border-radius: 14px;")
            box = QVBoxLayout(tile)
            box.setContentsMargins(22, 14, 22, 14)
            box.addWidget(self._label(self.tr("数据共享免提交"), 20, SOFT))
            box.addWidget(
                self._label(
                    self.tr("%1 份").replace("%1", str(report.share_saved)), 36, GOLD, bold=True
                )
            )
            box.addWidget(
                _wrapping(
                    self._label(
                        self.tr("接口调用 %1 次").replace("%1", str(report.share_calls)),
                        20,
                        GOOD,
                        bold=True,
                    )
                )
            )
            self.tiles.addWidget(tile, 1)
        self.bundles = sorted(
            report.bundles, key=lambda b: (b.claimed_before["steps"] is None, -b.cases)
        )
        self.page = min(self.page, self.pages - 1)
        self._show_page()
        self.note.setText(
            self.tr(
                "实测为本厅已办结办件的平均值：跑动 = 申请人到厅的天数，环节 = 经手窗口数加转办次数，"
                "时限 = 受理至办结的工作日，材料 = 实际收取的纸质材料（不含数据共享、电子证照）。"
                "红色表示实测差于承诺。"
            )
        )

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.bundles) // PAGE_SIZE))

    def next_page(self) -> None:
        """The next page of cards (after the last, the first)."""
        if self.pages > 1:
            self.page = (self.page + 1) % self.pages
            self._show_page()

    def _show_page(self) -> None:
        names = self._names()
        self._clear(self.cards)
        start = self.page * PAGE_SIZE
        for i, b in enumerate(self.bundles[start : start + PAGE_SIZE]):
            self.cards.addWidget(self._card(b, names), i // 4, i % 4)
        dots = "".join("●" if i == self.page else "○" for i in range(self.pages))
        self.page_mark.setText(
            ""
            if self.pages == 1
            else self.tr("第 %1/%2 页  ")
            .replace("%1", str(self.page + 1))
            .replace("%2", str(self.pages))
            + dots
        )

    def _card(self, b: reform.BundleReform, names: dict[str, str]) -> QFrame:
        card = QFrame()
        border = BAD if b.worse else CARD
        card.setStyleSheet(
            f"QFrame#card {{ background: {CARD}; border-radius: 14px; border: 3px solid {border}; }}"
        )
        card.setObjectName("card")
        box = QVBoxLayout(card)
        box.setContentsMargins(20, 14, 20, 14)
        box.addWidget(_wrapping(self._label(_bundle_name(b), 24, TEXT, bold=True)))
        box.addWidget(self._label(self.tr("已办结 %1 件").replace("%1", str(b.cases)), 16, SOFT))
        for key in ("steps", "materials", "trips", "days"):
            before, after, got = b.claimed_before[key], b.claimed[key], b.measured[key]
            line = QHBoxLayout()
            line.addWidget(self._label(names[key], 20, SOFT))
            if after is not None:
                claim = f"{before}→{after}" if before is not None else f"{after}"
                line.addWidget(self._label(claim, 20, GOLD, bold=True))
            line.addStretch(1)
            colour = BAD if key in b.worse else TEXT
            unit = self.tr(" 工作日") if key == "days" else ""
            line.addWidget(
                self._label(self.tr("实测 ") + _number(got) + unit, 22, colour, bold=True)
            )
            box.addLayout(line)
        box.addStretch(1)
        card.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        return card

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        self._tick.stop()
        self._reload.stop()
        self._turn.stop()
        self.runner.shutdown()
        super().closeEvent(event)
