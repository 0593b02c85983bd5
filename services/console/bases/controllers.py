"""开放式组织生活基地 (``/console/bases``): the district's open organisational-life bases (orgtree's venues of that
kind, registered with their capacity), each base's menu of activities, the branches' bookings and the attendance
recorded after each. Training judges; refusals show beside the fields."""

from __future__ import annotations

from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.forms import NOT_ACCEPTED, FormErrors, read_form
from services.console.i18n import N_
from services.console.training.session_form import moment
from services.console.training.units import units
from services.console.web import AnyRequest, NavEntry, page, signed_in

HOME = "/console/bases"
API = "/api/training"
ORGANISERS = ("district_admin", "street_admin", "community_cadre")
NAV = [NavEntry(HOME, N_("Open organisational-life bases"), ORGANISERS)]
STATES = {"booked": N_("Booked"), "cancelled": N_("Booking cancelled"), "attended": N_("Attendance recorded")}
BY_FIELD = {
    "venueId": N_("Choose a base venue under your responsibility."),
    "capacity": N_("Enter how many people it holds, as a whole number."),
    "title": N_("Name the activity: up to 100 characters."),
    "minutes": N_("Enter its length in minutes, from 15 to 1440."),
    "description": N_("The description is at most 4000 characters."),
    "activityId": N_("Choose an activity of the menu."),
    "branchId": N_("Choose a branch under your responsibility."),
    "startsAt": N_("Choose a time from now on."),
    "expected": N_("Enter how many are coming: at most what the base holds."),
    "attended": N_("Enter how many came, as a whole number."),
}
FORM_FIELDS = {"unitPath": "venueId", "unitName": "venueId", "branchPath": "branchId", "branchName": "branchId"}


def whole(typed: str) -> int | str:
    """A count as a JSON integer; anything else as typed, and training names the field."""
    return int(typed) if typed.isascii() and typed.isdigit() else typed


def refusal(error: ApiError, shown: tuple[str, ...]) -> FormErrors:
    fields: dict[str, str] = {}
    for name in error.fields:
        field = FORM_FIELDS.get(name, name)
        if field in shown:
            fields.setdefault(field, BY_FIELD.get(field, NOT_ACCEPTED))
    return FormErrors(fields=fields, form=None if fields else NOT_ACCEPTED)


def conflict(error: ApiError, message: str) -> FormErrors:
    if error.status != 409:
        raise error
    return FormErrors(form=message)


async def venues(api: Api, registered: set[str]) -> list[dict[str, Any]]:
    """orgtree's open organisational-life base venues under the caller's scope, not registered yet."""
    found = await api.get("/api/orgtree/venues", kind="open_org_life_base", limit=200)
    return [v for v in found if v["id"] not in registered]


