"""The 一件事 vocabulary: a bundle, its items, situation questions, materials and reform figures.

Plain frozen values read from the catalog files (see catalog.py for loading and validation,
checklist.py for turning answers into the applicant's checklist). domain.md "一件事 rules".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from desk_app.domain.conditions import Condition


class Audience(StrEnum):
    """Who a bundle serves."""

    PERSON = "person"  # 个人
    COMPANY = "company"  # 企业


class Requirement(StrEnum):
    REQUIRED = "required"  # 必需
    OPTIONAL = "optional"  # 可选 (e.g. helpful, or only in some cases the staff judge)


class Form(StrEnum):
    """What paper the window takes for a material the applicant brings."""

    ORIGINAL = "original"  # 原件 (checked at the window)
    COPY = "copy"  # 复印件


class Source(StrEnum):
    """Where a material comes from."""

    APPLICANT = "applicant"  # 申请人提交
    SHARED = "shared"  # 数据共享: fetched from another department's data, nothing to submit
    E_LICENCE = "e_licence"  # 电子证照: fetched from the e-licence library
    PRODUCED = "produced"  # 前序事项产生: the result of an earlier item of the same bundle


@dataclass(frozen=True)
class Verified:
    """Who checked a fact against its source, and on which day."""

    by: str
    at: str  # YYYY-MM-DD


FORM_LABELS_ZH = {Form.ORIGINAL: "原件", Form.COPY: "复印件"}
SOURCE_LABELS_ZH = {
    Source.APPLICANT: "申请人提交",
    Source.SHARED: "数据共享免提交",
    Source.E_LICENCE: "电子证照免提交",
    Source.PRODUCED: "前序事项办理结果免提交",
}


@dataclass(frozen=True)
class Department:
    code: str
    name: str  # e.g. "市公安局"
    name_en: str = ""  # shown with --lang en; empty: the Chinese name


@dataclass(frozen=True)
class Choice:
    value: str  # stable identifier stored with a case, e.g. "no"
    label: str  # what the window shows, e.g. "否"
    label_en: str = ""  # shown with --lang en; empty: the Chinese label


@dataclass(frozen=True)
class Question:
    """A situation question (情形) whose answer selects items and materials."""

    key: str
    text: str
    choices: tuple[Choice, ...]
    default: str  # the value assumed when the applicant is not asked (the common situation)
    notes: str = ""
    cite: str = ""  # where the fact comes from: document number or URL, and date
    verified: Verified | None = None  # None: not yet checked against the source
    text_en: str = ""  # shown with --lang en; empty: the Chinese text

    @property
    def values(self) -> tuple[str, ...]:
        """The allowed answer values, in display order."""
        return tuple(choice.value for choice in self.choices)

    def label(self, value: str) -> str:
        """The display label of one answer value (KeyError if it is not a choice)."""
        for choice in self.choices:
            if choice.value == value:
                return choice.label
        raise KeyError(value)


@dataclass(frozen=True)
class Item:
    """One administrative item (事项) of one department."""

    code: str
    name: str
    department: str  # a Department.code of the bundle
    time_limit_days: int  # promised time limit (承诺办结时限), working days
    deferral_allowed: bool  # whether 容缺受理 is allowed for this item
    condition: Condition | None = None  # None: always applies
    notes: str = ""
    cite: str = ""  # where the fact comes from: document number or URL, and date
    verified: Verified | None = None  # None: not yet checked against the source
    name_en: str = ""  # shown with --lang en; empty: the Chinese name


@dataclass(frozen=True)
class Material:
    """A document an item needs: brought by the applicant or obtained without submission."""

    code: str
    name: str
    requirement: Requirement
    key: bool  # 关键材料: never deferred (容缺 impossible when it is missing)
    form: Form
    count: int  # how many originals or copies
    source: Source
    needed_by: tuple[str, ...]  # Item codes, in bundle order
    produced_by: str | None = None  # the earlier Item producing it, when source is PRODUCED
    condition: Condition | None = None  # None: applies whenever a needing item applies
    notes: str = ""
    cite: str = ""  # where the fact comes from: document number or URL, and date
    verified: Verified | None = None  # None: not yet checked against the source
    name_en: str = ""  # shown with --lang en; empty: the Chinese name
    # The platform's data resource (数据共享交换) a shared or e-licence material is fetched
    # from, e.g. "health.delivery_record" (docs/central-api.md); empty for other sources.
    resource: str = ""

    @property
    def required(self) -> bool:
        """Whether the material must be provided (not merely optional)."""
        return self.requirement is Requirement.REQUIRED

    @property
    def deferrable(self) -> bool:
        """Whether the material may be brought later under 容缺受理 (it is not a key material)."""
        return not self.key


@dataclass(frozen=True)
class BeforeAfter:
    """One reform figure: its value before and after the bundle was introduced."""

    before: int
    after: int

    @property
    def reduction(self) -> float:
        """The share removed, e.g. 0.9 for 10 -> 1 (0.0 when there was nothing before)."""
        return 0.0 if self.before == 0 else (self.before - self.after) / self.before


@dataclass(frozen=True)
class Figures:
    """The reform's published before/after figures (domain.md "Reform figures"); None = unknown."""

    steps: BeforeAfter | None = None  # 环节
    materials: BeforeAfter | None = None  # 材料
    trips: BeforeAfter | None = None  # 跑动
    time_limit_days: BeforeAfter | None = None  # 时限
    source: str = ""  # where the figures were published
    notes: str = ""


