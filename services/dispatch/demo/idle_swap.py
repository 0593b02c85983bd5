"""The idle-item swap of XX区's Red Flag Communities [003] in the demo (DSP-27, issue 16): in the first two
communities, items residents brought to the desk over the last two months, last month's swap day and this month's
(on the 20th, or today before it), with two swaps and a donation to a household at each and a few items still
waiting. Owners' names are invented (the seed names no resident) and stored encrypted, shown masked; places and
titles the seed does not give are marked （示例）.

The communities and households come from orgtree's events (the households by ``DirectoryHousehold`` under the
community's path, as ``yaoxi.py`` finds them; dispatch does not know which are 困难户, so the first households are
given to): on the very first ``make dev`` it says so and is written the next time ``redcell demo load`` runs.
Rerunning changes nothing; any other district, or XX区 before it exists, gets nothing."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.campaigns.units import Unit, all_units
from services.dispatch.directory.models import DirectoryGrid, DirectoryHousehold
from services.dispatch.swap.models import SwapItem
from services.dispatch.swap.schemas import DonationCreate, EventCreate, ItemCreate, ItemsBrought, SwapCreate
from services.dispatch.swap.services import SwapService
from shared.auth.principal import Principal, Role
from shared.clock import china_today

XX_DISTRICT = "xx-district"
COMMUNITIES = 2
PLACE = "社区党群服务中心一楼大厅（示例）"
# what residents bring (title, category, condition) and whose it is (invented, shown masked)
ITEMS = (
    ("儿童绘本一套", "books", "like_new", "王晓明"),
    ("电饭煲", "appliances", "good", "李秀英"),
    ("羽绒服（男款）", "clothing", "good", "赵大海"),
    ("学步车", "toys", "like_new", "陈静"),
    ("书桌", "furniture", "worn", "孙丽华"),
    ("电风扇", "appliances", "good", "周建国"),
    ("羽毛球拍一对", "sports", "new", "吴晓燕"),
    ("保温杯、餐具一套", "daily_goods", "new", "郑玉梅"),
)
LATER = "orgtree's events have not arrived; run `redcell demo load` again"


def swap_days(today: date) -> tuple[date, date]:
    """Last month's swap day (the 20th) and this month's (the 20th, or today before it)."""
    last = (today.replace(day=1) - timedelta(days=1)).replace(day=20)
    return last, today.replace(day=min(today.day, 20))


async def _households(session: AsyncSession, community: Unit) -> list[uuid.UUID]:
    rows = await session.scalars(
        select(DirectoryHousehold.household_id)
        .join(DirectoryGrid, DirectoryGrid.grid_id == DirectoryHousehold.grid_id)
        .where(DirectoryGrid.path >= community.path, DirectoryGrid.path < community.path + "~")
        .order_by(DirectoryHousehold.household_id)
        .limit(2)
    )
    return list(rows)


async def _community(swaps: SwapService, community: Unit, households: list[uuid.UUID]) -> tuple[int, int, int]:
    """Two swap days in the community, each with four items brought: two swapped, one given, one left."""
    settled = [0, 0]
    for month, held_on in enumerate(swap_days(china_today())):
        ids: list[uuid.UUID] = []
        for title, category, condition, owner in ITEMS[month * 4 : month * 4 + 4]:
            item = ItemCreate(
                title=title,
                category=category,
                condition=condition,
                community_id=community.id,
                owner_name=owner,
                owner_phone=f"1390000{len(owner) * 1000 + month * 10 + len(ids):04d}",
                received_on=held_on - timedelta(days=min(held_on.day - 1, 3 - len(ids))),  # that month
            )
            ids.append((await swaps.register(item)).id)
        event = await swaps.create_event(
            EventCreate(unit_id=community.id, held_on=held_on, place=PLACE, title=f"{community.name}闲置物品交换日")
        )
        await swaps.bring(event.id, ItemsBrought(item_ids=ids))
        await swaps.swap(event.id, SwapCreate(item_id=ids[0], for_item_id=ids[1]))
        settled[0] += 2
        if households:
            gift = DonationCreate(household_id=households[month % len(households)], event_id=event.id, note="送困难户")
            await swaps.donate(ids[2], gift)
            settled[1] += 1
    return len(ITEMS), settled[0], settled[1]


async def load_idle_swap(session: AsyncSession, slug: str | None, tenant_id: uuid.UUID) -> list[str]:
    """XX区's items and swap days; what to print (nothing for another district)."""
    if slug != XX_DISTRICT:
        return []
    if await session.scalar(select(func.count()).select_from(SwapItem)):
        return ["idle-item swap already loaded"]
    desk = Principal(
        user_id=uuid.UUID(int=0),
        tenant_id=tenant_id,
        roles=frozenset({Role.HOTLINE_OPERATOR}),
        name="社区工作人员（示例）",
    )
    communities = (await all_units(session, desk, "village"))[:COMMUNITIES]
    if not communities:
        return [f"idle-item swap: no community here yet ({LATER})"]
    swaps = SwapService(session, desk)
    lines = []
    for community in communities:
        registered, swapped, donated = await _community(swaps, community, await _households(session, community))
        done = f"{swapped} swapped, {donated} donated"
        lines.append(f"idle-item swap in {community.name}: {registered} items, 2 swap days, {done}")
    return lines
