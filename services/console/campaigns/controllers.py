"""活动日 (``/console/campaigns``): the mass-service day of each month and the red-vest days (DSP-13 [000]). The page
shows the month's campaign dates by the district's rhythm with the days held in each village or street; a day's
page shows its roster (from when, who in which named vest, what matter) and the people served. Dispatch judges;
its refusals are shown beside the field in the catalogue's words."""

from __future__ import annotations

import re
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.forms import NOT_ACCEPTED, FormErrors, read_form
from services.console.i18n import N_
from services.console.web import AnyRequest, NavEntry, page, signed_in

HOME = "/console/campaigns"
API = "/api/dispatch/campaigns"
READERS = ("district_admin", "street_admin", "community_cadre", "hotline_operator", "hotline_supervisor")
NAV = [NavEntry(HOME, N_("Campaign days"), READERS)]
KINDS = {"mass_service": N_("Mass-service day"), "red_vest": N_("Red-vest day")}
ROLES = {"street_cadre": N_("Street cadre"), "branch_member": N_("Village branch member")}
LEVELS = {"village": N_("Village or community"), "street": N_("Street")}
WEEKDAYS = {
    1: N_("Monday"),
    2: N_("Tuesday"),
    3: N_("Wednesday"),
    4: N_("Thursday"),
    5: N_("Friday"),
    6: N_("Saturday"),
    7: N_("Sunday"),
}
BY_FIELD = {
    "kind": N_("Choose the kind of day."),
    "heldOn": N_("Enter a day that is the district's day of that kind."),
    "unitId": N_("Choose the village or street."),
    "startsAt": N_("Enter the time the duty starts, like 09:00."),
    "endsAt": N_("Enter a time after the start, or leave it empty."),
    "providerId": N_("Choose a member volunteer of the district."),
    "role": N_("Choose the role."),
    "vest": N_("Enter the name printed on the red vest."),
    "matter": N_("Say what matter the duty serves."),
    "served": N_("Enter a whole number of people, 0 or more."),
    "massServiceDay": N_("Enter a day of the month from 1 to 28."),
    "redVestWeekday": N_("Choose the weekday."),
}
DAY_FIELDS = ("kind", "heldOn", "unitId")
RHYTHM_FIELDS = ("massServiceDay", "redVestWeekday")
DUTY_FIELDS = ("startsAt", "endsAt", "providerId", "role", "vest", "matter", "served")
TAKEN = N_("This village or street already has that day recorded.")
WORDS: dict[str, Any] = {
    "kinds": KINDS,
    "roles": ROLES,
    "levels": LEVELS,
    "weekdays": WEEKDAYS,
    "weekday_options": {str(k): v for k, v in WEEKDAYS.items()},
}
_MONTH = re.compile(r"20\d{2}-(0[1-9]|1[0-2])")


def refusal(error: ApiError, shown: tuple[str, ...]) -> FormErrors:
    if error.status == 409:
        return FormErrors(form=TAKEN)
    if error.status == 404:
        return FormErrors(fields={"unitId": BY_FIELD["unitId"]})
    fields = {name: BY_FIELD.get(name, NOT_ACCEPTED) for name in error.fields if name in shown}
    return FormErrors(fields=fields, form=None if fields else NOT_ACCEPTED)


def clock(value: str) -> str | None:
    """A time typed as 09:00 in the form the API reads (09:00:00); empty stays empty."""
    value = value.strip()
    return None if not value else value + ":00" if re.fullmatch(r"\d{2}:\d{2}", value) else value


def number(value: str) -> int | str:
    """A whole number as the API wants it; anything else goes as typed and the API names the field."""
    value = value.strip()
    return int(value) if value.isdigit() else value


