"""The call display's announcement queue: in order, each twice, never cut off."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest
from PySide6.QtCore import QElapsedTimer, QObject, QTimer, Signal

from desk_app.ui.display.announcer import (
    CHIME_PATH,
    Announcer,
    AnnouncerBackend,
    ChimeBackend,
    SilentBackend,
    SpeechBackend,
    for_speech,
    sentence,
)

ROOT = Path(__file__).resolve().parent.parent


class FakeVoice(AnnouncerBackend):
    """Records what it is asked to say and what it was saying at the time; "speaks" for
    ``ms`` and then reports done, as a real engine does, from the event loop."""

    def __init__(self, ms: int = 30) -> None:
        super().__init__()
        self.ms = ms
        self.said: list[str] = []
        self.busy: str | None = None
        self.interruptions: list[tuple[str, str]] = []

    def say(self, text: str) -> None:
        if self.busy is not None:
            self.interruptions.append((self.busy, text))
        self.busy = text
        self.said.append(text)
        QTimer.singleShot(self.ms, self, self._end)

    def _end(self) -> None:
        self.busy = None
        self.done.emit()


def test_sentence_is_what_the_hall_hears():
    assert sentence("A001", 5) == "请 A001 号 到 5 号窗口 办理"
    assert for_speech(sentence("AB012", 12)) == "请 A B 0 1 2 号 到 12 号窗口 办理"


@pytest.mark.gui
def test_three_quick_calls_are_spoken_in_order_each_twice_never_interrupted(qtbot):
    voice = FakeVoice()
    announcer = Announcer(backend=voice, gap_ms=5)
    started: list[str] = []
    finished: list[str] = []
    announcer.started.connect(started.append)
    announcer.finished.connect(finished.append)
    calls = [sentence("A001", 1), sentence("B001", 2), sentence("A002", 3)]

    for text in calls:
        announcer.enqueue(text)
    # The first is being spoken, the other two wait their turn.
    assert announcer.pending() == calls
    assert voice.said == [calls[0]]

    qtbot.waitUntil(lambda: announcer.pending() == [], timeout=10000)
    assert voice.said == [calls[0], calls[0], calls[1], calls[1], calls[2], calls[2]]
    assert voice.interruptions == []
    assert started == calls
    assert finished == calls


@pytest.mark.gui
def test_a_call_during_an_announcement_waits_for_it(qtbot):
    voice = FakeVoice(ms=80)
    announcer = Announcer(backend=voice, gap_ms=5)
    announcer.enqueue("first")
    assert voice.busy == "first"
    announcer.enqueue("second")  # while "first" is being spoken
    assert announcer.current() == "first"
    with qtbot.waitSignal(announcer.finished, timeout=3000) as first_done:
        pass
    assert first_done.args == ["first"]
    qtbot.waitUntil(lambda: not announcer.pending(), timeout=10000)
    assert voice.said == ["first", "first", "second", "second"]
    assert voice.interruptions == []


class StuckVoice(AnnouncerBackend):
    """An engine that never reports done (a hung speech service)."""

    def __init__(self) -> None:
        super().__init__()
        self.said: list[str] = []

    def say(self, text: str) -> None:
        self.said.append(text)


@pytest.mark.gui
def test_a_hung_engine_does_not_stop_the_queue(qtbot):
    voice = StuckVoice()
    announcer = Announcer(backend=voice, gap_ms=5, max_say_ms=50)
    announcer.enqueue("one")
    announcer.enqueue("two")
    qtbot.waitUntil(lambda: not announcer.pending(), timeout=10000)
    assert voice.said == ["one", "one", "two", "two"]


@pytest.mark.gui
def test_silent_backend_paces_each_announcement_once(qtbot):
    announcer = Announcer(backend=SilentBackend(duration_ms=40), gap_ms=5)
    finished: list[str] = []
    announcer.finished.connect(finished.append)
    announcer.enqueue("one")
    announcer.enqueue("two")
    assert announcer.pending() == ["one", "two"]
    qtbot.waitUntil(lambda: finished == ["one", "two"], timeout=10000)
    assert announcer.pending() == []


class FakeEffect(QObject):
    """Stands in for QSoundEffect (no sound device in CI)."""

    playingChanged = Signal()  # noqa: N815 - Qt's name

    def __init__(self) -> None:
        super().__init__()
        self.playing = False
        self.plays = 0

    def play(self) -> None:
        self.plays += 1
        self.playing = True
        self.playingChanged.emit()
        QTimer.singleShot(20, self, self._stop)

    def _stop(self) -> None:
        self.playing = False
        self.playingChanged.emit()

    def isPlaying(self) -> bool:  # noqa: N802
        return self.playing


@pytest.mark.gui
def test_chime_backend_chimes_once_and_holds_each_announcement_on_screen(qtbot):
    effect = FakeEffect()
    announcer = Announcer(backend=ChimeBackend(effect, min_ms=150), gap_ms=5)
    timer = QElapsedTimer()
    timer.start()
    announcer.enqueue("one")
    with qtbot.waitSignal(announcer.finished, timeout=3000):
        pass
    # Not when the 20 ms sound ended, but after the 150 ms display time (coarse timers may
    # fire up to 5 % early).
    assert timer.elapsed() >= 140
    assert effect.plays == 1


@pytest.mark.gui
def test_speech_backend_reports_done_after_speaking(qtbot):
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech
    except ImportError as exc:  # needs the system's audio libraries (libpulse)
        pytest.skip(f"QtTextToSpeech unavailable: {exc}")
    if "mock" not in QTextToSpeech.availableEngines():
        pytest.skip("Qt's mock speech engine is not installed")
    announcer = Announcer(backend=SpeechBackend(QTextToSpeech("mock")), gap_ms=5)
    announcer.enqueue(sentence("A001", 1))
    with qtbot.waitSignal(announcer.finished, timeout=10_000) as done:
        pass
    assert done.args == [sentence("A001", 1)]


def test_chime_is_the_committed_output_of_its_script(tmp_path):
    import runpy

    make_chime = runpy.run_path(str(ROOT / "scripts" / "make_chime.py"))
    out = tmp_path / "chime.wav"
    make_chime["write"](out)
    assert out.read_bytes() == CHIME_PATH.read_bytes()
    with wave.open(str(CHIME_PATH)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 22050)
        assert 0.8 <= w.getnframes() / w.getframerate() <= 1.5  # a ~1 s ding-dong
    assert CHIME_PATH.stat().st_size < 100_000
