"""红立方驿站 (``/console/stations``, DSP-11): the district's Red Cube stations with who is on duty now; setting one
up on a unit of the user's scope; a station's page with its local services, its rota (putting a volunteer of the
units under it on duty) and its desk: signing residents up to volunteer and registering their demands as tickets.
Staff and the volunteer on duty work the desk; dispatch judges and its refusals are shown beside the fields."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.forms import FormErrors, read_form
from services.console.i18n import N_
from services.console.session import SignedIn
from services.console.vulnerable.words import beside_fields
from services.console.web import AnyRequest, NavEntry, page, signed_in

STAFF = ("district_admin", "street_admin", "community_cadre", "grid_leader", "hotline_operator", "hotline_supervisor")
VOLUNTEERS = ("member", "volunteer")
HOME = "/console/stations"
API = "/api/dispatch/stations"
NAV = [NavEntry(HOME, N_("Red Cube stations"), (*STAFF, *VOLUNTEERS))]
LEVELS = {
    "street": N_("Street"),
    "community": N_("Community"),
    "village": N_("Village"),
    "grid": N_("Grid"),
}
BY_FIELD = {
    "name": N_("Enter a name of 2 to 100 characters."),
    "unitId": N_("Choose a unit of your scope."),
    "extraServices": N_("List up to 20 services of up to 40 characters each."),
    "volunteerId": N_("Choose an active member volunteer of a grid under this station."),
    "startsAt": N_("Give the day and time the shift starts."),
    "endsAt": N_("The shift ends after it starts, at most 24 hours later."),
    "phone": N_("Enter a mainland mobile number or a landline with its area code."),
    "callerPhone": N_("Enter a mainland mobile number or a landline with its area code."),
    "title": N_("Describe the demand in a few words."),
}
OVERLAP = N_("The volunteer is on this station's rota at that time already.")
SEPARATORS = re.compile(r"[,，、;；\n]+")


def zone(request: AnyRequest) -> ZoneInfo:
    return ZoneInfo(request.app.state.console.time_zone)


def refusal(refused: ApiError) -> FormErrors:
    return beside_fields(refused, BY_FIELD, "unitId")


def local_time(request: AnyRequest, typed: str) -> str:
    """``2026-12-07T08:00`` typed in the district's zone, as ISO 8601 with its offset (as typed when unreadable)."""
    try:
        return datetime.fromisoformat(typed).replace(tzinfo=zone(request)).isoformat()
    except ValueError:
        return typed


