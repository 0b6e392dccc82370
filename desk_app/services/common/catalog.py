"""The 一件事 catalog and the working-day calendar as the services use them: loaded once per
process, with unknown bundles and bad situation answers turned into refusals."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from desk_app.domain.bundle import Bundle
from desk_app.domain.catalog import Catalog, UnknownBundleError, load_catalog
from desk_app.domain.checklist import AnswerError, Checklist, resolve
from desk_app.domain.workdays import WorkCalendar
from desk_app.services.common.errors import NotFound, Refused


@lru_cache(maxsize=1)
def catalog() -> Catalog:
    """The catalog shipped in resources/ (loaded and validated once per process)."""
    return load_catalog()


@lru_cache(maxsize=1)
def work_calendar() -> WorkCalendar:
    """Working days with the official holidays and 调休 (weekends only where none is known)."""
    return WorkCalendar.load()


def bundle(code: str) -> Bundle:
    """A bundle of the catalog, or NotFound."""
    try:
        return catalog().bundle(code)
    except UnknownBundleError as exc:
        raise NotFound(f"未知的一件事 {code}", f"unknown bundle {code}") from exc


def checklist_for(code: str, answers: Mapping[str, str] | None) -> Checklist:
    """Resolve a bundle's checklist; a bad answer is refused with what was wrong."""
    b = bundle(code)
    try:
        return resolve(b, answers or {})
    except AnswerError as exc:
        raise Refused(exc.zh, exc.en) from exc
