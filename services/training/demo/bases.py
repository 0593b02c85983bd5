"""The demo's open organisational-life bases (XX区 [003]): the district's demonstration bases built on its patriotic
education base and its duty-crime warning education base, each with a 点单 menu from the seed's four categories
(theory education, practice, quality building, supervision). The seed names the kinds of base and menu, not the
bases, so every name here is marked 「（示例）」, as orgtree's demo names their venues. Like the demo's evaluations
without orgtree they have no venue id (training's demo cannot know orgtree's random ids) and lie under the
district's path; branches book them in the console, where the units are orgtree's."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.bases.models import BaseActivity, OrgLifeBase
from shared.clock import now

# base, its unit, capacity, menu: (activity, minutes, what it is)
BASES = [
    (
        "区爱国主义教育基地（示例）",
        "XX区",
        80,
        [
            ("精品党课", 60, "理论教育：请进来讲精品党课，党员轮流上台交流。（示例）"),
            ("参观学习、重温入党誓词", 90, "实践锻炼：参观展陈，集体重温入党誓词。（示例）"),
            ("红色故事会", 60, "素质提升：党员讲述身边的红色故事。（示例）"),
        ],
    ),
    (
        "区警示教育基地（示例）",
        "XX区",
        50,
        [
            ("警示教育参观", 60, "理论教育：参观预防职务犯罪警示教育展陈。（示例）"),
            ("开放式组织生活会", 120, "监督管理：党员领导干部以普通党员身份参加，开展批评与自我批评。（示例）"),
        ],
    ),
]


async def load_bases_demo(session: AsyncSession) -> int:
    """Adds the bases this district does not have yet (by name); the number added."""
    have = set(await session.scalars(select(OrgLifeBase.name)))
    added = 0
    for name, unit, capacity, menu in BASES:
        if name in have:
            continue
        base = OrgLifeBase(venue_id=None, unit_path="/", unit_name=unit, name=name, capacity=capacity, created_at=now())
        session.add(base)
        await session.flush()
        session.add_all(
            BaseActivity(base_id=base.id, title=title, minutes=minutes, description=what, active=True)
            for title, minutes, what in menu
        )
        added += 1
    await session.flush()
    return added
