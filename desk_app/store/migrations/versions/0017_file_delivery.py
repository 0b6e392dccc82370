"""case_files: the delivery schedule of each file (backoff kept across restarts), its dead
letter, and when the platform's copy was last checked against the hall's SHA-256

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

COLUMNS = (
    ("attempts", sa.Integer(), "0"),
    ("refusals", sa.Integer(), "0"),
    ("next_attempt_at", sa.DateTime(), None),
    ("last_error", sa.Text(), None),
    ("dead_at", sa.DateTime(), None),
    ("checked_at", sa.DateTime(), None),
)


def upgrade() -> None:
    # Plain ADD COLUMN on both databases (no batch rebuild of a table with its sealed content).
    for name, type_, default in COLUMNS:
        op.add_column(
            "case_files",
            sa.Column(name, type_, nullable=default is None, server_default=default),
        )


def downgrade() -> None:
    for name, _type, _default in reversed(COLUMNS):
        op.drop_column("case_files", name)
