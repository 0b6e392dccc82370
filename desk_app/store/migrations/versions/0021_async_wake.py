"""queue: the displays' wake-up commits without waiting for the disk

``queue_wake`` (migration 0019) sends the displays' NOTIFY in a transaction of its own after a
call. A transaction that notifies is given a transaction id and holds a lock of the whole
database from its commit to its end, so each wake-up wrote a commit record and waited for it
to reach the disk while every other window's wake-up waited for the lock. That transaction
changes no data: losing it in a crash loses nothing (the call itself committed before, with the
usual durability, and the displays also look on their own). It now commits asynchronously
(``synchronous_commit`` off for that transaction only): at 8 windows the queue bench went from
0.33-0.42 of raw to 0.44-0.46, at 32 from 0.30-0.33 to 0.36-0.37 (results-2026-12-05-queue-cpu.txt).

Nothing on SQLite.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

_WAKE = """
CREATE OR REPLACE FUNCTION queue_wake(p_channel text) RETURNS void
LANGUAGE plpgsql AS $fn$
BEGIN
    IF current_setting('desk_app.wake', true) = '1' THEN
        PERFORM set_config('desk_app.wake', '', false);{async_commit}
        PERFORM pg_notify(p_channel, '');
    END IF;
END
$fn$
"""
ASYNC = """
        -- This transaction only notifies: no need to wait for its commit record on disk.
        PERFORM set_config('synchronous_commit', 'off', true);"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(sa.text(_WAKE.format(async_commit=ASYNC).replace(":", "\\:")))


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(sa.text(_WAKE.format(async_commit="").replace(":", "\\:")))
