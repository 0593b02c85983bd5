"""退单审定 (``/console/returns``): returns of tickets by the unit they were placed on (DSP-18) and their arbitration by
the unit above. The list shows the returns awaiting the reader's ruling with the time left, then those the
reader's units made; a return's page shows its evidence and, to the ruling unit, the ruling form; the 退单 form is
reached from the ticket page; the ping-pong report counts returns per unit. Dispatch's refusals show beside the
field they name."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.forms import NOT_ACCEPTED, FormErrors, read_form
from services.console.i18n import N_
from services.console.returns.words import (
    ALREADY,
    BASES,
    BY_FIELD,
    DECISIONS,
    NOT_YOUR_RULING,
    NOT_YOURS,
    RULED,
    STATES,
)
from services.console.tickets.facts import minutes_left
from services.console.web import AnyRequest, NavEntry, page, signed_in

HOME = "/console/returns"
API = "/api/dispatch/returns"
UNITS = "/api/dispatch/numbers/units"
ROLES = (
    "district_admin",
    "hotline_supervisor",
    "hotline_operator",
    "street_admin",
    "community_cadre",
    "grid_leader",
)
NAV = [NavEntry(f"{HOME}/", N_("Disputed returns"), ROLES)]
TicketId = Annotated[UUID, QueryParameter(name="ticket")]
First = Annotated[str | None, QueryParameter(name="from", max_length=20)]
Last = Annotated[str | None, QueryParameter(name="to", max_length=20)]


def refused(error: ApiError, forbidden: str, conflicted: str) -> FormErrors:
    """Dispatch's refusal beside the field it names, or above the form in the page's words."""
    if error.status == 403:
        return FormErrors(form=forbidden)
    if error.status == 409:
        return FormErrors(form=conflicted)
    said = FormErrors.from_api(error)
    said.fields = {name: BY_FIELD.get(name, NOT_ACCEPTED) for name in said.fields}
    if said.form is not None:
        said.form = NOT_ACCEPTED
    return said


def indented(units: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Units as choices, indented by their depth in the tree."""
    return [{"id": u["id"], "name": "\u3000" * (u["path"].count("/") - 2) + u["name"]} for u in units]


def with_time_left(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [row | {"minutesLeft": minutes_left(row["dueAt"]) if row.get("dueAt") else None} for row in rows]


class ReturnsController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*ROLES)

    @get("/")
    async def returns(self, request: AnyRequest, api: NamedDependency[Api]) -> Template:
        awaiting, made = await asyncio.gather(
            api.get(API, state="pending", side="ruling"), api.get(API, side="returning")
        )
        mine = [row for row in awaiting if row["mayRule"]]
        return page(
            request,
            "returns/returns.html",
            awaiting=with_time_left(mine),
            made=with_time_left(made),
            states=STATES,
            bases=BASES,
        )

    @get("/report")
    async def report(
        self, request: AnyRequest, api: NamedDependency[Api], start: First = None, end: Last = None
    ) -> Template:
        period = {key: value for key, value in (("from", start), ("to", end)) if value}
        try:
            report = await api.get(f"{API}/report", **period)
            errors = FormErrors()
        except ApiError as refusal:
            if refusal.status not in (400, 422):
                raise
            report, errors = await api.get(f"{API}/report"), FormErrors(form=NOT_ACCEPTED)
        return page(request, "returns/report.html", report=report, period=period, errors=errors)

    # the 退单 form, reached from the ticket page

    async def _new(
        self,
        request: AnyRequest,
        api: Api,
        ticket_id: UUID,
        draft: dict[str, str] | None = None,
        errors: FormErrors | None = None,
    ) -> Template:
        ticket, units, catalogue = await asyncio.gather(
            api.get(f"/api/dispatch/tickets/{ticket_id}"), api.get(UNITS), api.get("/api/dispatch/catalogue")
        )
        items = [{"id": i["id"], "name": f"{c['name']} / {i['name']}"} for c in catalogue for i in c["items"]]
        return page(
            request,
            "returns/new.html",
            422 if errors else 200,
            ticket=ticket,
            grids=[{"id": u["id"], "name": u["name"]} for u in units if u["level"] == "grid"],
            units=indented(units),
            items=items,
            bases=BASES,
            draft=draft or {"basis": "grid_boundary"},
            errors=errors or FormErrors(),
        )

    @get("/new")
    async def new(self, request: AnyRequest, api: NamedDependency[Api], ticket_id: TicketId) -> Template:
        return await self._new(request, api, ticket_id)

    @post("/new")
    async def file(self, request: AnyRequest, api: NamedDependency[Api], ticket_id: TicketId) -> Template | Redirect:
        form = await read_form(request)
        basis = form.get("basis", "")
        body: dict[str, Any] = {
            "ticketId": str(ticket_id),
            "basis": basis,
            "citation": form.get("citation", "").strip(),
            "reason": form.get("reason", "").strip(),
        }
        evidence = "gridId" if basis == "grid_boundary" else "itemId"
        body[evidence] = form.get(evidence) or None
        if form.get("proposedUnitId"):
            body["proposedUnitId"] = form["proposedUnitId"]
        try:
            filed = await api.post(API, body)
        except ApiError as refusal:
            if refusal.status not in (403, 409, 422):
                raise
            return await self._new(request, api, ticket_id, form, refused(refusal, NOT_YOURS, ALREADY))
        return Redirect(f"{HOME}/{filed['id']}", status_code=303)

    # one return: its evidence and the ruling

    async def _one(
        self,
        request: AnyRequest,
        api: Api,
        return_id: UUID,
        draft: dict[str, str] | None = None,
        errors: FormErrors | None = None,
    ) -> Template:
        row = await api.get(f"{API}/{return_id}")
        units = indented(await api.get(UNITS)) if row["mayRule"] else []
        history = await api.get(f"{API}", ticketId=row["ticketId"])
        return page(
            request,
            "returns/return.html",
            422 if errors else 200,
            row=with_time_left([row])[0],
            earlier=[other for other in history if other["id"] != row["id"]],
            units=units,
            states=STATES,
            bases=BASES,
            decisions=DECISIONS,
            draft=draft or {"assignToUnitId": row.get("proposedUnitId") or ""},
            errors=errors or FormErrors(),
        )

    @get("/{return_id:uuid}")
    async def one(self, request: AnyRequest, api: NamedDependency[Api], return_id: FromPath[UUID]) -> Template:
        return await self._one(request, api, return_id)

    @post("/{return_id:uuid}")
    async def rule(
        self, request: AnyRequest, api: NamedDependency[Api], return_id: FromPath[UUID]
    ) -> Template | Redirect:
        form = await read_form(request)
        decision = form.get("decision", "")
        body: dict[str, Any] = {"decision": decision, "note": form.get("note", "").strip()}
        if decision == "uphold":
            body["assignToUnitId"] = form.get("assignToUnitId") or None
        try:
            await api.post(f"{API}/{return_id}/ruling", body)
        except ApiError as refusal:
            if refusal.status not in (403, 409, 422):
                raise
            return await self._one(request, api, return_id, form, refused(refusal, NOT_YOUR_RULING, RULED))
        return Redirect(f"{HOME}/{return_id}", status_code=303)


CONTROLLERS: list[type[Controller]] = [ReturnsController]
