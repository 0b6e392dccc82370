"""免证办 figures (not a test): what sharing saves the visitor and how long the counter waits.

    .venv/bin/python bench/share_bench.py [--cases 40]

Against real ``central-ref serve`` processes (synthetic records for any valid subject):

1. For the newborn and retirement bundles (every situation answer at its default): the
   materials the checklist lists, those handed in on paper with the sharing gateway working,
   with it down (every resource 503), and without the applicant's consent.
2. Time from case open to every shared material shown (open_case + the fetch, as the counter
   does it), p50/p95 over ``--cases`` cases, on loopback and with 30 ms added to each share
   call; the baseline in the same run is opening the case alone.
3. Calls per case.

Prints the figures with the machine's load.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DESK_APP_KEY", base64.urlsafe_b64encode(os.urandom(32)).decode())

from desk_app.domain.bundle import Source  # noqa: E402
from desk_app.security.roles import SYSTEM_ACTOR  # noqa: E402
from desk_app.services.cases import actions as cases  # noqa: E402
from desk_app.services.common.catalog import catalog  # noqa: E402
from desk_app.services.hall import setup as hall  # noqa: E402
from desk_app.store import Database  # noqa: E402
from desk_app.store.schema import upgrade  # noqa: E402
from desk_app.sync import share_fetch  # noqa: E402
from desk_app.sync.client import CentralClient  # noqa: E402
from desk_app.sync.config import SyncConfig  # noqa: E402

TOKEN = "bench-ws"
BUNDLES = ("newborn", "retirement")
IDS = [  # valid, and known to the platform's check (python-stdnum's region list)
    "11010519491231002X",
    "370202199001011237",
    "110105198503150027",
    "110101199211080038",
]


def serve(tmp: Path, name: str, *args: str) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "central_ref", "serve", "--port", "0", "--db",
         f"sqlite:///{tmp / (name + '.db')}", "--token", TOKEN, "--no-access-log",
         "--log-level", "warning", "--share-synthetic", *args],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    return proc, json.loads(proc.stdout.readline())["url"]


def shared_resources(code: str) -> list[str]:
    return sorted(
        {
            m.resource
            for m in catalog().bundle(code).materials
            if m.source in (Source.SHARED, Source.E_LICENCE) and m.resource
        }
    )


def hall_db(tmp: Path, name: str) -> Database:
    db = Database(f"sqlite:///{tmp / (name + '-hall.db')}")
    upgrade(db)
    from desk_app.services.common import protection

    protection.ensure_hall_key(db)
    db = db.acting_as(SYSTEM_ACTOR)
    for i, code in enumerate(BUNDLES):
        hall.add_service(db, code, code, "AB"[i])
    return db


def paper(db: Database, case_no: str) -> int:
    return sum(1 for m in cases.show(db, case_no).materials if m.status != "obtained")


def open_one(db: Database, code: str, i: int, consent: bool = True) -> str:
    return cases.open_case(
        db, code, "张三", applicant_id=IDS[i % len(IDS)], share_consent=consent
    ).case_no


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q * len(ordered)) - 1))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=40)
    args = ap.parse_args()
    print(f"load {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}, cases per figure {args.cases}")
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        every = sorted({r for b in BUNDLES for r in shared_resources(b)})
        up, up_url = serve(tmp, "up")
        down, down_url = serve(tmp, "down", "--share-down", ",".join(every))
        slow, slow_url = serve(tmp, "slow", "--share-latency-ms", "30")
        try:
            db = hall_db(tmp, "a")
            print("\n1. materials handed in on paper (default answers)")
            for code in BUNDLES:
                listed = len(cases.show(db, open_one(db, code, 0)).materials)
                row = {}
                for label, url, consent in (
                    ("sharing up", up_url, True),
                    ("gateway down", down_url, True),
                    ("no consent", up_url, False),
                ):
                    no = open_one(db, code, 1, consent)
                    share_fetch.fetch_case(
                        db, lambda u=url: CentralClient(SyncConfig(u, TOKEN)), no
                    )
                    row[label] = paper(db, no)
                print(
                    f"  {code:<11} listed {listed:>2}  "
                    + "  ".join(f"{k} {v:>2}" for k, v in row.items())
                )
            print("\n2. case open -> every shared material shown (ms)")
            for label, url in (("loopback", up_url), ("+30 ms per share call", slow_url)):
                make = lambda u=url: CentralClient(SyncConfig(u, TOKEN))  # noqa: E731
                base, full, calls = [], [], 0
                for i in range(args.cases):
                    code = BUNDLES[i % 2]
                    t0 = time.perf_counter()
                    open_one(db, code, i)
                    base.append((time.perf_counter() - t0) * 1000)
                    t0 = time.perf_counter()
                    no = open_one(db, code, i)
                    r = share_fetch.fetch_case(db, make, no)
                    view = cases.show(db, no)
                    full.append((time.perf_counter() - t0) * 1000)
                    calls += r.fetched + r.no_record + r.failed
                    assert all(m.share in (None, "fetched") for m in view.materials), r.to_json()
                print(
                    f"  {label:<22} open alone p50 {statistics.median(base):6.1f} "
                    f"p95 {pct(base, 0.95):6.1f} | open+fetch p50 {statistics.median(full):6.1f} "
                    f"p95 {pct(full, 0.95):6.1f} | ratio p95 {pct(full, 0.95) / pct(base, 0.95):.2f} "
                    f"| calls per case {calls / args.cases:.2f}"
                )
        finally:
            for p in (up, down, slow):
                p.terminate()
                p.wait(10)
    print(f"\nload after {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
