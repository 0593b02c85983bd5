"""XX区 [003], the seed's anonymised district of the "Red Project" and its Red Flag Communities: three streets of
ten communities, kept small (the demo loads in every test session). Each community has one grid whose member serves
15 households, 东风社区's 25 (the seed's "每名党员结对联系15—25户", the district's range), its party committee of that
member and its reserve cadres; each street a party working committee with an organ branch of its full-time party
workers, the first of whom guides the street's members (8–15 of them, "每名街道和社区干部分别联系8—15名党员").
The Red Flag structure on these units is ``redflag.py``'s; 东风社区's 2024 branch committee election is
huaining.py's. Every name is synthetic and carries 「（示例）」 (the seed names only "XX区")."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.demo.builder import SYNTHETIC, DemoBuilder
from services.orgtree.demo.guidance import guide
from services.orgtree.demo.huaining import VillageNetwork, elections
from services.orgtree.demo.redflag import STREETS, Street, red_flag, titles
from services.orgtree.models import DistrictSettings, Member, OrgNode

HOUSEHOLDS_PER_MEMBER = (15, 25)  # the seed's range; 东风社区's member serves its top, every other its bottom
ELECTED = f"东风社区{SYNTHETIC}"  # two more members, so five stand for its three seats

Units = list[tuple[Street, OrgNode, OrgNode, list[OrgNode]]]


async def xx_district(b: DemoBuilder, root: OrgNode, party_root: OrgNode, session: AsyncSession) -> None:
    low, high = HOUSEHOLDS_PER_MEMBER
    await session.execute(update(DistrictSettings).values(household_links_min=low, household_links_max=high))
    units: Units = []
    guided: list[tuple[Member, list[Member]]] = []  # per street: its guiding worker, its communities' members
    election: VillageNetwork | None = None
    for street in STREETS:
        short = street.name.removesuffix(SYNTHETIC)
        unit = b.unit(root, "street", street.name)
        committee = b.unit(party_root, "street_working_committee", f"{short}党工委{SYNTHETIC}", linked=unit)
        organ = b.unit(committee, "street_organ_branch", f"{short}机关党支部{SYNTHETIC}")
        workers = [await b.member(organ, None) for _ in range(street.workers)]
        for worker in workers:
            b.staff(unit, worker, "full_time_worker")
        guided.append((workers[0], []))
        communities = []
        for community in street.communities:
            name = community.name.removesuffix(SYNTHETIC)
            node = b.unit(unit, "community", community.name)
            branch = b.unit(committee, "branch", f"{name}党委{SYNTHETIC}", linked=node)
            grid = b.grid(node, f"{name}第一网格{SYNTHETIC}", "geography")
            member = await b.member(branch, grid)
            b.leader(grid, member)
            for h in range(high if community.name == ELECTED else low):
                b.link(member, await b.household(grid, f"{h + 1}号"))
            members = [member]
            for _ in range(community.reserves):
                members.append(await b.member(branch, None))
                b.staff(node, members[-1], "reserve_cadre")
            if community.name == ELECTED:
                members += [await b.member(branch, None) for _ in range(2)]
                election = VillageNetwork(node, branch, grid, members, workers[0])
            guided[-1][1].extend(members)
            communities.append(node)
        units.append((street, unit, organ, communities))
    red_flag(b, root, units)
    await b.flush()
    session.add_all(titles(units))
    await guide(session, guided)
    if election is not None:
        for rows in elections(election, datetime.now(UTC)):
            session.add_all(rows)
            await session.flush()  # the election, then its candidates, then their votes
