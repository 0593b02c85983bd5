"""Micro-wishes (微心愿, DSP-22): collected → published → claimed by a person (or, escalated, by a unit) →
fulfilled with evidence → closed.

Every move is one conditional UPDATE on the wish's current status, so two claimers racing for the same
wish cannot both win. Collected wishes are for staff only; volunteers and members see what has been on the
claim platform (open, claimed or fulfilled), and only the claimer or staff may add evidence or fulfil.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator
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
from shared.contracts.dispatch import WishFulfilled
from shared.db.repository import Repository
from shared.http.problems import FieldErrors, ProblemError, conflict, invalid
from shared.messaging.outbox import publish
from shared.privacy import mask_name
from shared.storage import ObjectExistsError, ObjectStore, ObjectTooLargeError, sniff_content_type, tenant_key

W = WishStatus
SOURCES = ("visit", "wall", "staff", "media", "online", "station")
VALUE_CAP_YUAN = Decimal(200)  # Handan 96888's cap for a micro-wish
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES = ("image/jpeg", "image/png")
EVIDENCE_KIND = "wish-evidence"
_SNIFF = 16  # enough bytes for the PNG and JPEG signatures

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


async def _prepend(head: bytes, rest: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    yield head
    async for chunk in rest:
        yield chunk


def _next_version(key: str | None) -> int:
    return int(key.rsplit("/", 1)[1]) + 1 if key else 1


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
            return await self._advance(
                wish,
                (W.PUBLISHED, W.UNIT_CLAIM),
                "claimed",
                status=W.CLAIMED,
                claimer_kind="unit",
                claimer_unit=unit,
                claimed_at=now(),
            )
        if not self.principal.has_role(*PROVIDERS):
            raise invalid("unit", "name the unit that claims the wish")
        provider_id = await self.session.scalar(
            select(Provider.id).where(Provider.user_id == self.principal.user_id).order_by(Provider.created_at).limit(1)
        )
        # A wish escalated to units is no longer open to individuals.
        return await self._advance(
            wish,
            (W.PUBLISHED,),
            "claimed",
            status=W.CLAIMED,
            claimer_kind="person",
            claimer_user_id=self.principal.user_id,
            claimer_provider_id=provider_id,
            claimed_at=now(),
        )

    async def add_evidence(self, wish_id: UUID, body: AsyncIterable[bytes], store: ObjectStore) -> MicroWish:
        """Store a photo of the fulfilled wish; its type is read from its bytes, never from the client's claim."""
        wish = await self.get(wish_id, for_update=True)  # one upload per wish at a time
        self._claimer_or_staff(wish)
        if wish.status != W.CLAIMED:
            raise conflict(f"evidence is added to a claimed wish (now: {LABELS[wish.status]})")
        chunks = aiter(body)
        head = b""
        while len(head) < _SNIFF and (chunk := await anext(chunks, None)) is not None:
            head += chunk
        if sniff_content_type(head) not in EVIDENCE_TYPES:
            raise ProblemError(
                422,
                "the evidence must be a JPEG or PNG photo",
                errors=[{"field": "body", "message": "not a JPEG or PNG image"}],
            )
        # Keys follow the store's grammar tenants/<tenant>/wish-evidence/<wish>/<version>; the SHA-256 is on the row.
        version = _next_version(wish.evidence_key)
        key = tenant_key(require_tenant(), EVIDENCE_KIND, wish.id, version)
        while await store.stat(key) is not None:  # left by an upload whose transaction rolled back
            version += 1
            key = tenant_key(require_tenant(), EVIDENCE_KIND, wish.id, version)
        try:
            stored = await store.put_stream(key, _prepend(head, chunks), max_bytes=EVIDENCE_MAX_BYTES)
        except ObjectTooLargeError:
            raise ProblemError(413, "a photo may be at most 10 MiB", title="Content Too Large") from None
        except ObjectExistsError:
            raise conflict("another photo was stored at the same moment; try again") from None
        wish.evidence_key, wish.evidence_sha256 = stored.key, stored.sha256
        detail = {"sha256": stored.sha256, "bytes": stored.size, "type": stored.content_type}
        await self._audit("evidence", wish, detail)
        return wish

    async def fulfil(self, wish_id: UUID, note: str | None) -> MicroWish:
        wish = await self.get(wish_id, for_update=True)
        self._claimer_or_staff(wish)
        note = (note or "").strip() or None
        if wish.status == W.CLAIMED and note is None and wish.evidence_key is None:
            raise invalid("note", "describe how the wish was fulfilled, or upload a photo first")
        wish = await self._advance(
            wish, (W.CLAIMED,), "fulfilled", status=W.FULFILLED, fulfilled_at=now(), evidence_note=note
        )
        fulfilled = WishFulfilled(
            tenant_id=require_tenant(),
            wish_id=wish.id,
            claimer_kind=wish.claimer_kind or "person",
            claimer_provider_id=wish.claimer_provider_id,
            claimer_user_id=wish.claimer_user_id,
            evidence_key=wish.evidence_key,
        )
        await publish(self.session, fulfilled)
        return wish

    async def close(self, wish_id: UUID) -> MicroWish:
        wish = await self.get(wish_id)
        return await self._advance(wish, (W.FULFILLED,), "closed", status=W.CLOSED, closed_at=now())
