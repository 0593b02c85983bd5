"""闲置物品交换 (``/console/swap``, DSP-27 [003]): the idle items registered at the communities with their state and
the registration form; an item's page with each of its steps and the donation form; the month's swap days and the
form to hold one; a swap day's page with the items brought, the forms to bring more, to swap two of them and to give
one to a household in need (困难户: orgtree's low-income, five-guarantee and extremely poor households of the user's
scope); the month's report per community. Owners are shown masked, as dispatch returns them. Dispatch judges; its
refusals are shown beside the field in the catalogue's words (``words.py``)."""

from __future__ import annotations

import re
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.campaigns.controllers import number, unit_options
from services.console.forms import FormErrors, read_form
from services.console.i18n import N_
from services.console.swap.words import (
    BY_FIELD,
    CATEGORIES,
    CONDITIONS,
    IN_NEED,
    LEVELS,
    STAFF,
    STATES,
    STEPS,
    refusal,
)
from services.console.vulnerable.controllers import group_households
from services.console.web import AnyRequest, NavEntry, page, signed_in

HOME = "/console/swap"
API = "/api/dispatch/swap"
NAV = [NavEntry(HOME, N_("Idle-item swap"), STAFF)]
ITEM_FIELDS = (
    "title",
    "category",
    "condition",
    "quantity",
    "communityId",
    "ownerName",
    "ownerPhone",
    "receivedOn",
    "description",
)
EVENT_FIELDS = ("unitId", "heldOn", "place")
DONATION_FIELDS = ("householdId", "donatedOn", "note", "itemId", "eventId")
GIFT = "giftItemId"  # the swap day's donation form: which of the items brought is given
WORDS: dict[str, Any] = {
    "categories": CATEGORIES,
    "conditions": CONDITIONS,
    "states": STATES,
    "steps": STEPS,
    "levels": LEVELS,
}
_MONTH = re.compile(r"20\d{2}-(0[1-9]|1[0-2])")
Month = Annotated[str, QueryParameter(max_length=7)]


def month_params(month: str) -> dict[str, str]:
    return {"month": month} if _MONTH.fullmatch(month) else {}


def missing_fields(body: dict[str, Any], required: tuple[str, ...]) -> None:
    """An empty required field is refused here as dispatch would, beside the field."""
    empty = {name: "" for name in required if body.get(name) in ("", None)}
    if empty:
        raise ApiError(422, "missing", empty)


async def households_in_need(api: Api) -> list[dict[str, str]]:
    """Orgtree's households in need of the user's scope, by label and masked head (none where it refuses)."""
    found = []
    for h in await group_households(api, IN_NEED):
        name = " ".join(part for part in (h.get("label"), h.get("headName")) if part)
        found.append({"id": str(h["id"]), "name": name or str(h["id"])[:8]})
    return sorted(found, key=lambda h: h["name"])


def household_names(households: list[dict[str, str]]) -> dict[str, str]:
    return {h["id"]: h["name"] for h in households}


