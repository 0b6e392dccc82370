"""The integrated checklist (一次性告知 material list) of a bundle for the applicant's answers.

Rules (domain.md "一件事 rules"):

- Missing answers take the question's default; an unknown question or an answer that is not a
  choice is an error (AnswerError), never silently ignored.
- An item applies when its condition holds. A material applies when its own condition holds and
  at least one item needing it applies; a material whose needing items all do not apply is
  dropped.
- Each applicable material appears once (``submit`` or ``obtained``), with the applicable items
  needing it and why it applies (each item, and the answers its conditions read).
- ``obtained``: materials from shared data, an e-licence, or produced by an earlier item of the
  bundle that applies. A produced material whose producing item does not apply is asked from the
  applicant (e.g. a child born in another city brings the birth certificate issued there).
- ``missing``/``deferrable``: what is still to bring, and whether 容缺受理 can accept without it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from desk_app.domain.bundle import Bundle, Form, Item, Material, Source
from desk_app.domain.conditions import applies, questions_of


class AnswerError(ValueError):
    """The answers do not fit the bundle's questions."""

    def __init__(self, bundle: str, key: str, value: str | None, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.bundle = bundle
        self.key = key
        self.value = value
        self.zh = zh
        self.en = en


class UnknownQuestionError(AnswerError):
    """An answer to a question the bundle does not ask."""


class InvalidChoiceError(AnswerError):
    """An answer that is not one of the question's choices."""


@dataclass(frozen=True)
class AnsweredQuestion:
    """One question with the answer used (the applicant's, or the default)."""

    key: str
    value: str
    text: str  # the question
    label: str  # the chosen answer's label
    defaulted: bool  # True when the applicant was not asked and the default was assumed


@dataclass(frozen=True)
class Reason:
    """Why a material is on the list: an item that needs it and the answers that made it apply."""

    item_code: str
    item_name: str
    answers: tuple[AnsweredQuestion, ...]  # () when nothing conditional was involved

    def text_zh(self) -> str:
        """E.g. "户口登记(出生登记)(父母是否已办理结婚登记?是)"."""
        if not self.answers:
            return self.item_name
        because = ";".join(f"{a.text}{a.label}" for a in self.answers)
        return f"{self.item_name}({because})"


@dataclass(frozen=True)
class ChecklistEntry:
    """One material of the checklist, to submit or obtained without submission."""

    material: Material
    source: Source  # effective: APPLICANT for everything in ``submit``
    needed_by: tuple[str, ...]  # the applicable items needing it, in bundle order
    reasons: tuple[Reason, ...]  # one per item of needed_by

    @property
    def code(self) -> str:
        return self.material.code

    @property
    def name(self) -> str:
        return self.material.name

    @property
    def required(self) -> bool:
        return self.material.required

    @property
    def key(self) -> bool:
        """A key material (关键材料): cannot be deferred."""
        return self.material.key

    @property
    def form(self) -> Form:
        return self.material.form

    @property
    def count(self) -> int:
        return self.material.count

    @property
    def produced_by(self) -> str | None:
        """The bundle item producing it, when it is obtained that way."""
        return self.material.produced_by if self.source is Source.PRODUCED else None


@dataclass(frozen=True)
class Checklist:
    """What applies to this applicant: items, materials to submit, materials obtained."""

    bundle: Bundle
    answers: tuple[AnsweredQuestion, ...]  # every question, in bundle order
    items: tuple[Item, ...]  # the items that apply, in handling order
    skipped_items: tuple[Item, ...]  # the items that do not apply
    submit: tuple[ChecklistEntry, ...]  # what the applicant provides, deduplicated
    obtained: tuple[ChecklistEntry, ...]  # shared data, e-licences, results of earlier items

    def answer(self, key: str) -> str:
        """The answer used for one question (KeyError if the bundle does not ask it)."""
        for a in self.answers:
            if a.key == key:
                return a.value
        raise KeyError(key)

    def entry(self, code: str) -> ChecklistEntry:
        """The submit or obtained entry of a material (KeyError if it does not apply)."""
        for e in (*self.submit, *self.obtained):
            if e.code == code:
                return e
        raise KeyError(code)

    @property
    def required_submit(self) -> tuple[ChecklistEntry, ...]:
        """The materials the applicant must provide (optional ones left out)."""
        return tuple(e for e in self.submit if e.required)


def complete_answers(bundle: Bundle, answers: Mapping[str, str] | None = None) -> dict[str, str]:
    """Every question's answer: the given one, else the default; AnswerError if one is invalid."""
    given = dict(answers or {})
    for key, value in given.items():
        try:
            question = bundle.question(key)
        except KeyError:
            raise UnknownQuestionError(
                bundle.code,
                key,
                value,
                f"“{bundle.name}”没有情形问题 {key!r}",
                f"bundle {bundle.code!r} has no question {key!r}",
            ) from None
        if value not in question.values:
            raise InvalidChoiceError(
                bundle.code,
                key,
                value,
                f"“{question.text}”的回答 {value!r} 不在可选项 {list(question.values)} 中",
                f"answer {value!r} to {key!r} is not one of {list(question.values)}",
            )
    return {q.key: given.get(q.key, q.default) for q in bundle.questions}


def resolve(bundle: Bundle, answers: Mapping[str, str] | None = None) -> Checklist:
    """The checklist for these answers (missing ones take the defaults).

    Raises UnknownQuestionError / InvalidChoiceError (both ValueError) for bad answers.
    """
    values = complete_answers(bundle, answers)
    given = set(answers or {})
    answered = {
        q.key: AnsweredQuestion(
            q.key, values[q.key], q.text, q.label(values[q.key]), q.key not in given
        )
        for q in bundle.questions
    }
    applying = {item.code: applies(item.condition, values) for item in bundle.items}

    def why(keys: frozenset[str]) -> tuple[AnsweredQuestion, ...]:
        return tuple(answered[q.key] for q in bundle.questions if q.key in keys)

    submit: list[ChecklistEntry] = []
    obtained: list[ChecklistEntry] = []
    for material in bundle.materials:
        if not applies(material.condition, values):
            continue
        needing = tuple(
            i.code for i in bundle.items if applying[i.code] and i.code in material.needed_by
        )
        if not needing:
            continue
        keys = questions_of(material.condition)
        source = material.source
        if source is Source.PRODUCED:
            producer = bundle.item(material.produced_by or "")
            if not applying[producer.code]:
                # Nobody produces it in this case: the applicant brings it, because of the
                # answers that made the producing item not apply.
                source = Source.APPLICANT
                keys = keys | questions_of(producer.condition)
        reasons = tuple(
            Reason(
                code, bundle.item(code).name, why(keys | questions_of(bundle.item(code).condition))
            )
            for code in needing
        )
        entry = ChecklistEntry(material, source, needing, reasons)
        (submit if source is Source.APPLICANT else obtained).append(entry)

    return Checklist(
        bundle=bundle,
        answers=tuple(answered[q.key] for q in bundle.questions),
        items=tuple(item for item in bundle.items if applying[item.code]),
        skipped_items=tuple(item for item in bundle.items if not applying[item.code]),
        submit=tuple(submit),
        obtained=tuple(obtained),
    )


def missing(checklist: Checklist, received_codes: Iterable[str]) -> list[ChecklistEntry]:
    """The required materials to submit that have not been received (codes of others ignored)."""
    received = set(received_codes)
    return [e for e in checklist.submit if e.required and e.code not in received]


class DeferralBlock(StrEnum):
    """Why 容缺受理 is refused."""

    KEY_MATERIAL = "key_material"  # a key material is missing
    ITEM_DISALLOWS = "item_disallows"  # an item needing a missing material allows no deferral
    BAD_CREDIT = "bad_credit"  # the applicant has a bad credit flag (domain.md)


@dataclass(frozen=True)
class DeferralBlocker:
    reason: DeferralBlock
    material_code: str | None
    item_code: str | None
    message_zh: str
    message_en: str = ""


def deferral_blockers(
    checklist: Checklist, missing_entries: Iterable[ChecklistEntry], *, bad_credit: bool = False
) -> list[DeferralBlocker]:
    """Everything preventing 容缺受理 of these missing materials (empty list: deferral possible).

    Optional entries are ignored: nothing optional is ever "missing".
    """
    blockers: list[DeferralBlocker] = []
    if bad_credit:
        blockers.append(
            DeferralBlocker(
                DeferralBlock.BAD_CREDIT,
                None,
                None,
                "申请人存在失信记录,不适用容缺受理",
                "the applicant has a bad-credit record: no deferral",
            )
        )
    for entry in missing_entries:
        if not entry.required:
            continue
        if entry.key:
            blockers.append(
                DeferralBlocker(
                    DeferralBlock.KEY_MATERIAL,
                    entry.code,
                    None,
                    f"“{entry.name}”为关键材料,不可容缺",
                    f"“{entry.material.name_en or entry.name}” is a key material: it cannot "
                    "be brought later",
                )
            )
        for code in entry.needed_by:
            item = checklist.bundle.item(code)
            if not item.deferral_allowed:
                blockers.append(
                    DeferralBlocker(
                        DeferralBlock.ITEM_DISALLOWS,
                        entry.code,
                        code,
                        f"“{item.name}”不适用容缺受理,需补齐“{entry.name}”",
                        f"“{item.name_en or item.name}” allows no deferral: "
                        f"“{entry.material.name_en or entry.name}” is needed",
                    )
                )
    return blockers


def deferrable(
    checklist: Checklist, missing_entries: Iterable[ChecklistEntry], *, bad_credit: bool = False
) -> bool:
    """Whether all these missing materials can be deferred (容缺受理).

    True when none is a key material, every applicable item needing one allows deferral, and the
    applicant has no bad credit flag. With nothing missing there is nothing to defer: True.
    """
    return not deferral_blockers(checklist, missing_entries, bad_credit=bad_credit)


def deferral_limit_days(
    checklist: Checklist, missing_entries: Iterable[ChecklistEntry]
) -> int | None:
    """The longest deferral deadline allowed, in working days: never beyond the promised time
    limit of any item needing a missing material (None when nothing required is missing)."""
    limits = [
        checklist.bundle.item(code).time_limit_days
        for entry in missing_entries
        if entry.required
        for code in entry.needed_by
    ]
    return min(limits) if limits else None
