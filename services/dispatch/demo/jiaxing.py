"""Jiaxing 96345 in 南湖区 (seed 001, issue 16): the demo's volunteer registry (DSP-12: service card numbers and
insurance), vulnerable households paired with volunteers and three weeks of their visits, one missed (DSP-09),
one-touch devices mapped to households (DSP-10) and 穆河社区's Red Cube station with its translation service, its
rota and a sign-up at its desk (DSP-11).

Households and volunteers come from orgtree's events and the demo logins (``logins.py``): on the very first load
they are not here yet, and the rest is written the next time ``redcell demo load`` runs. Rerunning changes
nothing. The device gateway's key is a fixed development key (printed), so a developer can post an alarm."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.devices.models import DeviceGatewayKey, EmergencyDevice
from services.dispatch.devices.services import key_hash
from services.dispatch.directory.models import DirectoryGrid, DirectoryHousehold
from services.dispatch.providers.models import Provider, ProviderKind
from services.dispatch.stations.models import Station, StationShift, StationSignUp
from services.dispatch.visits.models import Visit
from services.dispatch.vulnerable.models import VulnerableHousehold
from shared.clock import now
from shared.context import require_tenant
from shared.privacy import data_key, encrypt, mask_name, mask_phone

NANHU = "jiaxing-nanhu"
GRID = "穆河社区第一网格"  # orgtree's demo (services/orgtree/demo/jiaxing.py)
COMMUNITY = "穆河社区"
DEMO_KEY = "dgk_nanhu-demo-device-gateway-key"  # development only: `make dev`'s gateway key for 南湖区
SYNTHETIC = "（示例）"
ZONE = ZoneInfo("Asia/Shanghai")
# (categories, volunteer index or None, weeks ago the volunteer visited) — the third pairing missed a week
REGISTRY = (
    (["empty_nest"], 0, (0, 1, 2)),
    (["living_alone"], 1, (0, 1, 2)),
    (["disabled", "empty_nest"], 2, (0, 2)),
    (["living_alone"], None, ()),
)
NOTES = ("老人身体状况良好，量了血压", "帮忙买了米和油，聊了家常", "检查了家中燃气和电路")
DEVICES = (
    ("JX-YJT-0001", "一键通（示例）", 0),
    ("JX-YJT-0002", "一键通（示例）", 1),
    ("JX-YJT-0003", "备用机（示例）", None),
)
SHIFTS = ((8, 14), (14, 20), (20, 32))  # local hours: day, evening, night on call until 08:00
ROTA_DAYS = 7


async def load_jiaxing(session: AsyncSession) -> list[str]:
    """Write 南湖区's 96345 demo; what to print."""
    cards = await _volunteer_cards(session)
    await _gateway_key(session)
    lines = [f"  96345 volunteer cards and insurance: {cards}; device gateway key (development): {DEMO_KEY}"]
    if await session.scalar(select(func.count()).select_from(VulnerableHousehold)):
        return [*lines, "  vulnerable registry, devices and stations already loaded"]
    grid = await session.scalar(select(DirectoryGrid).where(DirectoryGrid.name == GRID))
    households = list(
        await session.scalars(
            select(DirectoryHousehold.household_id)
            .where(DirectoryHousehold.grid_id == (grid.grid_id if grid else None))
            .order_by(DirectoryHousehold.household_id)
            .limit(len(REGISTRY))
        )
    )
    volunteers = list(
        await session.scalars(
            select(Provider)
            .where(Provider.grid_id == (grid.grid_id if grid else None), Provider.user_id.is_not(None))
            .where(Provider.kind == ProviderKind.MEMBER_VOLUNTEER)
            .order_by(Provider.name)
        )
    )
    if grid is None or len(households) < len(REGISTRY) or len(volunteers) < 3:
        return [*lines, "  registry: no households here yet (run `redcell demo load` again once the worker has run)"]
    visits = await _registry(session, grid, households, volunteers)
    await _devices(session, grid, households)
    station = await _station(session, grid, volunteers)
    return [
        *lines,
        f"  vulnerable registry: {len(REGISTRY)} households, {visits} visits by their volunteers; "
        f"{len(DEVICES)} one-touch devices; Red Cube station {station}",
    ]


async def _volunteer_cards(session: AsyncSession) -> int:
    """DSP-12: the district's member volunteers who sign in carry a 96345 service card and are insured."""
    rows = list(
        await session.scalars(
            select(Provider)
            .where(Provider.kind == ProviderKind.MEMBER_VOLUNTEER, Provider.user_id.is_not(None))
            .order_by(Provider.name)
        )
    )
    for number, provider in enumerate(rows, start=1):
        if provider.card_number is None:
            provider.card_number, provider.insured = f"JX96345-{number:05d}", True
    await session.flush()
    return len(rows)


