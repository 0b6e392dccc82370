"""opening calendar and appointments: sessions, bookings, slot counters, blocks, blackouts;
appointment tickets and the appointment/walk-in calling cycle

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN on existing tables (no batch rebuild of tables others refer to).
    op.add_column("services", sa.Column("slot_minutes", sa.Integer(), nullable=True))
    op.add_column("services", sa.Column("slot_capacity", sa.Integer(), nullable=True))
    op.add_column(
        "window_sessions",
        sa.Column("appt_cycle_pos", sa.Integer(), nullable=False, server_default="0"),
    )
    op.add_column("tickets", sa.Column("appointment_id", sa.Uuid(), nullable=True))
    op.add_column("tickets", sa.Column("slot_at", sa.DateTime(), nullable=True))

    op.create_table(
        "calendar_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("days", sa.String(64), nullable=False),
        sa.Column("weekdays", sa.Integer(), nullable=True),
        sa.Column("on_date", sa.Date(), nullable=True),
        sa.Column("start_min", sa.Integer(), nullable=False),
        sa.Column("end_min", sa.Integer(), nullable=False),
        sa.Column("services", sa.Text(), nullable=False),
        sa.Column("windows", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_calendar_sessions"),
    )
    op.create_table(
        "appointment_slot_counts",
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("start_min", sa.Integer(), nullable=False),
        sa.Column("booked_hall", sa.Integer(), nullable=False),
        sa.Column("booked_online", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["services.id"],
            name="fk_appointment_slot_counts_service_id_services",
        ),
        sa.PrimaryKeyConstraint(
            "service_id", "day", "start_min", name="pk_appointment_slot_counts"
        ),
    )
    op.create_table(
        "appointments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("start_min", sa.Integer(), nullable=False),
        sa.Column("end_min", sa.Integer(), nullable=False),
        sa.Column("slot_at", sa.DateTime(), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("id_no", sa.Text(), nullable=False),
        sa.Column("phone", sa.Text(), nullable=True),
        sa.Column("person_lookup", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(32), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.Column("checked_in_at", sa.DateTime(), nullable=True),
        sa.Column("ticket_id", sa.Uuid(), nullable=True),
        sa.Column("no_show_at", sa.DateTime(), nullable=True),
        sa.Column("online_ref", sa.String(64), nullable=True),
        sa.Column("outcome_sent", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"], ["services.id"], name="fk_appointments_service_id_services"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_appointments"),
        sa.UniqueConstraint("code", name="uq_appointments_code"),
        sa.UniqueConstraint("online_ref", name="uq_appointments_online_ref"),
    )
    active = sa.text("state IN ('booked', 'checked_in')")
    op.create_index(
        "uq_appointments_person_day",
        "appointments",
        ["person_lookup", "day"],
        unique=True,
        sqlite_where=active,
        postgresql_where=active,
    )
    op.create_index("ix_appointments_day_service", "appointments", ["day", "service_id"])
    op.create_index("ix_appointments_state_slot", "appointments", ["state", "slot_at"])
    op.create_index("ix_appointments_person", "appointments", ["person_lookup"])
    op.create_table(
        "appointment_blocks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_lookup", sa.String(64), nullable=False),
        sa.Column("blocked_at", sa.DateTime(), nullable=False),
        sa.Column("blocked_until", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("lifted_at", sa.DateTime(), nullable=True),
        sa.Column("lifted_by", sa.String(32), nullable=True),
        sa.Column("lift_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_appointment_blocks"),
    )
    op.create_index("ix_appointment_blocks_person_lookup", "appointment_blocks", ["person_lookup"])
    op.create_table(
        "appointment_blackouts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("from_at", sa.DateTime(), nullable=False),
        sa.Column("to_at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(32), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_appointment_blackouts"),
    )


def downgrade() -> None:
    op.drop_table("appointment_blackouts")
    op.drop_index("ix_appointment_blocks_person_lookup", "appointment_blocks")
    op.drop_table("appointment_blocks")
    for ix in (
        "ix_appointments_person",
        "ix_appointments_state_slot",
        "ix_appointments_day_service",
        "uq_appointments_person_day",
    ):
        op.drop_index(ix, "appointments")
    op.drop_table("appointments")
    op.drop_table("appointment_slot_counts")
    op.drop_table("calendar_sessions")
    op.drop_column("tickets", "slot_at")
    op.drop_column("tickets", "appointment_id")
    op.drop_column("window_sessions", "appt_cycle_pos")
    op.drop_column("services", "slot_capacity")
    op.drop_column("services", "slot_minutes")
