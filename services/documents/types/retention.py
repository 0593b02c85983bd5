"""How long a retention class keeps a document: its years counted on the district's calendar from the day the
document's current version was stored."""

from __future__ import annotations

from datetime import date, datetime

from shared.clock import CHINA, now

DISTRICT_TIME = CHINA  # districts' days begin at midnight in China


def district_day(moment: datetime | None = None) -> date:
    """The district's date at ``moment`` (now by default)."""
    return (moment or now()).astimezone(DISTRICT_TIME).date()


def retain_until(stored: date, years: int | None) -> date | None:
    """``years`` after ``stored`` (29 February falls on 28 February); None keeps it permanently."""
    if years is None:
        return None
    try:
        return stored.replace(year=stored.year + years)
    except ValueError:
        return stored.replace(year=stored.year + years, day=28)
