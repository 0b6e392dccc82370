"""The call display (叫号屏) on the hall's big screen: who is called, to which window.

It follows the ``ticket_events`` table by increasing id, so a call made at any window on any PC
appears here at once: a thread of its own (``follow.py``) waits on the database's change watch
and reads the new calls, and this (the UI) thread only shows them. On start it fills the board
from today's latest calls (a display restarted mid-day is not empty) without announcing them,
then announces only what is new.

The big panel shows the call being announced, in step with the voice (or the chime): when
several windows call at once, the calls queue in the ``Announcer`` and the panel moves on as
each is announced, with a flash. The window tiles and the recent list show every call at once.
A database outage shows a discreet line and the display keeps retrying; it never stops.
"""

from __future__ import annotations

import logging
from collections import deque
from functools import partial

from PySide6.QtCore import Qt, QTimer, QVariantAnimation
from PySide6.QtGui import QCloseEvent, QColor
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain import clock
from desk_app.services.common.dto import WindowInfo
from desk_app.services.hall.calendar import Opening
from desk_app.services.queue.boards import CallEvent
from desk_app.store import Database
from desk_app.ui.common import theme
from desk_app.ui.common.tasks import TaskRunner
from desk_app.ui.common.widgets import HeavyLabel
from desk_app.ui.display.announcer import Announcer, sentence
from desk_app.ui.display.calendar import SessionLine, marked_number, marked_service
from desk_app.ui.display.feed import RECENT_ROWS, Start, load_slow, load_start
from desk_app.ui.display.follow import CallFollower, Calls, Failure
from desk_app.ui.display.tiles import (
    AMBER,
    FLASH,
    NAVY,
    NAVY_LINE,
    NAVY_PANEL,
    SOFT,
    YELLOW,
    Panel,
    WindowTile,
    scaled,
    screen_fit,
    tile_numbers,
)

log = logging.getLogger(__name__)

FLASH_MS = 3000
RECENT_ROWS_LARGE = 5  # half as large again: fewer rows fit
SLOW_REFRESH_MS = 30_000  # the hall's name and its windows change rarely


