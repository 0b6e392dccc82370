"""case materials: why a material is missing, as the member of staff recorded it

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN on both databases (no batch rebuild of a table cases refer to).
    op.add_column("case_materials", sa.Column("missing_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("case_materials", "missing_reason")
