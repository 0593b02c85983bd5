"""Terms of office with a first day and an optional last day (a unit's staff, a grid group's instructors): who
serves on a given day, in SQL and in Python, counted the same way."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, and_, or_
from sqlalchemy.orm import InstrumentedAttribute


def serving_on(
    since: InstrumentedAttribute[date], until: InstrumentedAttribute[date | None], day: date
) -> ColumnElement[bool]:
    """Rows whose term covers ``day`` (both ends included; no last day: still serving)."""
    return and_(since <= day, or_(until.is_(None), until >= day))


def serves_on(since: date, until: date | None, day: date) -> bool:
    return since <= day and (until is None or until >= day)
