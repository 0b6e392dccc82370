"""Capture-to-attached, and the delivery of a backlog of scanned files through kills and
faults (not a test).

    .venv/bin/python bench/files_bench.py [--cases 1000] [--kills 8] [--fail-rate 0.3]
                                          [--captures 30] [--capture-only]

Capture-to-attached: three document-camera stills (4000x3000 JPEG, 12 MP, a sheet on the
camera's dark base) are trimmed to the paper (services/cases/pages.py, as the dialog does) and
attached as one sealed PDF (``attach_pages``), ``--captures`` times on a file database; p50 and
p95 of the whole, from the stills in memory to the committed row.

Builds a hall database with N concluded cases in the outbox, each with three sealed PDFs of
20-60 KB (bulk set-up, not measured), starts ``central-ref serve`` failing ``--fail-rate`` of
the PUTs/POSTs (503, a hang past the client's timeout then processed, or the answer dropped
after the commit), then runs ``desk-app sync run`` as a subprocess and kills it (SIGKILL)
``--kills`` times at random moments, and finally ``sync run --once --json`` until nothing is
owed. Prints the counts on both sides (every file complete once, no byte beyond its total),
the elapsed time, and the hall database's size per case before and after the retention purge.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DESK_APP_KEY", base64.urlsafe_b64encode(os.urandom(32)).decode())

from sqlalchemy import func, insert, select  # noqa: E402

from central_ref import files as central_files  # noqa: E402
from central_ref.store import Store  # noqa: E402
from desk_app.security.crypto import encrypt_bytes  # noqa: E402
from desk_app.security.roles import SYSTEM_ACTOR  # noqa: E402
from desk_app.services.cases.files import CONTEXT  # noqa: E402
from desk_app.services.cases.payload import PAYLOAD_CONTEXT  # noqa: E402
from desk_app.services.common import protection  # noqa: E402
from desk_app.store import Database  # noqa: E402
from desk_app.store.case_models import Case, CaseFile, SyncOutbox  # noqa: E402
from desk_app.store.schema import upgrade  # noqa: E402
from desk_app.sync.retention import purge_personal_data  # noqa: E402

TOKEN = "bench"
MATERIALS = ("parents_id_cards", "household_register", "marriage_certificate")


def build(db: Database, n: int, rng: random.Random) -> tuple[int, int]:
    """N concluded cases, three files each; (files, bytes of their PDFs)."""
    import hashlib

    now = datetime.now(UTC)
    cipher = protection.cipher()
    total = 0
    for start in range(0, n, 200):
        cases, boxes, files = [], [], []
        for i in range(start, min(n, start + 200)):
            cid = uuid.uuid4()
            case_no = f"YJS-{date.today():%Y%m%d}-{i + 1:05d}"
            cases.append(
                {
                    "id": cid,
                    "case_no": case_no,
                    "bundle_code": "newborn",
                    "bundle_name": "新生儿出生一件事",
                    "catalog_version": "bench",
                    "state": "concluded",
                    "applicant_kind": "person",
                    "applicant_name": protection.seal("张三丰", "cases.applicant_name"),
                    "applicant_id_no": protection.seal(
                        "370202199001011237", "cases.applicant_id_no"
                    ),
                    "applicant_phone": protection.seal("13812341234", "cases.applicant_phone"),
                    "bad_credit": False,
                    "answers": "{}",
                    "opened_at": now,
                    "concluded_at": now,
                }
            )
            payload = {
                "uuid": str(cid),
                "case_no": case_no,
                "concluded_at": now.isoformat(),
                "payload": {"bundle": "newborn", "materials": {m: "electronic" for m in MATERIALS}},
            }
            boxes.append(
                {
                    "case_id": cid,
                    "payload": protection.seal_json(payload, PAYLOAD_CONTEXT),
                    "state": "pending",
                    "attempts": 0,
                    "created_at": now,
                    "next_attempt_at": now,
                }
            )
            for material in MATERIALS:
                size = rng.randint(20_000, 60_000)
                pdf = b"%PDF-1.4\n" + rng.randbytes(size - 16) + b"\n%%EOF\n"
                total += size
                files.append(
                    {
                        "case_id": cid,
                        "material_code": material,
                        "pages": 2,
                        "size": size,
                        "sha256": hashlib.sha256(pdf).hexdigest(),
                        "source": "scanner",
                        "content": encrypt_bytes(cipher, pdf, context=CONTEXT),
                        "created_at": now,
                    }
                )
        with db.begin() as s:
            s.execute(insert(Case), cases)
            s.execute(insert(SyncOutbox), boxes)
            s.execute(insert(CaseFile), files)
    return 3 * n, total


def still(rng: random.Random) -> bytes:
    """A 12 MP document-camera still: a written A4 sheet on the dark base, slightly off-centre."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (4000, 3000), (52, 56, 58))
    draw = ImageDraw.Draw(image)
    x, y = 1000 + rng.randint(-80, 80), 120 + rng.randint(-40, 40)
    draw.rectangle((x, y, x + 2000, y + 2760), fill=(246, 246, 240))
    for line in range(y + 200, y + 2600, 64):
        draw.line(
            (x + 150, line, x + 150 + rng.randint(900, 1700), line), fill=(30, 30, 30), width=5
        )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def capture_to_attached(tmp: str, runs: int, rng: random.Random) -> None:
    """p50/p95 of three stills trimmed and attached as one sealed PDF (see the module's text)."""
    import statistics

    from desk_app.services.cases import actions as cases
    from desk_app.services.cases import files as case_files
    from desk_app.services.cases import pages
    from desk_app.services.hall import setup as hall_setup

    path = Path(tmp) / "capture.db"
    db = Database(f"sqlite:///{path}").acting_as(SYSTEM_ACTOR)
    upgrade(db)
    protection.ensure_hall_key(db)
    hall_setup.add_service(db, "newborn", "新生儿出生一件事", "A")
    stills = [still(rng) for _ in range(3)]
    print(f"capture: 3 stills of {sum(map(len, stills)) // 3 // 1024} KB each (4000x3000 JPEG)")
    times, crops, sizes = [], [], []
    for n in range(runs):
        case = cases.open_case(db, "newborn", "张三丰", applicant_id="370202199001011237")
        t0 = time.perf_counter()
        trimmed = [pages.autocrop(s) for s in stills]
        t1 = time.perf_counter()
        done = case_files.attach_pages(
            db,
            case.case_no,
            "household_register",
            [(f"camera-{i}.jpg", d) for i, d in enumerate(trimmed)],
            source="camera",
        )
        times.append(time.perf_counter() - t0)
        crops.append(t1 - t0)
        sizes.append(done.bytes)
        assert done.pages == 3, n
    times.sort()
    crops.sort()
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    print(f"capture-to-attached, 3 pages, {runs} runs: p50 {statistics.median(times) * 1000:.0f} ms,"
          f" p95 {p95 * 1000:.0f} ms (of which trimming p50 {statistics.median(crops) * 1000:.0f} ms);"
          f" sealed PDF {statistics.median(sizes) / 1024:.0f} KB")  # fmt: skip
    db.dispose()
    before, _free = db_bytes(path)
    print(f"  capture database: {before / runs / 1024:.1f} KB per case with its 3-page material")


