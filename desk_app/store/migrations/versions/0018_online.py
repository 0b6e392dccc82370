"""online: online applications (网办件) as cases with their state reports to the platform, and
12345 work orders with their events

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

EVENT_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    # Plain ADD COLUMNs (no table rebuild: rows of other tables refer to cases).
    op.add_column("cases", sa.Column("channel", sa.String(12), nullable=True))
    op.add_column("cases", sa.Column("online_id", sa.Uuid(), nullable=True))
    op.add_column("cases", sa.Column("online_mode", sa.String(8), nullable=True))
    op.add_column("cases", sa.Column("received_at", sa.DateTime(), nullable=True))
    op.create_index("ix_cases_online_id", "cases", ["online_id"], unique=True)
    op.create_table(
        "online_reports",
        sa.Column("id", EVENT_ID, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.Uuid(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.UniqueConstraint("case_id", "seq", name="uq_online_reports_case_id"),
    )
    op.create_index("ix_online_reports_case_id", "online_reports", ["case_id"])
    op.create_index("ix_online_reports_unsent", "online_reports", ["sent_at", "id"])
    op.create_table(
        "work_orders",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("number", sa.String(32), nullable=False, unique=True),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("bundle", sa.String(64), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("citizen_name", sa.Text(), nullable=True),
        sa.Column("citizen_phone", sa.Text(), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("dispatched_at", sa.DateTime(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("sign_due", sa.DateTime(), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("assigned_to", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("signed_at", sa.DateTime(), nullable=True),
        sa.Column("replied_at", sa.DateTime(), nullable=True),
        sa.Column("returned_at", sa.DateTime(), nullable=True),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.Column("return_reason", sa.Text(), nullable=True),
        sa.Column("kb_entry", sa.String(64), nullable=True),
        sa.Column("purged_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_work_orders_received_at", "work_orders", ["received_at"])
    op.create_index("ix_work_orders_state", "work_orders", ["state"])
    op.create_table(
        "work_order_events",
        sa.Column("id", EVENT_ID, primary_key=True, autoincrement=True),
        sa.Column("order_id", sa.Uuid(), sa.ForeignKey("work_orders.id"), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(8), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.UniqueConstraint("order_id", "seq", name="uq_work_order_events_order_id"),
    )
    op.create_index("ix_work_order_events_order_id", "work_order_events", ["order_id"])
    op.create_index("ix_work_order_events_unsent", "work_order_events", ["sent_at", "id"])


def downgrade() -> None:
    op.drop_table("work_order_events")
    op.drop_table("work_orders")
    op.drop_table("online_reports")
    op.drop_index("ix_cases_online_id", "cases")
    with op.batch_alter_table("cases") as batch:
        for col in ("received_at", "online_mode", "online_id", "channel"):
            batch.drop_column(col)
