"""住户 (``/console/people/households``): the households under the user's scope, paged and filtered (a unit, a
category, those no member serves), head, address and phone masked as orgtree returns them; a household's page
with the members who serve it and the audited reveal; the new-household and edit forms (the phone checked as the
user types and again by orgtree)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.forms import FormErrors, read_form
from services.console.people.forms import REVEAL_FIELDS, given, require, reveal, said
from services.console.people.units import node_or_none, unit_choices, unit_names
from services.console.people.words import CATEGORIES, EARLIER_EVENTS, HOUSEHOLD_EVENTS, HOUSEHOLD_FIELDS, KEEPERS
from services.console.web import AnyRequest, page, signed_in

HOME = "/console/people"
API = "/api/orgtree/households"
PAGE_SIZE = 50
CREATE_FIELDS = ("gridId", "label", "headName", "address", "phone")
EVENT_FIELDS = ("kind", "occurredOn", "note")
EDIT_FIELDS = ("label", "headName", "address", "phone", "categories")
Text = Annotated[str, QueryParameter(max_length=50)]
Cursor = Annotated[str, QueryParameter(max_length=500)]
Unit = Annotated[str, QueryParameter(max_length=40)]
CHOOSABLE = {k: v for k, v in CATEGORIES.items() if k != "restricted"}


def shown(request: AnyRequest, template: str, status_code: int = 200, **context: Any) -> Template:
    return page(request, template, status_code, categories=CATEGORIES, choosable=CHOOSABLE, **context)


async def household_page(
    request: AnyRequest,
    api: Api,
    household_id: UUID,
    *,
    status: int = 200,
    errors: FormErrors | None = None,
    typed: dict[str, str] | None = None,
    revealed: dict[str, str] | None = None,
) -> Template:
    household = await api.get(f"{API}/{household_id}")
    servers = await api.get(f"{API}/{household_id}/members")
    events = await api.get(f"{API}/{household_id}/events")
    names = await unit_names(api, {household["gridId"]})
    return shown(
        request,
        "people/household.html",
        status,
        h=household,
        servers=servers,
        events=events,
        event_kinds=HOUSEHOLD_EVENTS,
        event_words=HOUSEHOLD_EVENTS | EARLIER_EVENTS,
        names=names,
        errors=errors or FormErrors(),
        typed=typed or {},
        revealed=revealed,
        revealable=HOUSEHOLD_FIELDS,
    )


class HouseholdsController(Controller):
    path = f"{HOME}/households"
    include_in_schema = False
    guards = signed_in(*KEEPERS)

    @get("/")
    async def households(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        *,
        unit: Unit = "",
        category: Text = "",
        unserved: Text = "",
        after: Cursor = "",
    ) -> Template:
        chosen = await node_or_none(api, unit)
        filters = {
            "unit": chosen["id"] if chosen else "",
            "category": category if category in CHOOSABLE else "",
            "unserved": "1" if unserved == "1" else "",
        }
        listed = await api.get(
            API,
            within=filters["unit"] or None,
            category=filters["category"] or None,
            unserved="true" if filters["unserved"] else None,
            after=after or None,
            limit=PAGE_SIZE,
        )
        names = await unit_names(api, {h["gridId"] for h in listed["items"]})
        return shown(
            request,
            "people/households.html",
            households=listed["items"],
            names=names,
            next_after=listed.get("nextAfter"),
            paged=bool(after),
            filters=filters,
            unit=chosen,
        )

    async def _form(
        self, request: AnyRequest, api: Api, typed: dict[str, str], *, errors: FormErrors, status: int
    ) -> Template:
        choices = await unit_choices(api, typed.get("q", ""), typed.get("gridId"))
        return shown(request, "people/household_form.html", status, typed=typed, errors=errors, choices=choices)

    @get("/new")
    async def new(self, request: AnyRequest, api: NamedDependency[Api], unit: Unit = "", q: Text = "") -> Template:
        return await self._form(request, api, {"q": q, "unit": unit, "gridId": unit}, errors=FormErrors(), status=200)

    @post("/")
    async def create(self, request: AnyRequest, api: NamedDependency[Api]) -> Template | Redirect:
        typed = await read_form(request)
        body = given(typed, CREATE_FIELDS)
        try:
            require(body, ("gridId", "label"))
            made = await api.post(API, body)
        except ApiError as refused:
            errors = said(refused, CREATE_FIELDS, typed, unit_field="gridId")
            return await self._form(request, api, typed, errors=errors, status=422)
        return Redirect(f"{HOME}/households/{made['id']}", status_code=303)

    @get("/{household_id:uuid}/edit")
    async def edit(self, request: AnyRequest, api: NamedDependency[Api], household_id: FromPath[UUID]) -> Template:
        household = await api.get(f"{API}/{household_id}")
        typed = {"label": household["label"], "categories": ",".join(household["categories"])}
        return shown(request, "people/household_edit.html", h=household, typed=typed, errors=FormErrors())

    @post("/{household_id:uuid}")
    async def update(
        self, request: AnyRequest, api: NamedDependency[Api], household_id: FromPath[UUID]
    ) -> Template | Redirect:
        """Only what was typed changes: an empty head, address or phone keeps the one on record. Restricted
        categories the user does not see (shown as one mark) are not offered, so they are kept as they were."""
        household = await api.get(f"{API}/{household_id}")
        form = await request.form()
        typed = {k: str(v) for k, v in form.items() if k not in {"_csrf_token", "categories"}}
        chosen = [str(v) for v in form.getall("categories")] if "categories" in form else []
        typed["categories"] = ",".join(chosen)
        body: dict[str, Any] = given(typed, ("label", "headName", "address", "phone"))
        if "restricted" not in household["categories"]:
            body["categories"] = chosen
        try:
            require(body, ("label",))
            await api.call("PATCH", f"{API}/{household_id}", json=body)
        except ApiError as refused:
            errors = said(refused, EDIT_FIELDS, typed)
            return shown(request, "people/household_edit.html", 422, h=household, typed=typed, errors=errors)
        return Redirect(f"{HOME}/households/{household_id}", status_code=303)

    @post("/{household_id:uuid}/events")
    async def record_event(
        self, request: AnyRequest, api: NamedDependency[Api], household_id: FromPath[UUID]
    ) -> Template | Redirect:
        """What happened to the household (住院, 意外事故 ...): dispatch raises a mandatory visit for the eight 必访."""
        typed = await read_form(request)
        body = given(typed, EVENT_FIELDS)
        try:
            require(body, ("kind", "occurredOn"))
            await api.post(f"{API}/{household_id}/events", body)
        except ApiError as refused:
            errors = said(refused, EVENT_FIELDS, typed)
            return await household_page(request, api, household_id, status=422, errors=errors, typed=typed)
        return Redirect(f"{HOME}/households/{household_id}#h-events", status_code=303)

    @get("/{household_id:uuid}")
    async def household(self, request: AnyRequest, api: NamedDependency[Api], household_id: FromPath[UUID]) -> Template:
        return await household_page(request, api, household_id)

    @post("/{household_id:uuid}/reveal", status_code=200)
    async def reveal(self, request: AnyRequest, api: NamedDependency[Api], household_id: FromPath[UUID]) -> Template:
        typed = await read_form(request)
        try:
            revealed = await reveal(api, f"{API}/{household_id}/reveal", typed, HOUSEHOLD_FIELDS)
        except ApiError as refused:
            errors = said(refused, REVEAL_FIELDS, typed)
            return await household_page(request, api, household_id, status=422, errors=errors, typed=typed)
        template = await household_page(request, api, household_id, typed=typed, revealed=revealed)
        template.headers["Cache-Control"] = "no-store"
        return template