def start_server(db_url: str, *args: str, port: int = 0) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "central_ref", "serve", "--port", str(port), "--db", db_url]
    command += ["--token", TOKEN, "--no-access-log", "--log-level", "warning", *args]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stdout is not None
    return proc, json.loads(proc.stdout.readline())["url"]


def db_bytes(path: Path) -> tuple[int, int]:
    """(page_count * page_size, freelist_count * page_size) of the hall database."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        free = conn.execute("PRAGMA freelist_count").fetchone()[0]
    return pages * size, free * size


def owed(db: Database) -> tuple[int, int]:
    with db.read() as s:
        cases = s.scalar(select(func.count()).where(SyncOutbox.state != "sent"))
        files = s.scalar(select(func.count()).where(CaseFile.delivered_at.is_(None)))
    return int(cases or 0), int(files or 0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=1000)
    ap.add_argument("--kills", type=int, default=8)
    ap.add_argument("--fail-rate", type=float, default=0.3)
    ap.add_argument("--seed", type=int, default=20261205)
    ap.add_argument("--captures", type=int, default=30)
    ap.add_argument("--capture-only", action="store_true")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        if args.captures:
            capture_to_attached(tmp, args.captures, rng)
        if args.capture_only:
            return
        hall_path = Path(tmp) / "hall.db"
        db = Database(f"sqlite:///{hall_path}").acting_as(SYSTEM_ACTOR)
        upgrade(db)
        protection.ensure_hall_key(db)
        n_files, n_bytes = build(db, args.cases, rng)
        print(f"built {args.cases:,} cases, {n_files:,} files, {n_bytes / 1e6:.1f} MB of PDF")
        print(f"load average at start: {os.getloadavg()}")
        server_db = f"sqlite:///{tmp}/central.db"
        faults = ["--fail-rate", str(args.fail_rate), "--fault-modes", "drop,error,timeout"]
        faults += ["--hang-seconds", "1", "--seed", str(args.seed)]
        server, url = start_server(server_db, *faults)
        env = dict(
            os.environ,
            DESK_APP_DB=db.url,
            DESK_APP_CENTRAL_URL=url,
            DESK_APP_CENTRAL_TOKEN=TOKEN,
            DESK_APP_SYNC_BACKOFF="0.05,0.5",
            DESK_APP_SYNC_TIMEOUT="0.6",
            DESK_APP_SYNC_BATCH="100",
        )
        t0 = time.perf_counter()
        try:
            for k in range(args.kills):
                proc = subprocess.Popen(
                    [sys.executable, "-m", "desk_app", "sync", "run", "--interval", "0.05"],
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    cwd=ROOT,
                )
                time.sleep(rng.uniform(3.0, 12.0))
                proc.send_signal(signal.SIGKILL)
                proc.wait(10)
                cases_owed, files_owed = owed(db)
                print(
                    f"{time.perf_counter() - t0:6.1f} s kill {k + 1}: "
                    f"still owed {cases_owed} cases, {files_owed} files"
                )
            runs = 0
            while True:
                out = subprocess.run(
                    [sys.executable, "-m", "desk_app", "sync", "run", "--once", "--json"],
                    env=env,
                    capture_output=True,
                    text=True,
                    cwd=ROOT,
                    timeout=900,
                )
                runs += 1
                result = json.loads(out.stdout)
                cases_owed, files_owed = owed(db)
                print(
                    f"{time.perf_counter() - t0:6.1f} s run --once {runs}: "
                    f"cases sent {result['sent']}, files {result['files']}"
                )
                if not cases_owed and not files_owed:
                    break
                if runs >= 50:
                    raise SystemExit("not delivered after 50 runs")
                if not result["sent"] and not result["files"]["sent"]:
                    time.sleep(2)  # rows leased by a killed run come due again
            elapsed = time.perf_counter() - t0
        finally:
            server.terminate()
            server.wait(10)
        store = Store(server_db)
        stats = central_files.file_stats(store)
        with store.read() as s:
            from central_ref.models import ReceivedCase

            received = s.scalar(select(func.count()).select_from(ReceivedCase))
        store.dispose()
        print(f"elapsed (kills + runs to the end): {elapsed:.1f} s")
        print(f"server: cases {received}, files {stats}")
        assert received == args.cases and stats["complete"] == stats["files"] == n_files
        assert stats["chunk_bytes"] == stats["complete_bytes"] == n_bytes
        assert stats["beyond_total"] == 0
        print("all delivered once: every file complete, no byte twice, none beyond its total")
        before, free0 = db_bytes(hall_path)
        report = purge_personal_data(db, 30, now=datetime.now(UTC) + timedelta(days=31))
        after, free1 = db_bytes(hall_path)
        db.dispose()
        with sqlite3.connect(hall_path) as conn:
            conn.execute("VACUUM")
        vacuumed, _ = db_bytes(hall_path)
        per = args.cases * 1000
        print(f"hall db per case: before purge {before / per:.1f} KB (free {free0 / per:.1f})")
        print(f"  after purge of {report.purged} cases: {after / per:.1f} KB "
              f"(free {free1 / per:.1f} KB), after VACUUM {vacuumed / per:.1f} KB")  # fmt: skip
        print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
