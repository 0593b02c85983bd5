"""Which amount a rule asks for by a given day, and how far a person is from it: one place for the standing, the
below-target list's rows and (as SQL conditions, in ``below.py``) its filter.

Pro-rata ("as the year goes on", ``basis=pro_rata``) applies to the annual credit-hour rules only: hours accrue
through the year, so by 1 July half of 32 is due. Classes are held once or twice a year at fixed dates, a rolling
window has no year to spread over, and pre-service training is done or not: those keep their whole target.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from services.training.credits.rules import ZONE, Measure, RuleSpec
from shared.clock import now
from shared.http.problems import invalid

TENTH = Decimal("0.1")


class Basis(StrEnum):
    ANNUAL = "annual"  # the whole year's target, whatever the date
    PRO_RATA = "pro_rata"  # credit hours: the share of the year's target due by today


@dataclass(frozen=True)
class Period:
    """One calendar year in China's time, seen from ``as_of`` (now for the current year, its end for a past one)."""

    year: int
    start: datetime
    end: datetime  # exclusive
    as_of: datetime
    elapsed: Decimal  # share of the year gone by at ``as_of``, 0 to 1

    @property
    def current(self) -> bool:
        return self.as_of < self.end

    def window_start(self, years: int) -> datetime:
        """The start (exclusive) of a rolling window of ``years`` ending at ``as_of``."""
        local = self.as_of.astimezone(ZONE)
        try:
            return local.replace(year=local.year - years)
        except ValueError:  # 29 February
            return local.replace(year=local.year - years, day=28) + timedelta(days=1)


def period(year: int | None) -> Period:
    """The year asked for (default: this one); a year still to come is a 422 naming ``query.year``."""
    today = now().astimezone(ZONE)
    year = today.year if year is None else year
    if year > today.year:
        raise invalid("query.year", f"{year} has not begun; standings exist up to {today.year}")
    start = datetime(year, 1, 1, tzinfo=ZONE)
    end = datetime(year + 1, 1, 1, tzinfo=ZONE)
    if year < today.year:
        return Period(year, start, end, end, Decimal(1))
    elapsed = Decimal((today - start) / (end - start)).quantize(Decimal("0.0001"))
    return Period(year, start, end, today, elapsed)


def target(spec: RuleSpec, required: Decimal, basis: Basis, elapsed: Decimal) -> Decimal:
    """What ``spec`` asks for by ``elapsed`` of the year on this basis."""
    if basis is Basis.PRO_RATA and spec.measure is Measure.CREDIT_HOURS:
        return (required * elapsed).quantize(TENTH, rounding=ROUND_HALF_UP)
    return required


@dataclass(frozen=True)
class Amounts:
    """What a person has towards each measure."""

    credit_hours: Decimal
    classes: int
    training_days: Decimal
    pre_service: bool

    def of(self, measure: Measure) -> Decimal:
        if measure is Measure.CREDIT_HOURS:
            return self.credit_hours
        if measure is Measure.CLASSES:
            return Decimal(self.classes)
        if measure is Measure.TRAINING_DAYS:
            return self.training_days
        return Decimal(1 if self.pre_service else 0)


def shortfall(required: Decimal, achieved: Decimal) -> Decimal:
    return max(required - achieved, Decimal(0))
