"""Field rules for households, shared by the API and the bulk importer."""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.households.models import Household
from services.orgtree.members.rules import phone_columns, protect
from shared.privacy import TenantKeys, encrypt, mask_address, mask_name

HOUSEHOLD_CATEGORIES = {
    "processing": "加工户",
    "planting": "种植户",
    "migrant_worker": "外出务工户",
    "low_income": "低保户",
    "five_guarantees": "五保户",
    "extremely_poor": "特困户",
    "problem": "问题户",
    "disabled": "残疾人户",
    "empty_nest": "空巢老人户",
    "living_alone": "独居老人户",
}
# GW-08: categories that reveal income, health or conflict; masked in exports and lists below the district.
RESTRICTED_CATEGORIES = frozenset({"low_income", "five_guarantees", "extremely_poor", "problem", "disabled"})
PLAQUES = {"party_member_home": "党员之家", "communist_household": "共产党员户"}
HOUSEHOLD_EVENT_KINDS = {  # the eight 必访 [001/HSS] (dispatch raises a visit task for them) and a few more
    "hospitalised": "住院",
    "hardship": "生活困难",
    "accident": "意外事故",
    "family_conflict": "家庭矛盾",
    "neighbour_conflict": "邻里纠纷",
    "moved": "搬迁",
    "worries": "有思想顾虑",
    "unmet_benefits": "原单位待遇未落实",
    "conflict": "矛盾纠纷",  # before the two kinds of conflict were told apart
    "bereavement": "家有丧事",
    "other": "其他",
}


HOUSEHOLD_PERSONAL_COLUMNS = (
    "head_name_cipher",
    "head_name_masked",
    "address_cipher",
    "address_masked",
    "phone_cipher",
    "phone_index",
    "phone_masked",
)


def household_personal_columns(
    keys: TenantKeys, *, head_name: str | None, address: str | None, phone: str | None
) -> dict[str, Any]:
    """The stored form of a household's head, address and phone; only the columns of the values given."""
    columns: dict[str, Any] = {}
    if head_name is not None:
        columns |= {
            "head_name_cipher": encrypt(keys, "household.head_name", head_name.strip()),
            "head_name_masked": mask_name(head_name),
        }
    if address is not None:
        columns |= {
            "address_cipher": encrypt(keys, "household.address", address.strip()),
            "address_masked": mask_address(address),
        }
    if phone is not None:
        columns |= phone_columns(keys, "household.phone", phone)
    return columns


async def protect_household(
    session: AsyncSession, household: Household, *, head_name: str | None, address: str | None, phone: str | None
) -> None:
    """Set the household's personal columns from clear values."""
    columns = partial(household_personal_columns, head_name=head_name, address=address, phone=phone)
    await protect(session, household, columns)
