"""XX区's Red Flag structure [003]: full-time party workers per street and reserve cadres per community (one
street and one community short of the seed's quotas, so the compliance report shows both), one brand per street
and community ("一街一品牌，一社一特色", at most 10 characters), each community's party-mass service centre to the
"三室两栏" standard (the ones upgraded so far certified with their sign), the district's open organisational-life
bases, and the Red Flag Community titles of 2020 and 2021: 3 of 10 communities in 2020 (the seed's 30 % target
met), 5 in 2021 (short of its 60 %). The seed names no street, community, brand or person: every name carries
「（示例）」."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from services.orgtree.demo.builder import SYNTHETIC, DemoBuilder
from services.orgtree.honours.models import HonourTitle
from services.orgtree.models import OrgNode
from shared.db.base import uuid7


@dataclass(frozen=True)
class Community:
    name: str
    brand: tuple[str, str]  # (name, what it stands for)
    reserves: int  # reserve cadres (quota 2)
    titled: int | None = None  # the year it became a Red Flag Community
    certified: bool = True  # its centre upgraded to the standard and certified


@dataclass(frozen=True)
class Street:
    name: str
    brand: tuple[str, str]
    workers: int  # full-time party workers (quota 4)
    communities: tuple[Community, ...]


def _s(name: str) -> str:
    return f"{name}{SYNTHETIC}"


STREETS = (
    Street(
        _s("东城街道"),
        (_s("红心连万家"), "街道党工委牵头，社区、驻区单位党组织联建共建"),
        4,
        (
            Community(_s("东风社区"), (_s("邻里红管家"), "党员楼栋长包楼联户，每日联系结对群众"), 2, 2020),
            Community(_s("解放社区"), (_s("红色议事厅"), "每周民主恳谈会，听民情、集民意"), 2, 2020),
            Community(_s("和平社区"), (_s("和美楼道"), "党员带头美化楼道，邻里互助"), 2, 2021),
            Community(_s("光明社区"), (_s("光明夜校"), "在职党员晚间为居民授课"), 2),
        ),
    ),
    Street(
        _s("西城街道"),
        (_s("西城红盟"), "辖区党组织结成红色联盟，资源共享"),
        5,
        (
            Community(_s("建设社区"), (_s("红色物业"), "党组织领导下的物业服务"), 2, 2020),
            Community(_s("胜利社区"), (_s("银龄先锋岗"), "退休党员设岗定责"), 2),
            Community(_s("文化社区"), (_s("书香党员家"), "党员之家开放阅读"), 1, certified=False),
        ),
    ),
    Street(
        _s("北苑街道"),
        (_s("北苑红枫"), "每半月民情分析协调会，问题逐一反馈"),
        3,  # one short of the quota of 4
        (
            Community(_s("北苑社区"), (_s("爱心互换站"), "每月一次闲置物品交换"), 2, 2021),
            Community(_s("朝阳社区"), (_s("朝阳议事会"), "一征三议两公开"), 2),
            Community(_s("幸福社区"), (_s("幸福微心愿"), "在职党员认领困难群众微心愿"), 2, certified=False),
        ),
    ),
)
# the district's demonstration bases for open organisational life [003] (training's demo gives their menus)
BASES = (_s("区爱国主义教育基地"), _s("区警示教育基地"))


def red_flag(b: DemoBuilder, root: OrgNode, units: list[tuple[Street, OrgNode, OrgNode, list[OrgNode]]]) -> None:
    """``units``: per street its description, unit, organ branch and the communities' units in order. The staff
    are made by the caller (they are members), the rest here."""
    for number, name in enumerate(BASES):
        b.venue(root, "open_org_life_base", name, certified_on=date(2020, 10 + number, 15))
    for street, unit, _organ, communities in units:
        b.brand(unit, *street.brand)
        b.venue(
            unit, "party_mass_service_centre", _s(f"{street.name.removesuffix(SYNTHETIC)}党群服务中心"), item_count=38
        )
        for k, (community, node) in enumerate(zip(street.communities, communities, strict=True)):
            b.brand(node, *community.brand)
            b.venue(
                node,
                "party_mass_service_centre",
                _s(f"{community.name.removesuffix(SYNTHETIC)}党群服务中心"),
                item_count=12 + k,
                certified_on=date(2020, 11, 10 + k) if community.certified else None,
            )


def titles(units: list[tuple[Street, OrgNode, OrgNode, list[OrgNode]]]) -> list[HonourTitle]:
    """The Red Flag Community titles the district decided in 2020 and 2021 (training's awards, recorded here as
    orgtree records training's ``TitleAwarded``)."""
    recorded = datetime.now(UTC)
    return [
        HonourTitle(
            tenant_id=node.tenant_id,
            subject_kind="unit",
            subject_id=node.id,
            award_id=uuid7(),
            title="red_flag_community",
            title_name="红旗社区",
            period=str(community.titled),
            awarded_on=date(community.titled, 12, 20),
            recorded_at=recorded,
        )
        for street, _unit, _organ, nodes in units
        for community, node in zip(street.communities, nodes, strict=True)
        if community.titled is not None
    ]
