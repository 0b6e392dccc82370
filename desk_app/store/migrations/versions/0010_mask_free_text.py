"""free text: personal numbers typed into reasons, notes and steps replaced by their labels

Until now a resident ID, a mobile number (also in Chinese numerals) or a bank card number typed
into free text (a pain point, a helper's step, a decision or cancel reason, a follow-up note,
an event's detail) was stored as typed and outlived the personal-data purge. New text is masked
when it is taken in (desk_app.domain.masking); this migration masks what is already stored.
The rule is written out here, not imported, so that what this migration does cannot change
with the code. The audit trail keeps its entries (rewriting them would break the chain).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# table: (its key columns, its free-text columns)
FREE_TEXT = {
    "pain_points": (("id",), ("text", "note")),
    "pain_events": (("id",), ("detail",)),
    "assist_sessions": (("id",), ("end_reason",)),
    "assist_steps": (("id",), ("action", "outcome")),
    "assist_events": (("id",), ("detail",)),
    "cases": (("id",), ("decision_reason", "auth_scope")),
    "case_materials": (("case_id", "material_code"), ("missing_reason",)),
    "case_events": (("id",), ("detail",)),
    "evaluations": (("id",), ("comment",)),
    "appointments": (("id",), ("cancel_reason",)),
    "appointment_blocks": (("id",), ("lift_reason",)),
    "appointment_blackouts": (("id",), ("reason",)),
    "evaluation_follow_ups": (("evaluation_id",), ("note", "appeal_reason", "review_note")),
    "alert_acks": (("key",), ("note",)),
}

_AS_DIGITS = str.maketrans(
    "〇零一二三四五六七八九幺两０１２３４５６７８９Ｘｘ",
    "00123456789120123456789Xx",
)
_SEP = r"[ \-\u3000]?"
_RULES = (
    (
        re.compile(
            r"(?<![0-9A-Za-z])\d{6}" + _SEP + r"\d{8}" + _SEP + r"\d{3}[\dXx](?![0-9A-Za-z])"
            r"|(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])"
        ),
        "[身份证号]",
    ),
    (
        re.compile(r"(?<!\d)\d{4}(?:" + _SEP + r"\d{4}){3}(?:" + _SEP + r"?\d{1,3})?(?!\d)"),
        "[银行卡号]",
    ),
    (
        re.compile(
            r"(?:\+?86" + _SEP + r")?(?<!\d)1[3-9]\d" + _SEP + r"\d{4}" + _SEP + r"\d{4}(?!\d)"
        ),
        "[手机号]",
    ),
)


def _mask(text: str) -> str:
    digits = text.translate(_AS_DIGITS)
    spans: list[tuple[int, int, str]] = []
    for pattern, label in _RULES:
        for m in pattern.finditer(digits):
            if not any(a < m.end() and m.start() < b for a, b, _ in spans):
                spans.append((m.start(), m.end(), label))
    for start, end, label in sorted(spans, reverse=True):
        text = text[:start] + label + text[end:]
    return text


def upgrade() -> None:
    bind = op.get_bind()
    names = set(sa.inspect(bind).get_table_names())
    for name, (keys, columns) in FREE_TEXT.items():
        if name not in names:
            continue
        table = sa.table(name, *(sa.column(c) for c in (*keys, *columns)))
        for row in bind.execute(sa.select(table)).all():
            values = {
                c: _mask(getattr(row, c))
                for c in columns
                if getattr(row, c) and _mask(getattr(row, c)) != getattr(row, c)
            }
            if values:
                where = [table.c[k] == getattr(row, k) for k in keys]
                bind.execute(sa.update(table).where(*where).values(**values))


def downgrade() -> None:
    pass  # what was masked stays masked: the numbers are gone, as intended
