"""supervision: follow-ups of negative ratings (with appeals) and alert acknowledgements

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evaluation_follow_ups",
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("contacted_at", sa.DateTime(), nullable=True),
        sa.Column("outcome", sa.String(16), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=True),
        sa.Column("appeal_reason", sa.Text(), nullable=True),
        sa.Column("appealed_by", sa.Integer(), nullable=True),
        sa.Column("appealed_at", sa.DateTime(), nullable=True),
        sa.Column("appeal_outcome", sa.String(16), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=True),
        sa.Column("reviewed_by", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["evaluation_id"],
            ["evaluations.id"],
            name=op.f("fk_evaluation_follow_ups_evaluation_id_evaluations"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["staff.id"], name=op.f("fk_evaluation_follow_ups_recorded_by_staff")
        ),
        sa.ForeignKeyConstraint(
            ["appealed_by"], ["staff.id"], name=op.f("fk_evaluation_follow_ups_appealed_by_staff")
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by"], ["staff.id"], name=op.f("fk_evaluation_follow_ups_reviewed_by_staff")
        ),
        sa.PrimaryKeyConstraint("evaluation_id", name=op.f("pk_evaluation_follow_ups")),
    )
    op.create_table(
        "alert_acks",
        sa.Column("key", sa.String(160), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_alert_acks_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_alert_acks")),
    )
    # The statistics read the window sittings of a period by time.
    op.create_index("ix_window_sessions_opened_at", "window_sessions", ["opened_at"])


def downgrade() -> None:
    op.drop_index("ix_window_sessions_opened_at", "window_sessions")
    op.drop_table("alert_acks")
    op.drop_table("evaluation_follow_ups")
