"""Generate resources/sounds/chime.wav: the call display's soft two-tone "ding-dong".

Used where no Chinese speech engine exists. Only the standard library, and deterministic: the
same bytes on every run, so the committed file can be checked against this script.

    python scripts/make_chime.py [OUTPUT.wav]
"""

from __future__ import annotations

import math
import struct
import sys
import wave
from pathlib import Path

RATE = 22050  # Hz; plenty for two bell tones and keeps the file small
AMPLITUDE = 0.32  # of full scale: a calm hall chime, not an alarm
# (frequency Hz, start s, length s): E5 then C5, a major third down, the classic "ding-dong".
NOTES = [(659.25, 0.0, 0.55), (523.25, 0.42, 0.68)]
LENGTH_S = 1.12
# Partials of a soft bell: the fundamental, a quiet octave and a quieter twelfth.
PARTIALS = [(1.0, 1.0), (2.0, 0.28), (3.0, 0.08)]
ATTACK_S = 0.012  # a short fade-in avoids a click at each note's start
DECAY_PER_S = 4.2  # exponential decay rate of each note


def sample(t: float) -> float:
    """The chime's value at time ``t`` (seconds), in -1..1."""
    value = 0.0
    for freq, start, length in NOTES:
        dt = t - start
        if dt < 0 or dt > length:
            continue
        envelope = math.exp(-DECAY_PER_S * dt) * min(1.0, dt / ATTACK_S)
        # Fade the tail to zero so a note ends without a click.
        envelope *= min(1.0, (length - dt) / 0.05)
        for ratio, weight in PARTIALS:
            value += weight * envelope * math.sin(2 * math.pi * freq * ratio * dt)
    norm = sum(w for _r, w in PARTIALS)
    return value / norm


def render() -> bytes:
    frames = bytearray()
    for i in range(int(RATE * LENGTH_S)):
        v = max(-1.0, min(1.0, AMPLITUDE * sample(i / RATE)))
        frames += struct.pack("<h", round(v * 32767))
    return bytes(frames)


def write(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)  # 16-bit
        out.setframerate(RATE)
        out.writeframes(render())


def main(argv: list[str]) -> int:
    root = Path(__file__).resolve().parent.parent
    target = Path(argv[0]) if argv else root / "resources" / "sounds" / "chime.wav"
    write(target)
    print(f"{target} ({target.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
