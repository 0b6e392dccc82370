"""Drain a backlog of concluded cases to the local reference backend (not a test).

    .venv/bin/python bench/sync_bench.py [--cases 10000]

Builds a hall database with N concluded cases in its outbox (bulk set-up, not measured), starts
``central-ref serve`` on 127.0.0.1, and measures in the same run:
- the outbox's batched drain (``desk-app sync run --once``'s code path);
- a naive loop: one PUT and one local transaction per case (the baseline).
Each against a fresh server store; cases per second and the ratio are printed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, update  # noqa: E402

from desk_app.security.roles import SYSTEM_ACTOR  # noqa: E402
from desk_app.store import Database  # noqa: E402
from desk_app.store.case_models import Case, SyncOutbox  # noqa: E402
from desk_app.store.schema import upgrade  # noqa: E402
from desk_app.sync import outbox  # noqa: E402
from desk_app.sync.client import CentralClient  # noqa: E402
from desk_app.sync.config import SyncConfig  # noqa: E402

TOKEN = "bench"


def build(db: Database, n: int) -> None:
    now = datetime.now(UTC)
    cases, boxes = [], []
    for i in range(n):
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
                "applicant_name": "张三丰",
                "applicant_id_no": "370202199001011237",
                "applicant_phone": "13812341234",
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
            "payload": {
                "bundle": "newborn",
                "applicant": {"name": "张三丰", "id_no": "370202199001011237"},
                "results": {"a": "approved"},
                "materials": {"application_form": "original"},
            },
        }
        boxes.append(
            {
                "case_id": cid,
                "payload": json.dumps(payload, ensure_ascii=False),
                "state": "pending",
                "attempts": 0,
                "created_at": now,
                "next_attempt_at": now,
            }
        )
    with db.begin() as s:
        s.execute(insert(Case), cases)
        s.execute(insert(SyncOutbox), boxes)


def reset(db: Database) -> None:
    with db.begin() as s:
        s.execute(
            update(SyncOutbox).values(
                state="pending", sent_at=None, attempts=0, next_attempt_at=datetime.now(UTC)
            )
        )


def start_server(db_url: str) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "central_ref",
            "serve",
            "--port",
            "0",
            "--db",
            db_url,
            "--token",
            TOKEN,
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    return proc, json.loads(proc.stdout.readline())["url"]


def naive(db: Database, client: CentralClient) -> int:
    from sqlalchemy import select

    with db.read() as s:
        rows = s.execute(
            select(SyncOutbox.id, SyncOutbox.payload).where(SyncOutbox.state == "pending")
        ).all()
    for row_id, payload in rows:
        client.upload_one(json.loads(payload))
        with db.begin() as s:
            s.execute(
                update(SyncOutbox)
                .where(SyncOutbox.id == row_id)
                .values(state="sent", sent_at=datetime.now(UTC))
            )
    return len(rows)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--batch", type=int, default=200)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/hall.db").acting_as(SYSTEM_ACTOR)
        upgrade(db)
        build(db, args.cases)
        results = {}
        for name in ("batched", "naive"):
            reset(db)
            proc, url = start_server(f"sqlite:///{tmp}/central-{name}.db")
            try:
                client = CentralClient(SyncConfig(url=url, token=TOKEN, batch_size=args.batch))
                t0 = time.perf_counter()
                if name == "batched":
                    report = outbox.drain(db, client, max_passes=10_000)
                    sent = report.sent
                else:
                    sent = naive(db, client)
                elapsed = time.perf_counter() - t0
            finally:
                proc.terminate()
                proc.wait(10)
            assert sent == args.cases, (name, sent)
            results[name] = args.cases / elapsed
            print(
                f"{name:<8} {args.cases:,} cases in {elapsed:6.1f} s = "
                f"{results[name]:7.0f} cases/s",
                flush=True,
            )
        print(
            f"batched / naive: {results['batched'] / results['naive']:.1f}x "
            f"(batch size {args.batch})"
        )


if __name__ == "__main__":
    main()
