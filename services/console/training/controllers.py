"""学习培训 for organisers (``/console/training``): the sessions list (upcoming first, by programme and day), the
programme catalogue by category, and the new-session form. The session's own page, its check-in screen, people,
standings and the below-target lists are in the area's other modules; ``CONTROLLERS`` lists them all for app.py.
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Annotated, Any
from uuid import UUID
from zoneinfo import ZoneInfo

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.forms import FormErrors, read_form
from services.console.i18n import N_
from services.console.training.checkin import CheckinController
from services.console.training.labels import ATTENDEES, ORGANISERS, hours, shown
from services.console.training.listing import Filters, catalogue
from services.console.training.records import LearningController, PeopleController
from services.console.training.screen import ScreenController
from services.console.training.session_form import FORM_FIELDS, Draft, refusal
from services.console.training.session_page import SessionPageController
from services.console.training.targets import TargetsController
from services.console.training.units import unit, units
from services.console.web import AnyRequest, NavEntry, is_fragment, signed_in
from shared.clock import now

HOME = "/console/training"
NAV = NavEntry(HOME, N_("Training"), ORGANISERS)
MY_NAV = NavEntry("/console/training/me", N_("My learning"), ATTENDEES)
UNIT_UNKNOWN = N_("Choose a unit under your responsibility.")
Typed = Annotated[str | None, QueryParameter(max_length=40)]
ProgrammeParam = Annotated[str, QueryParameter(name="programmeId", max_length=40)]


def zone(request: AnyRequest) -> ZoneInfo:
    return ZoneInfo(request.app.state.console.time_zone)


def today(request: AnyRequest) -> date:
    return now().astimezone(zone(request)).date()


async def _programmes(api: Api) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = await api.get("/api/training/programmes")
    return found


class TrainingController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*ORGANISERS)

    @get("/")
    async def sessions(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        programme: Typed = None,
        start: Annotated[str | None, QueryParameter(name="from", max_length=20)] = None,
        end: Annotated[str | None, QueryParameter(name="to", max_length=20)] = None,
        cursor: Annotated[str | None, QueryParameter(name="cursor", max_length=500)] = None,
    ) -> Template:
        """Sessions in start order from the first day chosen (today unless the address says otherwise)."""
        filters = Filters.read(programme, start, end, cursor, today(request))
        listed, programmes = await asyncio.gather(
            api.get("/api/training/sessions", **filters.query(zone(request))), _programmes(api)
        )
        template = "training/session_rows.html" if is_fragment(request) else "training/sessions.html"
        return shown(
            request,
            template,
            filters=filters,
            sessions=listed["items"],
            next=listed.get("next"),
            programmes=sorted(programmes, key=lambda p: p["name"]),
        )

    @get("/programmes")
    async def programmes(self, request: AnyRequest, api: NamedDependency[Api]) -> Template:
        categories, programmes = await asyncio.gather(api.get("/api/training/categories"), _programmes(api))
        return shown(request, "training/programmes.html", groups=catalogue(categories, programmes))

    async def _form(
        self, request: AnyRequest, api: Api, draft: Draft, errors: FormErrors | None = None, status: int = 200
    ) -> Template:
        programmes, choices = await asyncio.gather(_programmes(api), units(api))
        errors = errors or FormErrors()
        chosen = next((p for p in programmes if str(p["id"]) == draft.get("programmeId")), None)
        if chosen is not None and "creditHours" not in draft.values:  # a new form: the programme's hours
            draft = Draft({**draft.values, "creditHours": hours(chosen["defaultCreditHours"])})
        return shown(
            request,
            "training/session_form.html",
            status,
            draft=draft,
            errors=errors,
            programmes=sorted((p for p in programmes if p["active"]), key=lambda p: p["name"]),
            chosen=chosen,
            units=choices,
            focus=next((name for name in FORM_FIELDS if name in errors.fields), "programmeId"),
        )

    @get("/sessions/new")
    async def new_session(
        self, request: AnyRequest, api: NamedDependency[Api], programme_id: ProgrammeParam = ""
    ) -> Template:
        return await self._form(request, api, Draft({"programmeId": programme_id}))

    @get("/sessions/new/hours")
    async def hours_field(
        self, request: AnyRequest, api: NamedDependency[Api], programme_id: ProgrammeParam = ""
    ) -> Template:
        """The credit-hours field with the chosen programme's hours (htmx swaps it in when the programme changes)."""
        chosen = next((p for p in await _programmes(api) if str(p["id"]) == programme_id), None)
        typed = "" if chosen is None else hours(chosen["defaultCreditHours"])
        return shown(
            request,
            "training/hours_field.html",
            draft=Draft({"creditHours": typed}),
            errors=FormErrors(),
            chosen=chosen,
        )

    @post("/sessions")
    async def create_session(self, request: AnyRequest, api: NamedDependency[Api]) -> Template | Redirect:
        """Stored as typed, or shown again with training's refusals beside the fields (nothing stored)."""
        draft = Draft(await read_form(request))
        chosen_unit = None
        if draft.get("organiserUnitId"):
            chosen_unit = await _unit(api, draft.get("organiserUnitId"))
            if chosen_unit is None:
                errors = FormErrors(fields={"organiserUnitId": UNIT_UNKNOWN})
                return await self._form(request, api, draft, errors, 422)
        try:
            created = await api.post("/api/training/sessions", draft.body(zone(request), chosen_unit))
        except ApiError as refused:
            if refused.status != 422:
                raise
            return await self._form(request, api, draft, refusal(refused), 422)
        return Redirect(f"{HOME}/sessions/{created['id']}", status_code=303)


async def _unit(api: Api, typed: str) -> dict[str, Any] | None:
    try:
        unit_id = UUID(typed)
    except ValueError:
        return None
    return await unit(api, str(unit_id))


CONTROLLERS = [
    TrainingController,
    SessionPageController,
    ScreenController,
    CheckinController,
    PeopleController,
    LearningController,
    TargetsController,
]
