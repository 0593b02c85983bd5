"""Zhuji's mass archive [001/ZHJ] in the demo (DSP-32): household sheets for the first households of the district,
filed by a stationed cadre a year ago and refreshed since, except a few whose six-month round is overdue, so the
reminder lists them; one household's demand is on record as a ticket. Members' names are invented (the seed names
no resident) and shown masked.

There is no Zhuji district in the demo: the archive is shown in ``ARCHIVE`` (a county of villages and villager
groups, as 安华镇's are). The households come from orgtree's events: on the very first ``make dev`` the sheets are
written the next time ``redcell demo load`` runs. Rerunning changes nothing."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.archive.models import ArchiveMember, ArchiveRefresh, HouseholdArchive
from services.dispatch.archive.services import NAME_FIELD
from services.dispatch.directory.models import DirectoryGrid, DirectoryHousehold
from services.dispatch.tickets.schemas import TicketCreate
from services.dispatch.tickets.services import TicketService
from shared.clock import now
from shared.privacy import data_key, encrypt, mask_name

ARCHIVE = "huaining-county"
CADRE = "驻村干部（示例）"
SHEETS = 12
OVERDUE = 3  # the first sheets' six-month round is overdue: the reminder lists them
Person = tuple[str, str, int, str, str, str]  # name, relation, born, education, political status, health
Family = tuple[str, list[Person], list[tuple[str, str]], list[tuple[str, str]]]  # type, members, income, assistance
FAMILIES: tuple[Family, ...] = (
    (
        "planting",
        [("陈国强", "户主", 1962, "初中", "群众", "良好"), ("李秀英", "配偶", 1965, "小学", "群众", "高血压")],
        [("land", "承包土地4亩"), ("crops", "种植香榧、茶叶")],
        [("危房改造补助", "镇民政办")],
    ),
    (
        "migrant_work",
        [("王建平", "户主", 1975, "高中", "党员", "良好"), ("王小军", "子女", 2001, "大专", "团员", "良好")],
        [("migrant_work", "父子在杭州务工")],
        [],
    ),
    (
        "low_income",
        [("赵桂兰", "户主", 1948, "文盲", "群众", "行动不便")],
        [("other", "低保金、高龄补贴")],
        [("最低生活保障", "镇民政办"), ("冬季慰问", "村党支部")],
    ),
    (
        "processing",
        [("孙志明", "户主", 1970, "初中", "群众", "良好"), ("周美华", "配偶", 1972, "初中", "群众", "良好")],
        [("business", "家庭袜业加工作坊")],
        [],
    ),
)
DEMAND = "家门口排水沟堵塞，雨天积水"
LATER = "orgtree's events have not arrived; run `redcell demo load` again"


async def load_zhuji_archive(session: AsyncSession, tenant_id: uuid.UUID, desk: TicketService) -> str:
    if await session.scalar(select(func.count()).select_from(HouseholdArchive)):
        return "household archives already loaded"
    rows = await session.execute(
        select(DirectoryHousehold.household_id, DirectoryGrid.grid_id, DirectoryGrid.path)
        .join(DirectoryGrid, DirectoryGrid.grid_id == DirectoryHousehold.grid_id)
        .order_by(DirectoryHousehold.household_id)
        .limit(SHEETS)
    )
    households = list(rows)
    if not households:
        return f"household archives: no households here yet ({LATER})"
    keys = await data_key(session, tenant_id)
    moment = now()
    filed = moment - timedelta(days=400)
    for index, (household_id, grid_id, path) in enumerate(households):
        economic_type, members, income, assistance = FAMILIES[index % len(FAMILIES)]
        refreshed = moment - timedelta(days=220 if index < OVERDUE else 30 + index)
        archive = HouseholdArchive(
            household_id=household_id,
            grid_id=grid_id,
            grid_path=path,
            economic_type=economic_type,
            income_sources=[{"kind": kind, "note": note} for kind, note in income],
            assistance=[{"what": what, "source": source, "on": None} for what, source in assistance],
            created_at=filed,
            refreshed_at=refreshed,
            refreshed_by_name=CADRE,
        )
        session.add(archive)
        await session.flush()
        for position, (name, relation, born, education, political, health) in enumerate(members):
            session.add(
                ArchiveMember(
                    archive_id=archive.id,
                    position=position,
                    name_cipher=encrypt(keys, NAME_FIELD, name),
                    name_masked=mask_name(name),
                    relation=relation,
                    birth_year=born,
                    education=education,
                    political_status=political,
                    health=health,
                )
            )
        for at, changed, note in ((filed, ["created"], "摸排建档"), (refreshed, [], "半年大走访")):
            session.add(ArchiveRefresh(archive_id=archive.id, at=at, by_name=CADRE, changed=changed, note=note))
    await session.flush()
    await desk.create(TicketCreate(channel="visit", title=DEMAND, household_id=households[0][0]))
    return f"household archives: {len(households)}, {min(OVERDUE, len(households))} overdue for their six-month round"
