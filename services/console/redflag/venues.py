"""阵地与服务点 (``/console/redflag/venues``): the venues and service points of the user's scope or a unit, by kind
and certification status; registering one on a unit found by name; a venue's page with its certification history
and the form to apply for, certify (with the 7171 sign hung or not) or revoke it."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.forms import FormErrors, read_form
from services.console.i18n import N_
from services.console.people.units import node_or_none
from services.console.redflag.words import CHANGES, EDITORS, STATUSES, VENUE_KINDS, refusal
from services.console.web import AnyRequest, NavEntry, page, signed_in
from shared.clock import china_today

HOME = "/console/redflag/venues"
NAV = NavEntry(HOME, N_("Venues and service points"), EDITORS)
API = "/api/orgtree/venues"
VENUE_FIELDS = ("kind", "name", "address", "openingHours", "itemCount")
CHANGE_FIELDS = ("status", "changedOn", "signage", "note")
Choice = Annotated[str, QueryParameter(max_length=40)]
Name = Annotated[str, QueryParameter(max_length=50)]


def shown(request: AnyRequest, template: str, status_code: int = 200, **context: Any) -> Template:
    words = {"kinds": VENUE_KINDS, "statuses": STATUSES, "changes": CHANGES}
    return page(request, template, status_code, **words, **context)


def venue_body(draft: dict[str, str], unit_id: str) -> dict[str, Any]:
    """The form as the API takes it: empty optional fields left out, the item count a number when it is one."""
    body: dict[str, Any] = {"unitId": unit_id}
    for name in VENUE_FIELDS:
        value = draft.get(name, "").strip()
        if value:
            body[name] = int(value) if name == "itemCount" and value.isdigit() else value
    return body


class VenuesController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*EDITORS)

    async def _list(
        self, request: AnyRequest, api: Api, *, unit: str, kind: str, status: str, q: str, **form: Any
    ) -> Template:
        chosen = await node_or_none(api, unit)
        kind = kind if kind in VENUE_KINDS else ""
        status = status if status in STATUSES else ""
        query = {"within": chosen["id"] if chosen else None, "kind": kind or None, "status": status or None}
        venues = await api.get(API, **{k: v for k, v in query.items() if v})
        units = await api.get("/api/orgtree/nodes/search", q=q.strip(), limit=20) if q.strip() else []
        return shown(
            request,
            "redflag/venues.html",
            form.pop("status_code", 200),
            venues=venues,
            unit=chosen,
            kind=kind,
            status=status,
            q=q,
            units=units,
            draft=form.pop("draft", {}),
            errors=form.pop("errors", FormErrors()),
        )

    @get("/")
    async def venues(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        *,
        unit: Choice = "",
        kind: Choice = "",
        in_status: Annotated[str, QueryParameter(name="status", max_length=20)] = "",
        q: Name = "",
    ) -> Template:
        return await self._list(request, api, unit=unit, kind=kind, status=in_status, q=q)

    @post("/units/{unit_id:uuid}")
    async def register(
        self, request: AnyRequest, api: NamedDependency[Api], unit_id: FromPath[UUID]
    ) -> Template | Redirect:
        draft = await read_form(request)
        try:
            missing = {name: "" for name in ("kind", "name") if not draft.get(name, "").strip()}
            if missing:
                raise ApiError(422, "missing", missing)
            made = await api.post(API, venue_body(draft, str(unit_id)))
        except ApiError as refused:
            if refused.status != 422:
                raise
            errors = refusal(refused, VENUE_FIELDS)
            return await self._list(
                request, api, unit=str(unit_id), kind="", status="", q="", status_code=422, draft=draft, errors=errors
            )
        return Redirect(f"{HOME}/{made['venue']['id']}", status_code=303)

    async def _venue_page(
        self, request: AnyRequest, api: Api, venue_id: UUID, *, draft: dict[str, str], errors: FormErrors, status: int
    ) -> Template:
        found = await api.get(f"{API}/{venue_id}")
        return shown(
            request,
            "redflag/venue.html",
            status,
            venue=found["venue"],
            history=found["history"],
            draft=draft,
            errors=errors,
            today=china_today().isoformat(),
        )

    @get("/{venue_id:uuid}")
    async def venue(self, request: AnyRequest, api: NamedDependency[Api], venue_id: FromPath[UUID]) -> Template:
        return await self._venue_page(request, api, venue_id, draft={}, errors=FormErrors(), status=200)

    @post("/{venue_id:uuid}/certification")
    async def certify(
        self, request: AnyRequest, api: NamedDependency[Api], venue_id: FromPath[UUID]
    ) -> Template | Redirect:
        draft = await read_form(request)
        body: dict[str, Any] = {
            "status": draft.get("status", "").strip(),
            "changedOn": draft.get("changedOn", "").strip(),
            "signage": draft.get("signage") == "yes",
        }
        if draft.get("note", "").strip():
            body["note"] = draft["note"].strip()
        try:
            missing = {name: "" for name in ("status", "changedOn") if not body[name]}
            if missing:
                raise ApiError(422, "missing", missing)
            await api.post(f"{API}/{venue_id}/certification", body)
        except ApiError as refused:
            if refused.status not in (409, 422):
                raise
            errors = refusal(refused, CHANGE_FIELDS)
            return await self._venue_page(request, api, venue_id, draft=draft, errors=errors, status=refused.status)
        return Redirect(f"{HOME}/{venue_id}", status_code=303)
