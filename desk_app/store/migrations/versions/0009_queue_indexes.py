"""queue: partial indexes for the calling classes the hot path looks for at every call

"Call next" asks which calling classes are waiting at the window before it claims: checked-in
appointments (ordered by slot) and tickets transferred to the window were found by scanning
the whole live queue; with these two small partial indexes each is one index probe.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

APPT = "state = 'waiting' AND appointment_id IS NOT NULL"
TARGET = "state = 'waiting' AND target_window_id IS NOT NULL"


def upgrade() -> None:
    op.create_index(
        "ix_tickets_waiting_appt",
        "tickets",
        ["service_id", "slot_at", "arrival_at"],
        sqlite_where=sa.text(APPT),
        postgresql_where=sa.text(APPT),
    )
    op.create_index(
        "ix_tickets_waiting_target",
        "tickets",
        ["target_window_id", "arrival_at"],
        sqlite_where=sa.text(TARGET),
        postgresql_where=sa.text(TARGET),
    )


def downgrade() -> None:
    op.drop_index("ix_tickets_waiting_target", "tickets")
    op.drop_index("ix_tickets_waiting_appt", "tickets")
