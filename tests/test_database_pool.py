"""A pooled PostgreSQL connection that the server dropped is replaced before use once it has
been idle a while (the check costs a round trip, so a connection used a moment ago is trusted)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from desk_app.store import Database
from desk_app.store import database as database_module
from tests.tools import kill_backend


def _backend_pid(db: Database) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())


@pytest.mark.pg
def test_a_dropped_idle_connection_is_replaced_before_use(pg_url, monkeypatch):
    monkeypatch.setattr(database_module, "PING_AFTER_IDLE_S", 0.0)
    db = Database(pg_url)
    pid = _backend_pid(db)  # the pool now holds this connection
    kill_backend(pg_url, pid)
    assert _backend_pid(db) != pid  # checked, found gone, replaced: no error
    db.dispose()


@pytest.mark.pg
def test_a_connection_used_a_moment_ago_is_not_checked(pg_url, monkeypatch):
    monkeypatch.setattr(database_module, "PING_AFTER_IDLE_S", 3600.0)
    db = Database(pg_url)
    pid = _backend_pid(db)
    kill_backend(pg_url, pid)
    # Not checked: the first use finds the connection gone (and the pool drops it) ...
    with pytest.raises(Exception, match="terminat|closed|connection"):
        _backend_pid(db)
    assert _backend_pid(db) != pid  # ... and the next use gets a new one
    db.dispose()
