"""A person's learning record: 我的学习 for the member themself (``/console/training/me``, phone first) and the
same for an organiser looking at one person (``/console/training/people/<id>``, from the people list or a
session's attendance): the year's credit hours by category, each rule that applies with what is still missing,
and the points ledger's entries in the year. Another district's person is the 404 page."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Template

from services.console.api import Api, ApiError
from services.console.training.labels import ATTENDEES, ORGANISERS, shown
from services.console.web import AnyRequest, signed_in
from shared.clock import now

YEARS_SHOWN = 5
PEOPLE_PAGE = 50
POINTS_SHOWN = 100
Year = Annotated[int | None, QueryParameter(ge=2000, le=2100)]
Text = Annotated[str, QueryParameter(max_length=50)]
Cursor = Annotated[str, QueryParameter(max_length=500)]


def years(chosen: int) -> list[int]:
    """The year select: this year and the few before it, and the one chosen, newest first."""
    this = now().year
    return sorted({chosen, *range(this, this - YEARS_SHOWN, -1)}, reverse=True)


async def record(api: Api, base: str, year: int) -> dict[str, Any]:
    """The person's standing in ``year`` and their points entries in it, from ``base`` (``/me`` or
    ``/people/<id>``), with the points categories' names."""
    first, last = date(year, 1, 1).isoformat(), date(year, 12, 31).isoformat()
    standing, points, categories = await asyncio.gather(
        api.get(f"/api/training{base}/standing", year=year),
        api.get(f"/api/training{base}/points", **{"from": first, "to": last, "limit": POINTS_SHOWN}),
        api.get("/api/training/points/categories"),
    )
    return {
        "standing": standing,
        "points": points,
        "point_names": {c["code"]: c["name"] for c in categories},
        "year": year,
        "years": years(year),
    }


async def me(api: Api) -> dict[str, Any] | None:
    """The caller's own person in the training records, or None when their login is linked to none."""
    try:
        person: dict[str, Any] = await api.get("/api/training/me")
    except ApiError as refused:
        if refused.status == 404:
            return None
        raise
    return person


class LearningController(Controller):
    """我的学习: the member's own record (a login linked to no member is told what to do)."""

    path = "/console/training/me"
    include_in_schema = False
    guards = signed_in(*ATTENDEES)

    @get("/")
    async def mine(self, request: AnyRequest, api: NamedDependency[Api], year: Year = None) -> Template:
        chosen = year or now().year
        person = await me(api)
        if person is None:
            return shown(request, "training/mine.html", person=None, year=chosen, years=years(chosen))
        return shown(request, "training/mine.html", person=person, **await record(api, "/me", chosen))


class PeopleController(Controller):
    """The people under the organiser's scope, by name, and one person's record."""

    path = "/console/training/people"
    include_in_schema = False
    guards = signed_in(*ORGANISERS)

    @get("/")
    async def people(
        self, request: AnyRequest, api: NamedDependency[Api], q: Text = "", kind: Text = "", cursor: Cursor = ""
    ) -> Template:
        kind = kind if kind in ("member", "resident") else ""
        found = await api.get(
            "/api/training/people",
            q=q.strip() or None,
            kind=kind or None,
            cursor=cursor or None,
            limit=PEOPLE_PAGE,
        )
        following = found.get("next")
        more = f"?{urlencode({'q': q, 'kind': kind, 'cursor': following})}" if following else ""
        return shown(request, "training/people.html", people=found["items"], q=q, kind=kind, more=more)

    @get("/{person_id:uuid}")
    async def person(
        self, request: AnyRequest, api: NamedDependency[Api], person_id: FromPath[UUID], year: Year = None
    ) -> Template:
        person = await api.get(f"/api/training/people/{person_id}")  # another district's: the 404 page
        chosen = year or now().year
        return shown(
            request, "training/person.html", person=person, **await record(api, f"/people/{person_id}", chosen)
        )
