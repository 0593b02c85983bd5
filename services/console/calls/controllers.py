"""Taking a call (``/console/calls``): the caller's number → the caller's card (dispatch's caller lookup:
earlier tickets here, the household(s) orgtree knows and the red-cell member who serves them, all masked) →
the new-ticket form → on saving, the open tickets dispatch's dry run finds alike, offered before anything is
stored (open one, add the call to it, or save anyway) → the ticket's page.

The number typed is sent in POST bodies only (never in an address) and shown again only inside its form field;
everything else on these pages is what the APIs answered, masked.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.calls import card
from services.console.calls.intake import FORM_FIELDS, Draft, refusal
from services.console.desk.queue import STAGES
from services.console.dispatch_labels import CHANNELS, PRIORITIES
from services.console.forms import FormErrors, read_form
from services.console.i18n import N_
from services.console.web import AnyRequest, NavEntry, page, signed_in

ROLES = ("hotline_operator", "district_admin")
NAV = NavEntry("/console/calls", N_("Take a call"), ROLES)
ENTER_NUMBER = N_("Enter the caller's number.")
CategoryId = Annotated[str, QueryParameter(name="categoryId", max_length=40)]


def _items(catalogue: list[dict[str, Any]], category_id: str) -> list[dict[str, Any]]:
    return next((list(c["items"]) for c in catalogue if c["id"] == category_id), [])


async def _call_page(
    request: AnyRequest,
    api: Api,
    *,
    phone: str,
    call: str = "",
    held: dict[str, Any] | None = None,
    draft: Draft | None = None,
    errors: FormErrors | None = None,
    duplicates: list[dict[str, Any]] | None = None,
    status: int = 200,
) -> Template:
    """The page at each step: the number's form, and once a caller is looked up (or skipped) the card and the
    new-ticket form, with the possible duplicates offered in place of its save button."""
    errors = errors or FormErrors()
    context: dict[str, Any] = {"phone": phone, "call": call, "card": held, "errors": errors}
    if draft is not None:
        catalogue, grids = await asyncio.gather(api.get("/api/dispatch/catalogue"), card.district_grids(api))
        focus = next((name for name in FORM_FIELDS if name in errors.fields), "categoryId")
        context |= {
            "draft": draft,
            "duplicates": duplicates or [],
            "catalogue": catalogue,
            "category_names": {c["id"]: c["name"] for c in catalogue},
            "items": _items(catalogue, draft.get("categoryId")),
            "grids": grids,
            "households": card.households(held),
            "open_tickets": card.open_tickets(held),
            "channels": CHANNELS,
            "priorities": PRIORITIES,
            # the offer has the focus when shown; else the first field with a message, else the category (the next
            # thing the operator asks)
            "focus": "" if duplicates else focus,
        }
    return page(
        request, "calls/call.html", status_code=status, stages=STAGES, lookup=card.LOOKUP, same=card.SAME, **context
    )


class CallController(Controller):
    path = "/console/calls"
    include_in_schema = False
    guards = signed_in(*ROLES)

    @get("/")
    async def start(self, request: AnyRequest, api: NamedDependency[Api]) -> Template:
        return await _call_page(request, api, phone="")

    @post("/", status_code=200)
    async def look_up(self, request: AnyRequest, api: NamedDependency[Api]) -> Template:
        """The caller's card and a new-ticket form for them (the number stays in the POST body)."""
        phone = (await read_form(request)).get("phone", "").strip()
        if not phone:
            return await _call_page(request, api, phone="", errors=FormErrors({"phone": ENTER_NUMBER}), status=422)
        try:
            found = await api.post("/api/dispatch/callers/lookup", {"phone": phone})
        except ApiError as refused:
            if refused.status != 422:
                raise
            return await _call_page(request, api, phone=phone, errors=refusal(refused), status=422)
        call = card.keep(request, found)
        draft = Draft.blank(phone, card.households(found))
        return await _call_page(request, api, phone=phone, call=call, held=found, draft=draft)

    @get("/new")
    async def without_number(self, request: AnyRequest, api: NamedDependency[Api]) -> Template:
        """A call whose number is withheld (or a request brought in by hand): the form without a card."""
        return await _call_page(request, api, phone="", draft=Draft.blank("", []))

    @post("/tickets")
    async def save(self, request: AnyRequest, api: NamedDependency[Api]) -> Template | Redirect:
        """Save the new ticket, unless dispatch's dry run finds open tickets alike that this form has not offered
        yet: then nothing is stored and they are offered (open one, add the call to it, or save anyway)."""
        form = await read_form(request)
        call = form.get("call", "")
        held = card.held(request, call)
        draft = Draft(form)
        try:
            alike = await api.post("/api/dispatch/tickets/duplicates", draft.probe()) if draft.probe() else []
            if any(str(ticket["id"]) not in draft.offered() for ticket in alike):
                offer = draft.offering(alike)
                return await _call_page(request, api, phone="", call=call, held=held, draft=offer, duplicates=alike)
            created = await api.post("/api/dispatch/tickets", draft.body())
        except ApiError as refused:
            if refused.status != 422:
                raise
            return await _call_page(
                request, api, phone="", call=call, held=held, draft=draft, errors=refusal(refused), status=422
            )
        card.drop(request, call)
        return Redirect(f"/console/tickets/{created['ticket']['id']}", status_code=303)

    @post("/{ticket_id:uuid}/supplement")
    async def supplement(self, request: AnyRequest, api: NamedDependency[Api], ticket_id: FromPath[UUID]) -> Redirect:
        """「补充到此工单」: the call is about that open ticket, so no ticket is created: what the caller said
        (the form's title and description) goes into that ticket's history as a note, and the ticket opens
        (another district's is the 404 page)."""
        form = await read_form(request)
        said = "；".join(part.strip() for part in (form.get("title", ""), form.get("description", "")) if part.strip())
        await api.post(f"/api/dispatch/tickets/{ticket_id}/notes", {"text": f"来电补充：{said or '同一诉求再次来电'}"})
        card.drop(request, form.get("call", ""))
        return Redirect(f"/console/tickets/{ticket_id}", status_code=303)

    @get("/items")
    async def items(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        category_id: CategoryId = "",
    ) -> Template:
        """The item field for the chosen category (htmx swaps it in when the category changes)."""
        catalogue = await api.get("/api/dispatch/catalogue")
        return page(
            request,
            "calls/item_field.html",
            items=_items(catalogue, category_id),
            draft=Draft({"categoryId": category_id}),
            errors=FormErrors(),
        )
