"""The idle-item swap (闲置物品交换, DSP-27 [003]): "residents bring useful idle items to the community and register
them; at the monthly swap day they exchange them for items they like, or give them to the district's households in
need" (红色爱心工程, 爱心互换平台). Staff at the community's desk register an item for its owner (name and phone
encrypted with the district's key, masked copies shown); a community or street holds one swap day a month, the
items brought to it are recorded, and two of them change hands (each owner takes the other's), or an item is given
to a household of the directory. Each step is written to the item's steps. An item is settled once: the rows are
locked while a swap or donation is recorded, and a second one is a 409 naming the item's state.

Hotline staff see the whole district; other staff the items and swap days of their subtree."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.access import is_operator
from services.dispatch.campaigns.units import Unit, all_units, find_unit
from services.dispatch.directory.models import DirectoryGrid, DirectoryHousehold
from services.dispatch.fund.services import check_day
from services.dispatch.swap.models import ItemState, StepKind, SwapEvent, SwapEventItem, SwapItem, SwapStep
from services.dispatch.swap.schemas import (
    DonationCreate,
    EventCreate,
    ItemCreate,
    ItemsBrought,
    ReportRow,
    SwapCreate,
)
from services.dispatch.tickets.intake import check_phone
from shared import audit
from shared.auth.principal import Principal
from shared.clock import china_today, now
from shared.context import require_tenant
from shared.db.paths import under
from shared.http.problems import FieldErrors, ProblemError, conflict, invalid, missing
from shared.privacy import blind_index, data_key, encrypt, mask_name, mask_phone, normalize_phone

# The kinds of things residents bring, and how worn they are (the console shows them in words).
CATEGORIES = ("clothing", "books", "toys", "appliances", "furniture", "daily_goods", "sports", "other")
CONDITIONS = ("new", "like_new", "good", "worn")
NAME_FIELD, PHONE_FIELD = "swap_item.owner_name", "swap_item.owner_phone"
PLANNING_DAYS = 366  # a swap day is recorded within a year either side of today


def state_conflict(item: SwapItem) -> ProblemError:
    return conflict(f"the idle item {item.title} ({item.id}) is {item.state} already: it can be settled only once")


class SwapService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal

    def _scoped(self, query: Select[Any], path: Any) -> Select[Any]:
        if is_operator(self.principal) or self.principal.scope is None:
            return query
        return query.where(under(path, self.principal.scope))

    # --- items ---------------------------------------------------------------------------------------------

    async def register(self, data: ItemCreate) -> SwapItem:
        errors = FieldErrors()
        errors.choice("category", data.category, CATEGORIES)
        errors.choice("condition", data.condition, CONDITIONS)
        check_phone(errors, "ownerPhone", data.owner_phone)
        day = data.received_on or china_today()
        check_day(errors, "receivedOn", day)
        errors.raise_if_any("the idle item has invalid fields")
        community = await find_unit(self.session, self.principal, data.community_id, "village")
        keys = await data_key(self.session, require_tenant())
        name = data.owner_name.strip()
        item = SwapItem(
            title=data.title.strip(),
            category=data.category,
            condition=data.condition,
            quantity=data.quantity,
            description=data.description.strip(),
            community_id=community.id,
            community_name=community.name,
            community_path=community.path,
            street_name=community.street_name,
            owner_name_cipher=encrypt(keys, NAME_FIELD, name),
            owner_name_masked=mask_name(name),
            received_on=day,
            state=ItemState.AVAILABLE,
            registered_by_name=self.principal.name,
            registered_at=now(),
        )
        if data.owner_phone:
            phone = normalize_phone(data.owner_phone)
            item.owner_phone_cipher = encrypt(keys, PHONE_FIELD, phone)
            item.owner_phone_index = blind_index(keys, PHONE_FIELD, phone, normalize_phone)
            item.owner_phone_masked = mask_phone(phone)
        self.session.add(item)
        await self.session.flush()
        await self._step(item, StepKind.REGISTERED, f"{community.name} {day.isoformat()}")
        return item

    async def get_item(self, item_id: UUID, *, lock: bool = False) -> SwapItem:
        query = self._scoped(select(SwapItem).where(SwapItem.id == item_id), SwapItem.community_path)
        item: SwapItem | None = await self.session.scalar(query.with_for_update() if lock else query)
        if item is None:
            raise missing("idle item")
        return item

    async def items(self, state: str | None, community_id: UUID | None, limit: int, offset: int) -> list[SwapItem]:
        if state is not None and state not in tuple(ItemState):
            raise invalid("query.state", f"one of: {', '.join(ItemState)}")
        query = self._scoped(select(SwapItem), SwapItem.community_path)
        if state is not None:
            query = query.where(SwapItem.state == state)
        if community_id is not None:
            query = query.where(SwapItem.community_id == community_id)
        ordered = query.order_by(SwapItem.received_on.desc(), SwapItem.id.desc()).offset(offset).limit(limit)
        return list(await self.session.scalars(ordered))

    async def partners(self, items: list[SwapItem]) -> dict[UUID, SwapItem]:
        """The items each swapped item went for (their owners took it)."""
        ids = {i.swapped_for_id for i in items if i.swapped_for_id}
        if not ids:
            return {}
        return {p.id: p for p in await self.session.scalars(select(SwapItem).where(SwapItem.id.in_(ids)))}

    async def steps(self, item: SwapItem) -> list[SwapStep]:
        rows = await self.session.scalars(
            select(SwapStep).where(SwapStep.item_id == item.id).order_by(SwapStep.at, SwapStep.id)
        )
        return list(rows)

    async def _step(self, item: SwapItem, step: str, detail: str, event: SwapEvent | None = None) -> None:
        self.session.add(
            SwapStep(
                item_id=item.id,
                step=step,
                event_id=event.id if event else None,
                detail=detail[:300],
                actor_name=self.principal.name,
                at=now(),
            )
        )
        await self.session.flush()
        await audit.record(
            self.session,
            f"dispatch.swap.{step}",
            subject_type="swap_item",
            subject_id=str(item.id),
            detail={"event": str(event.id) if event else None, "state": item.state},
        )

    # --- swap days -------------------------------------------------------------------------------------------

    async def units(self) -> list[Unit]:
        return await all_units(self.session, self.principal)

    async def create_event(self, data: EventCreate) -> SwapEvent:
        if abs((data.held_on - china_today()).days) > PLANNING_DAYS:
            raise invalid("heldOn", f"within {PLANNING_DAYS} days of today")
        unit = await find_unit(self.session, self.principal, data.unit_id)
        month = data.held_on.strftime("%Y-%m")
        taken = await self.session.scalar(
            select(SwapEvent.held_on).where(SwapEvent.unit_id == unit.id, SwapEvent.month == month)
        )
        if taken is not None:
            raise conflict(f"{unit.name} holds its swap day of {month} on {taken.isoformat()} already: one a month")
        event = SwapEvent(
            held_on=data.held_on,
            month=month,
            place=data.place.strip(),
            title=(data.title or f"{unit.name}闲置物品交换日").strip(),
            unit_id=unit.id,
            unit_name=unit.name,
            unit_level=unit.level,
            unit_path=unit.path,
            recorded_by_name=self.principal.name,
            recorded_at=now(),
        )
        self.session.add(event)
        await self.session.flush()
        await audit.record(
            self.session, "dispatch.swap.event", subject_type="swap_event", subject_id=str(event.id), detail={}
        )
        return event

    async def get_event(self, event_id: UUID) -> SwapEvent:
        query = self._scoped(select(SwapEvent).where(SwapEvent.id == event_id), SwapEvent.unit_path)
        event: SwapEvent | None = await self.session.scalar(query)
        if event is None:
            raise missing("swap day")
        return event

    async def events(self, year: int, month: int) -> list[SwapEvent]:
        query = self._scoped(select(SwapEvent), SwapEvent.unit_path).where(SwapEvent.month == f"{year:04d}-{month:02d}")
        return list(await self.session.scalars(query.order_by(SwapEvent.held_on, SwapEvent.unit_name)))

    async def event_items(self, event: SwapEvent) -> list[SwapItem]:
        rows = await self.session.scalars(
            select(SwapItem)
            .join(SwapEventItem, SwapEventItem.item_id == SwapItem.id)
            .where(SwapEventItem.event_id == event.id)
            .order_by(SwapEventItem.brought_at, SwapItem.id)
        )
        return list(rows)

    async def event_counts(self, event_ids: list[UUID]) -> dict[UUID, tuple[int, int, int]]:
        """Per swap day: (items brought, swapped there, given away there)."""
        found: dict[UUID, tuple[int, int, int]] = {}
        if not event_ids:
            return found
        brought = await self.session.execute(
            select(SwapEventItem.event_id, func.count())
            .where(SwapEventItem.event_id.in_(event_ids))
            .group_by(SwapEventItem.event_id)
        )
        settled = await self.session.execute(
            select(SwapItem.event_id, SwapItem.state, func.count())
            .where(SwapItem.event_id.in_(event_ids))
            .group_by(SwapItem.event_id, SwapItem.state)
        )
        counts: dict[tuple[UUID | None, str], int] = {(e, s): int(n) for e, s, n in settled.all()}
        for event_id, number in brought.all():
            found[event_id] = (
                int(number),
                counts.get((event_id, ItemState.SWAPPED), 0),
                counts.get((event_id, ItemState.DONATED), 0),
            )
        return found

    async def bring(self, event_id: UUID, data: ItemsBrought) -> SwapEvent:
        """Items brought to the swap day: registered in the event's community or street and not settled."""
        event = await self.get_event(event_id)
        if len(set(data.item_ids)) != len(data.item_ids):
            raise invalid("itemIds", "each item once")
        brought = set(
            await self.session.scalars(select(SwapEventItem.item_id).where(SwapEventItem.event_id == event.id))
        )
        for number, item_id in enumerate(data.item_ids):
            item = await self.get_item(item_id, lock=True)
            if not item.community_path.startswith(event.unit_path):
                raise invalid(f"itemIds[{number}]", f"registered in {item.community_name}, not in {event.unit_name}")
            if item.state != ItemState.AVAILABLE:
                raise state_conflict(item)
            if item.id in brought:
                continue
            self.session.add(SwapEventItem(event_id=event.id, item_id=item.id, brought_at=now()))
            await self._step(item, StepKind.BROUGHT, f"{event.title} {event.held_on.isoformat()}", event)
        return event

    async def _at_event(self, event: SwapEvent, field: str, item_id: UUID) -> SwapItem:
        item = await self.get_item(item_id, lock=True)
        here = await self.session.scalar(
            select(SwapEventItem.id).where(SwapEventItem.event_id == event.id, SwapEventItem.item_id == item.id)
        )
        if here is None:
            raise invalid(field, f"the idle item {item.title} was not brought to this swap day")
        return item

    @staticmethod
    def _held(event: SwapEvent) -> None:
        if event.held_on > china_today():
            raise conflict(f"the swap day is on {event.held_on.isoformat()}: record what happened there from then on")

    async def swap(self, event_id: UUID, data: SwapCreate) -> tuple[SwapItem, SwapItem]:
        if data.item_id == data.for_item_id:
            raise invalid("forItemId", "another item than itemId")
        event = await self.get_event(event_id)
        # lock both rows in one order, so two desks recording crossing swaps wait rather than deadlock
        first, second = sorted([("itemId", data.item_id), ("forItemId", data.for_item_id)], key=lambda p: p[1])
        locked = {first[0]: await self._at_event(event, *first), second[0]: await self._at_event(event, *second)}
        item, other = locked["itemId"], locked["forItemId"]
        for settled in (item, other):
            if settled.state != ItemState.AVAILABLE:
                raise state_conflict(settled)
        self._held(event)
        for mine, theirs in ((item, other), (other, item)):
            mine.state, mine.swapped_for_id = ItemState.SWAPPED, theirs.id
            mine.event_id, mine.settled_on = event.id, event.held_on
        await self.session.flush()
        for mine, theirs in ((item, other), (other, item)):
            await self._step(mine, StepKind.SWAPPED, f"换给{theirs.owner_name_masked}，换回「{theirs.title}」", event)
        return item, other

    async def _household(self, household_id: UUID) -> DirectoryHousehold:
        """A household of the directory the caller may see; another district's or subtree's is a 404."""
        household = await self.session.get(DirectoryHousehold, household_id)
        grid = await self.session.get(DirectoryGrid, household.grid_id) if household and household.grid_id else None
        outside = not is_operator(self.principal) and not (grid and self.principal.may_see_path(grid.path))
        if household is None or (self.principal.scope is not None and outside):
            raise missing("household")
        return household

    async def donate(self, item_id: UUID, data: DonationCreate) -> SwapItem:
        errors = FieldErrors()
        if data.donated_on is not None:
            check_day(errors, "donatedOn", data.donated_on)
        errors.raise_if_any("the donation has invalid fields")
        event = await self.get_event(data.event_id) if data.event_id is not None else None
        if event is not None and data.donated_on not in (None, event.held_on):
            raise invalid("donatedOn", f"the swap day was on {event.held_on.isoformat()}")
        household = await self._household(data.household_id)
        if event is not None:
            item = await self._at_event(event, "eventId", item_id)
        else:
            item = await self.get_item(item_id, lock=True)
        if item.state != ItemState.AVAILABLE:
            raise state_conflict(item)
        if event is not None:
            self._held(event)
        item.state, item.household_id = ItemState.DONATED, household.household_id
        item.event_id = event.id if event else None
        item.settled_on = event.held_on if event else (data.donated_on or china_today())
        item.note = data.note.strip()
        await self.session.flush()
        await self._step(item, StepKind.DONATED, f"赠予困难户 {household.household_id}", event)
        return item

    # --- the month's report ---------------------------------------------------------------------------------

    async def report(self, year: int, month: int) -> tuple[list[ReportRow], ReportRow]:
        start = date(year, month, 1)
        end = (start + timedelta(days=32)).replace(day=1)
        items = self._scoped(select(SwapItem), SwapItem.community_path)
        registered = await self.session.execute(
            items.with_only_columns(SwapItem.community_id, func.count())
            .where(SwapItem.received_on >= start, SwapItem.received_on < end)
            .group_by(SwapItem.community_id)
        )
        settled = await self.session.execute(
            items.with_only_columns(SwapItem.community_id, SwapItem.state, SwapItem.household_id).where(
                SwapItem.settled_on >= start, SwapItem.settled_on < end
            )
        )
        counts: dict[UUID, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        helped: dict[UUID, set[UUID]] = defaultdict(set)
        for community, number in registered.all():
            counts[community]["registered"] = int(number)
        for community, state, household in settled.all():
            counts[community][state] += 1
            if household is not None:
                helped[community].add(household)
        rows = [
            ReportRow(
                community_id=c.id,
                community_name=c.name,
                street_name=c.street_name,
                registered=counts[c.id]["registered"],
                swapped=counts[c.id][ItemState.SWAPPED],
                donated=counts[c.id][ItemState.DONATED],
                households_helped=len(helped[c.id]),
            )
            for c in await all_units(self.session, self.principal, "village")
        ]
        totals = ReportRow(
            community_id=None,
            community_name="",
            street_name=None,
            registered=sum(r.registered for r in rows),
            swapped=sum(r.swapped for r in rows),
            donated=sum(r.donated for r in rows),
            households_helped=len(set().union(*helped.values())) if helped else 0,
        )
        return rows, totals
