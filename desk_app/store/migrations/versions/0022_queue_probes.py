"""queue: "call next" probes the waiting queue through its own indexes, whatever the statistics say

On PostgreSQL ``queue_call_next`` (migration 0019) asks which calling classes wait at the window
before it claims: tickets transferred to the window, priority tickets, checked-in appointments,
walk-ins. Each should be one probe of a partial index of the waiting queue. The planner chose
``ix_tickets_state_window`` (state, window_id) instead whenever the table's statistics were
older than the morning's queue (they say almost nobody waits; ANALYZE runs after a thousand
changed rows): every probe then read the whole queue, four times per call, 3,000 tickets each
in the queue bench. The priority probe also hashed the queue's whole priority part instead of
looking per service.

- ``ix_tickets_state_window`` leaves the waiting tickets out on PostgreSQL
  (``WHERE state <> 'waiting'``): the waiting queue has its own partial indexes, so a query for
  waiting tickets can only go there, and "who is at window 5", "what is held" still seek here.
  SQLite keeps the plain index: it uses a partial index only when the query repeats its
  condition, which ``state IN ('called', 'serving')`` does not. A query for waiting tickets
  together with other states says so with OR (one arm per index), not IN.
- The class probes look per service of the window (a LATERAL subquery with LIMIT 1, which the
  planner cannot flatten into a join over the whole queue).

Measured with ``bench/queue_cpu_bench.py`` (200,000 tickets of history, a queue of 2,050, one
window): the server's CPU per "call next + no-show" went from 2.95 to 1.7 ms.

Nothing on SQLite.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

INDEX = "ix_tickets_state_window"
NOT_WAITING = "state <> 'waiting'"


def _v19():  # type: ignore[no-untyped-def]
    """Migration 0019, whose function this one rewrites (its text stays the one reference)."""
    path = Path(__file__).with_name("0019_queue_calls.py")
    spec = importlib.util.spec_from_file_location("desk_app_migration_0019", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _per_service(condition: str) -> str:
    # One probe of the waiting-queue indexes per service of the window: LIMIT 1 keeps the
    # subquery apart, so it runs once per service with that service's id as an index key.
    return (
        "EXISTS (SELECT 1 FROM window_services x CROSS JOIN LATERAL"
        " (SELECT 1 FROM tickets q WHERE q.state = 'waiting' AND q.service_id = x.service_id"
        f" AND q.target_window_id IS NULL AND {condition} LIMIT 1) w"
        " WHERE x.window_id = d.wid)"
    )


def call_next_function(v19) -> str:  # type: ignore[no-untyped-def]
    """0019's ``queue_call_next`` with the class probes made per service."""
    text = v19.CALL_NEXT.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)
    for condition in (v19.PRIORITY, v19.APPOINTMENT, v19.WALKIN):
        old = v19._waits(condition)
        assert text.count(old) == 1, f"0019's probe for {condition} is not where it was"
        text = text.replace(old, _per_service(condition))
    return text


def _create(function: str) -> None:
    op.execute(sa.text(function.replace(":", "\\:")))  # text() would take ":name" for a bind


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index(INDEX, table_name="tickets")
    op.create_index(INDEX, "tickets", ["state", "window_id"], postgresql_where=sa.text(NOT_WAITING))
    _create(call_next_function(_v19()))


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    v19 = _v19()
    _create(v19.CALL_NEXT.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1))
    op.drop_index(INDEX, table_name="tickets")
    op.create_index(INDEX, "tickets", ["state", "window_id"])
