"""stats_rollup: the statistics per closed day and month, and the days to roll up again

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

# Every change to a ticket writes a ticket event (the queue's statements, the ORM, the quick
# commands' SQL); a change to a ticket of a day already rolled up marks that day to roll again.
_MARK = (
    "SELECT t.day FROM tickets t JOIN stats_spans r ON r.level = 'd' AND r.day = t.day"
    " WHERE t.id = NEW.ticket_id"
)


def upgrade() -> None:
    op.create_table(
        "stats_rollup",
        sa.Column("level", sa.String(1), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("dim", sa.String(8), nullable=False),
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("arrivals", sa.Integer(), nullable=False),
        sa.Column("called", sa.Integer(), nullable=False),
        sa.Column("served", sa.Integer(), nullable=False),
        sa.Column("no_shows", sa.Integer(), nullable=False),
        sa.Column("wait_hist", sa.LargeBinary(), nullable=True),
        sa.Column("service_hist", sa.LargeBinary(), nullable=True),
        sa.Column("sittings", sa.Integer(), nullable=False),
        sa.Column("session_s", sa.Integer(), nullable=False),
        sa.Column("serving_s", sa.Integer(), nullable=False),
        sa.Column("paused_s", sa.Integer(), nullable=False),
        sa.Column("idle_s", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("level", "day", "dim", "key", name=op.f("pk_stats_rollup")),
    )
    op.create_table(
        "stats_spans",
        sa.Column("level", sa.String(1), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("calendar", sa.String(16), nullable=False),
        sa.Column("rolled_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("level", "day", name=op.f("pk_stats_spans")),
    )
    op.create_table(
        "stats_dirty",
        sa.Column("day", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_stats_dirty")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION stats_mark_dirty() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"INSERT INTO stats_dirty (day) {_MARK} ON CONFLICT DO NOTHING; RETURN NULL; END $$"
        )
        op.execute(
            "CREATE TRIGGER stats_dirty_on_event AFTER INSERT ON ticket_events"
            " FOR EACH ROW EXECUTE FUNCTION stats_mark_dirty()"
        )
    else:
        op.execute(
            "CREATE TRIGGER stats_dirty_on_event AFTER INSERT ON ticket_events"
            f" BEGIN INSERT OR IGNORE INTO stats_dirty (day) {_MARK}; END"
        )


def downgrade() -> None:
    op.execute(
        "DROP TRIGGER IF EXISTS stats_dirty_on_event"
        + (" ON ticket_events" if op.get_bind().dialect.name == "postgresql" else "")
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS stats_mark_dirty()")
    op.drop_table("stats_dirty")
    op.drop_table("stats_spans")
    op.drop_table("stats_rollup")
