"""The demo districts of Longwan, Ouhai and Huaining (Jiaxing's and XX区's: jiaxing.py, xx.py). Place and programme
names and aggregate counts come from the seeds; every breakdown the seeds do not give is synthetic and its names
carry the mark 「（示例）」."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.demo.builder import SYNTHETIC, DemoBuilder
from services.orgtree.demo.guidance import guide
from services.orgtree.demo.huaining import DualNetwork, VillageNetwork
from services.orgtree.demo.ouhai_points import ouhai_points
from services.orgtree.households.rules import HOUSEHOLD_CATEGORIES
from services.orgtree.levels.templates import EIGHT_POSTS
from services.orgtree.models import DistrictSettings, Member, OrgNode

CN_NUMBERS = "一二三四五六七八九十"


def numbered(index: int) -> str:
    """1 -> 一, 12 -> 十二, 25 -> 二十五 (enough for demo names)."""
    tens, ones = divmod(index, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CN_NUMBERS[tens - 1] + "十")
    return head + (CN_NUMBERS[ones - 1] if ones else "") or "零"


def spread(total: int, parts: int) -> list[int]:
    """``total`` split into ``parts`` near-equal whole numbers, larger ones first."""
    base, extra = divmod(total, parts)
    return [base + 1] * extra + [base] * (parts - extra)


def some_categories(b: DemoBuilder) -> list[str]:
    return [c for c in HOUSEHOLD_CATEGORIES if b.rng.random() < 0.04]


async def yaoxi(b: DemoBuilder, root: OrgNode, party_root: OrgNode, _session: AsyncSession) -> None:
    """Longwan's Yaoxi Street [000]: exactly 49 – 92 – 206 – 963 – 6,833 (ORG-12)."""
    street = b.unit(root, "street", "瑶溪街道")
    committee = b.unit(party_root, "street_working_committee", "瑶溪街道党工委", linked=street)
    organ = b.unit(committee, "street_organ_branch", "瑶溪街道机关支部")
    b.unit(committee, "party_spirit_education_branch", "党风党性教育党支部")
    villages = [b.unit(street, "village", f"示例{numbered(i + 1)}村{SYNTHETIC}") for i in range(15)]
    branches = [b.unit(committee, "branch", f"{v.name}党支部", linked=v) for v in villages]
    grids_per_village = spread(206, 15)
    members_per_grid = spread(963, 206)
    households_per_member = spread(6833, 963)
    grid_no = member_no = 0
    bases = ("production_team", "geography", "surname", "interest")
    for village, branch, n_grids in zip(villages, branches, grids_per_village, strict=True):
        for g in range(n_grids):
            grid = b.grid(village, f"{village.name.removesuffix(SYNTHETIC)}第{numbered(g + 1)}网格", bases[g % 4])
            for m in range(members_per_grid[grid_no]):
                member = await b.member(branch, grid)
                if m == 0:
                    b.leader(grid, member)
                for h in range(households_per_member[member_no]):
                    household = await b.household(grid, f"{m + 1}-{h + 1}号", categories=some_categories(b))
                    b.link(member, household)
                member_no += 1
            grid_no += 1
    for i, village in enumerate(villages):  # 49 street cadres stationed, 92 two-committee cadres
        for _ in range(spread(49, 15)[i]):
            b.posting("stationed", await b.member(organ, None), village)
        for k in range(spread(92, 15)[i]):
            role = "secretary" if k == 0 else "director" if k == 1 else "committee_member"
            b.posting("village", await b.member(branches[i], None), village, role=role, one_shoulder=k == 0)
    await b.flush()


OUHAI_NAMED = {  # street: (village or community, level) [004]
    "丽岙街道": ("杨宅村", "village"),
    "南白象街道": ("上蔡村", "village"),
    "潘桥街道": ("潘北社区", "community"),
    "景山街道": ("西山社区", "community"),
    "娄桥街道": ("玕南村", "village"),
}


