"""What every new district starts with (TRN-01): the seeds' programmes and the categories they count under.
The district edits both afterwards; seeding again adds only what is missing."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.programmes.models import Audience, Counts, Programme, Track, TrainingCategory
from shared.context import require_tenant

CATEGORIES = (
    ("theory", "理论学习"),
    ("party_spirit", "党性教育"),
    ("practice", "实践活动"),
    ("quality", "素质拓展"),
    ("supervision", "监督评议"),
    ("service_skills", "服务技能"),
    ("organisational_life", "组织生活"),
)

M, C, V, R = Audience.MEMBERS, Audience.CADRES, Audience.VOLUNTEERS, Audience.RESIDENTS
# code, name, category, audience, cadence, default credit hours, counts, track; sources in domain-from-seeds 4.6
PROGRAMMES: tuple[tuple[str, str, str, Audience, str, str, tuple[Counts, ...], Track | None], ...] = (
    ("spring_training", "春季调训", "theory", C, "每年春季", "8", (), None),
    ("autumn_study_delivery", "金秋送学", "theory", M, "每年秋季", "4", (), None),
    ("summer_cooling_winter_warmth", "夏送清凉·冬送温暖", "practice", M, "夏季、冬季", "2", (), None),
    ("micro_lecture", "微讲堂", "theory", R, "固定时间", "1", (), None),
    (
        "village_secretary_class",
        "村党组织书记培训班",
        "party_spirit",
        C,
        "每年1-2期",
        "16",
        (Counts.SECRETARY_CLASS,),
        None,
    ),
    ("three_meetings_one_lecture", "三会一课", "organisational_life", M, "定期", "2", (), None),
    ("july_first_assembly", "七一党员大会", "organisational_life", M, "每年7月1日", "3", (), None),
    ("micro_party_lecture", "微党课", "theory", M, "定期", "1", (), None),
    ("volunteer_pre_service", "96345志愿者岗前培训", "service_skills", V, "上岗前", "4", (Counts.PRE_SERVICE,), None),
    ("volunteer_professional", "96345志愿者专业培训", "service_skills", V, "进阶", "8", (), None),
    ("volunteer_backbone", "96345骨干志愿者培训", "service_skills", V, "进阶", "12", (), None),
    ("daily_classroom_required", "天天课堂·必修课", "theory", R, "每天", "1", (), Track.REQUIRED),
    ("daily_classroom_elective", "天天课堂·选修课", "quality", R, "每天", "1", (), Track.ELECTIVE),
    ("hundred_day_training", "百日培训", "party_spirit", C, "两年不少于100天", "8", (Counts.TRAINING_DAYS,), None),
    ("open_life_theory", "开放式组织生活·理论类", "theory", M, "按需", "2", (), None),
    ("open_life_practice", "开放式组织生活·实践类", "practice", M, "按需", "2", (), None),
    ("open_life_quality", "开放式组织生活·素质类", "quality", M, "按需", "2", (), None),
    ("open_life_supervision", "开放式组织生活·监督类", "supervision", M, "按需", "2", (), None),
    ("party_spirit_education", "党风党性教育党支部·再教育", "party_spirit", M, "定期", "2", (), None),
)


async def seed_catalogue(session: AsyncSession) -> bool:
    """Insert the missing categories and programmes; True when anything was added."""
    tenant = require_tenant()
    known = set(await session.scalars(select(Programme.code)))
    categories = [{"tenant_id": tenant, "code": code, "name": name} for code, name in CATEGORIES]
    added = await session.execute(
        pg_insert(TrainingCategory).values(categories).on_conflict_do_nothing().returning(TrainingCategory.id)
    )
    fresh = [
        Programme(
            code=code,
            name=name,
            category=category,
            audience=audience,
            cadence=cadence,
            default_credit_hours=Decimal(hours),
            counts=list(counts),
            track=track,
        )
        for code, name, category, audience, cadence, hours, counts, track in PROGRAMMES
        if code not in known
    ]
    session.add_all(fresh)
    await session.flush()
    return bool(fresh) or bool(added.all())
