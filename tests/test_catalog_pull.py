"""The platform publishes catalog packages and each hall's ``sync run`` merges the newest in
once, keeping its local bundles and its own corrections, listing conflicts."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from desk_app.services.accounts import staff as accounts
from desk_app.services.catalog import upkeep, versions
from desk_app.store import Database
from desk_app.store.schema import upgrade
from tests.test_audit_anchor import PW, admin_cli
from tests.test_sync_faults import Server
from tests.tools import ADMIN

pytest.importorskip("fastapi", reason="the reference backend needs the [central] extra")
ROOT = Path(__file__).resolve().parent.parent
SOURCE = "市政务服务管理办公室《一件事办事指南》2026-11-01 https://example.gov.cn/g"


def _publish(central_db: str, package: dict, tmp_path: Path) -> dict:
    file = tmp_path / f"pkg-{package['version']}.json"
    file.write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "central_ref", "catalog-publish", str(file), "--db", central_db,
         "--json"],
        capture_output=True, text=True, cwd=ROOT, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _material(pkg: dict, code: str, material: str) -> dict:
    bundle = next(b for b in pkg["bundles"] if b["code"] == code)
    return next(m for m in bundle["materials"] if m["code"] == material)


def test_sync_run_merges_the_platforms_package_once(sqlite_url, tmp_path):
    central_db = f"sqlite:///{tmp_path / 'central.db'}"
    server = Server(central_db)
    try:
        db = Database(sqlite_url)
        upgrade(db)
        hall = db.acting_as(ADMIN)
        accounts.create_account(hall, "adm", "管理员", "admin", password=PW)
        # The hall corrects one fact before the platform publishes.
        upkeep.verify(hall, "after_death", "materials.deceased_id", SOURCE)

        rc, out, err = admin_cli(db, server, "sync", "run", "--once")
        assert rc == 0 and out["catalog"] == "none", err  # nothing published yet

        package = versions.shipped_package()
        package["version"] = "2027.1.1"
        _material(package, "newborn", "parents_id_cards")["count"] = 2
        _material(package, "after_death", "deceased_id")["notes"] = "平台的说法"
        package["bundles"] = [b for b in package["bundles"] if b["code"] != "startup"]
        assert _publish(central_db, package, tmp_path)["status"] == "published"
        assert _publish(central_db, package, tmp_path)["status"] == "same"

        rc, out, err = admin_cli(db, server, "sync", "run", "--once")
        assert rc == 0 and out["catalog"] == "applied", err
        assert [(c["code"], c["fact"]) for c in out["catalog_conflicts"]] == [
            ("after_death", "materials.deceased_id")
        ]
        versions.refresh(db)
        from desk_app.services.common.catalog import catalog

        cat = catalog()
        assert cat.bundle("newborn").material("parents_id_cards").count == 2  # taken
        kept = cat.bundle("after_death").material("deceased_id")
        assert kept.verified is not None and kept.cite == SOURCE  # the hall's correction kept
        assert "startup" in cat.codes  # the hall's local bundle kept
        with db.read() as s:
            current = versions.current(s)
        assert current.kind == "pull" and len(current.conflicts) == 1

        rc, out, _ = admin_cli(db, server, "sync", "run", "--once")
        assert rc == 0 and out["catalog"] == "current"  # once: the same package is not re-applied
        with db.read() as s:
            assert versions.current(s).seq == current.seq

        # A supervisor settles the conflict by acting on the fact.
        upkeep.verify(hall, "after_death", "materials.deceased_id", SOURCE)
        with db.read() as s:
            assert versions.current(s).conflicts == ()
        db.dispose()
    finally:
        server.stop()


def test_a_package_that_does_not_validate_is_refused_and_nothing_written(sqlite_url, tmp_path):
    central_db = f"sqlite:///{tmp_path / 'central.db'}"
    server = Server(central_db)
    try:
        db = Database(sqlite_url)
        upgrade(db)
        accounts.create_account(db.acting_as(ADMIN), "adm", "管理员", "admin", password=PW)
        package = copy.deepcopy(versions.shipped_package())
        package["version"] = "2027.1.2"
        next(b for b in package["bundles"] if b["code"] == "retirement")["items"][0][
            "time_limit_days"
        ] = 0
        _publish(central_db, package, tmp_path)
        rc, out, _ = admin_cli(db, server, "sync", "run", "--once")
        assert rc == 0 and out["catalog"] == "refused"
        with db.read() as s:
            assert versions.current(s).seq == 0
        db.dispose()
    finally:
        server.stop()