async def ouhai(b: DemoBuilder, root: OrgNode, party_root: OrgNode, session: AsyncSession) -> None:
    """Ouhai [004]: 13 towns and streets, 286 Four-Harmony Courtyards (a member household + 5–10 linked); in each
    village a cadre contacts its courtyards' members at least twice a month (ORG-09), one of them once this month."""
    streets = list(OUHAI_NAMED) + [f"示例街道{numbered(i + 1)}{SYNTHETIC}" for i in range(8)]
    villages: list[tuple[OrgNode, OrgNode]] = []
    street_units: list[OrgNode] = []
    for name in streets:
        street = b.unit(root, "street", name)
        street_units.append(street)
        committee = b.unit(
            party_root, "street_working_committee", f"{name.removesuffix(SYNTHETIC)}党工委", linked=street
        )
        named = OUHAI_NAMED.get(name)
        units = [named] if named else []
        # a named street's community borrows its first two characters (梧田示例社区); a synthetic street's, its name
        short = name.removesuffix(SYNTHETIC)
        units.append((f"{short}社区{SYNTHETIC}" if named is None else f"{short[:2]}示例社区{SYNTHETIC}", "community"))
        for village_name, level in units:
            village = b.unit(street, level, village_name)
            villages.append(
                (village, b.unit(committee, "branch", f"{village_name.removesuffix(SYNTHETIC)}党支部", linked=village))
            )
    courtyards = spread(286, len(villages))
    panbei_members: list[Member] = []
    guided: list[tuple[Member, list[Member]]] = []  # per village: its cadre and the courtyards' contact members
    for (village, branch), n in zip(villages, courtyards, strict=True):
        guided.append((await b.member(branch, None), []))
        grids = [
            b.grid(village, f"{village.name.removesuffix(SYNTHETIC)}第{numbered(g + 1)}网格", "geography")
            for g in range(3)
        ]
        for c in range(n):
            grid = grids[c % 3]
            contact = await b.member(branch, grid)
            hub = await b.household(grid, f"四和院{c + 1}-党员户", is_member_hub=True, plaque="party_member_home")
            linked = [
                await b.household(grid, f"四和院{c + 1}-{k + 1}号", categories=some_categories(b))
                for k in range(5 + b.rng.randrange(6))
            ]
            for household in linked:  # the hub is the contact's own household
                b.link(contact, household)
            b.grouping(
                "four_harmony_courtyard",
                f"{village.name.removesuffix(SYNTHETIC)}四和院{numbered(c + 1)}",
                village,
                contact=contact,
                hub=hub,
                households=linked,
                members=[contact],
            )
            guided[-1][1].append(contact)
            if village.name == "潘北社区":
                panbei_members.append(contact)
        for grid in grids:
            b.leader(grid, await b.member(branch, grid))
    panbei = next(v for v, _ in villages if v.name == "潘北社区")
    for k in range(6):  # Panbei's six red-cell clusters, by village branch
        b.grouping(
            "red_cell_cluster",
            f"潘北红色细胞团{numbered(k + 1)}",
            panbei,
            members=panbei_members[k::6],
            chat=f"潘北红色细胞团{numbered(k + 1)}微信群",
        )
    ouhai_points(b, street_units, villages)
    await b.flush()
    await guide(session, guided)


async def huaining(b: DemoBuilder, root: OrgNode, party_root: OrgNode, session: AsyncSession) -> None:
    """Huaining [002]: 243 villages, dual-network fusion (one party group per grid), the eight posts; the
    instructors, post claims, star levels and organisational life of the dual network (demo/huaining.py)."""
    await session.execute(update(DistrictSettings).values(dual_network=True))
    townships: list[tuple[str, str, str | None, str | None]] = [
        ("凉亭乡", "township", "凉亭社区", "董屋组"),
        ("平山镇", "town", "大洼社区", "李墩组"),
    ]
    townships += [(f"示例乡镇{numbered(i + 1)}{SYNTHETIC}", "town", None, None) for i in range(8)]
    villages_per_township = spread(243, len(townships))
    posts = [code for code, _ in EIGHT_POSTS]
    network = DualNetwork()
    for (name, level, community, group), n_villages in zip(townships, villages_per_township, strict=True):
        township = b.unit(root, level, name)
        committee = b.unit(party_root, "township_committee", f"{name.removesuffix(SYNTHETIC)}党委", linked=township)
        organ = b.unit(committee, "street_organ_branch", f"{name.removesuffix(SYNTHETIC)}机关党支部{SYNTHETIC}")
        cadres = [await b.member(organ, None) for _ in range(3)]
        for v in range(n_villages):
            short = name.removesuffix(SYNTHETIC)[:2]
            village_name = community if v == 0 and community else f"{short}示例村{numbered(v + 1)}{SYNTHETIC}"
            village = b.unit(township, "community" if v == 0 and community else "village", village_name)
            unit_kind, suffix = ("general_branch", "党总支") if v == 0 else ("branch", "党支部")
            branch = b.unit(committee, unit_kind, f"{village_name.removesuffix(SYNTHETIC)}{suffix}", linked=village)
            grid_name = group if v == 0 and group else f"{village_name.removesuffix(SYNTHETIC)}第一网格"
            grid = b.grid(village, grid_name, "villager_group", party_group_of=branch)
            members = []
            for m in range(5):
                # one member in three villages has no post yet: the "without office, no post" report has rows
                unposted = m == 4 and v % 3 == 0
                post = None if unposted else posts[(v + m) % 8]
                method = None if unposted else "branch_nomination" if m % 2 else "self_nomination"
                flags = [] if m == 0 else ["without_office"]
                member = await b.member(branch, grid, post_code=post, post_method=method, flags=flags)
                if m == 0:
                    b.leader(grid, member, kind="party_group_leader")
                    member.info_card = {"service_willingness": "愿意在家中设网格党小组活动中心"}
                household = await b.household(grid, f"{m + 1}号", is_member_hub=m == 0, categories=some_categories(b))
                b.link(member, household)
                members.append(member)
            network.villages.append(VillageNetwork(village, branch, grid, members, cadres[v % len(cadres)]))
        await b.flush()
    await network.write(b, session)
