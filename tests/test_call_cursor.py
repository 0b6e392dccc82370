"""The call display's place in the stream of calls (services/boards.CallCursor): on PostgreSQL a
call can be committed after a later one (ids are taken at insert, transactions commit in any
order); it must still be shown and announced, once."""

from __future__ import annotations

from datetime import UTC, datetime

from desk_app.services.queue.boards import CALL_OVERLAP_IDS, CallCursor, CallEvent

AT = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def _call(event_id: int, number: str = "A001") -> CallEvent:
    return CallEvent(event_id, number, 1, None, "新生儿出生一件事", False, AT)


def test_each_call_is_taken_once_even_when_it_arrives_after_a_later_one():
    cursor = CallCursor(after_id=1000)
    assert cursor.floor == 1000 - CALL_OVERLAP_IDS
    # 1002 committed first; 1001 (inserted earlier) is still in flight.
    assert [c.event_id for c in cursor.take([_call(1002)])] == [1002]
    assert cursor.after_id == 1002
    # The next read goes back below 1002 and finds 1001, now committed; 1002 is not new again.
    assert [c.event_id for c in cursor.take([_call(1001), _call(1002)])] == [1001]
    both = [_call(1001), _call(1002), _call(1003)]
    assert [c.event_id for c in cursor.take(both)] == [1003]
    assert cursor.take(both) == []
    assert CallCursor(after_id=5).floor == 0


def test_calls_older_than_the_overlap_are_not_taken_and_not_remembered():
    cursor = CallCursor(after_id=1000, seen={990, 995})
    far = 1000 + CALL_OVERLAP_IDS + 10
    assert [c.event_id for c in cursor.take([_call(far)])] == [far]
    assert cursor.floor == far - CALL_OVERLAP_IDS
    assert [c.event_id for c in cursor.take([_call(cursor.floor), _call(far)])] == []
    assert cursor.seen == {far}  # 990 and 995 fell below the floor: forgotten


def test_a_read_of_nothing_new_keeps_the_place():
    cursor = CallCursor(after_id=7)
    assert cursor.take([]) == []
    assert cursor.after_id == 7


def test_a_read_leaves_out_the_calls_the_display_has(db, small_hall):
    from desk_app.services.queue import boards
    from desk_app.services.queue import operations as queue

    for _ in range(2):
        queue.issue_ticket(db, "newborn")
    queue.call_next(db, 1)
    queue.call_next(db, 2)  # window 2 serves retirement only: nobody for it
    queue.issue_ticket(db, "retirement")
    queue.call_next(db, 2)
    everything = boards.calls_since(db, 0)
    assert [c.number for c in everything] == ["A001", "B001"]
    first = everything[0].event_id
    assert [c.number for c in boards.calls_since(db, 0, skip={first})] == ["B001"]
    cursor = CallCursor(after_id=0)
    assert [c.number for c in cursor.take(everything)] == ["A001", "B001"]
    assert boards.calls_since(db, cursor.floor, skip=cursor.seen) == []
