"""queue: "call next" and the actions on a window's current ticket as server-side functions on
PostgreSQL, and the ticket table's statistics kept current

On PostgreSQL each press was several statements, each a network round trip, with the window's
row locked across all of them: at 32 windows the locks were held for the round trips, not for
the work. ``queue_call_next`` and ``queue_act`` do what ``services/queue/engine.py`` did, in one
statement the client sends in autocommit, so one transaction (and ``queue_wake`` for the
displays, in the same round trip); they hand the press back (outcome ``fallback``) before writing anything in every case the ORM version must
decide, as the engine did.

The live queue is a few thousand rows of a table that keeps every ticket of the hall's history.
With the default thresholds (a fifth of the table for VACUUM, a tenth for ANALYZE) a large hall
went weeks without either, so the planner believed nobody waited and the partial indexes of the
waiting tickets filled with dead entries. Fixed thresholds instead: a few hours of a busy day.

Nothing on SQLite (the queue's hot path there is ``services/queue/quick.py``).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

# The table's autovacuum settings: rows changed before ANALYZE / VACUUM, whatever its size.
TICKETS_AUTOVACUUM = {
    "autovacuum_analyze_scale_factor": "0",
    "autovacuum_analyze_threshold": "1000",
    "autovacuum_vacuum_scale_factor": "0",
    "autovacuum_vacuum_threshold": "2000",
    "autovacuum_vacuum_insert_scale_factor": "0",
    "autovacuum_vacuum_insert_threshold": "2000",
}

# What both functions return: the outcome ('fallback', 'none' or 'done') and the ticket as
# TicketInfo shows it.
_OUT = """
    OUT o_outcome text, OUT o_id uuid, OUT o_number varchar, OUT o_priority varchar,
    OUT o_state varchar, OUT o_has_window boolean, OUT o_arrival_at timestamp,
    OUT o_recall_count int, OUT o_called_at timestamp, OUT o_started_at timestamp,
    OUT o_service_code varchar, OUT o_service_name varchar"""

# The window's desk (its open session locked: a double press waits, then sees what it did) and
# its current ticket, locked.
_DESK = """
    SELECT w.id AS wid, w.calling_rule, ws.id AS sid, ws.staff_id, ws.paused_at, ws.cycle_pos,
           ws.appt_cycle_pos
      INTO d
      FROM windows w JOIN window_sessions ws ON ws.window_id = w.id AND ws.closed_at IS NULL
     WHERE w.number = p_window
       FOR UPDATE OF ws;
    IF NOT FOUND OR d.paused_at IS NOT NULL
       OR NOT (p_any OR d.staff_id IS NOT DISTINCT FROM p_staff) THEN
        o_outcome := 'fallback';
        RETURN;
    END IF;
    SELECT * INTO cur FROM tickets tk
     WHERE tk.window_id = d.wid AND tk.state IN ('called', 'serving')
       FOR UPDATE;
    has_cur := FOUND;"""

_RESULT = """
    o_outcome := 'done';
    o_id := t.id; o_number := t.number; o_priority := t.priority; o_state := t.state;
    o_has_window := t.window_id IS NOT NULL; o_arrival_at := t.arrival_at;
    o_recall_count := t.recall_count; o_called_at := t.last_called_at;
    o_started_at := t.started_at;
    SELECT s.code, s.name INTO o_service_code, o_service_name FROM services s
     WHERE s.id = t.service_id;
    RETURN;"""

_SECONDS = "greatest(0, trunc(extract(epoch FROM p_now - cur.started_at)))::int"


def _claim(condition: str, order: str) -> str:
    # One waiting ticket of the window's services, skipping those another window is claiming.
    return f"""
            UPDATE tickets tk SET state = 'called', window_id = d.wid, target_window_id = NULL,
                   first_called_at = coalesce(tk.first_called_at, p_now),
                   last_called_at = p_now, recall_count = 0
             WHERE tk.id = (
                   SELECT q.id FROM tickets q
                    WHERE q.state = 'waiting' AND q.target_window_id IS NULL
                      AND q.service_id = ANY (sids) AND {condition}
                    ORDER BY {order} LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING * INTO t;"""


def _waits(condition: str) -> str:
    # Driven from the window's few services, one probe of the waiting-queue indexes each: with
    # "service_id = ANY (...)" the planner may scan the table for the first match, which is
    # the queue's newest rows at the end of the history.
    return (
        "EXISTS (SELECT 1 FROM window_services x WHERE x.window_id = d.wid AND EXISTS"
        " (SELECT 1 FROM tickets q WHERE q.state = 'waiting' AND q.service_id = x.service_id"
        f" AND q.target_window_id IS NULL AND {condition}))"
    )


PRIORITY = "q.is_priority"
APPOINTMENT = "q.appointment_id IS NOT NULL"
WALKIN = "NOT q.is_priority AND q.appointment_id IS NULL"

# The calling rule as domain.calling.CallingRule.parse reads it ("arrival:P/N,appt:A/W", parts
# left out take their defaults); any other spelling goes to the ORM version.
_RULE = r"^(?:arrival)?(?::(?:(\d{1,9})(?:/(\d{0,9}))?)?)?(?:,appt:(\d{1,9})(?:/(\d{0,9}))?)?$"

CALL_NEXT = f"""
CREATE FUNCTION queue_call_next(
    p_window int, p_now timestamp, p_today text, p_staff int, p_any boolean,
    p_complete_to text, {_OUT})
LANGUAGE plpgsql AS $fn$
DECLARE
    d record; cur tickets; t tickets; has_cur boolean; sids int[]; m text[];
    p_run int; n_run int; a_run int; w_run int; has_p boolean; has_a boolean; has_w boolean;
    want_p boolean; want_a boolean; v_pos int; v_period int; new_pos int; new_appt int;
    classes text[]; cls text; v_cycle int; v_appt int;
BEGIN
    -- The day's first call rolls the queue over first: the ORM version does that.
    IF (SELECT s.value FROM settings s WHERE s.key = 'queue_day') IS DISTINCT FROM p_today THEN
        o_outcome := 'fallback';
        RETURN;
    END IF;
    {_DESK}
    -- Tickets transferred to this window, and other calling modes: the ORM version.
    IF EXISTS (SELECT 1 FROM tickets q WHERE q.state = 'waiting' AND q.target_window_id = d.wid)
    THEN
        o_outcome := 'fallback';
        RETURN;
    END IF;
    m := regexp_match(d.calling_rule, '{_RULE}');
    IF m IS NULL THEN
        o_outcome := 'fallback';
        RETURN;
    END IF;
    p_run := coalesce(m[1]::int, 2);
    n_run := coalesce(nullif(m[2], '')::int, 1);
    a_run := coalesce(m[3]::int, 1);
    w_run := coalesce(nullif(m[4], '')::int, 1);
    IF p_run + n_run = 0 OR p_run > 99 OR n_run > 99
       OR a_run + w_run = 0 OR a_run > 99 OR w_run > 99 THEN
        o_outcome := 'fallback';
        RETURN;
    END IF;
    IF has_cur THEN
        IF cur.state <> 'serving' THEN  -- called, not yet served: the repeated press
            o_outcome := 'fallback';
            RETURN;
        END IF;
        -- One key per visitor: "next" completes the ticket being served.
        UPDATE tickets tk SET state = p_complete_to, completed_at = p_now,
               service_seconds = CASE WHEN cur.started_at IS NULL THEN NULL
                                      ELSE {_SECONDS} END
         WHERE tk.id = cur.id;
        INSERT INTO ticket_events (ticket_id, action, from_state, to_state, window_id,
                                   staff_id, at, detail)
        VALUES (cur.id, 'complete', cur.state, p_complete_to, d.wid, d.staff_id, p_now, NULL);
    END IF;
    SELECT array_agg(x.service_id) INTO sids FROM window_services x WHERE x.window_id = d.wid;
    has_p := {_waits(PRIORITY)};
    has_a := {_waits(APPOINTMENT)};
    has_w := {_waits(WALKIN)};
    -- domain.calling.call_order: the P/N cycle, then among normal calls the A/W cycle.
    IF has_p AND (has_a OR has_w) THEN
        v_period := p_run + n_run;
        v_pos := ((d.cycle_pos % v_period) + v_period) % v_period;
        want_p := v_pos < p_run;
        new_pos := (v_pos + 1) % v_period;
    ELSIF has_p THEN
        want_p := true; new_pos := 0;
    ELSIF has_a OR has_w THEN
        want_p := false; new_pos := 0;
    ELSE
        o_outcome := 'none';
        RETURN;
    END IF;
    IF has_a AND has_w THEN
        v_period := a_run + w_run;
        v_pos := ((coalesce(d.appt_cycle_pos, 0) % v_period) + v_period) % v_period;
        want_a := v_pos < a_run;
        new_appt := (v_pos + 1) % v_period;
    ELSIF has_a THEN
        want_a := true; new_appt := 0;
    ELSIF has_w THEN
        want_a := false; new_appt := 0;
    ELSE
        want_a := false; new_appt := coalesce(d.appt_cycle_pos, 0);
    END IF;
    classes := CASE WHEN want_a THEN ARRAY['appointment', 'walkin']
                    ELSE ARRAY['walkin', 'appointment'] END;
    IF want_p THEN
        classes := 'priority'::text || classes;
        new_appt := coalesce(d.appt_cycle_pos, 0);
    ELSE
        classes := classes || 'priority'::text;
    END IF;
    FOREACH cls IN ARRAY classes LOOP
        CONTINUE WHEN NOT CASE cls WHEN 'priority' THEN has_p
                                   WHEN 'appointment' THEN has_a ELSE has_w END;
        IF cls = 'priority' THEN {_claim(PRIORITY, "q.arrival_at, q.seq")}
        ELSIF cls = 'appointment' THEN {_claim(APPOINTMENT, "q.slot_at, q.arrival_at, q.seq")}
        ELSE {_claim(WALKIN, "q.arrival_at, q.seq")}
        END IF;
        CONTINUE WHEN NOT FOUND;  -- claimed by another window meanwhile
        INSERT INTO ticket_events (ticket_id, action, from_state, to_state, window_id,
                                   staff_id, at, detail)
        VALUES (t.id, 'call', 'waiting', t.state, d.wid, d.staff_id, p_now, NULL);
        PERFORM set_config('desk_app.wake', '1', false);  -- queue_wake: the displays
        IF cls = classes[1] THEN
            v_cycle := new_pos; v_appt := new_appt;
        ELSE
            v_cycle := 0; v_appt := 0;
        END IF;
        IF (v_cycle, v_appt) IS DISTINCT FROM (d.cycle_pos, d.appt_cycle_pos) THEN
            UPDATE window_sessions ws SET cycle_pos = v_cycle, appt_cycle_pos = v_appt
             WHERE ws.id = d.sid;
        END IF;
        {_RESULT}
    END LOOP;
    o_outcome := 'none';
END
$fn$
"""

ACT = f"""
CREATE FUNCTION queue_act(
    p_window int, p_action text, p_now timestamp, p_staff int, p_any boolean,
    p_after_called text, p_after_serving text, p_recall_default int, {_OUT})
LANGUAGE plpgsql AS $fn$
DECLARE
    d record; cur tickets; t tickets; has_cur boolean; v_after text; v_limit text;
    v_max int; v_detail text;
BEGIN
    {_DESK}
    IF NOT has_cur THEN
        o_outcome := 'fallback';
        RETURN;
    END IF;
    v_after := CASE cur.state WHEN 'called' THEN p_after_called
                              WHEN 'serving' THEN p_after_serving END;
    IF v_after IS NULL THEN  -- not allowed in this state: the ORM version says so
        o_outcome := 'fallback';
        RETURN;
    END IF;
    IF p_action = 'recall' THEN
        v_limit := (SELECT s.value FROM settings s WHERE s.key = 'recall_limit');
        IF v_limit IS NULL THEN
            v_max := p_recall_default;
        ELSIF v_limit ~ '^\\s*[+-]?\\d{{1,9}}\\s*$' THEN
            v_max := trim(v_limit)::int;
        ELSE
            o_outcome := 'fallback';
            RETURN;
        END IF;
        IF cur.state = 'called' AND cur.recall_count >= v_max THEN
            o_outcome := 'fallback';
            RETURN;
        END IF;
        UPDATE tickets tk SET state = v_after, recall_count = cur.recall_count + 1,
               last_called_at = p_now
         WHERE tk.id = cur.id RETURNING * INTO t;
        v_detail := '{{"recall": ' || t.recall_count || '}}';  -- as common.add_event writes it
        PERFORM set_config('desk_app.wake', '1', false);
    ELSIF p_action = 'start' THEN
        UPDATE tickets tk SET state = v_after, started_at = p_now
         WHERE tk.id = cur.id RETURNING * INTO t;
    ELSIF p_action = 'complete' THEN
        UPDATE tickets tk SET state = v_after, completed_at = p_now,
               service_seconds = CASE WHEN cur.started_at IS NULL THEN NULL
                                      ELSE {_SECONDS} END
         WHERE tk.id = cur.id RETURNING * INTO t;
    ELSE  -- no-show, hold
        UPDATE tickets tk SET state = v_after WHERE tk.id = cur.id RETURNING * INTO t;
    END IF;
    INSERT INTO ticket_events (ticket_id, action, from_state, to_state, window_id, staff_id,
                               at, detail)
    VALUES (cur.id, p_action, cur.state, v_after, d.wid, d.staff_id, p_now, v_detail);
    {_RESULT}
END
$fn$
"""

# The displays' wake-up after a call or a recall, as a transaction of its own that the client
# sends right after the call's, in the same round trip. A NOTIFY holds a lock of the whole
# database from its transaction's commit to the end, so inside the call's transaction every
# window's call waited for the others' commits to reach the disk (at 8 windows a third of the
# calls a second of the same calls without it); a transaction that writes nothing else commits
# without waiting for the disk. The call's function leaves the session's ``desk_app.wake`` set
# when it called or recalled a ticket (undone if its transaction rolls back).
WAKE = """
CREATE FUNCTION queue_wake(p_channel text) RETURNS void
LANGUAGE plpgsql AS $fn$
BEGIN
    IF current_setting('desk_app.wake', true) = '1' THEN
        PERFORM set_config('desk_app.wake', '', false);
        PERFORM pg_notify(p_channel, '');
    END IF;
END
$fn$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for function in (CALL_NEXT, ACT, WAKE):  # colons escaped: text() would take ":name" for a bind
        op.execute(sa.text(function.replace(":", "\\:")))
    settings = ", ".join(f"{k} = {v}" for k, v in TICKETS_AUTOVACUUM.items())
    op.execute(f"ALTER TABLE tickets SET ({settings})")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"ALTER TABLE tickets RESET ({', '.join(TICKETS_AUTOVACUUM)})")
    op.execute("DROP FUNCTION IF EXISTS queue_wake")
    op.execute("DROP FUNCTION IF EXISTS queue_act")
    op.execute("DROP FUNCTION IF EXISTS queue_call_next")
