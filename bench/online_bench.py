"""Online applications through kills and faults, and the inbox at 10 k (not a test).

    .venv/bin/python bench/online_bench.py [--apps 1000] [--kills 8] [--fail-rate 0.3]
                                           [--inbox 10000]

1. ``--apps`` citizens' applications (each with one uploaded image and a shared-data
   reference) are submitted to a healthy ``central-ref serve``; then the platform is restarted
   on the same database failing ``--fail-rate`` of the requests (503, a hang past the client's
   timeout, the answer dropped after the commit). ``desk-app sync run`` pulls them as a
   subprocess killed (SIGKILL) ``--kills`` times at random moments, then ``sync run --once``
   until nothing is owed. Every case is then given a 一次性告知 and the states go back the same
   way (kills included). Counted on both sides: each application a case exactly once, each
   state recorded on the platform exactly once and in order.
2. The counter's inbox (``case inbox``, services/cases/online.py) over ``--inbox`` online
   cases: the time of one refresh (p50 / p95 of 10), against the baseline of reading the same
   rows with one raw SELECT in the same run.
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DESK_APP_KEY", base64.urlsafe_b64encode(os.urandom(32)).decode())

import requests  # noqa: E402
from sqlalchemy import create_engine, func, insert, select, text  # noqa: E402

from desk_app.security.roles import SYSTEM_ACTOR, Role  # noqa: E402
from desk_app.services.accounts import staff as accounts  # noqa: E402
from desk_app.services.cases import actions as cases  # noqa: E402
from desk_app.services.cases import online  # noqa: E402
from desk_app.services.common import protection  # noqa: E402
from desk_app.services.hall import setup as hall  # noqa: E402
from desk_app.store import Database  # noqa: E402
from desk_app.store.case_models import Case  # noqa: E402
from desk_app.store.schema import upgrade  # noqa: E402

TOKEN = "bench-hall"
PASSWORD = "Bench-2026x"
IDS = ["11010519491231002X", "370202199001011237", "110105198503150027", "110101199211080038"]


def serve(db_url: str, *args: str) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "central_ref", "serve", "--port", "0", "--db", db_url,
         "--token", f"{TOKEN}={TOKEN}", "--no-access-log", "--log-level", "error", *args],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT,
    )  # fmt: skip
    return proc, json.loads(proc.stdout.readline())["url"]


def image_b64() -> str:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (300, 400), "white").save(buf, "JPEG")
    return base64.b64encode(buf.getvalue()).decode()


def submit_all(url: str, n: int) -> list[str]:
    picture, ids, s = image_b64(), [], requests.Session()
    for i in range(n):
        body = {
            "bundle": "newborn",
            "mode": "online",
            "applicant": {"kind": "person", "name": "张三丰", "id": IDS[i % len(IDS)]},
            "answers": {},
            "materials": [
                {"code": "application_form", "file": {"name": "f.jpg", "content_base64": picture}},
                {"code": "delivery_record", "resource": "health.delivery_record"},
            ],
        }
        r = s.post(f"{url}/public/v1/halls/{TOKEN}/applications", json=body, timeout=30)
        r.raise_for_status()
        ids.append(r.json()["id"])
    return ids


def run_with_kills(env: dict, kills: int, rng: random.Random, done: callable) -> int:  # type: ignore[valid-type]
    """``sync run`` killed ``kills`` times, then ``--once`` until ``done()``; the passes run."""
    for _k in range(kills):
        proc = subprocess.Popen(
            [sys.executable, "-m", "desk_app", "sync", "run", "--interval", "0.05"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT,
        )  # fmt: skip
        time.sleep(rng.uniform(1.5, 5.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if done():
            break
    passes = 0
    while not done() and passes < 200:
        subprocess.run(
            [sys.executable, "-m", "desk_app", "sync", "run", "--once", "--json"],
            env=env, capture_output=True, cwd=ROOT, timeout=600, check=False,
        )  # fmt: skip
        passes += 1
    return passes


def platform_events(central_db: str) -> dict[str, list[str]]:
    engine = create_engine(central_db)
    with engine.connect() as c:
        rows = c.execute(
            text(
                "select a.id, e.state from online_application_events e join online_applications a"
                " on a.seq = e.application order by a.id, e.seq"
            )
        ).all()
    engine.dispose()
    out: dict[str, list[str]] = {}
    for app_id, state in rows:
        out.setdefault(app_id, []).append(state)
    return out


def inbox_bench(tmp: Path, n: int) -> None:
    db = Database(f"sqlite:///{tmp / 'inbox.db'}").acting_as(SYSTEM_ACTOR)
    upgrade(db)
    protection.ensure_hall_key(db)
    now = datetime.now(UTC)
    name = protection.seal("张三丰", "cases.applicant_name")
    idno = protection.seal(IDS[0], "cases.applicant_id_no")
    rows = [
        {"id": uuid.uuid4(), "case_no": f"YJS-20261205-{i:05d}", "bundle_code": "newborn",
         "bundle_name": "新生儿出生一件事", "catalog_version": "bench", "state": "open",
         "applicant_kind": "person", "applicant_name": name, "applicant_id_no": idno,
         "bad_credit": False, "answers": "{}", "opened_at": now, "channel": "online",
         "online_id": uuid.uuid4(), "online_mode": "online",
         "received_at": now - timedelta(minutes=i)}
        for i in range(n)
    ]  # fmt: skip
    with db.begin() as s:
        s.execute(insert(Case), rows)
    base, full, line = [], [], []
    for _ in range(10):
        t0 = time.perf_counter()
        with db.read() as s:
            got = s.execute(
                select(Case.case_no, Case.bundle_code, Case.applicant_name, Case.received_at)
                .where(Case.channel == "online", Case.state == "open")
                .order_by(Case.received_at)
            ).all()
        base.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        listed = online.inbox(db)
        full.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        assert online.waiting(db)[0] == n
        line.append((time.perf_counter() - t0) * 1000)
        assert len(listed) == len(got) == n
    base.sort()
    full.sort()
    line.sort()
    print(
        f"inbox over {n:,} open online cases: refresh p50 {full[4]:.0f} ms p95 {full[9]:.0f} ms"
        f" | raw SELECT p50 {base[4]:.0f} ms | ratio p50 {full[4] / base[4]:.1f}x"
    )
    print(
        f"the counter's line (count and late, every 30 s): p50 {line[4]:.1f} ms p95 {line[9]:.1f} ms"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--apps", type=int, default=1000)
    ap.add_argument("--kills", type=int, default=8)
    ap.add_argument("--fail-rate", type=float, default=0.3)
    ap.add_argument("--inbox", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=20261205)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    print(f"load average at start: {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        if args.apps:
            central_db = f"sqlite:///{tmp / 'central.db'}"
            proc, url = serve(central_db)
            t0 = time.perf_counter()
            ids = submit_all(url, args.apps)
            proc.terminate()
            proc.wait(10)
            print(f"submitted {len(ids):,} applications in {time.perf_counter() - t0:.1f} s")
            hall_db = Database(f"sqlite:///{tmp / 'hall.db'}").acting_as(SYSTEM_ACTOR)
            upgrade(hall_db)
            protection.ensure_hall_key(hall_db)
            hall.add_service(hall_db, "newborn", "新生儿出生一件事", "A")
            accounts.create_account(hall_db, "adm", "管理员", Role.ADMIN, PASSWORD)
            faults = ["--fail-rate", str(args.fail_rate), "--fault-modes", "drop,error,timeout",
                      "--hang-seconds", "1", "--seed", str(args.seed)]  # fmt: skip
            proc, url = serve(central_db, *faults)
            env = dict(os.environ, DESK_APP_DB=hall_db.url, DESK_APP_CENTRAL_URL=url,
                       DESK_APP_CENTRAL_TOKEN=TOKEN, DESK_APP_SYNC_TIMEOUT="0.6",
                       DESK_APP_USER="adm", DESK_APP_PASSWORD=PASSWORD)  # fmt: skip

            def pulled() -> bool:
                with hall_db.read() as s:
                    n = s.scalar(select(func.count()).select_from(Case))
                return n == args.apps and not online.unsent(hall_db)

            try:
                t0 = time.perf_counter()
                passes = run_with_kills(env, args.kills, rng, pulled)
                print(f"pulled with {args.kills} kills and {args.fail_rate:.0%} faults in "
                      f"{time.perf_counter() - t0:.1f} s (+{passes} --once passes)")  # fmt: skip
                with hall_db.read() as s:
                    numbers = list(s.scalars(select(Case.case_no)))
                for no in numbers:
                    cases.decide(hall_db, no, "notice")
                t0 = time.perf_counter()
                passes = run_with_kills(
                    env, args.kills // 2, rng, lambda: not online.unsent(hall_db)
                )
                print(f"notices reported with {args.kills // 2} kills in "
                      f"{time.perf_counter() - t0:.1f} s (+{passes} --once passes)")  # fmt: skip
            finally:
                proc.terminate()
                proc.wait(10)
            with hall_db.read() as s:
                online_ids = [str(x) for x in s.scalars(select(Case.online_id))]
            events = platform_events(central_db)
            once = sorted(online_ids) == sorted(ids)
            right = sum(events.get(i) == ["received", "notice"] for i in ids)
            print(f"hall: {len(online_ids):,} cases, one per application: {once}")
            print(f"platform: {right:,} of {len(ids):,} applications show exactly "
                  f"[received, notice]")  # fmt: skip
        if args.inbox:
            inbox_bench(tmp, args.inbox)
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
