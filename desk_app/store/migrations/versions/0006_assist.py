"""帮办代办: assist sessions, authorizations, steps, links, events; pain points (堵点)

New tables only: nothing existing is rebuilt on SQLite.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 13:17:06.399905
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assist_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("bundle_code", sa.String(length=64), nullable=True),
        sa.Column("visitor_name", sa.Text(), nullable=False),
        sa.Column("visitor_id_no", sa.Text(), nullable=False),
        sa.Column("visitor_lookup", sa.String(length=64), nullable=True),
        sa.Column("helper_id", sa.Integer(), nullable=True),
        sa.Column("ticket_id", sa.Uuid(), nullable=True),
        sa.Column("appointment_code", sa.String(length=32), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("end_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["helper_id"], ["staff.id"], name=op.f("fk_assist_sessions_helper_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_assist_sessions_ticket_id_tickets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assist_sessions")),
    )
    op.create_index(op.f("ix_assist_sessions_day"), "assist_sessions", ["day"], unique=False)
    op.create_index(
        op.f("ix_assist_sessions_helper_id"), "assist_sessions", ["helper_id"], unique=False
    )
    op.create_index(op.f("ix_assist_sessions_state"), "assist_sessions", ["state"], unique=False)
    op.create_index(
        op.f("ix_assist_sessions_visitor_lookup"),
        "assist_sessions",
        ["visitor_lookup"],
        unique=False,
    )

    op.create_table(
        "assist_authorizations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("principal_name", sa.Text(), nullable=False),
        sa.Column("principal_id_no", sa.Text(), nullable=False),
        sa.Column("principal_lookup", sa.String(length=64), nullable=True),
        sa.Column("agent_name", sa.Text(), nullable=True),
        sa.Column("agent_id_no", sa.Text(), nullable=True),
        sa.Column("agent_staff_id", sa.Integer(), nullable=True),
        sa.Column("items", sa.Text(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_staff_id"],
            ["staff.id"],
            name=op.f("fk_assist_authorizations_agent_staff_id_staff"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["assist_sessions.id"],
            name=op.f("fk_assist_authorizations_session_id_assist_sessions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assist_authorizations")),
    )
    op.create_index(
        op.f("ix_assist_authorizations_principal_lookup"),
        "assist_authorizations",
        ["principal_lookup"],
        unique=False,
    )
    op.create_index(
        op.f("ix_assist_authorizations_session_id"),
        "assist_authorizations",
        ["session_id"],
        unique=False,
    )

    op.create_table(
        "assist_events",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("from_state", sa.String(length=16), nullable=True),
        sa.Column("to_state", sa.String(length=16), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["assist_sessions.id"],
            name=op.f("fk_assist_events_session_id_assist_sessions"),
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_assist_events_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assist_events")),
    )
    op.create_index(op.f("ix_assist_events_at"), "assist_events", ["at"], unique=False)
    op.create_index(
        op.f("ix_assist_events_session_id"), "assist_events", ["session_id"], unique=False
    )

    op.create_table(
        "assist_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=True),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_assist_links_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["assist_sessions.id"],
            name=op.f("fk_assist_links_session_id_assist_sessions"),
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_assist_links_ticket_id_tickets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assist_links")),
    )
    op.create_index(op.f("ix_assist_links_case_id"), "assist_links", ["case_id"], unique=False)
    op.create_index(
        op.f("ix_assist_links_session_id"), "assist_links", ["session_id"], unique=False
    )

    op.create_table(
        "assist_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("window_number", sa.Integer(), nullable=True),
        sa.Column("department", sa.String(length=200), nullable=True),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("item_code", sa.String(length=64), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("materials", sa.Text(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("trip", sa.Boolean(), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=True),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["assist_sessions.id"],
            name=op.f("fk_assist_steps_session_id_assist_sessions"),
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_assist_steps_staff_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_assist_steps_ticket_id_tickets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assist_steps")),
    )
    op.create_index(
        op.f("ix_assist_steps_session_id"), "assist_steps", ["session_id"], unique=False
    )

    op.create_table(
        "pain_points",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("bundle_code", sa.String(length=64), nullable=False),
        sa.Column("item_code", sa.String(length=64), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"], ["staff.id"], name=op.f("fk_pain_points_created_by_staff")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["assist_sessions.id"],
            name=op.f("fk_pain_points_session_id_assist_sessions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pain_points")),
    )
    op.create_index(op.f("ix_pain_points_category"), "pain_points", ["category"], unique=False)
    op.create_index(op.f("ix_pain_points_state"), "pain_points", ["state"], unique=False)

    op.create_table(
        "pain_events",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("pain_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("from_state", sa.String(length=16), nullable=True),
        sa.Column("to_state", sa.String(length=16), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["pain_id"], ["pain_points.id"], name=op.f("fk_pain_events_pain_id_pain_points")
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_pain_events_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pain_events")),
    )
    op.create_index(op.f("ix_pain_events_at"), "pain_events", ["at"], unique=False)
    op.create_index(op.f("ix_pain_events_pain_id"), "pain_events", ["pain_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_pain_events_pain_id"), table_name="pain_events")
    op.drop_index(op.f("ix_pain_events_at"), table_name="pain_events")

    op.drop_table("pain_events")
    op.drop_index(op.f("ix_pain_points_state"), table_name="pain_points")
    op.drop_index(op.f("ix_pain_points_category"), table_name="pain_points")

    op.drop_table("pain_points")
    op.drop_index(op.f("ix_assist_steps_session_id"), table_name="assist_steps")

    op.drop_table("assist_steps")
    op.drop_index(op.f("ix_assist_links_session_id"), table_name="assist_links")
    op.drop_index(op.f("ix_assist_links_case_id"), table_name="assist_links")

    op.drop_table("assist_links")
    op.drop_index(op.f("ix_assist_events_session_id"), table_name="assist_events")
    op.drop_index(op.f("ix_assist_events_at"), table_name="assist_events")

    op.drop_table("assist_events")
    op.drop_index(op.f("ix_assist_authorizations_session_id"), table_name="assist_authorizations")
    op.drop_index(
        op.f("ix_assist_authorizations_principal_lookup"), table_name="assist_authorizations"
    )

    op.drop_table("assist_authorizations")
    op.drop_index(op.f("ix_assist_sessions_visitor_lookup"), table_name="assist_sessions")
    op.drop_index(op.f("ix_assist_sessions_state"), table_name="assist_sessions")
    op.drop_index(op.f("ix_assist_sessions_helper_id"), table_name="assist_sessions")
    op.drop_index(op.f("ix_assist_sessions_day"), table_name="assist_sessions")

    op.drop_table("assist_sessions")
