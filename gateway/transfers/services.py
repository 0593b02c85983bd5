"""Offers between districts, on the system role: the table belongs to two districts at once, so every query names
the caller's district (the token's, never the body's) as sender or receiver; any other offer is a 404."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.models import Tenant
from gateway.transfers.models import TransferOffer
from gateway.transfers.schemas import DistrictRef, HistorySummary, OfferRead
from shared.auth.principal import Principal
from shared.clock import now
from shared.context import tenant_scope
from shared.contracts.base import Event
from shared.http.problems import ProblemError, conflict, invalid
from shared.messaging.outbox import publish


def missing_offer() -> ProblemError:
    return ProblemError(404, "no such transfer offer in this district", title="Not Found")


async def receiving_district(session: AsyncSession, principal: Principal, named: str) -> Tenant:
    """The district named by slug or id: known, active, and not the caller's own."""
    try:
        query = select(Tenant).where(Tenant.id == UUID(named))
    except ValueError:
        query = select(Tenant).where(Tenant.slug == named.strip().lower())
    tenant = await session.scalar(query)
    if tenant is None:
        raise invalid("toDistrict", "no such district in the registry")
    if tenant.id == principal.tenant_id:
        raise invalid("toDistrict", "a member is transferred within the own district by a transfer between units")
    if tenant.status != "active":
        raise invalid("toDistrict", "this district is not active and receives no transfers")
    return tenant


async def receiving_districts(session: AsyncSession, principal: Principal) -> list[DistrictRef]:
    """The active districts other than the caller's, by name: those a member may be offered to."""
    query = select(Tenant).where(Tenant.status == "active", Tenant.id != principal.tenant_id).order_by(Tenant.name)
    return [_ref(tenant) for tenant in await session.scalars(query)]


async def check_not_leaving(session: AsyncSession, principal: Principal, member_id: UUID) -> None:
    open_offer = await session.scalar(
        select(TransferOffer.id).where(
            TransferOffer.from_tenant_id == principal.tenant_id,
            TransferOffer.member_id == member_id,
            TransferOffer.status == "offered",
        )
    )
    if open_offer is not None:
        raise conflict("this member is already leaving: an offer to another district is open")


async def record_offer(session: AsyncSession, values: dict[str, Any]) -> None:
    """The offer's row, from the request or from orgtree's event, whichever comes first (the same id)."""
    await session.execute(insert(TransferOffer).values(**values).on_conflict_do_nothing(index_elements=["id"]))


async def one(session: AsyncSession, principal: Principal, offer_id: UUID, *, lock: bool = False) -> TransferOffer:
    query = select(TransferOffer).where(
        TransferOffer.id == offer_id,
        or_(TransferOffer.from_tenant_id == principal.tenant_id, TransferOffer.to_tenant_id == principal.tenant_id),
    )
    offer = await session.scalar(query.with_for_update() if lock else query)
    if offer is None:
        raise missing_offer()
    return offer


async def listed(session: AsyncSession, principal: Principal, direction: str) -> list[TransferOffer]:
    column = TransferOffer.from_tenant_id if direction == "outgoing" else TransferOffer.to_tenant_id
    rows = await session.scalars(
        select(TransferOffer).where(column == principal.tenant_id).order_by(TransferOffer.created_at.desc()).limit(200)
    )
    return list(rows)


def open_for(offer: TransferOffer, principal: Principal, side: str) -> TransferOffer:
    """Only an open offer is decided, and only by its side: the receiver accepts or declines, the sender withdraws."""
    tenant = offer.to_tenant_id if side == "receiver" else offer.from_tenant_id
    if tenant != principal.tenant_id:
        raise conflict(f"only the {'receiving' if side == 'receiver' else 'sending'} district does this")
    if offer.status != "offered":
        raise conflict(f"this offer is {offer.status} already")
    return offer


def ready(offer: TransferOffer) -> TransferOffer:
    """Accepted only with the member's profile and training history in hand: both travel on with the acceptance."""
    if offer.member is None or offer.history is None:
        raise conflict("the sending district's records have not all arrived yet; try again in a moment")
    return offer


def decide(offer: TransferOffer, principal: Principal, status: str) -> None:
    offer.status, offer.decided_by, offer.decided_at = status, principal.user_id, now()


async def announce(session: AsyncSession, event: Event) -> None:
    """An event in its own district's outbox row (the gateway's outbox serves every district)."""
    with tenant_scope(event.tenant_id):
        await publish(session, event)


async def read(session: AsyncSession, principal: Principal, offers: list[TransferOffer]) -> list[OfferRead]:
    ids = {o.from_tenant_id for o in offers} | {o.to_tenant_id for o in offers}
    districts = {t.id: t for t in await session.scalars(select(Tenant).where(Tenant.id.in_(ids)))} if ids else {}
    return [_read(offer, principal, districts) for offer in offers]


def _ref(tenant: Tenant) -> DistrictRef:
    return DistrictRef(id=str(tenant.id), slug=tenant.slug, name=tenant.name)


def mask_name(name: str) -> str:
    return name[:1] + "*" * max(len(name) - 1, 1)


def _member(offer: TransferOffer, outgoing: bool) -> dict[str, Any] | None:
    """The member's profile in the API's names; the receiver learns who it is once it takes them."""
    if offer.member is None:
        return None
    facts = offer.member
    hidden = not outgoing and offer.status != "accepted"
    name, born = str(facts.get("name") or ""), facts.get("birth_date")
    return {
        "name": mask_name(name) if hidden else name,
        "gender": facts.get("gender"),
        "birthDate": (str(born)[:4] if hidden else born) if born else None,
        "classification": facts.get("classification"),
        "joinedOn": facts.get("joined_on"),
    }


def summary(history: dict[str, Any] | None) -> HistorySummary | None:
    if history is None:
        return None
    attendance = history.get("attendance") or []
    points = history.get("points") or []
    hours = sum((Decimal(str(a.get("credit_hours", 0))) for a in attendance), Decimal(0))
    return HistorySummary(
        attendance=len(attendance),
        credit_hours=str(hours),
        points=sum(int(p.get("points", 0)) for p in points),
        assessments=len(history.get("assessments") or []),
    )


def _read(offer: TransferOffer, principal: Principal, districts: dict[UUID, Tenant]) -> OfferRead:
    outgoing = offer.from_tenant_id == principal.tenant_id
    member_id = offer.member_id if outgoing else offer.new_member_id
    return OfferRead(
        id=str(offer.id),
        direction="outgoing" if outgoing else "incoming",
        status=offer.status,
        from_district=_ref(districts[offer.from_tenant_id]),
        to_district=_ref(districts[offer.to_tenant_id]),
        reason=offer.reason,
        transfer_on=offer.transfer_on,
        created_at=offer.created_at,
        member_id=str(member_id) if member_id else None,
        member=_member(offer, outgoing),
        history=summary(offer.history),
        branch_id=str(offer.branch_id) if offer.branch_id and not outgoing else None,
        decline_reason=offer.decline_reason,
        decided_at=offer.decided_at,
    )
