"""knowledge base: the questions asked and the entries that answered them

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

EventId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "kb_questions",
        sa.Column("id", EventId, primary_key=True, autoincrement=True),
        sa.Column("asked_at", sa.DateTime(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("bundle", sa.String(64), nullable=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("actor", sa.String(32), nullable=True),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.String(64), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
    )
    op.create_index("ix_kb_questions_asked_at", "kb_questions", ["asked_at"])
    op.create_index("ix_kb_questions_unanswered", "kb_questions", ["hits", "asked_at"])
    op.create_table(
        "kb_answers",
        sa.Column("id", EventId, primary_key=True, autoincrement=True),
        sa.Column("question_id", EventId, sa.ForeignKey("kb_questions.id"), nullable=False),
        sa.Column("entry_id", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(32), nullable=True),
    )
    op.create_index("ix_kb_answers_question_id", "kb_answers", ["question_id"])
    op.create_index("ix_kb_answers_entry_id", "kb_answers", ["entry_id"])


def downgrade() -> None:
    op.drop_table("kb_answers")
    op.drop_table("kb_questions")
