"""The store under concurrency, and the operator commands (stats, forget)."""

from __future__ import annotations

import json
import threading

from central_ref.cli import main
from central_ref.rules import validate_case
from central_ref.store import Store
from tests.central_ref.conftest import make_case


def test_racing_uploads_of_the_same_uuids_store_each_once(db_url):
    """Eight clients send the same 40 cases at once (retries overtaking originals)."""
    store = Store(db_url)
    store.create_schema()
    cases = [validate_case(make_case()) for _ in range(40)]
    errors: list[BaseException] = []
    results: list[list[str]] = []
    barrier = threading.Barrier(8)

    def upload(offset: int) -> None:
        try:
            batch = cases[offset:] + cases[:offset]  # overlapping, in different orders
            barrier.wait(timeout=10)
            # Eight PCs of one hall: case ids are scoped per hall.
            outcomes = store.ingest(batch, f"hall/ws{offset}", owner="hall")
            results.append([o.status for o in outcomes])
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=upload, args=(i * 5,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    statuses = [s for batch in results for s in batch]
    assert statuses.count("created") == 40
    assert statuses.count("replayed") == 7 * 40
    assert "conflict" not in statuses
    counts = store.stats()
    assert counts == {
        "cases": 40,
        "arrivals": 320,
        "retried_cases": 40,
        "conflicting_versions": 0,
        "receipts": 320,
    }
    store.dispose()


def test_schema_creation_is_idempotent(db_url):
    for _ in range(2):
        store = Store(db_url)
        store.create_schema()
        store.dispose()


def test_stats_and_forget_commands(db_url, capsys):
    store = Store(db_url)
    store.create_schema()
    cases = [validate_case(make_case()) for _ in range(5)]
    for case in cases:  # one per batch: within a batch, new rows are inserted in uuid order
        store.ingest([case], "ws")
    store.ingest(cases[:1], "ws")
    store.ingest([validate_case(make_case(uuid=cases[4].uuid, case_no="other"))], "ws")
    store.dispose()

    assert main(["stats", "--db", db_url, "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats == {
        "cases": 5,
        "arrivals": 7,
        "retried_cases": 2,
        "conflicting_versions": 1,
        "receipts": 7,
    }

    assert main(["forget", "--db", db_url, "--last", "2", "--json"]) == 0
    forgotten = json.loads(capsys.readouterr().out)
    assert forgotten == {"deleted": 2, "uuids": [cases[4].uuid, cases[3].uuid]}
    assert main(["stats", "--db", db_url, "--json"]) == 0
    after = json.loads(capsys.readouterr().out)
    assert after == {
        "cases": 3,
        "arrivals": 4,
        "retried_cases": 1,
        "conflicting_versions": 0,
        "receipts": 4,
    }


def test_cli_bad_input_exits_2(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'c.db'}"
    assert main(["stats"]) == 2
    assert main(["stats", "--db", "nonsense://"]) == 2
    assert main(["serve", "--db", db]) == 2  # no token
    assert main(["serve", "--db", db, "--token", "t", "--fail-rate", "1.5"]) == 2
    assert main(["serve", "--db", db, "--token", "t", "--fault-modes", "drop,boom"]) == 2
    assert main(["serve", "--db", db, "--token", "t", "--latency-ms", "-1"]) == 2
    assert main(["bogus"]) == 2
    err = capsys.readouterr().err
    assert all(line.startswith("central-ref: ") for line in err.strip().splitlines())
