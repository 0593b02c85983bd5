"""From scores to stars: the checks a template and an entry's scores must pass, and the level they give."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from typing import Any

import msgspec

from services.training.ratings.schemas import Criterion
from shared.http.problems import FieldErrors

CENT = Decimal("0.01")


def number(value: float) -> Decimal:
    """A score as sent, to two places (a float's binary noise stays out of totals)."""
    return Decimal(str(value)).quantize(CENT, ROUND_HALF_UP)


def check_template(errors: FieldErrors, criteria: Sequence[Criterion] | None, levels: Sequence[float] | None) -> None:
    if criteria is not None:
        seen: set[str] = set()
        for index, criterion in enumerate(criteria):
            if criterion.code in seen:
                errors.add(f"body.criteria[{index}].code", f"'{criterion.code}' appears twice")
            seen.add(criterion.code)
    if levels is not None and any(b <= a for a, b in pairwise(levels)):
        errors.add("levels", "the thresholds of stars 2 to 5 must rise: e.g. [60, 70, 80, 90]")


def as_dicts(criteria: Sequence[Criterion]) -> list[dict[str, Any]]:
    return [{"code": c.code, "name": c.name, "maxScore": c.max_score} for c in criteria]


def check_scores(errors: FieldErrors, criteria: Sequence[Mapping[str, Any]], scores: Mapping[str, Any]) -> None:
    """Every criterion scored with a number (a string is not one), none unknown, none below 0 or above its
    maxScore, at most two decimal places."""
    known = {c["code"]: c for c in criteria}
    for code, value in scores.items():
        criterion = known.get(code)
        if criterion is None:
            errors.add(f"body.scores.{code}", f"not a criterion of this rating: {', '.join(known)}")
        elif isinstance(value, bool) or not isinstance(value, int | float):
            errors.add(f"body.scores.{code}", f"a number, not {type(value).__name__}")
        elif value < 0:
            errors.add(f"body.scores.{code}", "at least 0")
        elif value > criterion["maxScore"]:
            errors.add(f"body.scores.{code}", f"at most {criterion['maxScore']:g} ({criterion['name']})")
        elif number(value) != Decimal(str(value)):
            errors.add(f"body.scores.{code}", "at most two decimal places")
    for code in known:
        if code not in scores:
            errors.add(f"body.scores.{code}", f"missing: every criterion is scored ({known[code]['name']})")


def total(criteria: Sequence[Mapping[str, Any]], scores: Mapping[str, float]) -> Decimal:
    """The weighted total out of 100: each criterion weighs its maxScore."""
    full = sum(Decimal(str(c["maxScore"])) for c in criteria)
    got = sum(number(scores[c["code"]]) for c in criteria)
    return (Decimal(100) * got / full).quantize(CENT, ROUND_HALF_UP)


def level(thresholds: Sequence[float], score: Decimal) -> int:
    """1 star, plus one for each threshold (stars 2..5) the total reaches."""
    return 1 + sum(1 for threshold in thresholds if score >= Decimal(str(threshold)))


def stamp(moment: datetime) -> str:
    """A time in a message as the API writes it in its fields (2026-12-11T00:01:11.107790Z)."""
    return msgspec.json.encode(moment).decode().strip('"')
