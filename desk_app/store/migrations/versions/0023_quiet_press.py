"""queue: a press sends nothing to the displays; they look at the server's snapshot instead

``queue_call_next`` and ``queue_act`` set ``desk_app.wake`` after a call or a recall, and the
client sent ``queue_wake`` after the press's commit, in the same round trip, for a ``NOTIFY`` in
a transaction of its own (migrations 0019, 0021). That transaction needs a transaction id and a
commit record, and every notifying commit on the server takes the same lock, so with 8 windows
pressing together each call paid a fifth of its CPU for it and waited behind the others' wake
at commit. The displays and the window strips now look at the server's snapshot every few
milliseconds instead (``store/changes.py``), which changes whenever a transaction commits, and
a press is the function's statement alone.

The functions are 0022's (call next) and 0019's (the actions) without the flag; ``queue_wake``
goes.

Nothing on SQLite.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

_FLAGS = (
    "\n        PERFORM set_config('desk_app.wake', '1', false);  -- queue_wake: the displays",
    "\n        PERFORM set_config('desk_app.wake', '1', false);",
)


def _migration(name: str):  # type: ignore[no-untyped-def]
    """An earlier migration of this folder, whose function texts stay the one reference."""
    path = Path(__file__).with_name(name)
    spec = importlib.util.spec_from_file_location(f"desk_app_migration_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _replace(function: str) -> str:
    return function.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)


def quiet(function: str) -> str:
    """``function`` without the line that sets the wake flag (it has one)."""
    flag = next((f for f in _FLAGS if f in function), "")  # the longer spelling first
    assert flag and function.count(flag) == 1, "the wake flag is not where it was"
    text = function.replace(flag, "")
    assert "desk_app.wake" not in text
    return text


def _create(function: str) -> None:
    op.execute(sa.text(function.replace(":", "\\:")))  # text() would take ":name" for a bind


def functions() -> tuple[str, str]:
    """The call-next and action functions as 0022 and 0019 left them."""
    v19 = _migration("0019_queue_calls.py")
    v22 = _migration("0022_queue_probes.py")
    return _replace(v22.call_next_function(v19)), _replace(v19.ACT)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for function in functions():
        _create(quiet(function))
    op.execute("DROP FUNCTION IF EXISTS queue_wake(text)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for function in functions():
        _create(function)
    v21 = _migration("0021_async_wake.py")
    op.execute(sa.text(v21._WAKE.format(async_commit=v21.ASYNC).replace(":", "\\:")))
