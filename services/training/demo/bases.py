"""The demo's open organisational-life bases (瓯海区) with their menus: the seed names the kind of base and its
点单 menu, not the bases, so every name here is marked 「（示例）」. Like the demo's evaluations they have no orgtree
venue id (training's demo cannot know orgtree's random ids) and lie under the district's path; branches book them in
the console, where the units are orgtree's."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.bases.models import BaseActivity, OrgLifeBase
from shared.clock import now

# base, its unit, capacity, menu: (activity, minutes, what it is)
BASES = [
    (
        "潘桥红色细胞展馆（示例）",
        "潘桥街道",
        60,
        [
            ("重温入党誓词", 60, "参观红色细胞团展陈，集体重温入党誓词。（示例）"),
            ("主题党日", 120, "围绕四和院建设开展主题党日。（示例）"),
        ],
    ),
    (
        "丽岙侨乡党建馆（示例）",
        "丽岙街道",
        40,
        [
            ("侨乡红色故事微党课", 45, "老党员讲述侨乡红色故事。（示例）"),
            ("志愿服务实践", 90, "到四和院开展结对帮扶志愿服务。（示例）"),
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
