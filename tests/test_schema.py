"""Migrations: idempotent upgrade, models equal to the migrations, a newer database refused."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from desk_app.store import Database, schema
from tests.tools import ADMIN


def test_schema_head_constant_matches_migrations():
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(schema._alembic_config()).get_heads()
    assert heads == [schema.SCHEMA_HEAD]


def test_upgrade_is_idempotent_and_models_match_migrations(db_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from desk_app.store.models import Base

    db = Database(db_url)
    assert schema.status(db).revision is None
    assert schema.upgrade(db).ok
    assert schema.upgrade(db).ok  # second run: nothing to do, no error

    def same_on_sqlite(context, _insp_col, _meta_col, inspected, declared):  # type: ignore[no-untyped-def]
        # SQLite stores VARCHAR(n) and TEXT alike (text affinity, no length): 0003 widens the
        # personal-data columns to TEXT on PostgreSQL only, without rebuilding SQLite tables.
        from sqlalchemy import String, Text

        if context.dialect.name == "sqlite" and isinstance(declared, Text):
            return not isinstance(inspected, String)
        return None  # Alembic's own comparison

    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": same_on_sqlite})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == [], f"models and migrations differ: {diff}"
    db.dispose()


def index_definitions(db: Database) -> dict[str, str]:
    """Each index's SQL as the database keeps it (lower case, whitespace collapsed)."""
    sql = (
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
        if db.is_postgres
        else "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
    )
    with db.engine.connect() as conn:
        return {n: " ".join((d or "").lower().split()) for n, d in conn.execute(text(sql))}


def test_partial_indexes_are_partial_with_their_condition(db_url):
    from desk_app.store.models import Base

    db = Database(db_url)
    schema.upgrade(db)
    defined = index_definitions(db)
    indexes = [ix for table in Base.metadata.tables.values() for ix in table.indexes]
    own = f"where_{db.dialect}"
    partial = [
        (ix.name, ix.info.get("where") or ix.info[own])
        for ix in indexes
        if "where" in ix.info or own in ix.info
    ]
    assert len(partial) >= 3
    for ix in indexes:  # partial on the other database only: plain here
        if "where" not in ix.info and own not in ix.info:
            assert " where " not in defined.get(ix.name, ""), f"{ix.name} is partial here"
    for name, where in partial:
        got = defined[name]
        # PostgreSQL writes the condition back its own way: (closed_at IS NULL),
        # ((state)::text = 'waiting'::text), state = ANY (ARRAY[...]); compare the names and
        # values, not the operators.
        words = [w for w in re.findall(r"[a-z_]+", where.lower()) if w != "in"]
        assert " where " in got, f"{name} is not partial: {got}"
        condition = got.split(" where ", 1)[1]
        assert all(w in condition for w in words), f"{name}: {condition} is not {where}"
    db.dispose()


def test_newer_database_is_refused(db_url):
    db = Database(db_url)
    schema.upgrade(db)
    with db.begin() as s:
        s.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    st = schema.status(db)
    assert st.newer and not st.ok
    with pytest.raises(schema.SchemaTooNew):
        schema.upgrade(db)
    with pytest.raises(schema.SchemaTooNew):
        schema.ensure_current(db)
    db.dispose()


def test_sqlite_pragmas(sqlite_url):
    db = Database(sqlite_url)
    schema.upgrade(db)
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    db.dispose()


def test_default_url_is_in_user_data_dir(monkeypatch, tmp_path):
    from desk_app.store.database import default_url

    monkeypatch.delenv("DESK_APP_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    url = default_url()
    assert url.startswith("sqlite:///") and url.endswith("hall.db")
    assert str(tmp_path) in url
    monkeypatch.setenv("DESK_APP_DB", "sqlite:////x/y.db")
    assert default_url() == "sqlite:////x/y.db"


def test_a_hall_on_the_first_schema_keeps_its_data_through_the_upgrade(db_url):
    """A database last migrated by the queue-only release (0001) is upgraded in place."""
    import uuid

    from alembic import command

    from desk_app.services.hall import setup as hall
    from desk_app.services.queue import operations as queue

    db = Database(db_url).acting_as(ADMIN)
    with db.engine.begin() as conn:
        command.upgrade(schema._alembic_config(conn), "0001")
    assert schema.status(db).revision == "0001"
    # Written as the 0001 release wrote them (today's models have columns 0001 lacks).
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO services (code, name, prefix, default_service_s, active)"
                " VALUES ('newborn', '新生儿出生一件事', 'A', 600, true)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO tickets (id, service_id, issued_service_id, day, seq, number,"
                " is_priority, state, issued_at, arrival_at, recall_count) SELECT :id, id, id,"
                " '2026-11-02', 1, 'A001', false, 'waiting', '2026-11-02 01:00:00',"
                " '2026-11-02 01:00:00', 0 FROM services"
            ),
            {"id": uuid.uuid4() if db.is_postgres else uuid.uuid4().hex},
        )
    number = "A001"
    assert schema.upgrade(db).ok
    # ... and today's services work on the upgraded hall.
    hall.add_service(db, "retirement", "退休一件事", "B")
    assert queue.issue_ticket(db, "retirement").number == "B001"
    with db.read() as s:
        assert s.execute(text("SELECT number FROM tickets")).scalar() == number
        assert s.execute(text("SELECT count(*) FROM cases")).scalar() == 0
    db.dispose()