class CallDisplay(QWidget):
    """The hall's call display (full screen on the second monitor)."""

    def __init__(
        self,
        db: Database,
        *,
        large_text: bool = False,
        poll_ms: int = 500,
        announcer: Announcer | None = None,
        parent: QWidget | None = None,
        screen_size: tuple[int, int] | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.runner = TaskRunner(self)
        self.announcer = announcer if announcer is not None else Announcer(parent=self)
        if self.announcer.parent() is None:
            self.announcer.setParent(self)  # one lifetime: it goes with the screen it speaks for
        self.announcer.started.connect(self._on_announcing)
        self._family = theme.load_bundled_font()
        # Read from across the hall, so large already; 适老化 makes it half as large again. The
        # sizes are for a 1080p screen: a smaller one (a 1366x768 TV) scales them down to fit.
        self.fit = screen_fit(screen_size)
        self._pt = partial(scaled, (theme.LARGE_TEXT_SCALE if large_text else 1.0) * self.fit)
        rows = RECENT_ROWS_LARGE if large_text else RECENT_ROWS
        self._rows = max(3, int(rows * self.fit))  # a smaller screen: fewer recent calls
        self._follower: CallFollower | None = None  # None until the start has been read
        self._loading = False
        self._offline = False
        # Closed: a look queued before the close starts nothing (the runner drops the answers
        # of work sent before it).
        self._closed = False
        self._tiles: dict[int, WindowTile] = {}
        self._columns = 3
        self._tile_pt = self._pt(46)
        self._latest_by_window: dict[int, str] = {}
        self._recent: list[CallEvent] = []  # newest first
        self._hero: CallEvent | None = None
        # Calls waiting for their announcement, by sentence (the announcer speaks text only).
        self._to_announce: dict[str, deque[CallEvent]] = {}
        self.setWindowTitle(self.tr("叫号显示"))
        self._build()

        self._flash = QVariantAnimation(self)
        self._flash.setDuration(FLASH_MS)
        base, lit = QColor(NAVY_PANEL), QColor(FLASH)
        for i in range(7):  # three pulses, ending calm
            self._flash.setKeyValueAt(i / 6, lit if i % 2 == 0 and i < 6 else base)
        self._flash.valueChanged.connect(self.hero.set_color)

        self._poll_ms = poll_ms
        self._poll_timer = QTimer(self)  # retries the start until it has been read
        self._poll_timer.setInterval(poll_ms)
        self._poll_timer.timeout.connect(self.refresh_now)
        self._poll_timer.start()
        self._slow_timer = QTimer(self)
        self._slow_timer.setInterval(SLOW_REFRESH_MS)
        self._slow_timer.timeout.connect(self._refresh_slow)
        self._slow_timer.start()
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(1000)
        self._clock_timer.timeout.connect(self._show_time)
        self._clock_timer.start()
        self._show_time()
        self.refresh_now()

    # -- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        pt = self._pt
        self.setObjectName("display")
        self.setAutoFillBackground(True)
        self.setStyleSheet(
            f"""
            QWidget#display {{ background: {NAVY}; }}
            QWidget {{ font-family: "{self._family}"; color: white; background: transparent; }}
            """
        )
        self.hall_label = QLabel(self.tr("政务服务中心"))
        self.hall_label.setStyleSheet(f"font-size: {pt(34)}pt; font-weight: bold;")
        self.status_label = QLabel(self.tr("连接中断, 正在重试…"))
        self.status_label.setStyleSheet(f"color: {AMBER}; font-size: {pt(18)}pt;")
        self.status_label.setVisible(False)
        # A display that cannot play sound says so: staff see why nobody hears the calls
        # (no audio device, no sound libraries) instead of finding out from visitors.
        self.sound_label = QLabel(self.tr("无声音"))
        self.sound_label.setToolTip(self.tr("本机无法播放叫号声音，请检查音箱或声卡"))
        self.sound_label.setStyleSheet(
            f"color: {AMBER}; font-size: {pt(18)}pt; border: 2px solid {AMBER};"
            " border-radius: 8px; padding: 2px 10px;"
        )
        self.sound_label.setVisible(not getattr(self.announcer.backend, "audible", True))
        self.clock_label = QLabel()
        self.clock_label.setStyleSheet(f"color: {SOFT}; font-size: {pt(30)}pt;")
        top = QHBoxLayout()
        top.addWidget(self.hall_label)
        top.addSpacing(24)
        top.addWidget(self.status_label)
        top.addWidget(self.sound_label)
        top.addStretch()
        self.session_line = SessionLine(pt)
        top.addWidget(self.session_line)
        top.addStretch()
        top.addWidget(self.clock_label)

        # The big panel: the call being announced.
        self.hero = Panel(NAVY_PANEL)
        self.hero_caption = QLabel(self.tr("请"))
        self.hero_caption.setStyleSheet(f"color: {SOFT}; font-size: {pt(40)}pt;")
        self.number_label = HeavyLabel("")
        self.number_label.setStyleSheet(f"color: {YELLOW}; font-size: {pt(170)}pt;")
        self.window_label = HeavyLabel("", stroke=0.028)  # dense CJK strokes would blot
        self.window_label.setStyleSheet(f"color: white; font-size: {pt(128)}pt;")
        self.recall_badge = QLabel(self.tr("重呼"))
        self.recall_badge.setStyleSheet(
            f"background: {AMBER}; color: {NAVY}; border-radius: 10px; padding: 4px 16px;"
            f"font-size: {pt(28)}pt; font-weight: bold;"
        )
        self.recall_badge.setVisible(False)
        self.service_label = QLabel()
        self.service_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.service_label.setStyleSheet(f"color: {SOFT}; font-size: {pt(32)}pt;")
        call_row = QHBoxLayout()
        call_row.setSpacing(pt(40))
        call_row.addStretch()
        call_row.addWidget(self.hero_caption, 0, Qt.AlignmentFlag.AlignVCenter)
        call_row.addWidget(self.number_label)
        call_row.addWidget(self.window_label)
        call_row.addStretch()
        badge_row = QHBoxLayout()
        badge_row.addStretch()
        badge_row.addWidget(self.recall_badge)
        badge_row.addSpacing(16)
        badge_row.addWidget(self.service_label)
        badge_row.addStretch()
        call_page = QWidget()
        call_lay = QVBoxLayout(call_page)
        call_lay.setContentsMargins(0, 0, 0, 0)
        call_lay.addStretch()
        call_lay.addLayout(call_row)
        call_lay.addLayout(badge_row)
        call_lay.addStretch()
        self.idle_label = QLabel(self.tr("请留意屏幕和语音叫号"))
        self.idle_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.idle_label.setWordWrap(True)  # English at large text is wider than the screen
        self.idle_label.setStyleSheet(f"color: {SOFT}; font-size: {pt(56)}pt;")
        self.hero_pages = QStackedLayout(self.hero)
        self.hero_pages.setContentsMargins(32, 20, 32, 24)
        self.hero_pages.addWidget(self.idle_label)
        self.hero_pages.addWidget(call_page)
        # Its numbers shrink to fit: large text must not push the tiles off a 1080p screen.
        self.hero.setMinimumHeight(round(380 * self.fit))

        # Below: the latest ticket of each window, and the latest calls.
        tiles_title = QLabel(self.tr("各窗口当前号码"))
        recent_title = QLabel(self.tr("最近叫号"))
        for title in (tiles_title, recent_title):
            title.setStyleSheet(f"color: {SOFT}; font-size: {pt(24)}pt;")
        self.tile_grid = QGridLayout()
        self.tile_grid.setSpacing(round(14 * self.fit))
        tiles_box = QVBoxLayout()
        tiles_box.addWidget(tiles_title)
        tiles_box.addLayout(self.tile_grid)
        tiles_box.addStretch()

        recent_panel = Panel(NAVY_PANEL, radius=16)
        recent_lay = QVBoxLayout(recent_panel)
        recent_lay.setContentsMargins(round(28 * self.fit), 12, round(28 * self.fit), 12)
        recent_lay.setSpacing(0)
        self._recent_rows: list[tuple[QLabel, QLabel, QLabel]] = []
        for i in range(self._rows):
            number, window, at = QLabel(), QLabel(), QLabel()
            number.setStyleSheet(f"color: {YELLOW if i == 0 else 'white'}; font-size: {pt(30)}pt;")
            window.setStyleSheet(f"color: white; font-size: {pt(28)}pt;")
            at.setStyleSheet(f"color: {SOFT}; font-size: {pt(22)}pt;")
            at.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            row = QHBoxLayout()
            row.setSpacing(8)  # "Window 8" never runs into the time ("Window 822:43")
            row.addWidget(number, 3)
            row.addWidget(window, 4)
            row.addWidget(at, 2)
            recent_lay.addLayout(row)
            if i < self._rows - 1:
                line = QFrame()
                line.setFixedHeight(1)
                line.setStyleSheet(f"background: {NAVY_LINE};")
                recent_lay.addWidget(line)
            self._recent_rows.append((number, window, at))
        recent_lay.addStretch()
        recent_box = QVBoxLayout()
        recent_box.addWidget(recent_title)
        recent_box.addWidget(recent_panel, 1)

        lower = QHBoxLayout()
        lower.setSpacing(round(32 * self.fit))
        lower.addLayout(tiles_box, 3)
        lower.addLayout(recent_box, 2)

        outer = QVBoxLayout(self)
        f = self.fit
        outer.setContentsMargins(round(40 * f), round(20 * f), round(40 * f), round(28 * f))
        outer.setSpacing(round(18 * f))
        outer.addLayout(top)
        outer.addWidget(self.hero, 5)
        outer.addLayout(lower, 4)

    # -- for tests and the app ---------------------------------------------------------------

    def recent_rows(self) -> list[tuple[QLabel, QLabel, QLabel]]:
        """The recent list's rows: number, window, time."""
        return list(self._recent_rows)

    def latest_number(self) -> str | None:
        """The ticket number on the big panel (the call being or last announced)."""
        return self._hero.number if self._hero else None

    def latest_window(self) -> int | None:
        return self._hero.window if self._hero else None

    def window_tile_text(self, window: int) -> str | None:
        """The ticket number on ``window``'s tile (None: no tile, or no call yet today)."""
        tile = self._tiles.get(window)
        return (tile.number.text() or None) if tile else None

    def tiles_shown(self) -> int:
        """How many window tiles the screen shows."""
        return len(self._tiles)

    def is_ready(self) -> bool:
        """True once the start has been read and new calls are being followed."""
        return self._follower is not None

    def is_offline(self) -> bool:
        return self._offline

    def refresh_now(self) -> None:
        """Look for new calls now."""
        if self._closed:
            return
        if self._follower is not None:
            self._follower.poke()
        elif not self._loading:
            self._loading = True
            self.runner.submit(partial(load_start, self.db), self._started, self._failed)

    # -- following the event table ------------------------------------------------------------

    def _started(self, start: Start) -> None:
        self._loading = False
        self._set_online()
        self.hall_label.setText(start.hall_name)
        self._set_windows(start.windows)
        for call in reversed(start.recent):  # oldest first, as if they had just happened
            self._record(call)
        if start.recent:
            self._show_hero(start.recent[0], flash=False)
        self._poll_timer.stop()  # from here the follower reads, on its own thread
        self._follower = CallFollower(self.db, start.cursor, poll_ms=self._poll_ms, parent=self)
        self._follower.arrived.connect(self._new_calls)
        self._follower.failed.connect(self._follow_failed)
        self._follower.start()
        self._refresh_slow()  # the calendar's session line at once, not in 30 s

    def _new_calls(self, read: Calls) -> None:
        if self._closed:
            return
        self._set_online()
        calls = read.calls
        for call in calls:
            self._record(call)
        if read.catching_up:
            # Back after an outage: announce only each window's latest call, not a backlog of
            # calls that have long been answered.
            latest = {c.window: c for c in calls}
            calls = [c for c in calls if latest[c.window] is c]
        for call in calls:
            text = sentence(call.number, call.window)
            self._to_announce.setdefault(text, deque()).append(call)
            self.announcer.enqueue(text)

    def _failed(self, exc: Exception) -> None:
        self._loading = False
        if self._closed:
            return
        if not self._offline and self._follower is None:
            log.warning("call display cannot read its start: %s", exc)
        self._offline = True
        self.status_label.setVisible(True)

    def _follow_failed(self, failure: Failure) -> None:
        self._failed(failure.error)  # the follower retries on its own every poll_ms

    def _set_online(self) -> None:
        if self._offline:
            log.info("call display reconnected")
        self._offline = False
        self.status_label.setVisible(False)

    def _refresh_slow(self) -> None:
        if self._follower is not None:
            self.runner.submit(partial(load_slow, self.db), self._slow_loaded, lambda _e: None)

    def _slow_loaded(self, result: tuple[str, list[WindowInfo], Opening]) -> None:
        name, windows, opening = result
        self.hall_label.setText(name)
        self.session_line.show_opening(opening)
        if tile_numbers(windows, self._latest_by_window) != sorted(self._tiles):
            self._set_windows(windows)

    # -- showing -------------------------------------------------------------------------------

    def _set_windows(self, windows: list[WindowInfo]) -> None:
        for tile in self._tiles.values():
            tile.deleteLater()
        self._tiles.clear()
        numbers = tile_numbers(windows, self._latest_by_window)
        n = len(numbers)
        # Fewer, bigger tiles for a small hall; a big hall's 20+ windows still fit the screen.
        self._columns = columns = 2 if n <= 4 else 3 if n <= 9 else 4 if n <= 16 else 5
        self._tile_pt = self._pt(46 if n <= 9 else 34 if n <= 16 else 26)
        for i, number in enumerate(numbers):
            tile = self._new_tile(number)
            self._tiles[number] = tile
            self.tile_grid.addWidget(tile, i // columns, i % columns)
            tile.show()
        self._paint_tiles()

    def _new_tile(self, window: int) -> WindowTile:
        return WindowTile(window, self._tile_pt, max(self._pt(16), round(self._tile_pt * 0.52)))

    def _record(self, call: CallEvent) -> None:
        """A call on the tiles and in the recent list (not yet on the big panel)."""
        self._latest_by_window[call.window] = call.number
        if call.window not in self._tiles:
            # A window added since the list was read: a tile at the end until the next re-read.
            self._tiles[call.window] = tile = self._new_tile(call.window)
            n = len(self._tiles) - 1
            self.tile_grid.addWidget(tile, n // self._columns, n % self._columns)
            tile.show()
        # A recall moves the call to the top instead of listing it twice.
        self._recent = [
            c for c in self._recent if (c.number, c.window) != (call.number, call.window)
        ]
        self._recent.insert(0, call)
        del self._recent[self._rows :]
        self._paint_tiles(call.window)
        self._paint_recent()

    def _paint_tiles(self, latest: int | None = None) -> None:
        if latest is None and self._recent:
            latest = self._recent[0].window
        for number, tile in self._tiles.items():
            tile.show_number(self._latest_by_window.get(number, ""), number == latest)

    def _paint_recent(self) -> None:
        for i, (number, window, at) in enumerate(self._recent_rows):
            call = self._recent[i] if i < len(self._recent) else None
            number.setText(marked_number(self, call, self._pt(18)) if call else "")
            window.setText(self.tr("%1 号窗口").replace("%1", str(call.window)) if call else "")
            at.setText(f"{clock.local(call.at):%H:%M}" if call else "")

    def _on_announcing(self, text: str) -> None:
        waiting = self._to_announce.get(text)
        if not waiting:
            return  # announced for another screen sharing the announcer
        call = waiting.popleft()
        if not waiting:
            del self._to_announce[text]
        self._show_hero(call, flash=True)

    def _show_hero(self, call: CallEvent, *, flash: bool) -> None:
        self._hero = call
        self.number_label.setText(call.number)
        self.window_label.setText(self.tr("→ %1 号窗口").replace("%1", str(call.window)))
        self.service_label.setText(marked_service(self, call))
        self.recall_badge.setVisible(call.recall)
        self.hero_pages.setCurrentIndex(1)
        if flash:
            self._flash.stop()
            self._flash.start()

    def _show_time(self) -> None:
        now = clock.local(clock.now())
        self.clock_label.setText(f"{now:%H:%M}")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self._closed = True
        for timer in (self._poll_timer, self._slow_timer, self._clock_timer):
            timer.stop()
        self.runner.shutdown()
        if self._follower is not None:
            self._follower.stop()  # closes its change watch; a read under way is dropped
        super().closeEvent(event)
