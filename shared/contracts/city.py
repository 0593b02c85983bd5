"""What a district publishes for its city's view (GW-02): counts and rates over a period, never a person's row.

A city (温州市: 龙湾区, 瓯海区) reads its districts side by side at the gateway, which keeps the last figures each
district published per period. Each service computes its own district's figures on a schedule and sends them here:
dispatch its hotline (三率 as its reports define them, volumes, overdue marks, micro-visit compliance), orgtree the
Yaoxi network roll-up and red-cell coverage, training the year's review rate of mobile members' certificates. Every
field is a count, a rate or a day: no name, phone, address or id of a resident, member, household or ticket travels
(tests/gateway/test_city_view.py checks the stored rows and the answers).

A period is a month (``2026-12``) or a day (``2026-12-07``) in the district's time zone. Snapshot figures (the
roll-up, coverage, visits) are as of ``computed_at``; the gateway keeps the latest computation of each period.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta
from uuid import UUID

import msgspec

from shared.contracts.base import Event, event_type

PERIOD = re.compile(r"\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?")
MONTH_CHARS = len("2026-12")


def period_days(period: str) -> tuple[date, date] | None:
    """The first and last day of a period written YYYY-MM or YYYY-MM-DD; None when it is not one."""
    if not PERIOD.fullmatch(period):
        return None
    try:
        if len(period) == MONTH_CHARS:
            first = date.fromisoformat(f"{period}-01")
            return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])
        day = date.fromisoformat(period)
    except ValueError:  # 2026-02-30
        return None
    return day, day


def periods_to_publish(today: date) -> list[str]:
    """What a scheduled run publishes: today and this month, and yesterday (and on the 1st last month) once more,
    so a period's last hours reach the city after it has ended."""
    yesterday = today - timedelta(days=1)
    periods = [today.isoformat(), yesterday.isoformat(), today.strftime("%Y-%m")]
    if yesterday.month != today.month:
        periods.append(yesterday.strftime("%Y-%m"))
    return periods


PUBLISH_EVERY_S = 600  # each district's figures are recomputed this often
SLICE_S = 60  # a scheduled run takes one slice of the districts: a run stays short beside the clock sweeps


def in_this_slice(district: UUID, moment: datetime) -> bool:
    """Whether a scheduled run at ``moment`` publishes ``district``: each district falls in one of the
    PUBLISH_EVERY_S / SLICE_S slices, so a province's hundred districts are spread over the ten minutes."""
    slices = PUBLISH_EVERY_S // SLICE_S
    return district.int % slices == int(moment.timestamp() // SLICE_S) % slices


class DailyVolume(msgspec.Struct, frozen=True, kw_only=True):
    """Tickets received on one day of a month, and how many of them carry an overdue mark."""

    day: date
    tickets: int
    overdue: int


class HotlineFigures(msgspec.Struct, frozen=True, kw_only=True, rename="camel"):
    """A district's hotline over a period, counted as dispatch's 三率 report counts (reports/services.py). Its
    fields travel and are kept in camelCase, as the city's API answers them."""

    tickets: int  # received in the period, merged and cancelled ones left out
    responded: int
    resolved: int
    rated: int
    satisfied: int
    response_rate: float | None  # fractions 0..1, None when their denominator is 0
    resolution_rate: float | None
    satisfaction_rate: float | None
    score: float | None  # 0..100: 30 % response, 35 % resolution, 35 % satisfaction
    overdue_yellow: int  # tickets received in the period whose mark is yellow now
    overdue_red: int
    open: int  # received in the period and not resolved, closed, merged or cancelled
    visit_links: int  # red-cell links (member → household) as of computed_at
    visits_due: int  # links not visited within the district's interval (一周一访)
    daily: list[DailyVolume] = []  # a month's days with tickets; empty for a day


class NetworkFigures(msgspec.Struct, frozen=True, kw_only=True, rename="camel"):
    """The Yaoxi chain of a whole district (ORG-12) and its red-cell coverage (ORG-08), as of computed_at."""

    stationed_cadres: int
    village_cadres: int
    red_collar_leaders: int
    members: int
    households: int
    unserved_households: int  # households no member serves
    coverage_percent: float
    members_outside_range: int  # members serving fewer or more households than the district's range
    links_min: int
    links_max: int


class CareFigures(msgspec.Struct, frozen=True, kw_only=True, rename="camel"):
    """The year's annual review of mobile members' certificates (TRN-04) in the whole district, as training's
    summary counts it (care/certificates.py); Yaoxi's 100 % is the reference."""

    year: int
    certificates_due: int  # a review fell due in the year
    reviewed: int
    overdue: int  # due, past the date and not reviewed
    review_rate: float | None  # reviewed / due; None when nothing was due


@event_type
class HotlineFiguresPublished(Event, frozen=True, kw_only=True):
    NAME = "dispatch.HotlineFiguresPublished"

    period: str  # YYYY-MM or YYYY-MM-DD
    computed_at: datetime
    figures: HotlineFigures


@event_type
class NetworkFiguresPublished(Event, frozen=True, kw_only=True):
    NAME = "orgtree.NetworkFiguresPublished"

    period: str
    computed_at: datetime
    figures: NetworkFigures


@event_type
class CareFiguresPublished(Event, frozen=True, kw_only=True):
    NAME = "training.CareFiguresPublished"

    period: str
    computed_at: datetime
    figures: CareFigures