def item_options(items: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [{"id": i["id"], "name": f"{i['title']}（{i['ownerName']}）"} for i in items if i["state"] == "available"]


class SwapController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*STAFF)

    # --- items -----------------------------------------------------------------------------------------------

    async def _items(
        self,
        request: AnyRequest,
        api: Api,
        state: str,
        draft: dict[str, str] | None = None,
        errors: FormErrors | None = None,
        status: int = 200,
    ) -> Template:
        params = {"state": state} if state in STATES else {}
        items = await api.get(f"{API}/items", limit=200, **params)
        units = await api.get(f"{API}/units")
        communities = unit_options([u for u in units if u["level"] == "village"])
        return page(
            request,
            "swap/items.html",
            status,
            **WORDS,
            items=items,
            state=state,
            communities=communities,
            draft=draft or {"quantity": "1"},
            errors=errors or FormErrors(),
        )

    @get("/")
    async def items(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        item_state: Annotated[str, QueryParameter(name="state", max_length=12)] = "",
    ) -> Template:
        return await self._items(request, api, item_state)

    @post("/items")
    async def register(self, request: AnyRequest, api: NamedDependency[Api]) -> Template | Redirect:
        typed = await read_form(request)
        body: dict[str, Any] = {name: typed.get(name, "").strip() for name in ITEM_FIELDS}
        body["quantity"] = number(body["quantity"] or "1")
        body["ownerPhone"] = body["ownerPhone"] or None
        body["receivedOn"] = body["receivedOn"] or None
        try:
            missing_fields(body, ("title", "category", "condition", "communityId", "ownerName"))
            made = await api.post(f"{API}/items", body)
        except ApiError as refused:
            if refused.status not in (404, 422):
                raise
            errors = refusal(refused, ITEM_FIELDS, "communityId")
            return await self._items(request, api, "", typed, errors, refused.status)
        return Redirect(f"{HOME}/items/{made['id']}", status_code=303)

    async def _item(
        self,
        request: AnyRequest,
        api: Api,
        item_id: UUID,
        draft: dict[str, str] | None = None,
        errors: FormErrors | None = None,
        status: int = 200,
    ) -> Template:
        item = await api.get(f"{API}/items/{item_id}")
        households = await households_in_need(api) if item["state"] == "available" or item["householdId"] else []
        return page(
            request,
            "swap/item.html",
            status,
            **WORDS,
            item=item,
            households=households,
            household_names=household_names(households),
            draft=draft or {},
            errors=errors or FormErrors(),
        )

    @get("/items/{item_id:uuid}")
    async def item(self, request: AnyRequest, api: NamedDependency[Api], item_id: FromPath[UUID]) -> Template:
        return await self._item(request, api, item_id)

    @post("/items/{item_id:uuid}/donation")
    async def donate(
        self, request: AnyRequest, api: NamedDependency[Api], item_id: FromPath[UUID]
    ) -> Template | Redirect:
        typed = await read_form(request)
        body = {
            "householdId": typed.get("householdId", "").strip(),
            "donatedOn": typed.get("donatedOn", "").strip() or None,
            "note": typed.get("note", "").strip(),
        }
        try:
            missing_fields(body, ("householdId",))
            await api.post(f"{API}/items/{item_id}/donation", body)
        except ApiError as refused:
            if refused.status not in (404, 409, 422):
                raise
            errors = refusal(refused, DONATION_FIELDS, "householdId")
            return await self._item(request, api, item_id, typed, errors, refused.status)
        return Redirect(f"{HOME}/items/{item_id}", status_code=303)

    # --- swap days -------------------------------------------------------------------------------------------

    async def _events(
        self,
        request: AnyRequest,
        api: Api,
        month: str,
        draft: dict[str, str] | None = None,
        errors: FormErrors | None = None,
        status: int = 200,
    ) -> Template:
        events = await api.get(f"{API}/events", **month_params(month))
        units = unit_options(await api.get(f"{API}/units"))
        return page(
            request,
            "swap/events.html",
            status,
            **WORDS,
            events=events,
            month=month if _MONTH.fullmatch(month) else "",
            units=units,
            draft=draft or {},
            errors=errors or FormErrors(),
        )

    @get("/events")
    async def events(self, request: AnyRequest, api: NamedDependency[Api], month: Month = "") -> Template:
        return await self._events(request, api, month)

    @post("/events")
    async def hold(self, request: AnyRequest, api: NamedDependency[Api]) -> Template | Redirect:
        typed = await read_form(request)
        body = {name: typed.get(name, "").strip() for name in EVENT_FIELDS}
        try:
            missing_fields(body, EVENT_FIELDS)
            made = await api.post(f"{API}/events", body)
        except ApiError as refused:
            if refused.status not in (404, 409, 422):
                raise
            errors = refusal(refused, EVENT_FIELDS, "unitId")
            return await self._events(request, api, body["heldOn"][:7], typed, errors, refused.status)
        return Redirect(f"{HOME}/events/{made['id']}", status_code=303)

    async def _event(
        self,
        request: AnyRequest,
        api: Api,
        event_id: UUID,
        form: str = "",
        draft: dict[str, str] | None = None,
        errors: FormErrors | None = None,
        status: int = 200,
    ) -> Template:
        event = await api.get(f"{API}/events/{event_id}")
        brought = {i["id"] for i in event["items"]}
        waiting = await api.get(f"{API}/items", state="available", limit=200)
        households = await households_in_need(api)
        return page(
            request,
            "swap/event.html",
            status,
            **WORDS,
            event=event,
            to_bring=[i for i in waiting if i["id"] not in brought],
            at_event=item_options(event["items"]),
            households=households,
            household_names=household_names(households),
            form=form,
            draft=draft or {},
            errors=errors or FormErrors(),
        )

    @get("/events/{event_id:uuid}")
    async def event(self, request: AnyRequest, api: NamedDependency[Api], event_id: FromPath[UUID]) -> Template:
        return await self._event(request, api, event_id)

    async def _post_at_event(
        self, request: AnyRequest, api: Api, event_id: UUID, form: str, path: str, body: dict[str, Any], typed: Any
    ) -> Template | Redirect:
        try:
            missing_fields(body, tuple(body))
            await api.post(path, body)
        except ApiError as refused:
            if refused.status not in (404, 409, 422):
                raise
            not_found = {"bring": "itemIds", "swaps": "itemId", "donation": "householdId"}[form]
            errors = refusal(refused, (*body, *DONATION_FIELDS), not_found)
            if "eventId" in errors.fields:  # the item given was not brought here: beside the form's item choice
                errors.fields[GIFT] = errors.fields.pop("eventId")
            return await self._event(request, api, event_id, form, typed, errors, refused.status)
        return Redirect(f"{HOME}/events/{event_id}", status_code=303)

    @post("/events/{event_id:uuid}/items")
    async def bring(
        self, request: AnyRequest, api: NamedDependency[Api], event_id: FromPath[UUID]
    ) -> Template | Redirect:
        form = await request.form()
        ticked = [str(v) for v in form.getall("itemIds", [])]
        body: dict[str, Any] = {"itemIds": ticked or ""}
        return await self._post_at_event(request, api, event_id, "bring", f"{API}/events/{event_id}/items", body, {})

    @post("/events/{event_id:uuid}/swaps")
    async def swap(
        self, request: AnyRequest, api: NamedDependency[Api], event_id: FromPath[UUID]
    ) -> Template | Redirect:
        typed = await read_form(request)
        body = {"itemId": typed.get("itemId", ""), "forItemId": typed.get("forItemId", "")}
        return await self._post_at_event(request, api, event_id, "swaps", f"{API}/events/{event_id}/swaps", body, typed)

    @post("/events/{event_id:uuid}/donation")
    async def donate_at_event(
        self, request: AnyRequest, api: NamedDependency[Api], event_id: FromPath[UUID]
    ) -> Template | Redirect:
        typed = await read_form(request)
        item_id = typed.get(GIFT, "").strip()
        body = {"householdId": typed.get("householdId", "").strip(), "eventId": str(event_id)}
        if not item_id:
            errors = FormErrors(fields={GIFT: BY_FIELD["itemId"]})
            return await self._event(request, api, event_id, "donation", typed, errors, 422)
        path = f"{API}/items/{item_id}/donation"
        return await self._post_at_event(request, api, event_id, "donation", path, body, typed)

    # --- the month's report ----------------------------------------------------------------------------------

    @get("/report")
    async def report(self, request: AnyRequest, api: NamedDependency[Api], month: Month = "") -> Template:
        report = await api.get(f"{API}/report", **month_params(month))
        return page(request, "swap/report.html", **WORDS, report=report)


CONTROLLERS = [SwapController]
