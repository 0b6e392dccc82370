"""One masking rule for personal numbers in free text (resident IDs, mobiles also in Chinese
numerals or full-width digits, bank cards), applied wherever free text is taken in, by the
knowledge base's question log, and by migration 0010 to what was stored before."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from desk_app.domain.masking import mask_numbers, mask_personal_numbers
from desk_app.domain.validators import checked_text
from desk_app.store import Database, schema

ID_NO = "37020219900101123X"
PHONE = "13812345678"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (f"身份证 {ID_NO} 已核实", "身份证 [身份证号] 已核实"),
        ("身份证 370202 19900101 123x", "身份证 [身份证号]"),
        ("旧证 370202900101123", "旧证 [身份证号]"),
        (f"回电 {PHONE}", "回电 [手机号]"),
        ("回电 138-1234-5678。", "回电 [手机号]。"),
        ("回电 +86 138 1234 5678", "回电 [手机号]"),
        ("回电 一三八一二三四五六七八", "回电 [手机号]"),
        ("回电 幺三八幺二三四五六七八", "回电 [手机号]"),
        ("回电 １３８１２３４５６７８", "回电 [手机号]"),
        ("退款卡号 6222 0212 3456 7890 123", "退款卡号 [银行卡号]"),
        ("退款卡号 6222021234567890", "退款卡号 [银行卡号]"),
        ("见办件 YJS-20261205-0001, 窗口 3, 约 15 分钟", "见办件 YJS-20261205-0001, 窗口 3, 约 15 分钟"),
        ("九九八十一难, 一二三四", "九九八十一难, 一二三四"),
    ],
)  # fmt: skip
def test_the_rule(typed, stored):
    assert mask_personal_numbers(typed) == stored
    assert checked_text(typed, "note", "说明", free=True) == stored


def test_names_and_codes_are_not_free_text():
    assert checked_text("A001", "number", "号码") == "A001"  # not free: left as it is


def test_the_question_log_also_drops_other_long_numbers():
    assert mask_numbers(f"{ID_NO} 退休, 座机 8888 6666, 编号 20261205") == (
        "[身份证号] 退休, 座机 [数字], 编号 [数字]"
    )


def test_a_reason_with_a_phone_reaches_the_audit_trail_masked(db):
    from desk_app.security.roles import Actor, Role
    from desk_app.services.cases import actions as cases
    from desk_app.services.common import audit, protection
    from desk_app.services.hall import setup as hall
    from tests.ids import resident_id

    protection.ensure_hall_key(db)
    hall.add_service(db, "newborn", "新生儿出生一件事", "A")
    clerk = db.acting_as(Actor(None, "s01", Role.COUNTER))
    ref = cases.open_case(clerk, "newborn", "张三丰", applicant_id=resident_id())
    sup = db.acting_as(Actor(None, "sup01", Role.SUPERVISOR))
    cases.reveal(sup, ref.case_no, f"申请人来电 {PHONE} 要求核实")
    admin = db.acting_as(Actor(None, "adm", Role.ADMIN))
    (entry,) = audit.entries(admin, action="case.reveal")
    assert entry.detail["reason"] == "申请人来电 [手机号] 要求核实"


def test_migration_0010_masks_what_was_stored_before(db_url):
    from alembic import command

    db = Database(db_url)
    with db.engine.begin() as conn:
        command.upgrade(schema._alembic_config(conn), "0009")
        conn.execute(
            text(
                "INSERT INTO alert_acks (key, kind, note, at, level) VALUES"
                " ('waiting:x:2026-12-01', 'waiting', :note, '2026-12-01 01:00:00', 0)"
            ),
            {"note": f"已联系 {PHONE}, 身份证 {ID_NO}"},
        )
        conn.execute(
            text(
                "INSERT INTO appointment_blackouts (from_at, to_at, reason, created_at) VALUES"
                " ('2026-12-01 01:00:00', '2026-12-01 02:00:00', :r, '2026-12-01 00:00:00')"
            ),
            {"r": "系统维护"},
        )
    assert schema.upgrade(db).ok
    with db.read() as s:
        assert s.execute(text("SELECT note FROM alert_acks")).scalar() == (
            "已联系 [手机号], 身份证 [身份证号]"
        )
        assert s.execute(text("SELECT reason FROM appointment_blackouts")).scalar() == "系统维护"
    db.dispose()
