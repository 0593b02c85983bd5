"""``redcell demo load`` for dispatch: each demo district's hotline setup, its non-member providers, a few
calls waiting at the desk and published micro-wishes; the logins that answer offers (``logins.py``). Grids,
households and the other member volunteers arrive from orgtree's events once the worker runs, so the calls
here are not placed yet: the desk places them. The demo districts require pre-service training before member
volunteers are offered tickets; the volunteers who sign in have it on record, and the members orgtree's events
bring in (no login, no phone: routing passes them by anyway) get it as any district's do, from training's
``PreServiceTrainingCompleted``."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.catalogue.models import DispatchSettings, ServiceCategory, ServiceItem
from services.dispatch.catalogue.services import seed_district
from services.dispatch.demo.four_seasons import load_four_seasons
from services.dispatch.demo.hotline_practices import load_hotline_practices
from services.dispatch.demo.idle_swap import load_idle_swap
from services.dispatch.demo.jiaxing import NANHU, load_jiaxing
from services.dispatch.demo.logins import add_member_volunteers, link_teams
from services.dispatch.demo.returns import load_returns
from services.dispatch.demo.shenzhen import load_shenzhen
from services.dispatch.demo.visits import load_visits
from services.dispatch.demo.yaoxi import load_yaoxi
from services.dispatch.providers.models import Provider, ProviderKind
from services.dispatch.providers.services import PHONE_FIELD
from services.dispatch.tickets.models import Ticket
from services.dispatch.tickets.schemas import TicketCreate
from services.dispatch.tickets.services import TicketService
from services.dispatch.wishes.models import MicroWish, WishStatus
from shared import audit
from shared.auth.principal import Principal, Role
from shared.clock import now
from shared.context import tenant_scope
from shared.db.cells import CellEngines, cell_sessionmaker
from shared.http.di import build_service
from shared.privacy import data_key, encrypt, mask_phone
from shared.settings import Settings

SYNTHETIC = "（示例）"  # marks names the seeds do not give
VISITED = "wenzhou-longwan"  # Yaoxi's micro-visits [000] are shown in 龙湾区 (``visits.py``)

# Jiaxing's provider kinds [001/JX]; 红船服务队 and 骆叶青志愿者工作室 are named in the seed.
PROVIDERS = (
    (ProviderKind.PROFESSIONAL_TEAM, "红船服务队", ["electrical", "appliance"], None),
    (ProviderKind.EXPERT_STUDIO, "骆叶青志愿者工作室", ["care", "policy"], None),
    (ProviderKind.PROFESSIONAL_TEAM, f"法律援助服务队{SYNTHETIC}", ["legal", "mediation"], None),
    (ProviderKind.FRANCHISE_FIRM, f"安心家政{SYNTHETIC}", ["housekeeping"], "low_fee"),
    (ProviderKind.SKILLED_RESIDENT, f"水电师傅{SYNTHETIC}", ["plumbing", "electrical"], "free"),
)

CALLS = (
    ("phone", "楼道灯坏了，晚上老人上下楼不方便", "citizen_life", "electrical", "13800000001"),
    ("phone", "独居老人想预约陪同就医", "citizen_life", "escort_medical", "13800000002"),
    ("walk_in", "咨询老年卡办理需要哪些材料", "affairs", "senior_card", "13800000003"),
)

WISHES = (
    ("wall", "希望有一台收音机听戏", Decimal("80.00")),
    ("visit", "孙子上学需要一个新书包", Decimal("120.00")),
)


def desk_of(tenant_id: uuid.UUID) -> Principal:
    """The demo's hotline desk: files the demo's calls and the tickets of its visits' matters."""
    return Principal(user_id=uuid.UUID(int=0), tenant_id=tenant_id, roles=frozenset({Role.HOTLINE_OPERATOR}))


