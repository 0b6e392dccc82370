"""The supervisor's alerts, worked out from the hall as it is now against the thresholds in the
settings: too many waiting for a service, a wait too long, a visitor served far longer than the
service's median, a window paused too long, concluded cases the central backend refused (sync
dead letters), a negative rating whose follow-up is overdue.

An alert has a stable key naming what it is about (e.g. ``waiting:newborn:2026-11-30``), so an
acknowledgement (with a note, audited) stays with it while the condition lasts, and a new
occurrence (another day, another pause) is a new alert.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk_app.domain import clock
from desk_app.domain.validators import checked_text
from desk_app.domain.windows import WindowState
from desk_app.security.authz import require
from desk_app.security.roles import Operation
from desk_app.services.common import audit
from desk_app.services.common.catalog import english_name
from desk_app.services.common.errors import NotFound, Refused
from desk_app.services.common.lookups import example_progress_url, get_setting
from desk_app.services.devices.registry import faults as device_faults
from desk_app.services.evaluation.follow_up import list_rows
from desk_app.services.supervision.live_hall import LiveHall, compute_live
from desk_app.services.workorders.orders import overdue as overdue_orders
from desk_app.store import Database
from desk_app.store.case_models import CaseFile, SyncOutbox
from desk_app.store.supervision_models import AlertAck

KINDS = (
    "waiting",
    "long_wait",
    "slow_service",
    "paused",
    "dead_letters",
    "device",
    "follow_up_overdue",
    "workorder_overdue",
)


@dataclass(frozen=True)
class Alert:
    id: str
    kind: str
    subject: str
    message_zh: str
    message_en: str
    value: int
    threshold: int
    acked: bool = False
    ack_note: str | None = None
    acked_at: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "subject": self.subject,
            "message": self.message_zh,
            "message_en": self.message_en,
            "value": self.value,
            "threshold": self.threshold,
            "acked": self.acked,
            "ack_note": self.ack_note,
            "acked_at": clock.iso(self.acked_at),
        }


def _int(s: Session, key: str) -> int:
    return int(get_setting(s, key))


def _conditions(s: Session, live: LiveHall) -> list[Alert]:
    today = clock.hall_day(live.at).isoformat()
    many, wait_min = _int(s, "alert_waiting"), _int(s, "alert_wait_minutes")
    factor, pause_min = _int(s, "alert_service_factor"), _int(s, "alert_pause_minutes")
    found: list[Alert] = []
    for svc in live.services:
        if svc.waiting >= many:
            found.append(
                Alert(
                    f"waiting:{svc.code}:{today}",
                    "waiting",
                    svc.code,
                    f"{svc.name} 等候 {svc.waiting} 人 (阈值 {many})",
                    f"{english_name(svc.code, svc.name)}: {svc.waiting} waiting (threshold {many})",
                    svc.waiting,
                    many,
                )
            )
        if svc.longest_wait_s > wait_min * 60:
            minutes = svc.longest_wait_s // 60
            found.append(
                Alert(
                    f"long_wait:{svc.code}:{today}",
                    "long_wait",
                    svc.code,
                    f"{svc.name} 最长等候 {minutes} 分钟 (超过 {wait_min} 分钟)",
                    f"{english_name(svc.code, svc.name)}: longest wait {minutes} min "
                    f"(over {wait_min})",
                    minutes,
                    wait_min,
                )
            )
    for w in live.windows:
        if (
            w.current_state == "serving"
            and w.serving_s is not None
            and w.median_service_s
            and w.serving_s > factor * w.median_service_s
        ):
            found.append(
                Alert(
                    f"slow_service:{w.current}:{today}",
                    "slow_service",
                    str(w.number),
                    f"{w.number} 号窗口 {w.current} 已办理 {w.serving_s // 60} 分钟, "
                    f"超过该业务中位数 ({w.median_service_s // 60} 分钟) 的 {factor} 倍",
                    f"window {w.number}: {w.current} served {w.serving_s // 60} min, over "
                    f"{factor}x the median {w.median_service_s // 60} min",
                    w.serving_s // 60,
                    factor * w.median_service_s // 60,
                )
            )
        if w.state == WindowState.PAUSED and w.paused_s is not None and w.paused_s > pause_min * 60:
            began = int(live.at.timestamp()) - w.paused_s
            found.append(
                Alert(
                    f"paused:{w.number}:{began}",
                    "paused",
                    str(w.number),
                    f"{w.number} 号窗口 ({w.staff_name or '-'}) 暂停 {w.paused_s // 60} 分钟",
                    f"window {w.number} paused {w.paused_s // 60} min",
                    w.paused_s // 60,
                    pause_min,
                )
            )
    dead, newest = s.execute(
        select(func.count(), func.max(SyncOutbox.id)).where(SyncOutbox.state == "dead")
    ).one()
    if dead:
        found.append(
            Alert(
                f"dead_letters:{newest}",
                "dead_letters",
                "sync",
                f"{dead} 件办结数据被省级平台拒收, 请在同步页处理",
                f"{dead} concluded cases refused by the central backend (sync dead letters)",
                int(dead),
                0,
            )
        )
    dead, newest = s.execute(  # scanned files the platform refused for good (files_sync)
        select(func.count(), func.max(CaseFile.id)).where(
            CaseFile.dead_at.is_not(None),
            CaseFile.delivered_at.is_(None),
            CaseFile.purged_at.is_(None),
        )
    ).one()
    if dead:
        found.append(
            Alert(
                f"dead_letters:file:{newest}",
                "dead_letters",
                "sync",
                f"{dead} 份电子件被省级平台拒收, 请在同步页处理 (sync dead)",
                f"{dead} scanned files refused by the central backend (sync dead)",
                int(dead),
                0,
            )
        )
    for d in device_faults(s):  # on any PC of the hall: the runner there reported it
        since = int(d.state_at.timestamp()) if d.state_at else 0
        found.append(
            Alert(
                f"device:{d.name}:{since}",
                "device",
                d.name,
                f"设备故障: {d.name} ({d.kind}, {d.pc}) {d.detail}",
                f"device fault: {d.name} ({d.kind}, {d.pc}) {d.detail}",
                0,
                0,
            )
        )
    for row in list_rows(s, today=clock.hall_day(live.at), overdue_only=True):
        found.append(
            Alert(
                f"follow_up_overdue:{row.evaluation_id}",
                "follow_up_overdue",
                row.case_no,
                f"差评回访逾期: {row.case_no} {row.bundle} ({row.level} 级, 应于 {row.due} 前回访)",
                f"negative rating of {row.case_no} not followed up by {row.due}",
                row.level,
                2,
            )
        )
    for v in overdue_orders(s, live.at):  # 12345: signing or the reply late
        which = "sign" if v.sign_overdue else "reply"
        found.append(
            Alert(
                f"workorder_overdue:{v.number}:{which}",
                "workorder_overdue",
                v.number,
                f"12345 工单 {v.number} 逾期未签收 (应于 {clock.local(v.sign_due):%m-%d %H:%M} 前)"
                if which == "sign"
                else f"12345 工单 {v.number} 逾期未答复 (答复期限 {v.deadline})",
                f"12345 work order {v.number} not signed in time"
                if which == "sign"
                else f"12345 work order {v.number} not replied by {v.deadline}",
                0,
                0,
            )
        )
    return found


def current_alerts(s: Session, now: datetime, live: LiveHall | None = None) -> list[Alert]:
    """Every alert now, unacknowledged first (inside the caller's read)."""
    found = _conditions(s, live or compute_live(s, now))
    if not found:
        return []
    acks = {
        a.key: a for a in s.scalars(select(AlertAck).where(AlertAck.key.in_([x.id for x in found])))
    }
    result = []
    for a in found:
        ack = acks.get(a.id)
        if ack is not None:
            a = Alert(**{**a.__dict__, "acked": True, "ack_note": ack.note, "acked_at": ack.at})
        result.append(a)
    result.sort(key=lambda a: (a.acked, KINDS.index(a.kind), a.id))
    return result


def list_alerts(db: Database, *, now: datetime | None = None) -> list[Alert]:
    """The hall's alerts now (acknowledged ones flagged, after the others)."""
    require(db.actor, Operation.ALERTS_LIST)
    with db.read() as s:
        return current_alerts(s, now or clock.now())


@dataclass(frozen=True)
class Watch:
    """The supervisor's one-second refresh: the live hall, its alerts and the thresholds."""

    hall: LiveHall
    alerts: list[Alert]
    wait_limit_s: int
    service_factor: int
    # The progress URL while still the shipped example: the alerts page warns (a standing
    # set-up fault, not an occurrence to acknowledge).
    example_url: str | None = None


def watch(db: Database, *, now: datetime | None = None) -> Watch:
    """The live hall and its alerts from one read (an alert shows with the refresh that sees
    its cause)."""
    require(db.actor, Operation.LIVE_HALL)
    require(db.actor, Operation.ALERTS_LIST)
    now = now or clock.now()
    with db.read() as s:
        live = compute_live(s, now)
        return Watch(
            live,
            current_alerts(s, now, live),
            _int(s, "alert_wait_minutes") * 60,
            _int(s, "alert_service_factor"),
            example_progress_url(s),
        )


def acknowledge(db: Database, alert_id: str, note: str, *, now: datetime | None = None) -> Alert:
    """Acknowledge a current alert with a note (what is being done); audited."""
    require(db.actor, Operation.ALERTS_ACK)
    text = checked_text(note, "note", "处理说明", free=True)
    if not text:
        raise Refused("请填写处理说明", "a note is required")
    now = now or clock.now()
    with db.begin() as s:
        match = [a for a in current_alerts(s, now) if a.id == alert_id]
        if not match:
            raise NotFound(f"没有当前告警 {alert_id}", f"no current alert {alert_id}")
        if match[0].acked:
            raise Refused("该告警已确认", "this alert has already been acknowledged")
        s.add(
            AlertAck(
                key=alert_id,
                kind=match[0].kind,
                note=text,
                staff_id=db.actor.staff_id if db.actor else None,
                at=now,
                level=0,
            )
        )
        audit.record(s, db.actor, "alerts.ack", alert_id, {"kind": match[0].kind})
        return Alert(**{**match[0].__dict__, "acked": True, "ack_note": text, "acked_at": now})
