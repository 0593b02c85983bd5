"""微基金 (``/console/fund``): each village's micro-fund (DSP-23 [000]) with its balance; a village's ledger of
benefactors' donations and the payments out of it, each for a micro-wish or a case. A payment beyond the balance
is refused by dispatch (409), and the page says the balance."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.forms import NOT_ACCEPTED, FormErrors, read_form
from services.console.i18n import N_
from services.console.web import AnyRequest, NavEntry, page, signed_in

HOME = "/console/fund"
API = "/api/dispatch/fund/villages"
READERS = ("district_admin", "street_admin", "community_cadre", "hotline_operator", "hotline_supervisor")
NAV = [NavEntry(HOME, N_("Village micro-fund"), READERS)]
KINDS = {"donation": N_("Donation"), "disbursement": N_("Payment")}
BY_FIELD = {
    "amount": N_("Enter an amount in yuan above 0, with at most two decimals."),
    "donor": N_("Name the benefactor, as they wish to be named."),
    "receivedOn": N_("Enter the day it was received: not in the future, nor more than a year ago."),
    "paidOn": N_("Enter the day it was paid: not in the future, nor more than a year ago."),
    "purpose": N_("Say what the money pays for."),
    "wishId": N_("Choose the micro-wish or the case it pays for (one of the two), of this village."),
    "ticketId": N_("Choose the micro-wish or the case it pays for (one of the two), of this village."),
}
DONATION = ("amount", "donor", "receivedOn", "purpose")
# the donation form's own names for the fields both forms have (one page, one id each)
GIFT = {"amount": "giftAmount", "purpose": "giftPurpose"}
DISBURSEMENT = ("amount", "purpose", "paidOn", "wishId", "ticketId")
OVER_BALANCE = N_("This is more than the fund holds: see its balance above.")


def amount(value: str) -> float | str:
    """The amount as a number for the API; anything else goes as typed and the API names the field."""
    try:
        return float(value.strip())
    except ValueError:
        return value.strip()


def refusal(error: ApiError, shown: tuple[str, ...], names: dict[str, str] | None = None) -> FormErrors:
    """Dispatch's refusal beside the form's field (``names``: the API's field -> the form's, where they differ)."""
    names = names or {}
    if error.status == 409:
        return FormErrors(fields={"amount": OVER_BALANCE})
    if error.status == 404:  # a wish or case the caller may not see
        return FormErrors(fields={"wishId": BY_FIELD["wishId"]})
    fields = {names.get(name, name): BY_FIELD.get(name, NOT_ACCEPTED) for name in error.fields if name in shown}
    return FormErrors(fields=fields, form=None if fields else NOT_ACCEPTED)


class FundController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*READERS)

    @get("/")
    async def villages(self, request: AnyRequest, api: NamedDependency[Api]) -> Template:
        return page(request, "fund/villages.html", villages=await api.get(API))

    async def _ledger(
        self,
        request: AnyRequest,
        api: Api,
        village_id: UUID,
        form: str = "",
        draft: dict[str, str] | None = None,
        errors: FormErrors | None = None,
        status: int = 200,
    ) -> Template:
        ledger = await api.get(f"{API}/{village_id}")
        wishes = [{"id": w["id"], "name": w["title"]} for w in await api.get("/api/dispatch/wishes", limit=100)]
        tickets = await api.get("/api/dispatch/tickets", limit=100)
        cases = [{"id": t["id"], "name": f"{t['number']} {t['title']}"} for t in tickets["items"]]
        return page(
            request,
            "fund/ledger.html",
            status,
            kinds=KINDS,
            ledger=ledger,
            wishes=wishes,
            cases=cases,
            form=form,
            draft=draft or {},
            errors=errors or FormErrors(),
        )

    @get("/{village_id:uuid}")
    async def ledger(self, request: AnyRequest, api: NamedDependency[Api], village_id: FromPath[UUID]) -> Template:
        return await self._ledger(request, api, village_id)

    async def _book(
        self,
        request: AnyRequest,
        api: Api,
        village_id: UUID,
        form: str,
        body: dict[str, Any],
        typed: dict[str, str],
        shown: tuple[str, ...],
        names: dict[str, str] | None = None,
    ) -> Template | Redirect:
        try:
            required = ("amount", "donor") if form == "donations" else ("amount", "purpose")
            missing = {name: "" for name in required if body[name] == ""}
            if missing:
                raise ApiError(422, "missing", missing)
            await api.post(f"{API}/{village_id}/{form}", body)
        except ApiError as refused:
            if refused.status not in (404, 409, 422):
                raise
            errors = refusal(refused, shown, names)
            return await self._ledger(request, api, village_id, form, typed, errors, refused.status)
        return Redirect(f"{HOME}/{village_id}", status_code=303)

    @post("/{village_id:uuid}/donations")
    async def donate(
        self, request: AnyRequest, api: NamedDependency[Api], village_id: FromPath[UUID]
    ) -> Template | Redirect:
        typed = await read_form(request)
        body: dict[str, Any] = {name: typed.get(GIFT.get(name, name), "").strip() for name in DONATION}
        body["amount"] = amount(body["amount"])
        body["receivedOn"] = body["receivedOn"] or None
        return await self._book(request, api, village_id, "donations", body, typed, DONATION, GIFT)

    @post("/{village_id:uuid}/disbursements")
    async def disburse(
        self, request: AnyRequest, api: NamedDependency[Api], village_id: FromPath[UUID]
    ) -> Template | Redirect:
        typed = await read_form(request)
        body: dict[str, Any] = {name: typed.get(name, "").strip() for name in DISBURSEMENT}
        body["amount"] = amount(body["amount"])
        for name in ("paidOn", "wishId", "ticketId"):
            body[name] = body[name] or None
        return await self._book(request, api, village_id, "disbursements", body, typed, DISBURSEMENT)


CONTROLLERS = [FundController]
