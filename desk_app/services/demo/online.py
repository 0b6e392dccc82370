"""Demo 线上线下融合 for ``demo seed``: three online applications waiting in the counter's inbox
(one late, one for pick-up at the counter) and three 12345 work orders at the supervisor's
(one to sign, one signed and late to reply, one replied), as the platform would have sent them
(the same take-in the sync uses; no platform needed)."""

from __future__ import annotations

import io
import uuid
from datetime import datetime, timedelta

from desk_app.domain import clock
from desk_app.services.cases import online
from desk_app.services.demo.assist import VISITORS
from desk_app.services.workorders import orders
from desk_app.store import Database


def _page() -> bytes:
    """A blank scanned page (what the citizen's app uploaded)."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(buf, "JPEG")
    return buf.getvalue()


def seed_online(db: Database, now: datetime) -> None:
    people = list(VISITORS.items())
    page = _page()
    for i, (bundle, mode, hours_ago) in enumerate(
        (("newborn", "online", 2), ("retirement", "pickup", 6), ("newborn", "online", 80))
    ):
        name, id_no = people[i]
        app = {
            "id": str(uuid.uuid4()),
            "bundle": bundle,
            "mode": mode,
            "applicant": {"kind": "person", "name": name, "id": id_no},
            "answers": {},
            "materials": [{"index": 0, "code": "application_form", "file": {"name": "表.jpg"}}],
            "received_at": clock.iso(now - timedelta(hours=hours_ago)),
        }
        online.take_in(db, app, {0: page}, now=now - timedelta(hours=hours_ago))
    texts: tuple[tuple[str, str | None, str], ...] = (
        ("consult", "newborn", "孩子出生在外地医院，能在本市办理出生一件事吗？"),
        ("complaint", "retirement", "上周办理退休一件事，窗口让我跑了两趟，希望改进。"),
        ("suggestion", None, "建议在自助机上增加预约取件时间的查询。"),
    )
    for i, (kind, topic, text) in enumerate(texts):
        arrived = now - timedelta(hours=(1, 30, 50)[i])
        number = f"12345-{clock.hall_day(arrived):%Y%m%d}-{9001 + i}"
        orders.take_in(
            db,
            {
                "id": str(uuid.uuid4()),
                "number": number,
                "kind": kind,
                "bundle": topic,
                "text": text,
                "citizen": {"name": people[3 + i % 2][0], "phone": "13800000000"},
                "deadline": (clock.hall_day(now) + timedelta(days=(3, -1, 5)[i])).isoformat(),
                "dispatched_at": clock.iso(arrived),
            },
            now=arrived,
        )
        if i >= 1:
            orders.sign(db, number, now=arrived + timedelta(minutes=40))
        if i == 2:
            orders.reply(
                db, number, "感谢建议，已转自助机运维单位评估。", now=arrived + timedelta(hours=3)
            )
