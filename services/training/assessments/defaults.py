"""The "double-hundred" (双百分) indicator sets every district starts with [001/JH]: organisations of six domains
each scored on seven indicator types, members on five. The weights are examples to edit (the seed gives the types,
not the points): each set adds up to 100. Seeding again adds only what is missing (by code)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.assessments.models import ONE_SET_CODE, IndicatorSet
from shared.context import require_tenant

ORGANISATION, MEMBER = "organisation", "member"
DOMAINS = {
    "rural": "农村",
    "community": "社区",
    "enterprise": "企业",
    "organs": "机关事业单位",
    "education": "教育",
    "health": "卫生",
}
ORGANISATION_TYPES = [
    {"code": "organisation", "name": "组织建设", "maxScore": 15},
    {"code": "team", "name": "队伍建设", "maxScore": 15},
    {"code": "venue", "name": "阵地建设", "maxScore": 15},
    {"code": "carriers", "name": "载体建设", "maxScore": 10},
    {"code": "mechanisms", "name": "制度机制", "maxScore": 15},
    {"code": "performance", "name": "工作业绩", "maxScore": 15},
    {"code": "public_feedback", "name": "群众评价", "maxScore": 15},
]
MEMBER_TYPES = [
    {"code": "party_spirit", "name": "党性修养", "maxScore": 20},
    {"code": "performance", "name": "履职表现", "maxScore": 20},
    {"code": "serving_residents", "name": "服务群众", "maxScore": 20},
    {"code": "law_abiding", "name": "遵纪守法", "maxScore": 20},
    {"code": "self_image", "name": "自身形象", "maxScore": 20},
]
MEMBER_SET = "double_hundred_member"


def default_sets() -> list[dict[str, object]]:
    tenant = require_tenant()
    sets: list[dict[str, object]] = [
        {
            "tenant_id": tenant,
            "code": f"double_hundred_{domain}",
            "name": f"{label}党组织“双百分”考核",
            "subject_kind": ORGANISATION,
            "domain": domain,
            "indicators": ORGANISATION_TYPES,
        }
        for domain, label in DOMAINS.items()
    ]
    sets.append(
        {
            "tenant_id": tenant,
            "code": MEMBER_SET,
            "name": "党员“双百分”考核",
            "subject_kind": MEMBER,
            "domain": None,
            "indicators": MEMBER_TYPES,
        }
    )
    return sets


async def ensure_sets(session: AsyncSession) -> None:
    """A district gets the default sets the first time it reads or uses any."""
    if await session.scalar(select(IndicatorSet.id).limit(1)) is None:
        rows = [{**row, "active": True} for row in default_sets()]
        await session.execute(pg_insert(IndicatorSet).values(rows).on_conflict_do_nothing(constraint=ONE_SET_CODE))
