"""Conditions on the answers to a bundle's situation questions (情形引导).

A condition decides whether an item or a material applies. In the catalog files it is JSON:

    {"q": "parents_married", "eq": "no"}              the answer is "no"
    {"q": "reason", "ne": "family"}                   the answer is anything but "family"
    {"q": "reason", "in": ["house", "employment"]}    the answer is one of these
    {"q": "reason", "not_in": ["family"]}             the answer is none of these
    {"all": [cond, ...]}  {"any": [cond, ...]}  {"not": cond}

Conditions are evaluated on complete answers (every question has a value: the applicant's or
the question's default); the resolver fills the defaults in before evaluating.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias


@dataclass(frozen=True)
class AnswerIn:
    """The answer to ``question`` is one of ``values`` (or none of them when ``negated``)."""

    question: str
    values: tuple[str, ...]
    negated: bool = False

    def holds(self, answers: Mapping[str, str]) -> bool:
        """Whether the condition is true for complete answers (KeyError if one is missing)."""
        return (answers[self.question] in self.values) != self.negated

    def questions(self) -> frozenset[str]:
        """The question keys the condition reads."""
        return frozenset({self.question})

    def references(self) -> Iterator[tuple[str, str]]:
        """Every (question key, choice value) the condition names, for cross-checks."""
        for value in self.values:
            yield self.question, value

    def to_json(self) -> dict[str, Any]:
        """The catalog-file form of the condition."""
        if len(self.values) == 1:
            return {"q": self.question, ("ne" if self.negated else "eq"): self.values[0]}
        return {"q": self.question, ("not_in" if self.negated else "in"): list(self.values)}


@dataclass(frozen=True)
class _Terms:
    """A condition over several terms (the shared part of all/any)."""

    terms: tuple[Condition, ...]

    def questions(self) -> frozenset[str]:
        """The question keys the condition reads."""
        return frozenset().union(*(term.questions() for term in self.terms))

    def references(self) -> Iterator[tuple[str, str]]:
        """Every (question key, choice value) the condition names, for cross-checks."""
        for term in self.terms:
            yield from term.references()


@dataclass(frozen=True)
class AllOf(_Terms):
    """Every term holds."""

    def holds(self, answers: Mapping[str, str]) -> bool:
        """Whether every term is true for complete answers."""
        return all(term.holds(answers) for term in self.terms)

    def to_json(self) -> dict[str, Any]:
        """The catalog-file form of the condition."""
        return {"all": [term.to_json() for term in self.terms]}


@dataclass(frozen=True)
class AnyOf(_Terms):
    """At least one term holds."""

    def holds(self, answers: Mapping[str, str]) -> bool:
        """Whether some term is true for complete answers."""
        return any(term.holds(answers) for term in self.terms)

    def to_json(self) -> dict[str, Any]:
        """The catalog-file form of the condition."""
        return {"any": [term.to_json() for term in self.terms]}


@dataclass(frozen=True)
class Not:
    """The term does not hold."""

    term: Condition

    def holds(self, answers: Mapping[str, str]) -> bool:
        """Whether the term is false for complete answers."""
        return not self.term.holds(answers)

    def questions(self) -> frozenset[str]:
        """The question keys the condition reads."""
        return self.term.questions()

    def references(self) -> Iterator[tuple[str, str]]:
        """Every (question key, choice value) the condition names, for cross-checks."""
        return self.term.references()

    def to_json(self) -> dict[str, Any]:
        """The catalog-file form of the condition."""
        return {"not": self.term.to_json()}


Condition: TypeAlias = AnswerIn | AllOf | AnyOf | Not


def applies(condition: Condition | None, answers: Mapping[str, str]) -> bool:
    """An absent condition always applies; otherwise evaluate it on complete answers."""
    return condition is None or condition.holds(answers)


def questions_of(condition: Condition | None) -> frozenset[str]:
    """The question keys a possibly absent condition reads."""
    return frozenset() if condition is None else condition.questions()
