"""失联党员归队 (``/console/lost-members``): the return programme's ledger at a unit with a line per unit one level
down (district, street, village or community, the unit itself) and its .xlsx; a case opened from a unit's roll; a
case's page with its steps and the forms its state offers (search, found; regroup into a branch, unqualified)."""

from __future__ import annotations

import asyncio
import re
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.forms import FormErrors, read_form
from services.console.i18n import N_
from services.console.lost_members.words import (
    CHANNELS,
    FILE_NAME,
    HOW_LOST,
    KEEPERS,
    NEXT,
    READERS,
    STALE,
    STATES,
    STATION_SERVICES,
    STEPS,
    WAYS,
    ledger_table,
    refusal,
)
from services.console.people.units import level_kinds, node_or_none
from services.console.proposals.words import today
from services.console.reports.controllers import say
from services.console.reports.workbook import XLSX, workbook
from services.console.web import AnyRequest, NavEntry, page, signed_in
from shared.storage.content import content_disposition

HOME = "/console/lost-members"
API = "/api/orgtree/lost-members"
NAV = [
    NavEntry(HOME, N_("Lost-contact members"), READERS),
    NavEntry(f"{HOME}/stations", N_("Sunshine stations"), READERS),
]
OPEN_FIELDS = ("memberId", "howLost", "lostSince", "note")
Within = Annotated[UUID | None, QueryParameter()]
WORDS: dict[str, Any] = {"how_lost": HOW_LOST, "channels": CHANNELS, "ways": WAYS, "states": STATES, "steps": STEPS}


def shown(request: AnyRequest, template: str, status_code: int = 200, **context: Any) -> Template:
    return page(request, template, status_code, **WORDS, **context)


async def ledger_of(api: Api, within: UUID | None) -> dict[str, Any]:
    found: dict[str, Any] = await api.get(f"{API}/ledger", **({"within": str(within)} if within else {}))
    return found


async def branches(api: Api, unit_id: str) -> list[dict[str, str]]:
    """The party units holding membership a member may be regrouped into: those under the committee of the unit the
    member was lost from first, then the district's (the first 100 of each level in each)."""
    unit = await node_or_none(api, unit_id)
    committee = unit["parentId"] if unit else None
    root = (await ledger_of(api, None))["unit"]["unitId"]
    _, _, levels = await level_kinds(api)
    tops = [top for top in (committee, root) if top]
    pages = await asyncio.gather(*(subtree(api, top, level) for top in tops for level in sorted(levels)))
    options = {n["id"]: {"id": n["id"], "name": n["name"]} for p in pages for n in p if n["id"] != unit_id}
    return list(options.values())


async def subtree(api: Api, top: str, level: str) -> list[dict[str, Any]]:
    """A level's units under ``top``; none when ``top`` lies outside the user's scope (a street admin's district)."""
    try:
        found = await api.get(f"/api/orgtree/nodes/{top}/subtree", level=level, limit=100)
    except ApiError as error:
        if error.status == 404:
            return []
        raise
    items: list[dict[str, Any]] = found["items"]
    return items


