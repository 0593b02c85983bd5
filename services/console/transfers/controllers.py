"""跨区县转移 (``/console/transfers``, district admins): the district's outgoing offers with their state, offering a
member (from the member's page, or found by name), the incoming offers, and an offer's page: the member (masked until
accepted) and the training history they bring, accepting into one of the district's party branches or declining with
a reason; withdrawing an open offer of the district's own. The gateway holds the offers and says what is refused."""

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
from services.console.people.units import unit_choices
from services.console.transfers.words import BY_FIELD, KINDS, OFFER_FIELDS, STATES, refusal
from services.console.web import AnyRequest, NavEntry, page, signed_in

HOME = "/console/transfers"
ADMINS = ("district_admin",)
NAV = [NavEntry(HOME, N_("Transfers between districts"), ADMINS)]
OFFERS = "/transfers/offers"
Query = Annotated[str, QueryParameter(max_length=50)]
MemberParam = Annotated[str, QueryParameter(name="member", max_length=40)]


def shown(request: AnyRequest, template: str, status: int = 200, **context: Any) -> Template:
    return page(request, template, status, states=STATES, kinds=KINDS, **context)


class TransferController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*ADMINS)

    @get("/")
    async def offers(self, request: AnyRequest, api: NamedDependency[Api]) -> Template:
        outgoing = await api.get(OFFERS, direction="outgoing")
        incoming = await api.get(OFFERS, direction="incoming")
        return shown(request, "transfers/offers.html", outgoing=outgoing, incoming=incoming)

    async def _form(
        self, request: AnyRequest, api: Api, draft: dict[str, str], errors: FormErrors, status: int = 200
    ) -> Template:
        """The offer form: the member chosen on their page, or found here by name (orgtree's masked list)."""
        q = draft.get("q", "").strip()
        chosen = draft.get("memberId", "")
        members = (await api.get("/api/orgtree/members", name=q, limit=50))["items"] if q else []
        if chosen and chosen not in {m["id"] for m in members}:
            try:
                members.insert(0, await api.get(f"/api/orgtree/members/{chosen}"))
            except ApiError as error:
                if error.status not in (404, 422):
                    raise
        options = [{"id": m["id"], "name": m["name"]} for m in members]
        districts = [{"id": d["slug"], "name": d["name"]} for d in await api.get("/transfers/districts")]
        context = {"members": options, "districts": districts, "draft": draft, "errors": errors}
        return shown(request, "transfers/offer_form.html", status, **context)

    @get("/new")
    async def new(
        self, request: AnyRequest, api: NamedDependency[Api], member: MemberParam = "", q: Query = ""
    ) -> Template:
        return await self._form(request, api, {"memberId": member, "q": q}, FormErrors())

    @post("/")
    async def offer(self, request: AnyRequest, api: NamedDependency[Api]) -> Template | Redirect:
        draft = await read_form(request)
        body = {name: draft.get(name, "").strip() for name in OFFER_FIELDS}
        missing = {name: "" for name in OFFER_FIELDS if not body[name]}
        try:
            if missing:
                raise ApiError(422, "missing", missing)
            made = await api.post(OFFERS, body)
        except ApiError as refused:
            if refused.status == 404:  # the member is not one of the district's (or not the user's to see)
                refused = ApiError(422, refused.detail, {"memberId": ""})
            if refused.status not in (409, 422):
                raise
            errors = refusal(refused)
            return await self._form(request, api, draft, errors, refused.status)
        return Redirect(f"{HOME}/offers/{made['id']}", status_code=303)

    async def _offer(
        self,
        request: AnyRequest,
        api: Api,
        offer_id: UUID,
        *,
        q: str = "",
        typed: dict[str, str] | None = None,
        errors: FormErrors | None = None,
        status: int = 200,
    ) -> Template:
        offer = await api.get(f"{OFFERS}/{offer_id}")
        deciding = offer["direction"] == "incoming" and offer["status"] == "offered"
        typed = typed or {}
        choices = await unit_choices(api, q, typed.get("branchId")) if deciding else None
        carried = None
        if offer["direction"] == "incoming" and offer["status"] == "accepted" and offer["memberId"]:
            try:
                carried = await api.get("/api/training/transfers/carried-over", memberId=offer["memberId"])
            except (
                ApiError
            ) as error:  # training has not heard of the member yet: the page says the records are on the way
                if error.status != 404:
                    raise
        return shown(
            request,
            "transfers/offer.html",
            status,
            offer=offer,
            deciding=deciding,
            branches=choices.branches if choices else [],
            searched=bool(choices and choices.searched),
            q=q,
            typed=typed,
            errors=errors or FormErrors(),
            carried=carried,
        )

    @get("/offers/{offer_id:uuid}")
    async def one(
        self, request: AnyRequest, api: NamedDependency[Api], offer_id: FromPath[UUID], q: Query = ""
    ) -> Template:
        return await self._offer(request, api, offer_id, q=q)

    async def _decide(
        self, request: AnyRequest, api: Api, offer_id: UUID, action: str, typed: dict[str, str], body: dict[str, Any]
    ) -> Template | Redirect:
        try:
            await api.post(f"{OFFERS}/{offer_id}/{action}", body)
        except ApiError as refused:
            if refused.status not in (409, 422):
                raise
            errors = refusal(refused)
            q = typed.get("q", "")
            return await self._offer(request, api, offer_id, q=q, typed=typed, errors=errors, status=refused.status)
        return Redirect(f"{HOME}/offers/{offer_id}", status_code=303)

    @post("/offers/{offer_id:uuid}/accept")
    async def accept(
        self, request: AnyRequest, api: NamedDependency[Api], offer_id: FromPath[UUID]
    ) -> Template | Redirect:
        typed = await read_form(request)
        branch = typed.get("branchId", "").strip()
        if not branch:
            errors = FormErrors(fields={"branchId": BY_FIELD["branchId"]})
            return await self._offer(request, api, offer_id, q=typed.get("q", ""), errors=errors, status=422)
        return await self._decide(request, api, offer_id, "accept", typed, {"branchId": branch})

    @post("/offers/{offer_id:uuid}/decline")
    async def decline(
        self, request: AnyRequest, api: NamedDependency[Api], offer_id: FromPath[UUID]
    ) -> Template | Redirect:
        typed = await read_form(request)
        reason = typed.get("reason", "").strip()
        if not reason:
            errors = FormErrors(fields={"reason": BY_FIELD["reason"]})
            return await self._offer(request, api, offer_id, typed=typed, errors=errors, status=422)
        return await self._decide(request, api, offer_id, "decline", typed, {"reason": reason})

    @post("/offers/{offer_id:uuid}/withdraw")
    async def withdraw(
        self, request: AnyRequest, api: NamedDependency[Api], offer_id: FromPath[UUID]
    ) -> Template | Redirect:
        return await self._decide(request, api, offer_id, "withdraw", await read_form(request), {})


CONTROLLERS = [TransferController]
