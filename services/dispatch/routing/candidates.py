"""Who could take a ticket: the best active providers for it, with every candidate's facts in one query.

The query orders by the same priorities as ``ranking.sort_key`` only to bound the pool it returns; the final
order and the reasons come from ``ranking.rank``.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Float, cast, false, func, literal, null, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from services.dispatch.models import (
    DirectoryGrid,
    DirectoryLink,
    Offer,
    OfferStatus,
    Provider,
    ServiceItem,
    Ticket,
    TicketStatus,
)
from services.dispatch.providers.models import awaiting_pre_service
from services.dispatch.routing.ranking import EARTH_RADIUS_KM, CandidateFacts, Need, Ranked, rank

S = TicketStatus
ROUTABLE = (S.NEW, S.ROUTING)
SIGNED = (S.ASSIGNED, S.ON_SITE)


async def need_of(session: AsyncSession, ticket: Ticket) -> Need:
    skill = None
    if ticket.item_id is not None:
        skill = await session.scalar(select(ServiceItem.skill).where(ServiceItem.id == ticket.item_id))
    return Need(grid_id=ticket.grid_id, latitude=ticket.latitude, longitude=ticket.longitude, skill=skill)


def _distance(need: Need) -> ColumnElement[Any]:
    """Haversine in SQL (km), so the candidate pool is cut to the nearest before it leaves the database."""
    if need.latitude is None or need.longitude is None:
        return cast(null(), Float)
    lat, lon = literal(need.latitude, Float), literal(need.longitude, Float)
    half_dlat = (func.radians(Provider.latitude) - func.radians(lat)) / 2
    half_dlon = (func.radians(Provider.longitude) - func.radians(lon)) / 2
    h = func.power(func.sin(half_dlat), 2) + func.cos(func.radians(lat)) * func.cos(
        func.radians(Provider.latitude)
    ) * func.power(func.sin(half_dlon), 2)
    return 2 * EARTH_RADIUS_KM * func.asin(func.least(1.0, func.sqrt(h)))


async def candidates(
    session: AsyncSession,
    ticket: Ticket,
    need: Need,
    *,
    exclude: ColumnElement[bool] | None,
    limit: int,
    pre_service: bool = False,
) -> list[Ranked]:
    """The best ``limit`` active providers for ``ticket``: one query for every candidate's facts. With
    ``pre_service`` (the district's rule), member volunteers without pre-service training are left out."""
    serves: ColumnElement[bool] = false()
    if ticket.household_id is not None:
        serves = (
            select(DirectoryLink.member_id)
            .where(DirectoryLink.household_id == ticket.household_id, DirectoryLink.member_id == Provider.member_id)
            .exists()
        )
    leads: ColumnElement[bool] = false()
    grid: ColumnElement[bool] = false()
    if ticket.grid_id is not None:
        leader = select(DirectoryGrid.leader_member_id).where(DirectoryGrid.grid_id == ticket.grid_id)
        leads = func.coalesce(Provider.member_id == leader.scalar_subquery(), false())
        grid = func.coalesce(Provider.grid_id == ticket.grid_id, false())
    skill: ColumnElement[bool] = Provider.skills.contains([need.skill]) if need.skill else false()
    load = (
        select(Ticket.provider_id, func.count().label("n"))
        .where(Ticket.status.in_(SIGNED), Ticket.provider_id.is_not(None))
        .group_by(Ticket.provider_id)
        .subquery()
    )
    distance = _distance(need)
    open_orders = func.coalesce(load.c.n, 0)
    # PostgreSQL refuses a constant in ORDER BY ("non-integer constant"): a rule that cannot tell candidates apart
    # for this ticket (no household, no grid, no place, no skill wanted) is left out of the order.
    ranks: list[ColumnElement[Any]] = []
    if ticket.household_id is not None:
        ranks.append(serves.desc())
    if ticket.grid_id is not None:
        ranks.append(or_(leads, grid).desc())
    if need.latitude is not None and need.longitude is not None:
        ranks += [distance.is_(None), func.round(distance * 10)]
    if need.skill:
        ranks.append(skill.desc())
    query = (
        select(
            Provider.id,
            Provider.grid_id,
            Provider.skills,
            Provider.on_duty,
            Provider.latitude,
            Provider.longitude,
            open_orders,
            serves,
            leads,
        )
        .outerjoin(load, load.c.provider_id == Provider.id)
        # No account to answer in the app and no phone for the SMS: an offer would only wait for its time-out.
        .where(Provider.active.is_(true()), or_(Provider.user_id.is_not(None), Provider.phone_cipher.is_not(None)))
        .order_by(*ranks, Provider.on_duty.desc(), open_orders, Provider.id)
        .limit(max(limit * 5, 50))
    )
    if exclude is not None:
        query = query.where(~exclude)
    if pre_service:
        query = query.where(~awaiting_pre_service())
    facts = [
        CandidateFacts(
            provider_id=row[0],
            grid_id=row[1],
            skills=tuple(row[2] or ()),
            on_duty=row[3],
            latitude=row[4],
            longitude=row[5],
            load=int(row[6]),
            serves_household=bool(row[7]),
            leads_grid=bool(row[8]),
        )
        for row in await session.execute(query)
    ]
    return rank(need, facts, limit)


def offered_before(ticket_id: UUID, *statuses: str) -> ColumnElement[bool]:
    """``Provider`` had an offer of this ticket (in one of ``statuses``, any when empty)."""
    query = select(Offer.provider_id).where(Offer.ticket_id == ticket_id)
    if statuses:
        query = query.where(Offer.status.in_(statuses))
    return Provider.id.in_(query)


def refused(ticket_id: UUID) -> ColumnElement[bool]:
    """Who declined or handed back this ticket: a fresh round of routing does not ask them again."""
    return offered_before(ticket_id, OfferStatus.DECLINED, OfferStatus.RETURNED)