class BasesController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*ORGANISERS)

    async def _list(
        self, request: AnyRequest, api: Api, draft: dict[str, str], errors: FormErrors, status: int = 200
    ) -> Template:
        bases = await api.get(f"{API}/org-life-bases")
        choices = await venues(api, {str(b["venueId"]) for b in bases})
        return page(request, "bases/bases.html", status, bases=bases, venues=choices, draft=draft, errors=errors)

    @get("/")
    async def bases(self, request: AnyRequest, api: NamedDependency[Api]) -> Template:
        return await self._list(request, api, {}, FormErrors())

    @post("/")
    async def register(self, request: AnyRequest, api: NamedDependency[Api]) -> Template | Redirect:
        draft = await read_form(request)
        bases = await api.get(f"{API}/org-life-bases")
        venue = {v["id"]: v for v in await venues(api, {str(b["venueId"]) for b in bases})}.get(draft.get("venueId"))
        if venue is None:
            return await self._list(request, api, draft, FormErrors(fields={"venueId": BY_FIELD["venueId"]}), 422)
        unit = await api.get(f"/api/orgtree/nodes/{venue['unitId']}")
        body = {
            "venueId": venue["id"],
            "unitPath": unit["path"],
            "unitName": unit["name"],
            "name": venue["name"],
            "capacity": whole(draft.get("capacity", "").strip()) if draft.get("capacity", "").strip() else "",
        }
        try:
            made = await api.post(f"{API}/org-life-bases", body)
        except ApiError as refused:
            if refused.status == 409:
                errors = conflict(refused, N_("This venue is a base already."))
                return await self._list(request, api, draft, errors, 409)
            if refused.status != 422:
                raise
            return await self._list(request, api, draft, refusal(refused, ("venueId", "capacity")), 422)
        return Redirect(f"{HOME}/{made['id']}", status_code=303)

    async def _base(
        self,
        request: AnyRequest,
        api: Api,
        base_id: UUID,
        status: int = 200,
        errors: FormErrors | None = None,
        typed: dict[str, str] | None = None,
    ) -> Template:
        base = await api.get(f"{API}/org-life-bases/{base_id}")
        bookings = await api.get(f"{API}/org-life-bases/{base_id}/bookings")
        branches = (await units(api)).get("party", [])
        return page(
            request,
            "bases/base.html",
            status,
            b=base,
            bookings=bookings,
            branches=branches,
            states=STATES,
            errors=errors or FormErrors(),
            typed=typed or {},
        )

    @get("/{base_id:uuid}")
    async def base(self, request: AnyRequest, api: NamedDependency[Api], base_id: FromPath[UUID]) -> Template:
        return await self._base(request, api, base_id)

    async def _send(
        self,
        request: AnyRequest,
        api: Api,
        base_id: UUID,
        path: str,
        body: dict[str, Any],
        typed: dict[str, str],
        shown: tuple[str, ...],
        clash: str,
    ) -> Template | Redirect:
        try:
            await api.post(path, body)
        except ApiError as refused:
            if refused.status == 409:
                return await self._base(request, api, base_id, 409, conflict(refused, clash), typed)
            if refused.status != 422:
                raise
            return await self._base(request, api, base_id, 422, refusal(refused, shown), typed)
        return Redirect(f"{HOME}/{base_id}", status_code=303)

    @post("/{base_id:uuid}/activities")
    async def add_activity(
        self, request: AnyRequest, api: NamedDependency[Api], base_id: FromPath[UUID]
    ) -> Template | Redirect:
        form = await read_form(request)
        typed = {k: form.get(k, "").strip() for k in ("title", "minutes", "description")}
        body: dict[str, Any] = {"title": typed["title"], "description": typed["description"]}
        if typed["minutes"]:
            body["minutes"] = whole(typed["minutes"])
        path = f"{API}/org-life-bases/{base_id}/activities"
        return await self._send(request, api, base_id, path, body, typed, ("title", "minutes", "description"), "")

    @post("/{base_id:uuid}/bookings")
    async def book(
        self, request: AnyRequest, api: NamedDependency[Api], base_id: FromPath[UUID]
    ) -> Template | Redirect:
        form = await read_form(request)
        typed = {k: form.get(k, "").strip() for k in ("activityId", "branchId", "startsAt", "expected")}
        branch = next((u for u in (await units(api)).get("party", []) if u.id == typed["branchId"]), None)
        if branch is None:
            errors = FormErrors(fields={"branchId": BY_FIELD["branchId"]})
            return await self._base(request, api, base_id, 422, errors, typed)
        zone = ZoneInfo(request.app.state.console.time_zone)
        body: dict[str, Any] = {
            "activityId": typed["activityId"] or None,
            "branchId": branch.id,
            "branchPath": branch.path,
            "branchName": branch.name,
            "startsAt": moment(typed["startsAt"], zone),
        }
        if typed["expected"]:
            body["expected"] = whole(typed["expected"])
        shown = ("activityId", "branchId", "startsAt", "expected")
        clash = N_("The base is booked at that time already.")
        return await self._send(
            request, api, base_id, f"{API}/org-life-bases/{base_id}/bookings", body, typed, shown, clash
        )

    @post("/{base_id:uuid}/bookings/{booking_id:uuid}/attendance")
    async def attend(
        self, request: AnyRequest, api: NamedDependency[Api], base_id: FromPath[UUID], booking_id: FromPath[UUID]
    ) -> Template | Redirect:
        form = await read_form(request)
        typed = {"attended": form.get("attended", "").strip(), "bookingId": str(booking_id)}
        body: dict[str, Any] = {"attended": whole(typed["attended"]) if typed["attended"] else ""}
        path = f"{API}/base-bookings/{booking_id}/attendance"
        clash = N_("Attendance is recorded once the activity has started, for a booking not cancelled.")
        return await self._send(request, api, base_id, path, body, typed, ("attended",), clash)

    @post("/{base_id:uuid}/bookings/{booking_id:uuid}/cancel")
    async def cancel(
        self, request: AnyRequest, api: NamedDependency[Api], base_id: FromPath[UUID], booking_id: FromPath[UUID]
    ) -> Template | Redirect:
        path = f"{API}/base-bookings/{booking_id}/cancel"
        clash = N_("Only a booking that has not started is cancelled.")
        return await self._send(request, api, base_id, path, {}, {}, (), clash)


CONTROLLERS = [BasesController]
