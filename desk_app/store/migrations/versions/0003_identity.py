"""identity: accounts' passwords and locks, log-in sessions, audit trail; personal data as
encrypted tokens; one open window session per staff member

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

PERSONAL = ("applicant_name", "applicant_id_no", "applicant_phone", "agent_name", "agent_id_no")


def upgrade() -> None:
    bind = op.get_bind()
    # Plain ADD COLUMN on both databases: a batch rebuild of "staff" on SQLite would drop a
    # table the window sessions and events of a working hall refer to.
    op.add_column("staff", sa.Column("password_hash", sa.Text(), nullable=True))
    for flag in ("must_change", "locked"):
        op.add_column(
            "staff", sa.Column(flag, sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.add_column("staff", sa.Column("locked_until", sa.DateTime(), nullable=True))
    op.add_column("staff", sa.Column("password_changed_at", sa.DateTime(), nullable=True))

    # Close all but the newest open session of a staff member before the constraint exists
    # (the old rule was a SELECT, which concurrent log-ins on PostgreSQL could slip past).
    bind.execute(
        sa.text(
            "UPDATE window_sessions SET closed_at = opened_at WHERE closed_at IS NULL AND id NOT IN"
            " (SELECT MAX(id) FROM window_sessions WHERE closed_at IS NULL GROUP BY staff_id)"
        )
    )
    op.create_index(
        "uq_window_sessions_staff_open",
        "window_sessions",
        ["staff_id"],
        unique=True,
        sqlite_where=sa.text("closed_at IS NULL"),
        postgresql_where=sa.text("closed_at IS NULL"),
    )

    # Encrypted tokens are longer than the plain values the old column lengths were made for.
    # SQLite ignores declared lengths, and rebuilding the table there would trip over the rows
    # that refer to the cases: only PostgreSQL's types change.
    if bind.dialect.name == "postgresql":
        for col in PERSONAL:
            op.alter_column("cases", col, type_=sa.Text())
    op.add_column("cases", sa.Column("applicant_lookup", sa.String(length=64), nullable=True))
    op.create_index("ix_cases_applicant_lookup", "cases", ["applicant_lookup"])
    _seal_existing_personal_data(bind)

    op.create_table(
        "login_failures",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_login_failures_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    op.create_index("ix_login_failures_staff_at", "login_failures", ["staff_id", "at"])
    op.create_table(
        "login_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("os_user", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_login_sessions_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_login_sessions_token_hash")),
    )
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=32), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("target", sa.String(length=100), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_actor", "audit_log", ["actor"])
    op.create_index("ix_audit_log_action", "audit_log", ["action"])
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )


def _seal_existing_personal_data(bind: sa.engine.Connection) -> None:
    """Cases written before 0003 hold names, IDs and phones in clear: seal them now, under the
    hall key (made here when the hall never had one: before 0003 there was no key to lose).
    Values masked by an earlier purge (they contain '*') stay as they are."""
    cases = sa.table("cases", *(sa.column(c) for c in ("id", "applicant_kind", *PERSONAL)))
    rows = bind.execute(sa.select(cases)).all()
    outbox = sa.table("sync_outbox", sa.column("id"), sa.column("payload"))
    payloads = bind.execute(sa.select(outbox.c.id, outbox.c.payload)).all()
    if not rows and not payloads:
        return
    c = _hall_cipher()
    for row in rows:
        values: dict[str, str | None] = {}
        for col in PERSONAL:
            v = getattr(row, col)
            if v is None or c_is_sealed(v) or "*" in v:
                continue
            values[col] = c.encrypt(v, context=f"cases.{col}")
        id_no = row.applicant_id_no
        if id_no and not c_is_sealed(id_no) and "*" not in id_no:
            purpose = "credit_code" if row.applicant_kind == "company" else "resident_id"
            values["applicant_lookup"] = c.lookup_hash(id_no, purpose=purpose)
        if values:
            lookup_col = sa.table("cases", sa.column("id"), *(sa.column(k) for k in values))
            bind.execute(sa.update(lookup_col).where(lookup_col.c.id == row.id).values(**values))
    for row_id, payload in payloads:
        if payload and not c_is_sealed(payload):
            bind.execute(
                sa.update(outbox)
                .where(outbox.c.id == row_id)
                .values(payload=c.encrypt(payload, context="sync_outbox.payload"))
            )


def _hall_cipher():  # type: ignore[no-untyped-def]
    """The hall key's cipher; the key file is made when there is none at all (before 0003 there
    was no key to lose). Written out here, not taken from the services, so that what this
    migration does cannot change with them."""
    import os

    from desk_app.security.crypto import FieldCipher
    from desk_app.security.keys import create_key_file, default_key_path

    if not os.environ.get("DESK_APP_KEY"):
        path = default_key_path()
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            create_key_file(path)
    return FieldCipher.from_environment()


def c_is_sealed(value: str) -> bool:
    from desk_app.security.crypto import is_encrypted

    return is_encrypted(value)


def downgrade() -> None:
    op.drop_table("audit_head")
    op.drop_table("audit_log")
    op.drop_table("login_sessions")
    op.drop_table("login_failures")
    op.drop_index("ix_cases_applicant_lookup", table_name="cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("applicant_lookup")
    op.drop_index("uq_window_sessions_staff_open", table_name="window_sessions")
    with op.batch_alter_table("staff") as batch:
        for col in ("password_changed_at", "locked_until", "locked", "must_change"):
            batch.drop_column(col)
        batch.drop_column("password_hash")