async def _gateway_key(session: AsyncSession) -> None:
    insert = pg_insert(DeviceGatewayKey).values(
        tenant_id=require_tenant(), key_hash=key_hash(DEMO_KEY), issued_by=UUID(int=0), issued_at=now()
    )
    await session.execute(insert.on_conflict_do_nothing(index_elements=["tenant_id"]))


async def _registry(
    session: AsyncSession, grid: DirectoryGrid, households: list[UUID], volunteers: list[Provider]
) -> int:
    at, written = now(), 0
    for household_id, (categories, volunteer_index, weeks) in zip(households, REGISTRY, strict=True):
        volunteer = volunteers[volunteer_index] if volunteer_index is not None else None
        session.add(
            VulnerableHousehold(
                household_id=household_id,
                grid_id=grid.grid_id,
                grid_path=grid.path,
                categories=categories,
                note="子女在外地工作（示例）" if "empty_nest" in categories else "",
                volunteer_id=volunteer.id if volunteer else None,
                paired_at=at - timedelta(days=21, hours=2) if volunteer else None,
                registered_by=UUID(int=0),
                registered_at=at - timedelta(days=21, hours=3),
            )
        )
        if volunteer is None:
            continue
        for week in weeks:
            session.add(
                Visit(
                    household_id=household_id,
                    grid_id=grid.grid_id,
                    grid_path=grid.path,
                    member_id=volunteer.member_id,
                    visitor_name=volunteer.name,
                    recorded_by=volunteer.user_id or UUID(int=0),
                    visited_at=at - timedelta(days=7 * week + 1, hours=week + 2),
                    channel="in_person",
                    note=NOTES[week % len(NOTES)],
                    recorded_at=at,
                )
            )
            written += 1
    await session.flush()
    return written


async def _devices(session: AsyncSession, grid: DirectoryGrid, households: list[UUID]) -> None:
    for code, label, index in DEVICES:
        household = households[index] if index is not None else None
        session.add(
            EmergencyDevice(
                code=code,
                label=label,
                household_id=household,
                grid_id=grid.grid_id if household else None,
                grid_path=grid.path if household else None,
                active=True,
                registered_at=now() - timedelta(days=30),
            )
        )
    await session.flush()


async def _station(session: AsyncSession, grid: DirectoryGrid, volunteers: list[Provider]) -> str:
    """穆河社区's Red Cube (the seed's translation service), on duty around the clock for a week from today."""
    community = next((u for u in grid.ancestors if u.get("name") == COMMUNITY), None)
    if community is None:
        return "not set up (穆河社区 is not in the grid's chain)"
    depth = grid.ancestors.index(community) + 1
    path = "/" + "".join(f"{part}/" for part in grid.path.strip("/").split("/")[:depth])
    station = Station(
        name="穆河社区红立方党员志愿服务驿站",
        unit_id=UUID(community["id"]),
        unit_name=COMMUNITY,
        unit_path=path,
        address=f"穆河社区服务中心一楼{SYNTHETIC}",
        opening_hours="8:00-20:00，夜间电话值守",
        extra_services=["翻译服务", "志愿者招募", "民生诉求登记", f"便民小修{SYNTHETIC}"],
        active=True,
        created_at=now(),
    )
    session.add(station)
    await session.flush()
    today = now().astimezone(ZONE).replace(hour=0, minute=0, second=0, microsecond=0)
    turn = 0
    for day in range(-1, ROTA_DAYS):
        for start, end in SHIFTS:
            base = today + timedelta(days=day)
            session.add(
                StationShift(
                    station_id=station.id,
                    provider_id=volunteers[turn % len(volunteers)].id,
                    starts_at=base + timedelta(hours=start),
                    ends_at=base + timedelta(hours=end),
                )
            )
            turn += 1
    keys = await data_key(session, require_tenant())
    name, phone = "钟晓燕（示例）", "13957300001"
    session.add(
        StationSignUp(
            station_id=station.id,
            name_cipher=encrypt(keys, "station_sign_up.name", name),
            name_masked=mask_name(name),
            phone_cipher=encrypt(keys, "station_sign_up.phone", phone),
            phone_masked=mask_phone(phone),
            skills=["translation"],
            note="会英语和日语，周末有空",
            taken_by=UUID(int=0),
            signed_up_at=now() - timedelta(days=2),
        )
    )
    await session.flush()
    return f"{station.name} with {turn} shifts"
