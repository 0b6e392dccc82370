"""devices: the hall's devices per PC, and the visitor's evaluation requests (the pad)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "devices",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(32), nullable=False, unique=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("target", sa.String(200), nullable=False),
        sa.Column("window", sa.Integer(), nullable=True),
        sa.Column("pc", sa.String(64), nullable=False),
        sa.Column("options", sa.Text(), nullable=False, server_default="{}"),
        sa.Column("state", sa.String(16), nullable=False, server_default="unknown"),
        sa.Column("detail", sa.Text(), nullable=False, server_default=""),
        sa.Column("state_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "evaluation_requests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("window_id", sa.Integer(), sa.ForeignKey("windows.id"), nullable=False),
        sa.Column("case_id", sa.Uuid(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("state", sa.String(12), nullable=False, server_default="pending"),
    )
    op.create_index("ix_evaluation_requests_window_id", "evaluation_requests", ["window_id"])


def downgrade() -> None:
    op.drop_index("ix_evaluation_requests_window_id", "evaluation_requests")
    op.drop_table("evaluation_requests")
    op.drop_table("devices")
