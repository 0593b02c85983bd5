"""四季服务 (``/console/seasons``): Ouhai's four-season brand [004] (春季调训, 夏送清凉, 金秋送学, 冬送温暖).
The year's page lists the district's four programmes with their totals, and the district administrator opens a season's
programme there; a programme's page sums it per street, lists its activities (and in summer its free herbal-tea
points with the members on duty) and has the forms to record them. Dispatch judges; its refusals are shown beside
the field in the catalogue's words."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.campaigns.controllers import clock, number, unit_options
from services.console.forms import NOT_ACCEPTED, FormErrors, read_form
from services.console.i18n import N_
from services.console.web import AnyRequest, NavEntry, page, signed_in
from shared.clock import china_today

HOME = "/console/seasons"
API = "/api/dispatch/seasons"
UNITS = "/api/dispatch/campaigns/units"  # the villages and streets the caller may record in
MEMBERS = "/api/dispatch/campaigns/members"  # the district's member volunteers
READERS = ("district_admin", "street_admin", "community_cadre", "hotline_operator", "hotline_supervisor")
NAV = [NavEntry(f"{HOME}/", N_("Four-season services"), READERS)]
SEASONS = {
    "spring": N_("Spring training"),
    "summer": N_("Summer cooling"),
    "autumn": N_("Autumn study delivery"),
    "winter": N_("Winter warmth"),
}
BY_FIELD = {
    "season": N_("Choose the season."),
    "year": N_("Enter a year from 2000 to 2100."),
    "startsOn": N_("Enter a first day in the programme's year."),
    "endsOn": N_("Enter a last day after the first, within a year."),
    "heldOn": N_("Enter a day within the programme's dates."),
    "unitId": N_("Choose the village or street."),
    "what": N_("Say what the activity was."),
    "members": N_("Enter a whole number, 0 or more."),
    "served": N_("Enter a whole number, 0 or more."),
    "place": N_("Enter where the tea point stands."),
    "opensOn": N_("Enter a day within the programme's dates."),
    "closesOn": N_("Enter a day within the programme's dates, not before the opening day."),
    "opensAt": N_("Enter the opening time, like 08:00."),
    "closesAt": N_("Enter a closing time after the opening time."),
    "onDuty": N_("Choose a member volunteer of the district."),
    "cups": N_("Enter a whole number, 0 or more."),
}
PROGRAMME_FIELDS = ("season", "year", "startsOn", "endsOn")
ACTIVITY_FIELDS = ("heldOn", "unitId", "what", "members", "served")
POINT_FIELDS = ("place", "unitId", "opensOn", "closesOn", "opensAt", "closesAt", "onDuty", "cups", "served")
TAKEN = N_("The district already has this season's programme for that year.")
SUMMER_ONLY = N_("Tea points belong to the summer programme.")
WORDS: dict[str, Any] = {"seasons": SEASONS}


def refusal(error: ApiError, shown: tuple[str, ...], conflict: str = TAKEN) -> FormErrors:
    if error.status == 409:
        return FormErrors(form=conflict)
    if error.status == 404:
        return FormErrors(fields={"unitId": BY_FIELD["unitId"]})
    fields = {name: BY_FIELD.get(name, NOT_ACCEPTED) for name in error.fields if name in shown}
    return FormErrors(fields=fields, form=None if fields else NOT_ACCEPTED)


def missing(body: dict[str, Any], required: tuple[str, ...]) -> None:
    empty = {name: "" for name in required if body.get(name) in ("", None, [])}
    if empty:
        raise ApiError(422, "missing", empty)


class SeasonPagesController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*READERS)

    async def _year(
        self, request: AnyRequest, api: Api, year: int | None, draft: dict[str, str], errors: FormErrors, status: int
    ) -> Template:
        shown = year or china_today().year
        programmes = await api.get(API, year=shown)
        opened = {p["season"] for p in programmes}
        return page(
            request,
            "seasons/year.html",
            status,
            **WORDS,
            programmes=programmes,
            year=shown,
            unopened={code: label for code, label in SEASONS.items() if code not in opened},
            draft=draft,
            errors=errors,
        )

    @get("/")
    async def year(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        year: Annotated[int | None, QueryParameter(ge=2000, le=2100)] = None,
    ) -> Template:
        return await self._year(request, api, year, {}, FormErrors(), 200)

    @post("/")
    async def open_programme(self, request: AnyRequest, api: NamedDependency[Api]) -> Template | Redirect:
        typed = await read_form(request)
        body: dict[str, Any] = {name: typed.get(name, "").strip() for name in PROGRAMME_FIELDS}
        body["year"] = number(body["year"])
        for name in ("startsOn", "endsOn"):
            if not body[name]:
                del body[name]
        try:
            missing(body, ("season", "year"))
            made = await api.post(API, body)
        except ApiError as refused:
            if refused.status not in (409, 422):
                raise
            year = body["year"] if isinstance(body["year"], int) and 2000 <= body["year"] <= 2100 else None
            return await self._year(request, api, year, typed, refusal(refused, PROGRAMME_FIELDS), refused.status)
        return Redirect(f"{HOME}/{made['id']}", status_code=303)

    async def _programme(
        self,
        request: AnyRequest,
        api: Api,
        programme_id: UUID,
        street: str = "",
        drafts: dict[str, dict[str, str]] | None = None,
        errors: dict[str, FormErrors] | None = None,
        status: int = 200,
    ) -> Template:
        report = await api.get(f"{API}/{programme_id}/report")
        programme = report["programme"]
        filters = {"street": street} if street else {}
        activities = await api.get(f"{API}/{programme_id}/activities", **filters)
        summer = programme["season"] == "summer"
        points = await api.get(f"{API}/{programme_id}/tea-points", **filters) if summer else []
        members = [{"id": m["providerId"], "name": m["name"]} for m in await api.get(MEMBERS)] if summer else []
        return page(
            request,
            "seasons/programme.html",
            status,
            **WORDS,
            programme=programme,
            report=report,
            street=street,
            activities=activities,
            points=points,
            summer=summer,
            units=unit_options(await api.get(UNITS)),
            members=members,
            activity=(drafts or {}).get("activity", {}),
            point=(drafts or {}).get("point", {}),
            activity_errors=(errors or {}).get("activity", FormErrors()),
            point_errors=(errors or {}).get("point", FormErrors()),
        )

    @get("/{programme_id:uuid}")
    async def programme(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        programme_id: FromPath[UUID],
        street: Annotated[str, QueryParameter(max_length=200)] = "",
    ) -> Template:
        return await self._programme(request, api, programme_id, street)

    @post("/{programme_id:uuid}/activities")
    async def add_activity(
        self, request: AnyRequest, api: NamedDependency[Api], programme_id: FromPath[UUID]
    ) -> Template | Redirect:
        typed = await read_form(request)
        body: dict[str, Any] = {name: typed.get(name, "").strip() for name in ACTIVITY_FIELDS}
        body["members"], body["served"] = number(body["members"] or "0"), number(body["served"] or "0")
        try:
            missing(body, ("heldOn", "unitId", "what"))
            await api.post(f"{API}/{programme_id}/activities", body)
        except ApiError as refused:
            if refused.status not in (404, 422):
                raise
            errors = {"activity": refusal(refused, ACTIVITY_FIELDS)}
            return await self._programme(request, api, programme_id, "", {"activity": typed}, errors, refused.status)
        return Redirect(f"{HOME}/{programme_id}#h-activities", status_code=303)

    @post("/{programme_id:uuid}/tea-points")
    async def add_tea_point(
        self, request: AnyRequest, api: NamedDependency[Api], programme_id: FromPath[UUID]
    ) -> Template | Redirect:
        form = await request.form()  # the fields are named point-<field>: the activity form shares the page
        typed = {k: str(v) for k, v in form.items() if k != "_csrf_token"}
        body: dict[str, Any] = {name: typed.get(f"point-{name}", "").strip() for name in POINT_FIELDS}
        body["onDuty"] = [str(v) for v in form.getall("point-onDuty", []) if str(v).strip()]
        body["opensAt"], body["closesAt"] = clock(body["opensAt"]) or "", clock(body["closesAt"]) or ""
        body["cups"], body["served"] = number(body["cups"] or "0"), number(body["served"] or "0")
        try:
            missing(body, ("place", "unitId", "opensOn", "closesOn", "opensAt", "closesAt", "onDuty"))
            await api.post(f"{API}/{programme_id}/tea-points", body)
        except ApiError as refused:
            if refused.status not in (404, 409, 422):
                raise
            shown = refusal(refused, POINT_FIELDS, SUMMER_ONLY)
            shown.fields = {f"point-{name}": message for name, message in shown.fields.items()}
            errors = {"point": shown}
            return await self._programme(request, api, programme_id, "", {"point": typed}, errors, refused.status)
        return Redirect(f"{HOME}/{programme_id}#h-points", status_code=303)


CONTROLLERS = [SeasonPagesController]
