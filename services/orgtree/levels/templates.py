"""Level-schema templates a district starts from (ORG-01, ORG-02); a district admin may replace its own.

Each level: code, zh-CN label, the levels it may hang under (empty: a root), and what it is for.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LevelSpec:
    code: str
    label: str
    parents: tuple[str, ...] = ()
    is_grid: bool = False  # households hang here; one leader (ORG-03)
    is_village: bool = False  # stationed and village cadres are posted here
    holds_members: bool = False  # party units that hold formal membership


# Rural and mixed districts: Yaoxi [000], Huaining [002], Ouhai [004].
RURAL = (
    LevelSpec("district", "区/县"),
    LevelSpec("street", "街道", ("district",)),
    LevelSpec("township", "乡", ("district",)),
    LevelSpec("town", "镇", ("district",)),
    LevelSpec("village", "村", ("street", "township", "town"), is_village=True),
    LevelSpec("community", "社区", ("street", "township", "town"), is_village=True),
    LevelSpec("grid", "网格", ("village", "community"), is_grid=True),
    LevelSpec("villager_group", "村民小组", ("village", "community"), is_grid=True),
)

# Urban commercial shape of [001/EXP-3]: street → community → building → mall group.
URBAN = (
    LevelSpec("district", "区"),
    LevelSpec("street", "街道", ("district",)),
    LevelSpec("community", "社区", ("street",), is_village=True),
    LevelSpec("building", "楼宇", ("community",), is_grid=True),
    LevelSpec("mall_group", "商场", ("building",), is_grid=True),
)

_TOWNS = ("street_working_committee", "township_committee")
_UPPER_ORGS = ("party_committee", "community_comprehensive_committee")
_COMMUNITY_ORGS = ("party_committee", "general_branch", "community_comprehensive_committee")

PARTY = (
    LevelSpec("district_committee", "区(县)委"),
    LevelSpec("street_working_committee", "街道党工委", ("district_committee",)),
    LevelSpec("township_committee", "乡镇党委", ("district_committee",)),
    LevelSpec("party_committee", "党委", (*_TOWNS, "district_committee"), holds_members=True),
    LevelSpec("community_comprehensive_committee", "社区综合党委", _TOWNS, holds_members=True),
    LevelSpec("general_branch", "党总支", (*_TOWNS, *_UPPER_ORGS), holds_members=True),
    LevelSpec("branch", "党支部", (*_TOWNS, *_COMMUNITY_ORGS), holds_members=True),
    LevelSpec("party_group", "党小组", ("branch", "general_branch"), holds_members=True),
    # Special branch types of [000] and [001].
    LevelSpec("street_organ_branch", "街道机关支部", _TOWNS, holds_members=True),
    LevelSpec("party_spirit_education_branch", "党风党性教育党支部", _TOWNS, holds_members=True),
    LevelSpec("mobile_member_branch", "流动党员党支部", (*_TOWNS, *_COMMUNITY_ORGS), holds_members=True),
    LevelSpec("hometown_branch", "同乡村党支部", (*_TOWNS, *_COMMUNITY_ORGS), holds_members=True),
    LevelSpec("chamber_of_commerce_branch", "商会党组织", ("district_committee", *_TOWNS), holds_members=True),
    LevelSpec("interest_based_branch", "特色党支部", (*_TOWNS, *_COMMUNITY_ORGS), holds_members=True),
    LevelSpec("joint_party_org", "联合党组织", (*_TOWNS, *_COMMUNITY_ORGS), holds_members=True),
    LevelSpec("building_branch", "楼宇党支部", _COMMUNITY_ORGS, holds_members=True),
    LevelSpec("mall_party_group", "商场党小组", ("building_branch",), holds_members=True),
)

ADMINISTRATIVE_TEMPLATES = {"rural": RURAL, "urban": URBAN}

# The eight posts of Huaining's member central households [002] (ORG-14).
EIGHT_POSTS = (
    ("info_collector", "信息收集员"),
    ("sanitation_officer", "环境卫生监督员"),
    ("security_patroller", "治安巡逻员"),
    ("dispute_mediator", "矛盾纠纷调解员"),
    ("policy_promoter", "政策宣传员"),
    ("culture_sports_organiser", "文体活动组织员"),
    ("care_helper", "关爱帮扶员"),
    ("discipline_supervisor", "党风廉政监督员"),
)
