"""Who could take a ticket: the best active providers for it, with every candidate's facts in one statement.

The statement orders by the same priorities as ``ranking.sort_key`` and returns little more than the offers
wanted; the final order (the same, but for a rounding at a tie) and the reasons come from ``ranking.rank``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from uuid import UUID

from sqlalchemy import Executable, Float, Integer, Uuid, bindparam, cast, false, func, null, or_, select, true
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


def need_for(ticket: Ticket, skill: str | None) -> Need:
    return Need(grid_id=ticket.grid_id, latitude=ticket.latitude, longitude=ticket.longitude, skill=skill)


async def need_of(session: AsyncSession, ticket: Ticket) -> Need:
    skill = None
    if ticket.item_id is not None:
        skill = await session.scalar(select(ServiceItem.skill).where(ServiceItem.id == ticket.item_id))
    return need_for(ticket, skill)


def _distance() -> ColumnElement[Any]:
    """Haversine in SQL (km) from the ticket's place (``:lat``, ``:lon``), so the candidate pool is cut to the
    nearest before it leaves the database."""
    lat, lon = bindparam("lat", type_=Float), bindparam("lon", type_=Float)
    half_dlat = (func.radians(Provider.latitude) - func.radians(lat)) / 2
    half_dlon = (func.radians(Provider.longitude) - func.radians(lon)) / 2
    h = func.power(func.sin(half_dlat), 2) + func.cos(func.radians(lat)) * func.cos(
        func.radians(Provider.latitude)
    ) * func.power(func.sin(half_dlon), 2)
    return 2 * EARTH_RADIUS_KM * func.asin(func.least(1.0, func.sqrt(h)))


@dataclass(frozen=True, slots=True)
class Exclude:
    """Providers left out of a routing: those who had an offer of ``ticket_id`` (in one of ``statuses``, any
    when empty)."""

    ticket_id: UUID
    statuses: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Shape:
    """What the candidate statement depends on, besides the values it is run with."""

    household: bool  # the ticket names a household
    grid: bool  # ... and a grid
    place: bool  # ... and coordinates
    skill: bool  # its item wants a skill
    exclude: bool  # some providers are left out (``Exclude``)
    by_status: bool  # ... by the status of their offer
    pre_service: bool  # member volunteers need pre-service training


@lru_cache(maxsize=128)
def _candidate_query(shape: Shape) -> Executable:
    """The candidate statement of one shape of ticket, built once (building it is most of its cost in Python)
    and run with the ticket's values as parameters: ``household``, ``grid``, ``lat``/``lon``, ``skill``,
    ``exclude_ticket``, ``exclude_statuses`` and ``pool``. Every candidate's facts in one statement, ordered in
    the database by the priorities of ``ranking.sort_key``."""
    household, grid, place, skill = shape.household, shape.grid, shape.place, shape.skill
    serves: ColumnElement[bool] = false()
    if household:
        serves = (
            select(DirectoryLink.member_id)
            .where(
                DirectoryLink.household_id == bindparam("household", type_=Uuid),
                DirectoryLink.member_id == Provider.member_id,
            )
            .exists()
        )
    leads: ColumnElement[bool] = false()
    same_grid: ColumnElement[bool] = false()
    if grid:
        grid_id = bindparam("grid", type_=Uuid)
        leader = select(DirectoryGrid.leader_member_id).where(DirectoryGrid.grid_id == grid_id)
        leads = func.coalesce(Provider.member_id == leader.scalar_subquery(), false())
        same_grid = func.coalesce(Provider.grid_id == grid_id, false())
    skilled: ColumnElement[bool] = false()
    if skill:
        skilled = Provider.skills.contains(bindparam("skill", type_=Provider.skills.type))
    load = (
        select(Ticket.provider_id, func.count().label("n"))
        .where(Ticket.status.in_(SIGNED), Ticket.provider_id.is_not(None))
        .group_by(Ticket.provider_id)
        .subquery()
    )
    distance = _distance() if place else cast(null(), Float)
    open_orders = func.coalesce(load.c.n, 0)
    # PostgreSQL refuses a constant in ORDER BY ("non-integer constant"): a rule that cannot tell candidates apart
    # for this ticket (no household, no grid, no place, no skill wanted) is left out of the order.
    ranks: list[ColumnElement[Any]] = []
    if household:
        ranks.append(serves.desc())
    if grid:
        ranks.append(or_(leads, same_grid).desc())
    if place:
        ranks += [distance.is_(None), func.round(distance * 10)]
    if skill:
        ranks.append(skilled.desc())
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
        .limit(bindparam("pool", type_=Integer))
    )
    if shape.exclude:
        offered = select(Offer.provider_id).where(Offer.ticket_id == bindparam("exclude_ticket", type_=Uuid))
        if shape.by_status:
            offered = offered.where(Offer.status.in_(bindparam("exclude_statuses", expanding=True)))
        query = query.where(Provider.id.not_in(offered))
    if shape.pre_service:
        query = query.where(~awaiting_pre_service())
    return query


async def candidates(
    session: AsyncSession,
    ticket: Ticket,
    need: Need,
    *,
    exclude: Exclude | None,
    limit: int,
    pre_service: bool = False,
) -> list[Ranked]:
    """The best ``limit`` active providers for ``ticket``: one statement for every candidate's facts. With
    ``pre_service`` (the district's rule), member volunteers without pre-service training are left out."""
    place = need.latitude is not None and need.longitude is not None
    shape = Shape(
        household=ticket.household_id is not None,
        grid=ticket.grid_id is not None,
        place=place,
        skill=bool(need.skill),
        exclude=exclude is not None,
        by_status=exclude is not None and bool(exclude.statuses),
        pre_service=pre_service,
    )
    query = _candidate_query(shape)
    # The database orders as ``rank`` does; a few more than wanted leave room for its rounding at a tie.
    values: dict[str, Any] = {"pool": limit + 10}
    if ticket.household_id is not None:
        values["household"] = ticket.household_id
    if ticket.grid_id is not None:
        values["grid"] = ticket.grid_id
    if place:
        values["lat"], values["lon"] = need.latitude, need.longitude
    if need.skill:
        values["skill"] = [need.skill]
    if exclude is not None:
        values["exclude_ticket"] = exclude.ticket_id
        if exclude.statuses:
            values["exclude_statuses"] = list(exclude.statuses)
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
        for row in await session.execute(query, values)
    ]
    return rank(need, facts, limit)


def offered_before(ticket_id: UUID, *statuses: str) -> Exclude:
    """Who had an offer of this ticket (in one of ``statuses``, any when empty)."""
    return Exclude(ticket_id, statuses)


def refused(ticket_id: UUID) -> Exclude:
    """Who declined or handed back this ticket: a fresh round of routing does not ask them again."""
    return offered_before(ticket_id, OfferStatus.DECLINED, OfferStatus.RETURNED)
