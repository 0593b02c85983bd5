"""What a new district starts with: 96345's five categories (with synthetic items), clocks from the
12345 norms in peer-systems.md section 4.1, and the Yaoxi escalation ladder (domain section 4.1)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from services.dispatch.catalogue.models import DispatchMode


@dataclass(frozen=True)
class ItemSpec:
    code: str
    name: str
    handling: str = "on_spot"
    skill: str | None = None


@dataclass(frozen=True)
class CategorySpec:
    code: str
    name: str
    mode: str
    sign_for_minutes: int | None
    arrival_minutes: int | None
    resolution_minutes: int | None
    working_time: bool
    items: tuple[ItemSpec, ...]


def columns(spec: ItemSpec | CategorySpec | LadderSpec) -> dict[str, Any]:
    """A spec's values as the columns of its row (a category's items are rows of their own)."""
    return {f.name: getattr(spec, f.name) for f in fields(spec) if f.name != "items"}


DAY = 24 * 60
WORKING_DAY = 9 * 60  # 08:30-17:30 on the default calendar

# 96345's categories; the seeds name them but not their 120+ items, so the items are synthetic examples.
CITIZEN_LIFE = (
    ItemSpec("plumbing", "水管维修", skill="plumbing"),
    ItemSpec("electrical", "电路维修", skill="electrical"),
    ItemSpec("appliance", "家电维修", skill="appliance"),
    ItemSpec("elder_care", "助老陪护", skill="care"),
    ItemSpec("housekeeping", "家政保洁", skill="housekeeping"),
    ItemSpec("escort_medical", "陪同就医", skill="care"),
)
CONSULTATION = (
    ItemSpec("legal_advice", "法律咨询", skill="legal"),
    ItemSpec("policy_advice", "政策咨询", skill="policy"),
    ItemSpec("health_advice", "健康咨询", skill="medical"),
)
AFFAIRS = (
    ItemSpec("membership_transfer", "组织关系转接代办", "proxy"),
    ItemSpec("id_card", "身份证代办", "proxy"),
    ItemSpec("senior_card", "老年卡代办", "proxy"),
    ItemSpec("utility_bills", "水电气缴费代办", "proxy"),
    ItemSpec("medical_reimbursement", "医药费报销代办", "proxy"),
    ItemSpec("neighbour_dispute", "邻里纠纷调解", skill="mediation"),
)
ECOMMERCE = (
    ItemSpec("online_shopping", "网购代办", "proxy", skill="digital"),
    ItemSpec("delivery", "送货上门", skill="delivery"),
)
ENTERPRISE = (
    ItemSpec("enterprise_registration", "企业登记咨询", skill="business"),
    ItemSpec("finance_insurance", "金融保险咨询", skill="finance"),
)
CATEGORIES: tuple[CategorySpec, ...] = (
    CategorySpec("citizen_life", "市民生活", DispatchMode.ASSIGN, 30, 60, DAY, False, CITIZEN_LIFE),
    CategorySpec("consultation", "咨询服务", DispatchMode.CLAIM, 120, None, 3 * WORKING_DAY, True, CONSULTATION),
    CategorySpec("affairs", "事务代办", DispatchMode.ASSIGN, 120, None, 7 * WORKING_DAY, True, AFFAIRS),
    CategorySpec("ecommerce", "电子商务", DispatchMode.CLAIM, 120, None, 3 * WORKING_DAY, True, ECOMMERCE),
    CategorySpec("enterprise", "企业服务", DispatchMode.ASSIGN, 240, None, 15 * WORKING_DAY, True, ENTERPRISE),
)


@dataclass(frozen=True)
class LadderSpec:
    code: str
    name: str
    org_level: str
    resolution_minutes: int | None
    issues_referral: bool = False


# Yaoxi: grid → village issue meeting (monthly) → member council → street supervision meeting (monthly,
# referral notice) → district mediation centre. The seed gives no numeric limits: these are defaults.
LADDER: tuple[LadderSpec, ...] = (
    LadderSpec("grid", "网格(红领队长)", "grid", None),
    LadderSpec("village_meeting", "村红领提事会", "village", 30 * DAY),
    LadderSpec("member_council", "村党员议事会", "village", 30 * DAY),
    LadderSpec("street_supervision", "街道红色细胞督办会", "street", 30 * DAY, issues_referral=True),
    LadderSpec("district_mediation", "区民情调处中心", "district", 30 * DAY),
)

# Which tree levels answer at each ladder org level (orgtree's level codes).
ORG_LEVELS: dict[str, tuple[str, ...]] = {
    "grid": ("grid", "villager_group", "building", "mall_group"),
    "village": ("village", "community"),
    "street": ("street", "township", "town"),
    "district": ("district",),
}
