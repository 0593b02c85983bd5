"""Micro-wishes (微心愿, DSP-22): collected → published → claimed by a person (or, escalated, by a unit) →
fulfilled with evidence (a note, or a photo filed in documents) → closed.

Every move is one conditional UPDATE on the wish's current status, so two claimers racing for the same
wish cannot both win. Collected wishes are for staff only; volunteers and members see what has been on the
claim platform (open, claimed or fulfilled), and only the claimer or staff may fulfil.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Select, false, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.access import PROVIDERS, STAFF
from services.dispatch.models import DirectoryHousehold, MicroWish, Provider, WishStatus
from services.dispatch.wishes.schemas import WishClaim, WishCreate
from shared import audit
from shared.auth.principal import Principal
from shared.clock import now
from shared.context import require_tenant
from shared.contracts.dispatch import WishClaimed, WishFulfilled
from shared.db.repository import Repository
from shared.http.problems import FieldErrors, ProblemError, conflict, invalid
from shared.messaging.outbox import publish
from shared.privacy import mask_name

W = WishStatus
SOURCES = ("visit", "wall", "staff", "media", "online", "station")
VALUE_CAP_YUAN = Decimal(200)  # Handan 96888's cap for a micro-wish

LABELS: dict[str, str] = {
    W.COLLECTED: "待发布",
    W.PUBLISHED: "待认领",
    W.CLAIMED: "已认领",
    W.UNIT_CLAIM: "待单位认领",
    W.FULFILLED: "已实现",
    W.CLOSED: "已关闭",
    W.CANCELLED: "已撤销",
}


def forbidden(detail: str) -> ProblemError:
    return ProblemError(403, detail, title="Forbidden")


class MicroWishRepository(Repository[MicroWish]):
    model_type = MicroWish
    noun = "micro-wish"


class WishService:
    def __init__(self, session: AsyncSession, principal: Principal, wishes: MicroWishRepository) -> None:
        self.session = session
        self.principal = principal
        self.wishes = wishes
        self.staff = principal.has_role(*STAFF)

    def visible(self, query: Select[Any]) -> Select[Any]:
        if self.staff:
            return query
        if self.principal.has_role(*PROVIDERS):
            # Everything that has been on the claim platform, claimed or not: a late claimer learns it was taken.
            return query.where(MicroWish.published_at.is_not(None))
        return query.where(false())

    async def get(self, wish_id: UUID, *, for_update: bool = False) -> MicroWish:
        query = self.visible(select(MicroWish).where(MicroWish.id == wish_id))
        return await self.wishes.one_or_404(query.with_for_update() if for_update else query)

    async def page(self, status: str | None, limit: int) -> list[MicroWish]:
        query = self.visible(select(MicroWish))
        if status is not None:
            query = query.where(MicroWish.status == status)
        rows = await self.session.scalars(query.order_by(MicroWish.created_at.desc(), MicroWish.id.desc()).limit(limit))
        return list(rows)

    async def _advance(self, wish: MicroWish, allowed: tuple[str, ...], action: str, **values: Any) -> MicroWish:
        """Move ``wish`` on if it is still in one of ``allowed``; the one racing loser gets 409."""
        moved = await self.session.scalar(
            update(MicroWish)
            .where(MicroWish.id == wish.id, MicroWish.status.in_(allowed))
            .values(**values)
            .returning(MicroWish.id)
            .execution_options(synchronize_session=False)
        )
        await self.session.refresh(wish)
        if moved is None:
            raise conflict(f"this wish cannot be {action} now ({LABELS[wish.status]}, {wish.status})")
        await self._audit(action, wish, {"status": wish.status})
        return wish

    async def _audit(self, action: str, wish: MicroWish, detail: dict[str, Any]) -> None:
        subject = str(wish.id)
        await audit.record(
            self.session, f"dispatch.wish.{action}", subject_type="micro_wish", subject_id=subject, detail=detail
        )

    def _claimer_or_staff(self, wish: MicroWish) -> None:
        if not self.staff and wish.claimer_user_id != self.principal.user_id:
            raise forbidden("only the claimer or hotline staff can do this")

    async def create(self, data: WishCreate) -> MicroWish:
        errors = FieldErrors()
        errors.choice("source", data.source, SOURCES)
        value = data.value_yuan
        if value is not None and not (value.is_finite() and value >= 0):
            errors.add("valueYuan", "not a value in yuan")
        elif value is not None and value > VALUE_CAP_YUAN:
            errors.add("valueYuan", f"a micro-wish is worth at most ¥{VALUE_CAP_YUAN}")
        household = await self.session.get(DirectoryHousehold, data.household_id)
        if household is None:
            errors.add("householdId", "not a household of this district")
        errors.raise_if_any("the wish has invalid fields")
        wish = MicroWish(
            source=data.source,
            title=data.title.strip(),
            description=data.description.strip(),
            value_yuan=data.value_yuan,
            household_id=data.household_id,
            grid_id=household.grid_id if household else None,
            beneficiary_masked=mask_name(data.beneficiary_name) if data.beneficiary_name else None,
            status=W.COLLECTED,
            created_by=self.principal.user_id,
        )
        await self.wishes.add(wish, auto_refresh=True)
        await self._audit("collected", wish, {"source": wish.source})
        return wish

    async def publish(self, wish_id: UUID) -> MicroWish:
        wish = await self.get(wish_id)
        return await self._advance(wish, (W.COLLECTED,), "published", status=W.PUBLISHED, published_at=now())

    async def escalate(self, wish_id: UUID) -> MicroWish:
        wish = await self.get(wish_id)
        return await self._advance(wish, (W.PUBLISHED,), "escalated", status=W.UNIT_CLAIM)

    async def claim(self, wish_id: UUID, data: WishClaim) -> MicroWish:
        wish = await self.get(wish_id)
        if data.unit is not None:
            if not self.staff:
                raise forbidden("hotline staff record a unit's claim; a volunteer claims in their own name")
            unit = data.unit.strip()
            wish = await self._advance(
                wish,
                (W.PUBLISHED, W.UNIT_CLAIM),
                "claimed",
                status=W.CLAIMED,
                claimer_kind="unit",
                claimer_unit=unit,
                claimed_at=now(),
            )
            return await self._claimed(wish)
        if not self.principal.has_role(*PROVIDERS):
            raise invalid("unit", "name the unit that claims the wish")
        provider_id = await self.session.scalar(
            select(Provider.id).where(Provider.user_id == self.principal.user_id).order_by(Provider.created_at).limit(1)
        )
        # A wish escalated to units is no longer open to individuals.
        wish = await self._advance(
            wish,
            (W.PUBLISHED,),
            "claimed",
            status=W.CLAIMED,
            claimer_kind="person",
            claimer_user_id=self.principal.user_id,
            claimer_provider_id=provider_id,
            claimed_at=now(),
        )
        return await self._claimed(wish)

    async def _claimed(self, wish: MicroWish) -> MicroWish:
        """Documents learns the wish (in its grid) and who may file its photo."""
        claimed = WishClaimed(
            tenant_id=require_tenant(),
            wish_id=wish.id,
            grid_id=wish.grid_id,
            claimer_kind=wish.claimer_kind or "person",
            claimer_user_id=wish.claimer_user_id,
        )
        await publish(self.session, claimed)
        return wish

    async def fulfil(self, wish_id: UUID, note: str | None) -> MicroWish:
        wish = await self.get(wish_id, for_update=True)
        self._claimer_or_staff(wish)
        note = (note or "").strip() or None
        # the photo counts once documents filed it (stored and checked there): its EvidenceFiled gave us its id
        if wish.status == W.CLAIMED and note is None and wish.evidence_document_id is None:
            raise invalid("note", "describe how the wish was fulfilled, or file its photo in documents first")
        wish = await self._advance(
            wish, (W.CLAIMED,), "fulfilled", status=W.FULFILLED, fulfilled_at=now(), evidence_note=note
        )
        fulfilled = WishFulfilled(
            tenant_id=require_tenant(),
            wish_id=wish.id,
            claimer_kind=wish.claimer_kind or "person",
            claimer_provider_id=wish.claimer_provider_id,
            claimer_user_id=wish.claimer_user_id,
            evidence_document_id=wish.evidence_document_id,
        )
        await publish(self.session, fulfilled)
        return wish

    async def close(self, wish_id: UUID) -> MicroWish:
        wish = await self.get(wish_id)
        return await self._advance(wish, (W.FULFILLED,), "closed", status=W.CLOSED, closed_at=now())