async def load_district(session: AsyncSession, tenant_id: uuid.UUID) -> bool:
    await seed_district(session)
    if await session.scalar(select(func.count()).select_from(Provider).where(Provider.member_id.is_(None))):
        return False
    keys = await data_key(session, tenant_id)
    for serial, (kind, name, skills, fee_mode) in enumerate(PROVIDERS):
        phone = f"1370000{serial:04d}"  # synthetic: offers reach them by SMS (the dev outbox in `make dev`)
        provider = Provider(kind=kind, name=name, skills=skills, fee_mode=fee_mode, on_duty=True, active=True)
        provider.phone_cipher, provider.phone_masked = encrypt(keys, PHONE_FIELD, phone), mask_phone(phone)
        session.add(provider)
    desk = build_service(TicketService, session, desk_of(tenant_id))
    codes = dict(await _catalogue(session))
    for channel, title, category, item, phone in CALLS:
        call = TicketCreate(
            channel=channel, title=title, category_id=codes[category], item_id=codes[item], caller_phone=phone
        )
        await desk.create(call)
    for source, title, value in WISHES:
        wish = MicroWish(source=source, title=title, value_yuan=value, status=WishStatus.PUBLISHED, published_at=now())
        wish.beneficiary_masked = "王**"
        session.add(wish)
    await audit.record(session, "dispatch.demo.loaded", subject_type="dispatch_settings", subject_id=str(tenant_id))
    return True


async def require_pre_service(session: AsyncSession) -> None:
    """The demo districts dispatch member volunteers only after pre-service training (a district that existed
    before the rule is switched on here); their volunteers who sign in have it on record (``logins.py``)."""
    await session.execute(
        update(DispatchSettings).where(DispatchSettings.require_pre_service.is_(False)).values(require_pre_service=True)
    )


async def _catalogue(session: AsyncSession) -> list[tuple[str, uuid.UUID]]:
    categories = [(row.code, row.id) for row in await session.scalars(select(ServiceCategory))]
    items = [(row.code, row.id) for row in await session.scalars(select(ServiceItem))]
    return categories + items


async def load_demo(settings: Settings, tenants: list[dict[str, Any]]) -> list[str]:
    engine = CellEngines(settings, "dispatch", "app")  # each district on its own cell
    lines = []
    try:
        for tenant in tenants:
            tenant_id = uuid.UUID(str(tenant["id"]))
            with tenant_scope(tenant_id), audit.actor_scope("system:demo"):
                async with cell_sessionmaker(engine)() as session, session.begin():
                    loaded = await load_district(session, tenant_id)
                    tickets = await session.scalar(select(func.count()).select_from(Ticket))
                    teams = await link_teams(session, tenant.get("teams", []))
                    keys = await data_key(session, tenant_id)
                    volunteers = await add_member_volunteers(session, keys, tenant.get("volunteers", []))
                    await require_pre_service(session)
                    visits = None
                    if tenant.get("slug") == VISITED:
                        visits = await load_visits(session, build_service(TicketService, session, desk_of(tenant_id)))
                        visits += "\n  " + await load_shenzhen(
                            session, desk_of(tenant_id)
                        )  # Shenzhen's proposals and ledgers (issue 16)
                        visits += "\n  " + await load_yaoxi(session, desk_of(tenant_id))  # DSP-13/21/23
                        visits += "\n  " + await load_returns(session, desk_of(tenant_id))  # DSP-18 (issue 16)
                    desk = build_service(TicketService, session, desk_of(tenant_id))  # 7171, five steps, archive
                    practices = await load_hotline_practices(session, tenant.get("slug"), tenant_id, desk)
                    practices += await load_four_seasons(session, tenant.get("slug"), tenant_id)  # issue 16
                    practices += await load_idle_swap(session, tenant.get("slug"), tenant_id)  # DSP-27, XX区
                    jiaxing = await load_jiaxing(session) if tenant.get("slug") == NANHU else []  # issue 16
            state = "loaded" if loaded else "already loaded"
            lines.append(f"hotline of {tenant['name']}: catalogue, providers, {tickets} tickets ({state})")
            if visits:
                lines.append(f"  {visits}")
            lines += jiaxing
            lines.extend(f"  {line}" for line in practices)
            if teams or volunteers:
                lines.append(f"  offers reach {volunteers} member volunteers and {teams} teams who sign in")
    finally:
        await engine.dispose()
    return lines
