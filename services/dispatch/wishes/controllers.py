"""The micro-wish claim platform (DSP-22): staff collect and publish, volunteers or units claim and fulfil."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.dispatch.access import PROVIDERS, STAFF
from services.dispatch.models import MicroWish, WishStatus
from services.dispatch.wishes.schemas import WishClaim, WishCreate, WishFulfil, WishView
from services.dispatch.wishes.services import WishService
from shared.auth.principal import Principal
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.views import view

STAFF_ONLY = [requires_role(*STAFF)]
Status = Annotated[str | None, QueryParameter(name="status", pattern="^(" + "|".join(WishStatus) + ")$")]


def wish_view(w: MicroWish, principal: Principal) -> WishView:
    return view(
        WishView,
        w,
        household_id=w.household_id if principal.has_role(*STAFF) else None,
        beneficiary=w.beneficiary_masked,
        claimed_by_me=w.claimer_user_id is not None and w.claimer_user_id == principal.user_id,
        has_evidence=w.evidence_document_id is not None or w.evidence_key is not None,
    )


class WishController(Controller):
    path = "/api/dispatch/wishes"
    tags = ["Micro-wishes"]
    guards = [requires_tenant, requires_role(*STAFF, *PROVIDERS)]
    dependencies = {"wishes": provide_service(WishService)}

    @post(
        "/",
        operation_id="CollectWish",
        summary="Record a micro-wish (worth at most ¥200) for a household",
        guards=STAFF_ONLY,
    )
    async def create(self, wishes: NamedDependency[WishService], data: JSONBody[WishCreate]) -> WishView:
        return wish_view(await wishes.create(data), wishes.principal)

    @get("/", operation_id="ListWishes", summary="Wishes the caller may see, newest first")
    async def list_wishes(
        self,
        wishes: NamedDependency[WishService],
        status: Status = None,
        limit: Annotated[int, QueryParameter(name="limit", ge=1, le=200)] = 50,
    ) -> list[WishView]:
        return [wish_view(w, wishes.principal) for w in await wishes.page(status, limit)]

    @get("/{wish_id:uuid}", operation_id="GetWish", summary="One micro-wish, beneficiary masked")
    async def get_wish(self, wishes: NamedDependency[WishService], wish_id: FromPath[UUID]) -> WishView:
        return wish_view(await wishes.get(wish_id), wishes.principal)

    @post(
        "/{wish_id:uuid}/publish",
        operation_id="PublishWish",
        status_code=200,
        guards=STAFF_ONLY,
        summary="Put a collected wish on the claim platform",
    )
    async def publish(self, wishes: NamedDependency[WishService], wish_id: FromPath[UUID]) -> WishView:
        return wish_view(await wishes.publish(wish_id), wishes.principal)

    @post(
        "/{wish_id:uuid}/claim",
        operation_id="ClaimWish",
        status_code=200,
        summary="Claim a wish in one's own name, or record a unit's claim (staff, with unit)",
    )
    async def claim(
        self, wishes: NamedDependency[WishService], wish_id: FromPath[UUID], data: JSONBody[WishClaim | None] = None
    ) -> WishView:
        return wish_view(await wishes.claim(wish_id, data or WishClaim()), wishes.principal)

    @post(
        "/{wish_id:uuid}/escalate-to-unit",
        operation_id="EscalateWish",
        status_code=200,
        guards=STAFF_ONLY,
        summary="No individual can fulfil it: open the wish to units",
    )
    async def escalate(self, wishes: NamedDependency[WishService], wish_id: FromPath[UUID]) -> WishView:
        return wish_view(await wishes.escalate(wish_id), wishes.principal)

    @post(
        "/{wish_id:uuid}/fulfil",
        operation_id="FulfilWish",
        status_code=200,
        summary="Report the wish fulfilled (a note, or a photo filed in documents, is required)",
    )
    async def fulfil(
        self, wishes: NamedDependency[WishService], wish_id: FromPath[UUID], data: JSONBody[WishFulfil]
    ) -> WishView:
        return wish_view(await wishes.fulfil(wish_id, data.note), wishes.principal)

    @post(
        "/{wish_id:uuid}/close",
        operation_id="CloseWish",
        status_code=200,
        guards=STAFF_ONLY,
        summary="Close a fulfilled wish",
    )
    async def close(self, wishes: NamedDependency[WishService], wish_id: FromPath[UUID]) -> WishView:
        return wish_view(await wishes.close(wish_id), wishes.principal)
