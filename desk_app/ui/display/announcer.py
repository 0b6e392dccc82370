"""The call display's announcements: a FIFO where each call is spoken in full, twice.

Calls arrive in bursts (several windows press "call next" at once); an announcement that cut
the previous one off would leave a visitor who heard half a number. So announcements queue and
the next starts only when the backend reports the current one done.

Backends, best first (``default_backend``):

- ``SpeechBackend``: ``QTextToSpeech`` with a Chinese voice ("请 A001 号 到 5 号窗口 办理").
- ``ChimeBackend``: no Chinese voice on this PC: a soft ding-dong (``resources/sounds/chime.wav``,
  made by ``scripts/make_chime.py``) and a minimum display time, so the screen's flash and the
  big number pace the queue visibly.
- ``SilentBackend``: no audio at all (a PC without a sound device, offscreen CI): it just waits.
"""

from __future__ import annotations

import logging
import re
from collections import deque
from typing import Any

from PySide6.QtCore import QLocale, QObject, QTimer, QUrl, Signal

from desk_app.paths import resources_dir

log = logging.getLogger(__name__)

CHIME_PATH = resources_dir() / "sounds" / "chime.wav"


def sentence(number: str, window: int | str) -> str:
    """What the hall hears for a call: ``请 A001 号 到 5 号窗口 办理``."""
    return f"请 {number} 号 到 {window} 号窗口 办理"


