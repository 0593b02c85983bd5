"""What every district starts with: example criteria templates built from the headings of 五好 (organisations)
and 四讲四有 (members), and the titles it awards. The content of the standards is the district's to supply: these
are headings to edit, not a standard. Seeding again adds only what is missing (by code)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.ratings.models import AwardTitle, RatingTemplate, SubjectKind
from shared.context import require_tenant

NOTICE_DAYS = 5  # the public notice (公示) of a district that has not set its own
LEVELS = [60, 70, 80, 90]  # out of 100: two stars from 60, ... five stars from 90
LEVEL_NOTES = ["约谈提醒，限期整改", "督促整改", "", "通报表扬", "表彰奖励，优先推荐评优"]

FIVE_GOODS = [
    {"code": "leadership", "name": "领导班子好", "maxScore": 20},
    {"code": "membership", "name": "党员队伍好", "maxScore": 20},
    {"code": "mechanisms", "name": "工作机制好", "maxScore": 20},
    {"code": "performance", "name": "工作业绩好", "maxScore": 20},
    {"code": "public_feedback", "name": "群众反映好", "maxScore": 20},
]
FOUR_SPEAKS_FOUR_HAVES = [
    {"code": "political_faith", "name": "讲政治、有信念", "maxScore": 25},
    {"code": "rules_discipline", "name": "讲规矩、有纪律", "maxScore": 25},
    {"code": "morals_conduct", "name": "讲道德、有品行", "maxScore": 25},
    {"code": "dedication_results", "name": "讲奉献、有作为", "maxScore": 25},
]
# code, name, subject kind, criteria
TEMPLATES: tuple[tuple[str, str, SubjectKind, list[dict[str, Any]]], ...] = (
    ("five_goods_village_branch", "村党组织“五好”星级标准", SubjectKind.VILLAGE_BRANCH, FIVE_GOODS),
    ("five_goods_grid_group", "网格党小组“五好”星级标准", SubjectKind.GRID_GROUP, FIVE_GOODS),
    ("four_speaks_four_haves", "党员“四讲四有”星级标准", SubjectKind.MEMBER, FOUR_SPEAKS_FOUR_HAVES),
)
UNIT, MEMBER = "unit", "member"
TITLES: tuple[tuple[str, str, str], ...] = (
    ("most_beautiful_red_cell", "最美红色细胞", MEMBER),
    ("red_flag_community", "红旗社区", UNIT),
    ("strongest_branch", "最强党支部", UNIT),
)


async def seed_ratings(session: AsyncSession) -> bool:
    """Insert the missing default templates and titles; True when any was added."""
    tenant = require_tenant()
    templates = [
        {
            "tenant_id": tenant,
            "code": code,
            "name": name,
            "subject_kind": kind,
            "criteria": criteria,
            "levels": LEVELS,
            "level_notes": LEVEL_NOTES,
        }
        for code, name, kind, criteria in TEMPLATES
    ]
    added = await session.execute(
        pg_insert(RatingTemplate)
        .values(templates)
        .on_conflict_do_nothing(index_elements=["tenant_id", "code"], index_where=RatingTemplate.code.is_not(None))
        .returning(RatingTemplate.id)
    )
    titles = [{"tenant_id": tenant, "code": c, "name": n, "subject_kind": k} for c, n, k in TITLES]
    more = await session.execute(pg_insert(AwardTitle).values(titles).on_conflict_do_nothing().returning(AwardTitle.id))
    return bool(added.all()) | bool(more.all())


async def ensure_defaults(session: AsyncSession) -> None:
    """A district provisioned before ratings existed gets the defaults the first time it uses them."""
    if await session.scalar(select(AwardTitle.id).limit(1)) is None:
        await seed_ratings(session)
