"""The micro-wish claim platform (DSP-22): staff collect and publish, volunteers or units claim and fulfil."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.access import PROVIDERS, STAFF
from services.dispatch.models import MicroWish, WishStatus
from services.dispatch.wishes.schemas import WishClaim, WishCreate, WishFulfil, WishView
from services.dispatch.wishes.services import EVIDENCE_MAX_BYTES, WishService
from shared.auth.principal import Principal
from shared.http.guards import principal_of, requires_role, requires_tenant
from shared.settings import Settings, get_settings
from shared.storage import ObjectStore

AnyRequest = Request[Any, Any, Any]
Status = Annotated[str | None, QueryParameter(name="status", pattern="^(" + "|".join(WishStatus) + ")$")]


def wish_dependencies(settings: Settings | None) -> dict[str, Provide]:
    """The object store for evidence photos, built once per app (the client opens no connection here)."""
    store = ObjectStore(settings or get_settings())

    def provide() -> ObjectStore:
        return store

    return {"evidence_store": Provide(provide, sync_to_thread=False)}


def wish_view(w: MicroWish, principal: Principal) -> WishView:
    staff = principal.has_role(*STAFF)
    return WishView(
        id=w.id, source=w.source, title=w.title, description=w.description, value_yuan=w.value_yuan,
        household_id=w.household_id if staff else None, grid_id=w.grid_id, beneficiary=w.beneficiary_masked,
        status=w.status, claimer_kind=w.claimer_kind, claimer_unit=w.claimer_unit,
        claimed_by_me=w.claimer_user_id is not None and w.claimer_user_id == principal.user_id,
        published_at=w.published_at, claimed_at=w.claimed_at, fulfilled_at=w.fulfilled_at,
        evidence_note=w.evidence_note, has_evidence=w.evidence_key is not None, evidence_sha256=w.evidence_sha256,
        closed_at=w.closed_at, created_at=w.created_at,
    )  # fmt: skip


class WishController(Controller):
    path = "/api/dispatch/wishes"
    tags = ["Micro-wishes"]
    guards = [requires_tenant, requires_role(*STAFF, *PROVIDERS)]

    @post("/", operation_id="CollectWish", summary="Record a micro-wish (worth at most ¥200) for a household",
          guards=[requires_role(*STAFF)])  # fmt: skip
    async def create(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], data: JSONBody[WishCreate]
    ) -> WishView:
        principal = principal_of(request)
        return wish_view(await WishService(db_session, principal).create(data), principal)

    @get("/", operation_id="ListWishes", summary="Wishes the caller may see, newest first")
    async def list_wishes(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], status: Status = None,
        limit: Annotated[int, QueryParameter(name="limit", ge=1, le=200)] = 50,
    ) -> list[WishView]:  # fmt: skip
        principal = principal_of(request)
        return [wish_view(w, principal) for w in await WishService(db_session, principal).page(status, limit)]

    @get("/{wish_id:uuid}", operation_id="GetWish", summary="One micro-wish, beneficiary masked")
    async def get_wish(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], wish_id: FromPath[UUID]
    ) -> WishView:
        principal = principal_of(request)
        return wish_view(await WishService(db_session, principal).get(wish_id), principal)

    @post("/{wish_id:uuid}/publish", operation_id="PublishWish", status_code=200, guards=[requires_role(*STAFF)],
          summary="Put a collected wish on the claim platform")  # fmt: skip
    async def publish(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], wish_id: FromPath[UUID]
    ) -> WishView:
        principal = principal_of(request)
        return wish_view(await WishService(db_session, principal).publish(wish_id), principal)

    @post("/{wish_id:uuid}/claim", operation_id="ClaimWish", status_code=200,
          summary="Claim a wish in one's own name, or record a unit's claim (staff, with unit)")  # fmt: skip
    async def claim(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], wish_id: FromPath[UUID],
        data: JSONBody[WishClaim | None] = None,
    ) -> WishView:  # fmt: skip
        principal = principal_of(request)
        return wish_view(await WishService(db_session, principal).claim(wish_id, data or WishClaim()), principal)

    @post("/{wish_id:uuid}/escalate-to-unit", operation_id="EscalateWish", status_code=200,
          guards=[requires_role(*STAFF)], summary="No individual can fulfil it: open the wish to units")  # fmt: skip
    async def escalate(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], wish_id: FromPath[UUID]
    ) -> WishView:
        principal = principal_of(request)
        return wish_view(await WishService(db_session, principal).escalate(wish_id), principal)

    @post("/{wish_id:uuid}/evidence", operation_id="AddWishEvidence", status_code=200,
          request_max_body_size=EVIDENCE_MAX_BYTES + 1,
          summary="Upload a JPEG or PNG photo (raw body, at most 10 MiB) showing the wish fulfilled")  # fmt: skip
    async def evidence(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], wish_id: FromPath[UUID],
        evidence_store: NamedDependency[ObjectStore],
    ) -> WishView:  # fmt: skip
        principal = principal_of(request)
        service = WishService(db_session, principal)
        return wish_view(await service.add_evidence(wish_id, request.stream(), evidence_store), principal)

    @post("/{wish_id:uuid}/fulfil", operation_id="FulfilWish", status_code=200,
          summary="Report the wish fulfilled (a note or an uploaded photo is required)")  # fmt: skip
    async def fulfil(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], wish_id: FromPath[UUID],
        data: JSONBody[WishFulfil],
    ) -> WishView:  # fmt: skip
        principal = principal_of(request)
        return wish_view(await WishService(db_session, principal).fulfil(wish_id, data.note), principal)

    @post("/{wish_id:uuid}/close", operation_id="CloseWish", status_code=200, guards=[requires_role(*STAFF)],
          summary="Close a fulfilled wish")  # fmt: skip
    async def close(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], wish_id: FromPath[UUID]
    ) -> WishView:
        principal = principal_of(request)
        return wish_view(await WishService(db_session, principal).close(wish_id), principal)
