"""statistics: the window sittings and window events of a period found by time

The statistics read a period's window sittings (still open, or closed after the period began)
and its window events (pause, resume). With an index only on when a sitting opened, and none on
when a window event happened, every summary read all the hall's sittings opened before the
period's end and all its window events: a cost that grew with every day of history, while the
period (today, for a summary from the rollup) stays a day.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_window_sessions_closed_at", "window_sessions", ["closed_at"])
    op.create_index("ix_window_events_at", "window_events", ["at"])


def downgrade() -> None:
    op.drop_index("ix_window_events_at", table_name="window_events")
    op.drop_index("ix_window_sessions_closed_at", table_name="window_sessions")