class StationController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*STAFF, *VOLUNTEERS)

    async def _stations(
        self, request: AnyRequest, api: Api, user: SignedIn, draft: dict[str, str], errors: FormErrors, status: int
    ) -> Template:
        staff = user.has_role(*STAFF)
        units = await api.get(f"{API}/units") if staff else []
        stations = await api.get(API)
        return page(
            request,
            "stations/stations.html",
            status,
            stations=stations,
            units=units,
            levels=LEVELS,
            staff=staff,
            draft=draft,
            errors=errors,
        )

    @get("/")
    async def stations(
        self, request: AnyRequest, api: NamedDependency[Api], user: NamedDependency[SignedIn]
    ) -> Template:
        return await self._stations(request, api, user, {}, FormErrors(), 200)

    @post("/", guards=signed_in(*STAFF))
    async def create(
        self, request: AnyRequest, api: NamedDependency[Api], user: NamedDependency[SignedIn]
    ) -> Template | Redirect:
        draft = {k: v.strip() for k, v in (await read_form(request)).items()}
        services = [s.strip() for s in SEPARATORS.split(draft.get("extraServices", "")) if s.strip()]
        body = {name: draft.get(name, "") for name in ("name", "unitId", "address", "openingHours")}
        try:
            if not body["unitId"]:
                raise ApiError(422, "missing", {"unitId": ""})
            made = await api.post(API, {**body, "extraServices": services})
        except ApiError as refused:
            if refused.status not in (404, 422):
                raise
            return await self._stations(request, api, user, draft, refusal(refused), 422)
        return Redirect(f"{HOME}/{made['id']}", status_code=303)

    async def _station(
        self,
        request: AnyRequest,
        api: Api,
        user: SignedIn,
        station_id: UUID,
        status: int = 200,
        errors: FormErrors | None = None,
        form: str = "",
        draft: dict[str, str] | None = None,
        notice: str = "",
    ) -> Template:
        staff = user.has_role(*STAFF)
        station = await api.get(f"{API}/{station_id}")
        rota = await api.get(f"{API}/{station_id}/shifts")
        volunteers = await api.get(f"{API}/{station_id}/volunteers") if staff else []
        me = {str(s["volunteerId"]) for s in station["onDuty"]}
        mine = {str(p["id"]) for p in await api.get("/api/dispatch/providers/me")} if not staff else set()
        desk = staff or bool(me & mine)
        sign_ups = await api.get(f"{API}/{station_id}/sign-ups") if desk else []
        return page(
            request,
            "stations/station.html",
            status,
            station=station,
            rota=rota,
            volunteers=volunteers,
            sign_ups=sign_ups,
            staff=staff,
            desk=desk,
            errors=errors or FormErrors(),
            no_errors=FormErrors(),
            form=form,
            draft=draft or {},
            notice=notice,
        )

    @get("/{station_id:uuid}")
    async def station(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        user: NamedDependency[SignedIn],
        station_id: FromPath[UUID],
        ticket: str = "",
    ) -> Template:
        return await self._station(request, api, user, station_id, notice=ticket[:30])

    async def _send(
        self,
        request: AnyRequest,
        api: Api,
        user: SignedIn,
        station_id: UUID,
        form: str,
        body: dict[str, Any],
        draft: dict[str, str],
    ) -> Template | Any:
        try:
            return await api.post(f"{API}/{station_id}/{form}", body)
        except ApiError as refused:
            if refused.status == 409:
                errors = FormErrors(form=OVERLAP)
                return await self._station(request, api, user, station_id, 409, errors, form, draft)
            if refused.status != 422:
                raise
            return await self._station(request, api, user, station_id, 422, refusal(refused), form, draft)

    @post("/{station_id:uuid}/shifts", guards=signed_in(*STAFF))
    async def add_shift(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        user: NamedDependency[SignedIn],
        station_id: FromPath[UUID],
    ) -> Template | Redirect:
        draft = await read_form(request)
        body = {
            "volunteerId": draft.get("volunteerId", ""),
            "startsAt": local_time(request, draft.get("startsAt", "")),
            "endsAt": local_time(request, draft.get("endsAt", "")),
        }
        answer = await self._send(request, api, user, station_id, "shifts", body, draft)
        return answer if isinstance(answer, Template) else Redirect(f"{HOME}/{station_id}", status_code=303)

    @post("/{station_id:uuid}/sign-ups")
    async def sign_up(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        user: NamedDependency[SignedIn],
        station_id: FromPath[UUID],
    ) -> Template | Redirect:
        draft = await read_form(request)
        body = {
            "name": draft.get("name", "").strip(),
            "phone": draft.get("phone", "").strip(),
            "note": draft.get("note", "").strip(),
        }
        answer = await self._send(request, api, user, station_id, "sign-ups", body, draft)
        return answer if isinstance(answer, Template) else Redirect(f"{HOME}/{station_id}", status_code=303)

    @post("/{station_id:uuid}/demands")
    async def demand(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        user: NamedDependency[SignedIn],
        station_id: FromPath[UUID],
    ) -> Template | Redirect:
        draft = await read_form(request)
        body: dict[str, Any] = {"title": draft.get("title", "").strip(), "description": draft.get("description", "")}
        if draft.get("callerPhone", "").strip():
            body["callerPhone"] = draft["callerPhone"].strip()
        answer = await self._send(request, api, user, station_id, "demands", body, draft)
        if isinstance(answer, Template):
            return answer
        return Redirect(f"{HOME}/{station_id}?ticket={answer['ticketNumber']}", status_code=303)


CONTROLLERS = [StationController]