class LostMemberController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*READERS)

    async def _ledger(
        self,
        request: AnyRequest,
        api: Api,
        within: UUID | None,
        status: int = 200,
        errors: FormErrors | None = None,
        draft: dict[str, str] | None = None,
    ) -> Template:
        ledger = await ledger_of(api, within)
        unit = ledger["unit"]
        _, _, member_levels = await level_kinds(api)
        roll: list[dict[str, Any]] = []
        if unit["level"] in member_levels:
            listed = await api.get("/api/orgtree/members", within=unit["unitId"], limit=200)
            roll = [{"id": m["id"], "name": m["name"]} for m in listed["items"]]
        cases = await api.get(API, within=unit["unitId"])
        return shown(
            request,
            "lost_members/ledger.html",
            status,
            ledger=ledger,
            table=ledger_table(ledger, say(request), HOME),
            cases=cases,
            roll=roll,
            errors=errors or FormErrors(),
            draft=draft or {"lostSince": "", "howLost": ""},
            keepers=KEEPERS,
        )

    @get("/")
    async def ledger(self, request: AnyRequest, api: NamedDependency[Api], within: Within = None) -> Template:
        return await self._ledger(request, api, within)

    @get("/ledger.xlsx")
    async def ledger_sheet(
        self, request: AnyRequest, api: NamedDependency[Api], within: Within = None
    ) -> Response[bytes]:
        ledger = await ledger_of(api, within)
        words = say(request)
        return Response(
            content=workbook([ledger_table(ledger, words, HOME)]),
            media_type=XLSX,
            headers={
                "content-disposition": content_disposition(f"{words(FILE_NAME)}-{ledger['unit']['unitName']}.xlsx")
            },
        )

    @get("/stations")
    async def stations(self, request: AnyRequest, api: NamedDependency[Api]) -> Template:
        """Pudong's Sunshine stations [001/PD] in the user's scope, each with the services it offers."""
        listed = await api.get("/api/orgtree/venues", kind="sunshine_station", limit=500)
        return shown(request, "lost_members/stations.html", stations=listed, services=STATION_SERVICES)

    @post("/cases", guards=signed_in(*KEEPERS))
    async def open(self, request: AnyRequest, api: NamedDependency[Api]) -> Template | Redirect:
        draft = await read_form(request)
        body: dict[str, Any] = {name: draft.get(name, "").strip() for name in OPEN_FIELDS}
        within = draft.get("within", "")
        missing = {name: "" for name in ("memberId", "howLost", "lostSince") if not body[name]}
        try:
            if missing:
                raise ApiError(422, "missing", missing)
            made = await api.post(API, body)
        except ApiError as refused:
            if refused.status not in (404, 409, 422):
                raise
            unit = UUID(within) if re.fullmatch(r"[0-9a-f-]{36}", within) else None
            return await self._ledger(request, api, unit, refused.status, refusal(refused, OPEN_FIELDS), draft)
        return Redirect(f"{HOME}/cases/{made['id']}", status_code=303)

    async def _case(
        self,
        request: AnyRequest,
        api: Api,
        case_id: UUID,
        status: int = 200,
        errors: FormErrors | None = None,
        typed: dict[str, str] | None = None,
    ) -> Template:
        case = await api.get(f"{API}/{case_id}")
        offered = NEXT.get(case["state"], {})
        day = today(request).isoformat()
        return shown(
            request,
            "lost_members/case.html",
            status,
            c=case,
            offered=offered,
            branches=await branches(api, case["unitId"]) if "regroup" in offered else [],
            errors=errors or FormErrors(),
            typed=typed or {"on": day},
        )

    @get("/cases/{case_id:uuid}")
    async def case(self, request: AnyRequest, api: NamedDependency[Api], case_id: FromPath[UUID]) -> Template:
        return await self._case(request, api, case_id)

    @post("/cases/{case_id:uuid}/{step:str}", guards=signed_in(*KEEPERS))
    async def advance(
        self, request: AnyRequest, api: NamedDependency[Api], case_id: FromPath[UUID], step: FromPath[str]
    ) -> Template | Redirect:
        """The step as the page offered it for the state it showed (``stage``)."""
        typed = await read_form(request)
        offered = NEXT.get(typed.get("stage", ""), {}).get(step)
        if offered is None:
            return await self._case(request, api, case_id, 409, FormErrors(form=STALE))
        day, names = offered
        body = {name: typed.get(name, "").strip() for name in names} | {day: typed.get("on", "").strip()}
        try:
            await api.post(f"{API}/{case_id}/{step}", body)
        except ApiError as refused:
            if refused.status not in (404, 409, 422):
                raise
            if day in refused.fields:
                refused.fields["on"] = refused.fields.pop(day)
            return await self._case(request, api, case_id, refused.status, refusal(refused, (*names, "on")), typed)
        return Redirect(f"{HOME}/cases/{case_id}", status_code=303)


CONTROLLERS = [LostMemberController]
