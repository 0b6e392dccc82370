"""The evaluation pad (评价器) at a window, on the counter PC's second screen facing the visitor
(``gui --role evaluator --window N``). Touch only, large.

Idle, it shows the window, who serves there (name and 工号) and the number being served. When
the counter invites a rating (a concluded case: services/evaluation/pad.py) it shows the five
levels of 好差评 and, optionally, the four dimensions; the visitor touches a level and 提交
(or the level alone, when they skip the dimensions). It goes back to idle when the request
times out (the setting ``evaluation_timeout_s``) or after thanking the visitor. The screen
polls its window about every second off the UI thread.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain.evaluation import DIMENSIONS
from desk_app.services.evaluation import pad
from desk_app.store import Database
from desk_app.ui.common import theme
from desk_app.ui.common.i18n import QT_TRANSLATE_NOOP
from desk_app.ui.common.tasks import TaskRunner, user_message
from desk_app.ui.display.tiles import scaled, screen_fit

LEVELS = {
    5: QT_TRANSLATE_NOOP("EvaluatorWindow", "非常满意"),
    4: QT_TRANSLATE_NOOP("EvaluatorWindow", "满意"),
    3: QT_TRANSLATE_NOOP("EvaluatorWindow", "基本满意"),
    2: QT_TRANSLATE_NOOP("EvaluatorWindow", "不满意"),
    1: QT_TRANSLATE_NOOP("EvaluatorWindow", "非常不满意"),
}
DIMENSION_NAMES = {
    "overall": QT_TRANSLATE_NOOP("EvaluatorWindow", "整体满意度"),
    "efficiency": QT_TRANSLATE_NOOP("EvaluatorWindow", "服务效率"),
    "competence": QT_TRANSLATE_NOOP("EvaluatorWindow", "服务水平"),
    "attitude": QT_TRANSLATE_NOOP("EvaluatorWindow", "服务态度"),
}
COLOURS = {5: "#1b7f3b", 4: "#4c9a2a", 3: "#8a7a12", 2: "#c26a12", 1: "#b3261e"}
THANKS_MS = 4000


class EvaluatorWindow(QWidget):
    """The pad's screen for window ``window``."""

    def __init__(
        self,
        db: Database,
        window: int,
        *,
        large_text: bool = False,
        poll_ms: int = 1000,
        screen_size: tuple[int, int] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.window_number = window
        self.runner = TaskRunner(self)
        factor = (theme.LARGE_TEXT_SCALE if large_text else 1.0) * screen_fit(screen_size)
        self._pt = partial(scaled, factor)
        self.view: pad.PadView | None = None
        self.level: int | None = None
        self.dims: dict[str, int] = {}
        self._polling = False
        self._thanking = False
        self.setWindowTitle(self.tr("服务评价"))
        self._build()
        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.refresh()

    # -- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        pt = self._pt
        self.setObjectName("pad")
        family = theme.load_bundled_font()
        self.setStyleSheet(
            f'QWidget#pad {{ background: {theme.SURFACE}; }}QWidget {{ font-family: "{family}"; }}'
        )
        self.window_label = QLabel()
        self.window_label.setStyleSheet(
            f"font-size: {pt(52)}pt; font-weight: bold; color: {theme.PRIMARY};"
        )
        self.staff_label = QLabel()
        self.staff_label.setStyleSheet(f"font-size: {pt(32)}pt;")
        self.current_label = QLabel()
        self.current_label.setWordWrap(True)
        self.current_label.setStyleSheet(f"font-size: {pt(36)}pt; color: #1d2733;")
        hint = QLabel(self.tr("办理结束后，请您在这里对本次服务进行评价"))
        hint.setWordWrap(True)
        hint.setStyleSheet(f"font-size: {pt(24)}pt; color: {theme.MUTED};")
        idle = QWidget()
        il = QVBoxLayout(idle)
        il.addStretch()
        for w in (self.window_label, self.staff_label, self.current_label, hint):
            w.setAlignment(Qt.AlignmentFlag.AlignCenter)
            il.addWidget(w)
        il.addStretch()

        self.title = QLabel(self.tr("请您对本次服务进行评价"))
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setStyleSheet(
            f"font-size: {pt(28)}pt; font-weight: bold; color: {theme.PRIMARY};"
        )
        self.case_label = QLabel()
        self.case_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.case_label.setStyleSheet(f"font-size: {pt(16)}pt; color: {theme.MUTED};")
        self.level_buttons: dict[int, QPushButton] = {}
        levels = QHBoxLayout()
        for level in (5, 4, 3, 2, 1):
            b = QPushButton(self.tr(LEVELS[level]))
            b.setCheckable(True)
            b.setMinimumHeight(round(110 * screen_fit(None)))
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            b.setStyleSheet(
                f"QPushButton {{ font-size: {pt(26)}pt; font-weight: bold; color: white;"
                f" background: {COLOURS[level]}; border: 4px solid {COLOURS[level]};"
                " border-radius: 14px; padding: 8px; }"
                "QPushButton:checked { border: 6px solid #111; }"
            )
            b.clicked.connect(partial(self.choose_level, level))
            self.level_buttons[level] = b
            levels.addWidget(b)
        self.dim_buttons: dict[tuple[str, int], QPushButton] = {}
        dims = QGridLayout()
        for row, key in enumerate(DIMENSIONS):
            name = QLabel(self.tr(DIMENSION_NAMES[key]))
            name.setStyleSheet(f"font-size: {pt(16)}pt;")
            dims.addWidget(name, row, 0)
            for col, level in enumerate((5, 4, 3, 2, 1), start=1):
                b = QPushButton(self.tr(LEVELS[level]))
                b.setCheckable(True)
                b.setMinimumHeight(pt(34))  # a finger's width at the pad's distance
                b.setStyleSheet(
                    f"QPushButton {{ font-size: {pt(15)}pt; padding: 6px; border-radius: 8px;"
                    f" border: 2px solid #c5ccd6; background: white; }}"
                    f"QPushButton:checked {{ background: {COLOURS[level]}; color: white; }}"
                )
                b.clicked.connect(partial(self.choose_dimension, key, level))
                self.dim_buttons[(key, level)] = b
                dims.addWidget(b, row, col)
        self.submit_button = QPushButton(self.tr("提交评价"))
        self.submit_button.setEnabled(False)
        self.submit_button.setMinimumHeight(64)
        self.submit_button.setStyleSheet(
            f"QPushButton {{ font-size: {pt(22)}pt; font-weight: bold; color: white;"
            f" background: {theme.PRIMARY}; border-radius: 12px; }}"
            "QPushButton:disabled { background: #9aa4b1; }"
        )
        self.submit_button.clicked.connect(self.submit)
        self.status = QLabel()
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status.setWordWrap(True)
        self.status.setStyleSheet(f"font-size: {pt(16)}pt; color: {theme.DANGER};")
        rating = QWidget()
        rl = QVBoxLayout(rating)
        rl.addWidget(self.title)
        rl.addWidget(self.case_label)
        rl.addLayout(levels, 3)
        optional = QLabel(self.tr("以下各项可选："))
        optional.setStyleSheet(f"font-size: {pt(14)}pt; color: {theme.MUTED};")
        rl.addWidget(optional)
        rl.addLayout(dims, 2)
        rl.addWidget(self.submit_button)
        rl.addWidget(self.status)

        self.thanks = QLabel(self.tr("感谢您的评价！"))
        self.thanks.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thanks.setStyleSheet(f"font-size: {pt(40)}pt; font-weight: bold; color: {theme.OK};")
        self.pages = QStackedLayout(self)
        self.pages.addWidget(idle)
        self.pages.addWidget(rating)
        self.pages.addWidget(self.thanks)

    # -- polling -----------------------------------------------------------------------------

    def refresh(self) -> None:
        if self._polling or self._thanking:
            return
        self._polling = True
        db, window = self.db, self.window_number
        self.runner.submit(lambda: pad.pad_view(db, window), self._show, self._failed)

    def _failed(self, exc: Exception) -> None:
        self._polling = False
        self.current_label.setText(user_message(exc))

    def _show(self, view: pad.PadView) -> None:
        self._polling = False
        before = self.view.request.id if self.view and self.view.request else None
        self.view = view
        self.window_label.setText(self.tr("%1 号窗口").replace("%1", str(view.window)))
        self.staff_label.setText(
            self.tr("工作人员：%1（工号 %2）")
            .replace("%1", view.staff_name or "")
            .replace("%2", view.staff_code or "")
            if view.staff_code
            else self.tr("本窗口暂停服务")
        )
        self.current_label.setText(
            self.tr("正在办理：%1 · %2")
            .replace("%1", view.current)
            .replace("%2", view.service_name or "")
            if view.current
            else ""
        )
        if view.request is None:
            self.pages.setCurrentIndex(0)
            return
        if view.request.id != before:  # a new visitor: nothing chosen yet
            self._reset_choice()
        self.case_label.setText(f"{view.request.bundle_name} · {view.request.case_no}")
        self.pages.setCurrentIndex(1)

    # -- rating ------------------------------------------------------------------------------

    def _reset_choice(self) -> None:
        self.level, self.dims = None, {}
        for b in (*self.level_buttons.values(), *self.dim_buttons.values()):
            b.setChecked(False)
        self.submit_button.setEnabled(False)
        self.status.clear()

    def choose_level(self, level: int) -> None:
        self.level = level
        for lv, b in self.level_buttons.items():
            b.setChecked(lv == level)
        self.submit_button.setEnabled(True)

    def choose_dimension(self, key: str, level: int) -> None:
        self.dims[key] = level
        for (k, lv), b in self.dim_buttons.items():
            if k == key:
                b.setChecked(lv == level)

    def submit(self) -> None:
        view = self.view
        if view is None or view.request is None or self.level is None:
            return
        self.submit_button.setEnabled(False)
        db, window, rid, level, dims = (
            self.db,
            self.window_number,
            view.request.id,
            self.level,
            dict(self.dims),
        )
        self.runner.submit(
            lambda: pad.rate(db, window, rid, level, dimensions=dims), self._rated, self._refused
        )

    def _rated(self, _result: Any) -> None:
        self._thanking = True
        self.pages.setCurrentIndex(2)
        QTimer.singleShot(THANKS_MS, self._after_thanks)

    def _after_thanks(self) -> None:
        self._thanking = False
        self.view = None
        self.refresh()

    def _refused(self, exc: Exception) -> None:
        self.status.setText(user_message(exc))
        self.refresh()  # timed out or withdrawn: back to idle at the next look

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        self._timer.stop()
        self.runner.shutdown()
        super().closeEvent(event)
