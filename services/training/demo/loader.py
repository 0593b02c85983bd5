"""``redcell demo load`` for training: each demo district's programme catalogue and a few sessions, past and
upcoming (one open for check-in when the demo starts); for 瓯海区 a finished secretary duty review round with its
rectification list (``reviews.py``); for XX区 (seed 003) the Red Flag Community evaluations (``redflag.py``),
open organisational-life bases with their menus (``bases.py``) and its communities' score sheets
(``assessments.py``). Its members arrive from orgtree's events once the worker runs, so nothing here depends on
them; the sessions name their organising units as orgtree's demo trees do, without their ids and paths (another
service's), so they count as the district's. A second load changes nothing."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.credits.rules import seed_rules
from services.training.demo.assessments import load_assessments_demo
from services.training.demo.bases import load_bases_demo
from services.training.demo.redflag import load_red_flag_demo
from services.training.demo.reviews import load_review_demo
from services.training.points.defaults import seed_points_categories
from services.training.programmes.catalogue import seed_catalogue
from services.training.programmes.models import Programme, TrainingSession
from services.training.programmes.schemas import SessionCreate
from services.training.programmes.sessions import SessionService
from shared import audit
from shared.auth.principal import Principal, Role
from shared.clock import CHINA, now
from shared.context import tenant_scope
from shared.db.cells import CellEngines, cell_sessionmaker
from shared.http.di import build_service
from shared.settings import Settings

LOCAL = CHINA
REVIEW_DEMO = "wenzhou-ouhai"  # 瓯海区: the finished duty review round and its rectification list
RED_FLAG_DEMO = "xx-district"  # XX区: the Red Flag Community evaluations and open organisational-life bases
# slug: (party committee, a branch under it, the street or township) as orgtree's demo trees name them
UNITS = {
    "wenzhou-longwan": ("瑶溪街道党工委", "瑶溪街道机关支部", "瑶溪街道"),
    "wenzhou-ouhai": ("丽岙街道党工委", "杨宅村党支部", "丽岙街道"),
    "huaining-county": ("凉亭乡党委", "凉亭社区党总支", "凉亭乡"),
    "xx-district": ("东城街道党工委（示例）", "东风社区党委（示例）", "东城街道（示例）"),
}


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), LOCAL)


def demo_sessions(units: tuple[str, str, str], moment: datetime) -> list[tuple[str, str, str, str, datetime, int]]:
    """(programme code, title, place, organising unit, start, minutes) of the demo's sessions around ``moment``."""
    committee, branch, street = units
    today = moment.astimezone(LOCAL).date()
    july_first = date(today.year if today > date(today.year, 7, 1) else today.year - 1, 7, 1)  # always past
    soon = moment.astimezone(LOCAL).replace(second=0, microsecond=0) + timedelta(minutes=15)
    return [
        ("july_first_assembly", "七一党员大会", f"{street}党群服务中心大礼堂", committee, _at(july_first, 9), 180),
        (
            "micro_party_lecture",
            "微党课：红色细胞在身边",
            f"{branch}党员活动室",
            branch,
            _at(today - timedelta(days=7), 19),
            60,
        ),
        ("micro_party_lecture", "微党课：网格里的为民服务", f"{branch}党员活动室", branch, soon, 60),
        (
            "daily_classroom_required",
            "天天课堂·必修课：基层治理政策解读",
            f"{street}新时代文明实践站",
            street,
            _at(today + timedelta(days=1), 19, 30),
            60,
        ),
        (
            "volunteer_pre_service",
            "96345志愿者岗前培训",
            f"{street}96345志愿服务站",
            street,
            _at(today + timedelta(days=3), 9),
            240,
        ),
    ]


async def load_sessions(session: AsyncSession, tenant_id: uuid.UUID, units: tuple[str, str, str]) -> int:
    """Add the demo sessions this district does not have yet (by title); the number added."""
    organiser = Principal(user_id=uuid.UUID(int=0), tenant_id=tenant_id, roles=frozenset({Role.DISTRICT_ADMIN}))
    sessions = build_service(SessionService, session, organiser)
    programmes = {p.code: p.id for p in await session.scalars(select(Programme))}
    titles = set(await session.scalars(select(TrainingSession.title)))
    added = 0
    for code, title, place, unit, starts_at, minutes in demo_sessions(units, now()):
        if title in titles:
            continue
        data = SessionCreate(
            programme_id=programmes[code],
            title=title,
            place=place,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=minutes),
            organiser_unit_name=unit,
        )
        await sessions.create(data)
        added += 1
    return added


async def load_demo(settings: Settings, tenants: list[dict[str, Any]]) -> list[str]:
    engine = CellEngines(settings, "training", "app")  # each district on its own cell
    lines = []
    try:
        for tenant in tenants:
            tenant_id = uuid.UUID(str(tenant["id"]))
            units = UNITS.get(
                str(tenant.get("slug")), (f"{tenant['name']}党委", f"{tenant['name']}机关党支部", tenant["name"])
            )
            with tenant_scope(tenant_id), audit.actor_scope("system:demo"):
                async with cell_sessionmaker(engine)() as session, session.begin():
                    catalogue = await seed_catalogue(session)
                    await seed_points_categories(session)
                    await seed_rules(session)
                    added = await load_sessions(session, tenant_id, units)
                    reviewed = tenant.get("slug") == REVIEW_DEMO and await load_review_demo(session)
                    red_flag = tenant.get("slug") == RED_FLAG_DEMO
                    evaluations = await load_red_flag_demo(session, tenant.get("units", {})) if red_flag else 0
                    bases = await load_bases_demo(session) if red_flag else 0
                    sheets = await load_assessments_demo(session, tenant.get("units", {})) if red_flag else 0
            lines.append(
                f"training of {tenant['name']}: programme catalogue ({'loaded' if catalogue else 'already loaded'}), "
                f"{added} demo sessions added"
                + (f", {evaluations} Red Flag Community evaluations" if evaluations else "")
                + (f", {bases} open organisational-life bases" if bases else "")
                + (f", {sheets} score sheets" if sheets else "")
                + (", a duty review round and rectification list" if reviewed else "")
            )
    finally:
        await engine.dispose()
    return lines
