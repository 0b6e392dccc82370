"""What the case documents print: plain frozen dataclasses filled by the case service.

Personal data arrives already masked (the documents print what they are given); the instant of
acceptance must be timezone-aware and is printed on the hall's clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from printing.documents_common import hall_time


@dataclass(frozen=True, slots=True)
class DocItem:
    """One item (事项) of the bundle with its promised time limit.

    Attributes:
        name: e.g. ``户口登记``.
        department: the department in charge, e.g. ``市公安局``.
        time_limit_days: 办结时限 in working days; 0 for an item concluded on the spot (即办).
        deadline: the expected conclusion date (working days counted by the caller), or None.
    """

    name: str
    department: str
    time_limit_days: int
    deadline: date | None = None


@dataclass(frozen=True, slots=True)
class DocMaterial:
    """A material as the documents list it.

    Attributes:
        name: e.g. ``《出生医学证明》``.
        form: what to hand in, e.g. ``原件1份`` or ``复印件2份``.
        needed_by: the names of the items that need it.
        reason: why it is missing or asked for (a notice's 说明 column), or None.
        key: a key material (关键材料): a case cannot be accepted without it, so it can never
            be deferred.
    """

    name: str
    form: str
    needed_by: list[str]
    reason: str | None = None
    key: bool = False


@dataclass(frozen=True, slots=True)
class DocAgent:
    """The agent of a proxy case (代办), as authorized by a 委托书; name and ID already masked."""

    name: str
    id_masked: str
    scope: str  # 委托事项, e.g. "代为办理新生儿出生一件事并签收相关材料"
    validity: str  # 委托有效期, e.g. "2026年11月27日至2026年12月31日"


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseDocData:
    """What the three case documents print about the case (keyword arguments only).

    Attributes:
        hall_name: printed above each title and in the running header.
        case_no: the case number, e.g. ``YJS-20261127-0001``.
        bundle_name: the 一件事, e.g. ``新生儿出生一件事``.
        applicant_name: already masked by the caller, e.g. ``张*丰`` (or a company's name).
        applicant_id_masked: e.g. ``370202********1234``, or a masked credit code.
        applicant_phone_masked: e.g. ``138****5678``, or None.
        agent: the proxy (代办) with the authorization, or None.
        items: the bundle's items with their time limits.
        window: the window number that accepted the case, or None (opened without one).
        staff_name: the member of staff who accepted it, or empty when not known.
        accepted_at: timezone-aware; printed on the hall's clock.
        progress_url: encoded exactly as given in the receipt's QR code.
        calendar_note: printed near deadlines when the working-day calendar fell back to
            weekends only (e.g. ``2099 年节假日数据未发布，期限按周末推算``).
        hall_address, hall_phone: where and whom to ask, printed on the notice when given.
        evaluation_url: a separate 好差评 URL; the receipt then prints a second QR code.
        applicant_id_label: ``证件号码``, or ``统一社会信用代码`` for a company.
        share_consent: the applicant agreed that shared data is fetched (免证办); the receipt
            says so.
        shared: the names of the materials fetched through data sharing (not handed in).
    """

    hall_name: str
    case_no: str
    bundle_name: str
    applicant_name: str
    applicant_id_masked: str
    applicant_phone_masked: str | None
    agent: DocAgent | None = None
    items: list[DocItem]
    window: int | None
    staff_name: str
    accepted_at: datetime
    progress_url: str
    calendar_note: str | None = None
    hall_address: str | None = None
    hall_phone: str | None = None
    evaluation_url: str | None = None
    applicant_id_label: str = "证件号码"
    share_consent: bool = False
    shared: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        hall_time(self.accepted_at)  # a naive datetime fails here, not halfway through a PDF
        if not self.case_no.strip():
            raise ValueError("case_no is empty")
        for item in self.items:
            check_date(item.deadline, f"deadline of {item.name}")


def check_date(value: date | None, what: str) -> None:
    # A datetime is a date too, but a date-only field given an (often naive) instant is a bug.
    if isinstance(value, datetime):
        raise ValueError(f"{what} must be a date, not a datetime")


def check_deferrable(deferred: list[DocMaterial]) -> None:
    key = [m.name for m in deferred if m.key]
    if key:
        raise ValueError(f"key materials cannot be deferred (容缺): {', '.join(key)}")
