"""Jiaxing's 南湖区 (seed 001, issue 16): a small synthetic tree for the 96345 hotline's field work. The seed
names 嘉兴, its 96345 volunteer stations and sub-stations, the Red Cube (红立方) stations and 穆河社区, whose Red Cube
offers translation; every other name is synthetic and carries 「（示例）」. Households registered by dispatch as
vulnerable (空巢老人, 独居老人, 残疾人) carry those categories here too."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.demo.builder import SYNTHETIC, DemoBuilder
from services.orgtree.models import OrgNode

# (community, its grids); 穆河社区 is the seed's, the other is synthetic
COMMUNITIES = (
    ("穆河社区", ("穆河社区第一网格", "穆河社区第二网格")),
    (f"示例社区{SYNTHETIC}", (f"示例社区第一网格{SYNTHETIC}",)),
)
MEMBERS_PER_GRID = 5
HOUSEHOLDS_PER_MEMBER = 2
# the first households of each grid: the groups DSP-09 registers (the hotline's registry pairs them)
VULNERABLE = (["empty_nest"], ["living_alone"], ["disabled", "empty_nest"], ["living_alone"])


async def nanhu(b: DemoBuilder, root: OrgNode, party_root: OrgNode, _session: AsyncSession) -> None:
    street = b.unit(root, "street", f"示例街道{SYNTHETIC}")
    committee = b.unit(party_root, "street_working_committee", f"示例街道党工委{SYNTHETIC}", linked=street)
    for community_name, grid_names in COMMUNITIES:
        community = b.unit(street, "community", community_name)
        branch = b.unit(committee, "branch", f"{community_name.removesuffix(SYNTHETIC)}党支部", linked=community)
        for grid_name in grid_names:
            grid = b.grid(community, grid_name, "geography")
            number = 0
            for m in range(MEMBERS_PER_GRID):
                member = await b.member(branch, grid)
                if m == 0:
                    b.leader(grid, member)
                for _ in range(HOUSEHOLDS_PER_MEMBER):
                    categories = VULNERABLE[number] if number < len(VULNERABLE) else []
                    household = await b.household(grid, f"{number + 1}号", categories=categories)
                    b.link(member, household)
                    number += 1
    await b.flush()
