"""The appointment slip's content: the booking, the hall's place, and what to bring from the
catalog's checklist of the service's 一件事 (its default situation)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select

from desk_app.domain.bundle import Form
from desk_app.domain.calendar import hhmm
from desk_app.domain.validators import mask_id, mask_name
from desk_app.services.appointments.dto import AppointmentView
from desk_app.services.common.catalog import checklist_for
from desk_app.services.common.errors import NotFound, Refused
from desk_app.services.hall import setup as hall
from desk_app.services.hall.calendar import policy
from desk_app.store import Database
from desk_app.store.models import Service, Window, WindowService
from printing.appointment_slip import BringItem, SlipPrint, render_slip_pdf

WEEKDAYS_ZH = "一二三四五六日"


def _bring(service_code: str) -> tuple[list[BringItem], list[str]]:
    try:
        cl = checklist_for(service_code, None)
    except (NotFound, Refused):
        return [], []  # a service that is no 一件事 of the catalog: no checklist to print
    items = []
    for e in cl.submit:
        form = "原件" if e.form is Form.ORIGINAL else "复印件"
        detail = f"{form}{e.count}份" + ("" if e.required else " (如有)")
        items.append(BringItem(e.name, detail))
    return items, [e.name for e in cl.obtained]


def slip_print(db: Database, view: AppointmentView) -> SlipPrint:
    settings = hall.read_settings(db)
    with db.read() as s:
        windows = list(
            s.scalars(
                select(Window.number)
                .join(WindowService, WindowService.window_id == Window.id)
                .join(Service, Service.id == WindowService.service_id)
                .where(Service.code == view.service)
                .order_by(Window.number)
            )
        )
        pol = policy(s)
    bring, obtained = _bring(view.service)
    place = settings["hall_name"]
    if windows:
        place += " " + "、".join(f"{n}号" for n in windows) + "窗口"
    name = view.name if "*" in view.name else mask_name(view.name)
    id_no = view.id_no if "*" in view.id_no else mask_id(view.id_no)
    d = view.day
    return SlipPrint(
        hall_name=settings["hall_name"],
        code=view.code,
        qr_text=view.code,
        service_name=view.service_name,
        date_text=f"{d.year}年{d.month}月{d.day}日 星期{WEEKDAYS_ZH[d.weekday()]}",
        time_text=f"{hhmm(view.start)}-{hhmm(view.end)}",
        place=place,
        person=f"{name}  {id_no}",
        checkin_rule=(
            f"请于 {hhmm(view.start - pol.checkin_early_min)} 至 "
            f"{hhmm(view.start + pol.checkin_late_min)} 签到 (凭预约码或身份证); 逾时预约失效, "
            f"可取普通号办理。"
        ),
        bring=bring,
        obtained=obtained,
        note=(
            f"如需取消请于预约开始 {pol.cancel_hours} 小时前办理。"
            f"{pol.no_show_window_days} 天内 {pol.no_show_limit} 次预约未到将暂停预约 "
            f"{pol.block_days} 天。"
        ),
    )


def print_slip(
    db: Database, view: AppointmentView, target: str | os.PathLike[str] | BinaryIO
) -> Path | None:
    """Write the slip PDF; returns the path written (None for a file object)."""
    render_slip_pdf(slip_print(db, view), target)
    return Path(target) if isinstance(target, str | os.PathLike) else None
