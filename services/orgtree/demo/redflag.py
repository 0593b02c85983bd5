"""Ouhai's Red Flag structure [004] [003]: the certified 7171 points of its Four-Harmony Courtyards, "71" centres,
brands for the named streets, and staff so that the compliance report shows units both meeting and missing their
quotas. The seeds name no point, centre, brand or person here: every such name carries 「（示例）」."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from services.orgtree.demo.builder import SYNTHETIC, DemoBuilder
from services.orgtree.models import OrgNode

POINT_KINDS = ("家政服务点", "便民超市", "水电煤气代缴点")  # the trades of the 7171 network [004]
BRANDS = {  # street: (brand, what it stands for); the seed gives the programmes, not the brands
    "丽岙街道": ("侨乡四和院", "侨乡党员联系华侨家庭，就近帮带"),
    "南白象街道": ("太极连心桥", "老党员以太极拳会拉家常、问困难"),
    "潘桥街道": ("红色细胞集", "按村支部分成六个红色细胞集，党员联系十到二十户"),
    "景山街道": ("百姓智囊团", "党员收集群众需求，参与最美最脏评选"),
    "娄桥街道": ("党群连心桥", "干部联系指导党员，每月交流不少于两次"),
}
# full-time party workers per street (quota 4) and reserve cadres per community (quota 2): met and unmet both shown
STREET_WORKERS = {"丽岙街道": 4, "潘桥街道": 5, "南白象街道": 2, "景山街道": 3}
COMMUNITY_RESERVES = {"潘北社区": 2, "西山社区": 1}


async def ouhai_red_flag(b: DemoBuilder, streets: list[OrgNode], villages: list[tuple[OrgNode, OrgNode]]) -> None:
    branch_of_street: dict[UUID, OrgNode] = {}
    for village, branch in villages:
        for street in streets:
            if village.path.startswith(street.path):
                branch_of_street.setdefault(street.id, branch)
    for number, (village, _branch) in enumerate(villages):
        short = village.name.removesuffix(SYNTHETIC)
        for k, trade in enumerate(POINT_KINDS[:2]):
            b.venue(
                village,
                "point_7171",
                f"{short}四和院7171{trade}{SYNTHETIC}",
                opening_hours="8:00-20:00",
                certified_on=date(2014, 3 + (number + k) % 9, 15),
            )
        if village.level == "community":
            b.venue(village, "centre_71", f"{short}“71”党群服务中心{SYNTHETIC}", item_count=12 + number % 9)
    for street in streets:
        short = street.name.removesuffix(SYNTHETIC)
        b.venue(street, "centre_71", f"{short}“71”党群服务中心{SYNTHETIC}", item_count=30 + len(short))
        if street.name in BRANDS:
            name, meaning = BRANDS[street.name]
            b.brand(street, f"{name}{SYNTHETIC}", meaning)
        for _ in range(STREET_WORKERS.get(street.name, 0)):
            b.staff(street, await b.member(branch_of_street[street.id], None), "full_time_worker")
    for village, branch in villages:
        for _ in range(COMMUNITY_RESERVES.get(village.name, 0)):
            b.staff(village, await b.member(branch, None), "reserve_cadre")
