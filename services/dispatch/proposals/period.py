"""A report's period from its query (``from``, ``to``: YYYY-MM-DD), checked as the 三率 report checks its own."""

from __future__ import annotations

from datetime import date

from services.dispatch.reports.services import MAX_DAYS, day
from shared.http.problems import invalid


def period(first: str | None, last: str | None) -> tuple[date, date]:
    """The first and last day, or a 422 naming the query parameter that is wrong."""
    start, end = day("from", first), day("to", last)
    if start > end:
        raise invalid("query.from", "the period starts after it ends (from must not be after to)")
    if (end - start).days >= MAX_DAYS:
        raise invalid("query.to", f"a report covers at most {MAX_DAYS} days")
    return start, end
