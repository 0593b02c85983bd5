"""What a programme or a session may be (TRN-01, TRN-02): each rule adds to the input's ``FieldErrors``, so one
422 names every wrong field and nothing is stored."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import msgspec

from shared.auth.principal import Principal, Role
from shared.http.problems import FieldErrors

MAX_CREDIT_HOURS = Decimal(24)
MAX_TRAINING_DAYS = Decimal(30)
LONGEST_SESSION = timedelta(days=30)  # a training-days session is at most a month of days
CHECKIN_EARLY = timedelta(minutes=30)  # default: the window opens this long before the start
EARLIEST_OPENING = timedelta(days=1)  # the window opens at most this long before the start
LATEST_CLOSING = timedelta(days=1)  # and closes at most this long after the end
TENTH = Decimal("0.1")


def one_decimal(value: float) -> Decimal | None:
    """``value`` as a Decimal with at most one decimal place, or None when it has more (2.25)."""
    try:
        exact = Decimal(repr(value))
    except InvalidOperation:
        return None
    return exact if exact == exact.quantize(TENTH) else None


def check_hours(errors: FieldErrors, field: str, value: float) -> Decimal:
    hours = one_decimal(value)
    if hours is None or not Decimal(0) < hours <= MAX_CREDIT_HOURS:
        errors.add(field, f"credit hours are more than 0 and at most {MAX_CREDIT_HOURS}, with one decimal (1.5)")
        return Decimal(0)
    return hours


def check_days(errors: FieldErrors, field: str, value: float) -> Decimal:
    days = one_decimal(value)
    if days is None or not Decimal(0) <= days <= MAX_TRAINING_DAYS:
        errors.add(field, f"training days are 0 to {MAX_TRAINING_DAYS}, with one decimal (0.5)")
        return Decimal(0)
    return days


def days_spanned(starts_at: datetime, ends_at: datetime) -> Decimal:
    """Training days a session is worth by default: its length in started days (a 3-day class is 3)."""
    return Decimal(max(1, math.ceil((ends_at - starts_at) / timedelta(days=1))))


def check_times(errors: FieldErrors, starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        errors.add("endsAt", "a session ends after it starts")
    elif ends_at - starts_at > LONGEST_SESSION:
        errors.add("endsAt", f"a session lasts at most {LONGEST_SESSION.days} days")


def check_window(
    errors: FieldErrors, *, starts_at: datetime, ends_at: datetime, opens_at: datetime, closes_at: datetime
) -> None:
    """The check-in window: opens at most a day before the start and before the end, closes after it opens and at
    most a day after the end (a code shown to a hall after the day is over is a mistake)."""
    if opens_at < starts_at - EARLIEST_OPENING:
        errors.add("checkinOpensAt", "check-in opens at most 1 day before the session starts")
    elif opens_at >= ends_at:
        errors.add("checkinOpensAt", "check-in opens before the session ends")
    if closes_at <= opens_at:
        errors.add("checkinClosesAt", "check-in closes after it opens")
    elif closes_at > ends_at + LATEST_CLOSING:
        errors.add("checkinClosesAt", "check-in closes at most 1 day after the session ends")


def may_organise(principal: Principal, path: str | None) -> bool:
    """District admins organise for any unit; a street admin or cadre only for units under their scope."""
    if principal.scope is None or principal.has_role(Role.DISTRICT_ADMIN):
        return True
    return path is not None and path.startswith(principal.scope)


def check_organiser(errors: FieldErrors, principal: Principal, path: str | None) -> None:
    if not may_organise(principal, path):
        errors.add("organiserUnitPath", f"sessions you organise belong to a unit under {principal.scope}")


def given(data: msgspec.Struct) -> dict[str, Any]:
    """The fields a change names (those left out are ``UNSET``), by their Python names."""
    return {name: value for name, value in msgspec.structs.asdict(data).items() if value is not msgspec.UNSET}
