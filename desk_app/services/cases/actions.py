"""一件事 cases, one import for the screens and the command line. The use cases live in
``case_opening`` (open), ``case_lifecycle`` (receive, decide, conclude, terminate),
``evaluations`` (好差评) and ``case_views`` (show, reveal, find_cases_by_id); the states and decision rules in
``desk_app.domain.cases``."""

from __future__ import annotations

from desk_app.services.cases.lifecycle import conclude, decide, receive, terminate
from desk_app.services.cases.opening import open_case
from desk_app.services.cases.views import find_cases_by_id, reveal, show
from desk_app.services.evaluation.ratings import evaluate, negative_evaluations

__all__ = [
    "conclude",
    "decide",
    "evaluate",
    "find_cases_by_id",
    "negative_evaluations",
    "open_case",
    "receive",
    "reveal",
    "show",
    "terminate",
]