def unit_options(units: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [
        {"id": u["id"], "name": f"{u['streetName']} · {u['name']}" if u.get("streetName") else u["name"]} for u in units
    ]


class CampaignController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*READERS)

    async def _calendar(
        self, request: AnyRequest, api: Api, month: str, draft: dict[str, str], errors: FormErrors, status: int = 200
    ) -> Template:
        params = {"month": month} if _MONTH.fullmatch(month) else {}
        calendar = await api.get(f"{API}/calendar", **params)
        units = unit_options(await api.get(f"{API}/units"))
        return page(
            request,
            "campaigns/calendar.html",
            status,
            **WORDS,
            calendar=calendar,
            units=units,
            draft=draft,
            errors=errors,
        )

    @get("/")
    async def calendar(
        self, request: AnyRequest, api: NamedDependency[Api], month: Annotated[str, QueryParameter(max_length=7)] = ""
    ) -> Template:
        return await self._calendar(request, api, month, {}, FormErrors())

    @post("/")
    async def record(self, request: AnyRequest, api: NamedDependency[Api]) -> Template | Redirect:
        typed = await read_form(request)
        body = {name: typed.get(name, "").strip() for name in DAY_FIELDS}
        try:
            missing = {name: "" for name, value in body.items() if not value}
            if missing:
                raise ApiError(422, "missing", missing)
            made = await api.post(API, body)
        except ApiError as refused:
            if refused.status not in (404, 409, 422):
                raise
            month = body["heldOn"][:7]
            return await self._calendar(request, api, month, typed, refusal(refused, DAY_FIELDS), refused.status)
        return Redirect(f"{HOME}/{made['id']}", status_code=303)

    async def _day(
        self,
        request: AnyRequest,
        api: Api,
        day_id: UUID,
        draft: dict[str, str] | None = None,
        errors: FormErrors | None = None,
        status: int = 200,
    ) -> Template:
        day = await api.get(f"{API}/{day_id}")
        members = [{"id": m["providerId"], "name": m["name"]} for m in await api.get(f"{API}/members")]
        return page(
            request,
            "campaigns/day.html",
            status,
            **WORDS,
            day=day,
            members=members,
            draft=draft or {"served": "0"},
            errors=errors or FormErrors(),
        )

    @post("/rhythm")
    async def rhythm(self, request: AnyRequest, api: NamedDependency[Api]) -> Template | Redirect:
        """The district administrator's rhythm: which day of the month, which weekday."""
        typed = await read_form(request)
        body = {name: number(typed.get(name, "")) for name in RHYTHM_FIELDS}
        try:
            await api.call("PATCH", f"{API}/calendar", json=body)
        except ApiError as refused:
            if refused.status != 422:
                raise
            return await self._calendar(request, api, "", typed, refusal(refused, RHYTHM_FIELDS), 422)
        return Redirect(HOME, status_code=303)

    @get("/{day_id:uuid}")
    async def day(self, request: AnyRequest, api: NamedDependency[Api], day_id: FromPath[UUID]) -> Template:
        return await self._day(request, api, day_id)

    @post("/{day_id:uuid}/roster")
    async def add_duty(
        self, request: AnyRequest, api: NamedDependency[Api], day_id: FromPath[UUID]
    ) -> Template | Redirect:
        typed = await read_form(request)
        body: dict[str, Any] = {name: typed.get(name, "").strip() for name in DUTY_FIELDS}
        body["startsAt"], body["endsAt"] = clock(body["startsAt"]) or "", clock(body["endsAt"])
        body["served"] = number(body["served"] or "0")
        try:
            missing = {name: "" for name in ("startsAt", "providerId", "role", "vest", "matter") if not body[name]}
            if missing:
                raise ApiError(422, "missing", missing)
            await api.post(f"{API}/{day_id}/roster", body)
        except ApiError as refused:
            if refused.status != 422:
                raise
            return await self._day(request, api, day_id, typed, refusal(refused, DUTY_FIELDS), 422)
        return Redirect(f"{HOME}/{day_id}", status_code=303)

    @post("/{day_id:uuid}/roster/{duty_id:uuid}/served")
    async def served(
        self, request: AnyRequest, api: NamedDependency[Api], day_id: FromPath[UUID], duty_id: FromPath[UUID]
    ) -> Template | Redirect:
        typed = await read_form(request)
        try:
            await api.call(
                "PATCH", f"{API}/{day_id}/roster/{duty_id}", json={"served": number(typed.get(f"served-{duty_id}", ""))}
            )
        except ApiError as refused:
            if refused.status != 422:
                raise
            errors = FormErrors(fields={f"served-{duty_id}": BY_FIELD["served"]})
            return await self._day(request, api, day_id, None, errors, 422)
        return Redirect(f"{HOME}/{day_id}", status_code=303)


CONTROLLERS = [CampaignController]