def test_cases_written_before_0003_are_sealed_by_the_upgrade(db_url):
    """A 0002 hall kept names, IDs and phones in clear; the upgrade seals them (and the outbox
    payload), fills the ID look-up, and leaves values an earlier purge masked alone."""
    import json
    import uuid

    from alembic import command

    from desk_app.services.cases import actions as cases
    from tests.ids import resident_id

    db = Database(db_url).acting_as(ADMIN)
    with db.engine.begin() as conn:
        command.upgrade(schema._alembic_config(conn), "0002")
    rid, case_id, purged_id = resident_id(), uuid.uuid4(), uuid.uuid4()
    row = {
        "bundle_code": "newborn",
        "bundle_name": "新生儿出生一件事",
        "catalog_version": "1",
        "state": "open",
        "applicant_kind": "person",
        "bad_credit": False,
        "answers": "{}",
        "opened_at": "2026-11-02 02:00:00",
    }
    with db.engine.begin() as conn:
        # Staff with a window session refer to each other: the upgrade must keep both.
        conn.execute(
            text(
                "INSERT INTO staff (id, code, name, role, active) VALUES (1, 's01', '王芳', 'counter', true)"
            )
        )
        conn.execute(
            text("INSERT INTO windows (id, number, calling_rule) VALUES (1, 1, 'arrival:2/1')")
        )
        conn.execute(
            text(
                "INSERT INTO window_sessions (window_id, staff_id, opened_at, cycle_pos)"
                " VALUES (1, 1, '2026-11-02 01:00:00', 0)"
            )
        )
        for cid, no, name, id_no, phone in (
            (case_id, "YJS-20261102-0001", "张三丰", rid, "13812341234"),
            (purged_id, "YJS-20261102-0002", "李*", "370202********1234", None),
        ):
            conn.execute(
                text(
                    "INSERT INTO cases (id, case_no, bundle_code, bundle_name, catalog_version,"
                    " state, applicant_kind, applicant_name, applicant_id_no, applicant_phone,"
                    " bad_credit, answers, opened_at) VALUES (:id, :no, :bundle_code,"
                    " :bundle_name, :catalog_version, :state, :applicant_kind, :name, :id_no,"
                    " :phone, :bad_credit, :answers, :opened_at)"
                ),
                row
                | {
                    "id": cid if db.is_postgres else cid.hex,
                    "no": no,
                    "name": name,
                    "id_no": id_no,
                    "phone": phone,
                },
            )
        conn.execute(
            text(
                "INSERT INTO sync_outbox (case_id, payload, state, attempts, created_at)"
                " VALUES (:cid, :payload, 'pending', 0, '2026-11-02 03:00:00')"
            ),
            {
                "cid": case_id if db.is_postgres else case_id.hex,
                "payload": json.dumps({"applicant": {"name": "张三丰", "id": rid}}),
            },
        )
    assert schema.upgrade(db).ok
    with db.read() as s:
        stored = s.execute(
            text(
                "SELECT applicant_name, applicant_id_no, applicant_phone FROM cases ORDER BY case_no"
            )
        ).all()
        payload = s.execute(text("SELECT payload FROM sync_outbox")).scalar()
    assert all(v.startswith("v1.") for v in stored[0])
    assert tuple(stored[1][:2]) == ("李*", "370202********1234")  # masked by a purge: as was
    assert rid not in payload and "张三丰" not in payload
    with db.read() as s:
        assert s.execute(text("SELECT count(*) FROM window_sessions")).scalar() == 1
    view = cases.show(db, "YJS-20261102-0001")
    assert view.applicant_name == "张*丰" and view.applicant_phone == "138****1234"
    assert [c.case_no for c in cases.find_cases_by_id(db, rid)] == ["YJS-20261102-0001"]
    db.dispose()