class AnnouncerBackend(QObject):
    """Says one text at a time and emits ``done`` when it has finished.

    ``repeats`` is how often the announcer plays each announcement with this backend (a voice
    says it twice, as halls expect; a chime twice would only be noise).
    """

    done = Signal()
    repeats = 2
    audible = True  # False: the hall hears nothing (the display then says so on screen)

    def say(self, text: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class SilentBackend(AnnouncerBackend):
    """No sound: each announcement takes ``duration_ms`` so the screen still paces the queue."""

    repeats = 1
    audible = False

    def __init__(self, duration_ms: int = 2500, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(duration_ms)
        self._timer.timeout.connect(self.done)

    def say(self, text: str) -> None:
        self._timer.start()


class ChimeBackend(AnnouncerBackend):
    """A ding-dong per announcement, done when the sound has ended and ``min_ms`` has passed."""

    repeats = 1

    def __init__(self, effect: Any, min_ms: int = 3500, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._effect = effect  # a QSoundEffect with its source set
        self._effect.setParent(self)
        self._effect.playingChanged.connect(self._check_done)
        self._min = QTimer(self)
        self._min.setSingleShot(True)
        self._min.setInterval(min_ms)
        self._min.timeout.connect(self._check_done)
        self._active = False

    def say(self, text: str) -> None:
        self._active = True
        self._min.start()
        self._effect.play()

    def _check_done(self) -> None:
        if self._active and not self._min.isActive() and not self._effect.isPlaying():
            self._active = False
            self.done.emit()


class SpeechBackend(AnnouncerBackend):
    """A text-to-speech engine with a Chinese voice; ``done`` when it is back to Ready."""

    def __init__(self, tts: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtTextToSpeech import QTextToSpeech

        self._state = QTextToSpeech.State
        self._tts = tts
        self._tts.setParent(self)
        self._tts.stateChanged.connect(self._on_state)
        self._active = False
        self._spoke = False

    def say(self, text: str) -> None:
        self._active, self._spoke = True, False
        self._tts.say(for_speech(text))
        if self._tts.state() == self._state.Error:  # refused at once: don't stall the queue
            self._finish()

    def _on_state(self, state: object) -> None:
        if not self._active:
            return
        if state == self._state.Speaking:
            self._spoke = True
        elif state == self._state.Error or (state == self._state.Ready and self._spoke):
            self._finish()

    def _finish(self) -> None:
        self._active = False
        self.done.emit()


_TICKET = re.compile(r"\b[A-Z]{1,2}\d+\b")


def for_speech(text: str) -> str:
    """Spell ticket numbers character by character (``A001`` -> ``A 0 0 1``): engines otherwise
    read "001" as "一" and the visitor holding A001 may not recognise it."""
    return _TICKET.sub(lambda m: " ".join(m.group(0)), text)


def default_backend(parent: QObject | None = None) -> AnnouncerBackend:
    """The best backend this PC has: a Chinese voice, else the chime, else silence."""
    speech = _speech_backend(parent)
    if speech is not None:
        return speech
    chime = _chime_backend(parent)
    if chime is not None:
        return chime
    log.info("no audio output: announcements are shown only")
    return SilentBackend(parent=parent)


def _speech_backend(parent: QObject | None) -> AnnouncerBackend | None:
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech
    except ImportError as exc:  # the module needs system audio libraries
        log.info("text-to-speech unavailable: %s", exc)
        return None
    for engine in QTextToSpeech.availableEngines():
        if engine == "mock":  # Qt's test engine: "speaks" nothing
            continue
        tts = QTextToSpeech(engine)
        if tts.state() == QTextToSpeech.State.Error:
            tts.deleteLater()
            continue
        chinese = [
            loc for loc in tts.availableLocales() if loc.language() == QLocale.Language.Chinese
        ]
        if not chinese:
            tts.deleteLater()
            continue
        # Mainland Mandarin first; Taiwan or Hong Kong voices still beat a chime.
        chinese.sort(key=lambda loc: loc.territory() != QLocale.Country.China)
        tts.setLocale(chinese[0])
        log.info("announcements spoken by %s (%s)", engine, chinese[0].name())
        return SpeechBackend(tts, parent)
    return None


def _chime_backend(parent: QObject | None) -> AnnouncerBackend | None:
    if not CHIME_PATH.is_file():
        log.warning("chime sound missing: %s", CHIME_PATH)
        return None
    try:
        from PySide6.QtMultimedia import QMediaDevices, QSoundEffect
    except ImportError as exc:
        log.info("sound unavailable: %s", exc)
        return None
    if not QMediaDevices.audioOutputs():
        return None
    effect = QSoundEffect()
    effect.setSource(QUrl.fromLocalFile(str(CHIME_PATH)))
    effect.setVolume(0.8)
    return ChimeBackend(effect, parent=parent)


class Announcer(QObject):
    """Announcements in arrival order, each played ``backend.repeats`` times, never cut off.

    ``started(text)`` when an announcement begins (the display shows that call big),
    ``finished(text)`` when its last repetition has ended.
    """

    started = Signal(str)
    finished = Signal(str)

    def __init__(
        self,
        backend: AnnouncerBackend | None = None,
        *,
        gap_ms: int = 700,
        max_say_ms: int = 20_000,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.backend = backend if backend is not None else default_backend()
        if self.backend.parent() is None:
            self.backend.setParent(self)
        self.backend.done.connect(self._said)
        self._queue: deque[str] = deque()
        self._current: str | None = None
        self._round = 0
        self._speaking = False
        # A pause between repetitions and between announcements, as a human announcer leaves.
        self._gap = QTimer(self)
        self._gap.setSingleShot(True)
        self._gap.setInterval(gap_ms)
        self._gap.timeout.connect(self._next_step)
        # A backend that never reports done (a hung speech engine) must not stop the queue.
        self._watchdog = QTimer(self)
        self._watchdog.setSingleShot(True)
        self._watchdog.setInterval(max_say_ms)
        self._watchdog.timeout.connect(self._said)

    def enqueue(self, text: str) -> None:
        """Queue ``text``; it starts at once when nothing is being announced."""
        self._queue.append(text)
        if self._current is None and not self._gap.isActive():
            self._next_step()

    def pending(self) -> list[str]:
        """Announcements not yet finished: the current one first, then the queue."""
        head = [self._current] if self._current is not None else []
        return head + list(self._queue)

    def current(self) -> str | None:
        return self._current

    def _next_step(self) -> None:
        if self._current is None:
            if not self._queue:
                return
            self._current = self._queue.popleft()
            self._round = 0
            self.started.emit(self._current)
        self._speaking = True
        self._watchdog.start()
        self.backend.say(self._current)

    def _said(self) -> None:
        if not self._speaking or self._current is None:
            return  # a stray done (e.g. an engine becoming Ready at start-up)
        self._speaking = False
        self._watchdog.stop()
        self._round += 1
        if self._round >= max(1, self.backend.repeats):
            text, self._current = self._current, None
            self.finished.emit(text)
        # Either the repetition or the next announcement, after a breath.
        self._gap.start()
