"""Ouhai's four-season brand in the demo (四季服务品牌 [004]): this year's four programmes in 瓯海区, each with an
activity in every one of the 13 towns and streets, and for the summer 110 free herbal-tea points (the seed's
"100+"), spread over the streets' villages and communities, each staffed by member volunteers of the district.
The seed names the programmes and the figure; the activities' wording, the tea points' places and every count
are made up, and the places are marked 「（示例）」.

The units and member volunteers come from orgtree's events: on the very first ``make dev`` the loader runs before
the worker has applied them, and the programmes are written the next time ``redcell demo load`` runs. Rerunning
changes nothing."""

from __future__ import annotations

import random
import uuid
from datetime import date, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.campaigns.units import Unit, all_units
from services.dispatch.providers.models import Provider, ProviderKind
from services.dispatch.seasons.models import Season, SeasonActivity, SeasonProgramme, TeaPoint
from services.dispatch.seasons.services import BRANDS, season_dates, street_of
from shared.auth.principal import Principal, Role
from shared.clock import china_today, now

OUHAI = "wenzhou-ouhai"
SYNTHETIC = "（示例）"  # marks names the seeds do not give
TEA_POINTS = 110  # "100+ free herbal-tea points" [004]
SUMMARIES = {
    Season.SPRING: "村（社区）、两新组织、镇街和部门的基层党务工作者春季集中调训",
    Season.SUMMER: "高温天党员志愿者在凉茶点免费供应凉茶，为环卫工人、建筑工人和过往群众送清凉",
    Season.AUTUMN: "农村党员轮训：送学、送书、送师资下村",
    Season.WINTER: "元旦春节期间用党员关爱互助基金走访慰问困难党员和群众",
}
ACTIVITIES = {
    Season.SPRING: ("{street}基层党务工作者春季集中调训", 40, 45),
    Season.SUMMER: ("{street}为环卫工人、建筑工人送清凉", 12, 160),
    Season.AUTUMN: ("{street}金秋送学下村：党课、农技书籍和讲师", 25, 120),
    Season.WINTER: ("{street}走访慰问困难党员、老党员（党员关爱互助基金）", 15, 60),
}
PLACES = ("文化礼堂门口", "公交站旁", "菜市场入口", "便民服务中心", "村口凉亭", "建筑工地门口")


def _spread(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


async def _members(session: AsyncSession) -> list[Provider]:
    rows = await session.scalars(
        select(Provider)
        .where(Provider.kind == ProviderKind.MEMBER_VOLUNTEER, Provider.active)
        .order_by(Provider.name, Provider.id)
        .limit(400)
    )
    return list(rows)


def _tea_points(programme: SeasonProgramme, villages: list[Unit], members: list[Provider]) -> list[TeaPoint]:
    """110 points over the streets' villages and communities, in the dog days (伏天) of July and August."""
    rng = random.Random(16)
    opens = date(programme.year, 7, 11)
    points = []
    by_street: dict[str, list[Unit]] = {}
    for village in villages:
        by_street.setdefault(street_of(village), []).append(village)
    streets = sorted(by_street)
    for street, count in zip(streets, _spread(TEA_POINTS, len(streets)), strict=True):
        for n in range(count):
            unit = by_street[street][n % len(by_street[street])]
            on_duty = rng.sample(members, k=min(len(members), 1 + n % 2))
            cups = rng.randrange(800, 3000)
            points.append(
                TeaPoint(
                    programme_id=programme.id,
                    place=f"{unit.name.removesuffix(SYNTHETIC)}{PLACES[n % len(PLACES)]}凉茶点{n + 1}{SYNTHETIC}",
                    unit_id=unit.id,
                    unit_name=unit.name,
                    unit_level=unit.level,
                    unit_path=unit.path,
                    street_name=street,
                    opens_on=opens + timedelta(days=n % 5),
                    closes_on=date(programme.year, 8, 31),
                    opens_at=time(7, 30) if n % 3 == 0 else time(8, 0),
                    closes_at=time(18, 0) if n % 3 == 0 else time(17, 0),
                    on_duty_ids=[m.id for m in on_duty],
                    on_duty_names=[m.name for m in on_duty],
                    cups=cups,
                    served=cups * 4 // 5,
                    recorded_by_name="瓯海区委组织部",
                    recorded_at=now(),
                )
            )
    return points


async def load_four_seasons(session: AsyncSession, slug: str | None, tenant_id: uuid.UUID) -> list[str]:
    if slug != OUHAI:
        return []
    year = china_today().year
    if await session.scalar(select(func.count()).select_from(SeasonProgramme).where(SeasonProgramme.year == year)):
        return [f"four seasons of {year} already loaded"]
    admin = Principal(user_id=uuid.UUID(int=0), tenant_id=tenant_id, roles=frozenset({Role.DISTRICT_ADMIN}))
    streets = await all_units(session, admin, "street")
    villages = await all_units(session, admin, "village")
    members = await _members(session)
    if not streets or not villages or not members:
        return ["four seasons: no units or member volunteers here yet (run `redcell demo load` again)"]
    points = 0
    for season in Season:
        starts, ends = season_dates(year, season)
        programme = SeasonProgramme(
            year=year,
            season=season,
            title=BRANDS[season],
            summary=SUMMARIES[season],
            starts_on=starts,
            ends_on=ends,
            created_by_name="瓯海区委组织部",
            created_at=now(),
        )
        session.add(programme)
        await session.flush()
        what, members_each, served_each = ACTIVITIES[season]
        for n, street in enumerate(streets):
            session.add(
                SeasonActivity(
                    programme_id=programme.id,
                    held_on=starts + timedelta(days=10 + n * 3),
                    unit_id=street.id,
                    unit_name=street.name,
                    unit_level=street.level,
                    unit_path=street.path,
                    street_name=street.name,
                    what=what.format(street=street.name.removesuffix(SYNTHETIC)),
                    members=members_each + n,
                    served=served_each + 5 * n,
                    recorded_by_name="瓯海区委组织部",
                    recorded_at=now(),
                )
            )
        if season == Season.SUMMER:
            tea = _tea_points(programme, villages, members)
            session.add_all(tea)
            points = len(tea)
    await session.flush()
    return [f"four seasons of {year}: 4 programmes, {len(streets)} streets' activities each, {points} tea points"]
