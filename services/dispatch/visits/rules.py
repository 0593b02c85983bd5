"""What a visit and a mandatory visit may be: channels, outcomes and the eight mandatory kinds."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.access import is_operator
from services.dispatch.catalogue.models import DispatchSettings
from services.dispatch.providers.models import Provider, ProviderKind
from shared.auth.principal import Principal
from shared.privacy import mask_name

CHANNELS = {"in_person": "上门走访", "phone": "电话", "wechat": "微信", "video": "视频"}
OUTCOMES = ("ticket", "note")

# 八个必访 [001/HSS], as orgtree's household event kinds name them. Orgtree records ``conflict`` for a family or
# neighbour conflict alike; the finer codes are taken as well, for when orgtree offers them.
MANDATORY_KINDS = {
    "hospitalised": "住院",
    "hardship": "生活困难",
    "accident": "意外事故",
    "conflict": "矛盾纠纷",
    "family_conflict": "家庭矛盾",
    "neighbour_conflict": "邻里纠纷",
    "moved": "搬迁",
    "worries": "有思想顾虑",
    "unmet_benefits": "原单位待遇未落实",
}


@dataclass(frozen=True)
class VisitRules:
    """The district's visit settings: a link is due after ``interval_days``, a mandatory visit ``task_days`` after
    its task; visits' days are the district's (``timezone``)."""

    interval_days: int = 7  # 一周一访 [000]
    task_days: int = 3
    timezone: str = "Asia/Shanghai"


async def visit_rules(session: AsyncSession) -> VisitRules:
    """The district's rules; the defaults where it has no hotline settings yet (an event may come first)."""
    columns = (DispatchSettings.visit_interval_days, DispatchSettings.visit_task_days, DispatchSettings.timezone)
    row = (await session.execute(select(*columns))).first()
    return VisitRules(*row) if row else VisitRules()


async def member_of(session: AsyncSession, principal: Principal) -> Provider | None:
    """The member volunteer row of the caller's login (a member, or staff who are members too)."""
    query = (
        select(Provider)
        .where(Provider.user_id == principal.user_id, Provider.kind == ProviderKind.MEMBER_VOLUNTEER)
        .where(Provider.member_id.is_not(None))
        .order_by(Provider.created_at)
        .limit(1)
    )
    provider: Provider | None = await session.scalar(query)
    return provider


async def member_names(session: AsyncSession, member_ids: set[UUID]) -> dict[UUID, str]:
    if not member_ids:
        return {}
    rows = await session.execute(select(Provider.member_id, Provider.name).where(Provider.member_id.in_(member_ids)))
    return {member_id: name for member_id, name in rows if member_id is not None}


def shown_name(principal: Principal, name: str | None, *, own: bool) -> str | None:
    """A person's name in full for hotline staff and the person themselves, masked (张**) for everyone else."""
    if not name:
        return name
    return name if own or is_operator(principal) else mask_name(name)