@dataclass(frozen=True)
class Bundle:
    """A 一件事: items of several departments handled as one from the applicant's view."""

    code: str
    name: str
    audience: Audience
    departments: tuple[Department, ...]
    items: tuple[Item, ...]  # in handling order (a producing item comes before its users)
    questions: tuple[Question, ...]
    materials: tuple[Material, ...]
    figures: Figures | None = None
    time_limit_days: int | None = None  # the bundle's own promised limit, when published
    batch: str = ""  # e.g. "national-2024-1", "national-2025-2", "provincial", "local"
    summary: str = ""
    notes: str = ""
    name_en: str = ""
    document: str = ""  # the document that lists the bundle, e.g. 国发〔2024〕3号
    lead: str = ""  # the lead department's code (牵头部门), when the source names it
    cite: str = ""  # the source of the listing (name, batch, items)
    verified: Verified | None = None
    # The hall's own knowledge-base answers for the bundle (raw entries, domain/kb.py reads
    # them): written or corrected in the hall, they travel and are versioned with the catalog.
    kb_answers: tuple[dict[str, Any], ...] = ()

    def facts(self) -> tuple[tuple[str, Verified | None], ...]:
        """Every fact of the bundle as (path, verified): the listing, items, questions,
        materials and the hall's answers (paths as ``catalog verify --fact`` takes them)."""
        return (
            ("bundle", self.verified),
            *((f"items.{i.code}", i.verified) for i in self.items),
            *((f"questions.{q.key}", q.verified) for q in self.questions),
            *((f"materials.{m.code}", m.verified) for m in self.materials),
            *_answer_facts(self.kb_answers),
        )

    @property
    def unverified(self) -> int:
        """How many of its facts nobody has checked against their source."""
        return sum(v is None for _, v in self.facts())

    def item(self, code: str) -> Item:
        """The item with this code (KeyError if none)."""
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(code)

    def question(self, key: str) -> Question:
        """The question with this key (KeyError if none)."""
        for question in self.questions:
            if question.key == key:
                return question
        raise KeyError(key)

    def material(self, code: str) -> Material:
        """The material with this code (KeyError if none)."""
        for material in self.materials:
            if material.code == code:
                return material
        raise KeyError(code)

    def department(self, code: str) -> Department:
        """The department with this code (KeyError if none)."""
        for department in self.departments:
            if department.code == code:
                return department
        raise KeyError(code)

    def default_answers(self) -> dict[str, str]:
        """Every question's default answer (the common situation)."""
        return {question.key: question.default for question in self.questions}


@dataclass(frozen=True)
class ListedItem:
    """A member item of a bundle whose checklist is not yet verified: its name and department."""

    code: str
    name: str
    department: str


@dataclass(frozen=True)
class Listing:
    """A published 一件事 whose checklist nobody has verified yet: listed with its items and
    departments so the window knows it exists, but never offered a guided checklist."""

    code: str
    name: str
    audience: Audience
    departments: tuple[Department, ...]
    items: tuple[ListedItem, ...]
    batch: str = ""
    document: str = ""
    lead: str = ""
    summary: str = ""
    notes: str = ""
    name_en: str = ""
    cite: str = ""
    verified: Verified | None = None
    kb_answers: tuple[dict[str, Any], ...] = ()

    def department(self, code: str) -> Department:
        for department in self.departments:
            if department.code == code:
                return department
        raise KeyError(code)

    def facts(self) -> tuple[tuple[str, Verified | None], ...]:
        return (("bundle", self.verified), *_answer_facts(self.kb_answers))

    @property
    def unverified(self) -> int:
        return sum(v is None for _, v in self.facts())


def _answer_facts(
    answers: tuple[dict[str, Any], ...],
) -> tuple[tuple[str, Verified | None], ...]:
    def checked(raw: dict[str, Any]) -> Verified | None:
        v = raw.get("verified")
        return Verified(str(v["by"]), str(v["at"])) if isinstance(v, dict) else None

    return tuple((f"answers.{a.get('id')}", checked(a)) for a in answers)
