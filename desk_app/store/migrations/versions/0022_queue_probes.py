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
- The walk-in and priority claims read their class in calling order from an index of their own
  (``ix_tickets_walkin_order``, ``ix_tickets_priority_order``: arrival, number), the first
  ticket of one of the window's services that no other window is claiming, instead of sorting
  every waiting ticket of the window's services at each call. The indexes also say
  ``seq IS NOT NULL`` (always true), and so do the claims: a statement that does not (a
  per-service probe) can't be planned through them, where a service nobody waits for would
  mean reading the whole class.

Measured as ``bench/queue_cpu_bench.py`` does (200,000 tickets of history, a queue of 2,050, one
window): the server's CPU per "call next + no-show" went from 2.95 ms to 1.7-1.9 ms with the
probes, and to 1.3-1.45 ms with the claims in calling order (the raw baseline's, whose claim
can't use these indexes: 0.97-1.11 ms in the same runs).

On SQLite only the two indexes of the classes in calling order.

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
FENCE = "seq IS NOT NULL"  # only the claims say it: see the docstring
# The classes the claims read in calling order, (index, its condition on PostgreSQL, on
# SQLite); SQLite uses a partial index only for a query that repeats these terms
# (services/queue/quick.py), and stores booleans as 0 and 1.
ORDER_INDEXES = (
    (
        "ix_tickets_walkin_order",
        "WALKIN",
        "state = 'waiting' AND target_window_id IS NULL AND NOT is_priority"
        f" AND appointment_id IS NULL AND {FENCE}",
        "state = 'waiting' AND target_window_id IS NULL AND is_priority = 0"
        f" AND appointment_id IS NULL AND {FENCE}",
    ),
    (
        "ix_tickets_priority_order",
        "PRIORITY",
        f"state = 'waiting' AND target_window_id IS NULL AND is_priority AND {FENCE}",
        f"state = 'waiting' AND target_window_id IS NULL AND is_priority = 1 AND {FENCE}",
    ),
)


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
    """0019's ``queue_call_next`` with the class probes made per service and the walk-in and
    priority claims saying the fence of their indexes in calling order."""
    text = v19.CALL_NEXT.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)
    for condition in (v19.PRIORITY, v19.APPOINTMENT, v19.WALKIN):
        old = v19._waits(condition)
        assert text.count(old) == 1, f"0019's probe for {condition} is not where it was"
        text = text.replace(old, _per_service(condition))
    order = "q.arrival_at, q.seq"
    for _name, condition, _pg, _lite in ORDER_INDEXES:
        old = v19._claim(getattr(v19, condition), order)
        assert text.count(old) == 1, f"0019's claim of {condition} is not where it was"
        text = text.replace(old, v19._claim(f"{getattr(v19, condition)} AND q.{FENCE}", order))
    return text


def _create(function: str) -> None:
    op.execute(sa.text(function.replace(":", "\\:")))  # text() would take ":name" for a bind


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for name, _condition, on_pg, on_lite in ORDER_INDEXES:
        op.create_index(
            name,
            "tickets",
            ["arrival_at", "seq"],
            postgresql_where=sa.text(on_pg),
            sqlite_where=sa.text(on_lite),
        )
    if not postgres:
        return
    op.drop_index(INDEX, table_name="tickets")
    op.create_index(INDEX, "tickets", ["state", "window_id"], postgresql_where=sa.text(NOT_WAITING))
    _create(call_next_function(_v19()))


def downgrade() -> None:
    for name, *_ in ORDER_INDEXES:
        op.drop_index(name, table_name="tickets")
    if op.get_bind().dialect.name != "postgresql":
        return
    v19 = _v19()
    _create(v19.CALL_NEXT.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1))
    op.drop_index(INDEX, table_name="tickets")
    op.create_index(INDEX, "tickets", ["state", "window_id"])
