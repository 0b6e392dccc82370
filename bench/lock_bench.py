"""The SQLite writer lock under contention: ``store.filelock.exclusive`` (polling, so that it can
time out and name its holder) against a plain blocking ``flock`` (the kernel's queue, which
never times out), measured in the same run.

    python bench/lock_bench.py [--procs 8] [--rounds 300] [--hold-ms 1.0]

Each of ``--procs`` processes takes the lock ``--rounds`` times and holds it ``--hold-ms``
(a short ORM unit of work); printed: locks per second, the p50/p99 wait for the lock, and the
ratio of ours to the baseline.
"""

from __future__ import annotations

import argparse
import fcntl
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desk_app.store.filelock import exclusive  # noqa: E402


@contextmanager
def blocking(path: str):  # type: ignore[no-untyped-def]
    """The baseline: the kernel's queue, no timeout (the lock before it could time out)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def worker(kind: str, path: str, rounds: int, hold_s: float, start: float, out) -> None:  # type: ignore[no-untyped-def]
    lock = blocking if kind == "blocking" else exclusive
    while time.monotonic() < start:
        time.sleep(0.001)
    waits = []
    for _ in range(rounds):
        asked = time.perf_counter()
        with lock(path):
            waits.append(time.perf_counter() - asked)
            end = time.perf_counter() + hold_s
            while time.perf_counter() < end:  # busy: a unit of work holds the CPU too
                pass
    out.put(waits)


def run(kind: str, procs: int, rounds: int, hold_ms: float) -> tuple[float, float, float]:
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "hall.db.writelock")
        start = time.monotonic() + 1.0
        ps = [
            ctx.Process(target=worker, args=(kind, path, rounds, hold_ms / 1000, start, out))
            for _ in range(procs)
        ]
        for p in ps:
            p.start()
        waits = [w for _ in ps for w in out.get()]
        t_end = time.monotonic()
        for p in ps:
            p.join()
    elapsed = t_end - start
    waits.sort()
    return (
        procs * rounds / elapsed,
        statistics.median(waits) * 1000,
        waits[int(len(waits) * 0.99) - 1] * 1000,
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--procs", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=300)
    ap.add_argument("--hold-ms", type=float, default=1.0)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    results: dict[str, list[tuple[float, float, float]]] = {"blocking": [], "exclusive": []}
    for _ in range(a.repeat):  # interleaved, so load from elsewhere hits both alike
        for kind in results:
            results[kind].append(run(kind, a.procs, a.rounds, a.hold_ms))
    print(f"{a.procs} processes x {a.rounds} locks, held {a.hold_ms} ms, {a.repeat} runs each")
    best = {}
    for kind, rows in results.items():
        rate = statistics.median(r[0] for r in rows)
        p50 = statistics.median(r[1] for r in rows)
        p99 = statistics.median(r[2] for r in rows)
        best[kind] = rate
        print(f"  {kind:<10} {rate:8.0f} locks/s   wait p50 {p50:7.2f} ms   p99 {p99:7.2f} ms")
    print(f"  ours / blocking: {best['exclusive'] / best['blocking']:.0%} of the throughput")
    return 0


if __name__ == "__main__":
    sys.exit(main())
