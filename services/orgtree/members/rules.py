"""Field rules for members, shared by the API and the bulk importer so both refuse the same input alike."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.members.models import Member
from shared.context import require_tenant
from shared.http.problems import FieldErrors
from shared.privacy import (
    TenantKeys,
    blind_index,
    data_key,
    encrypt,
    id_card_birth_date,
    mask_id_card,
    mask_phone,
    normalize_id_card,
    normalize_phone,
    validate_id_card,
    validate_mobile,
)

CLASSIFICATIONS = {"self_managed": "自管党员", "in_service": "在职党员", "mobile": "流动党员"}
MEMBER_FLAGS = {
    "mobile": "流动党员",
    "lost_contact": "失联党员",
    "warned": "被警示党员",
    "unqualified": "不合格党员",
    "without_office": "无职党员",
    "activist": "入党积极分子",
}
INFO_CARD_FIELDS = {
    "basic_situation": "基本情况",
    "development_capacity": "发展能力",
    "technical_specialties": "技术特长",
    "service_willingness": "服务意愿",
}
POST_METHODS = {"self_nomination": "个人自荐", "branch_nomination": "支部民主推荐"}
TRANSFER_REASONS = {
    "joined": "入党/接收",
    "ordinary": "正常转接",
    "unqualified_after_reeducation": "教育后仍不合格,转入街道机关支部",
    "regrouped_by_location": "按地域重新编组",
    "regrouped_by_workplace": "按单位重新编组",
    "regrouped_by_interest": "按兴趣重新编组",
    "regrouped_by_business": "按行业重新编组",
    "removed": "离开本区名册",
}
REMOVAL_REASONS = {"transferred_out": "转出本区", "deceased": "去世", "expelled": "开除党籍", "struck_off": "除名/退党"}


def given(value: object) -> str | None:
    """The text an update gives for a field, or None when the update leaves the field alone."""
    return value if isinstance(value, str) else None


def check_choice(errors: FieldErrors, name: str, value: str | None, allowed: dict[str, str]) -> None:
    if value is not None and value not in allowed:
        errors.add(name, f"'{value}' is not one of: {', '.join(allowed)}")


def check_choices(errors: FieldErrors, name: str, values: list[str], allowed: dict[str, str] | frozenset[str]) -> None:
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        errors.add(name, f"unknown values {', '.join(unknown)}; allowed: {', '.join(allowed)}")


def check_id_card(errors: FieldErrors, name: str, value: str | None) -> None:
    if value is not None and not validate_id_card(value):
        errors.add(name, "not a valid 18-character resident ID number (GB 11643 check character or birth date wrong)")


def check_mobile(errors: FieldErrors, name: str, value: str | None) -> None:
    if value is not None and not validate_mobile(value):
        errors.add(name, "not a mainland mobile number (11 digits starting 13-19)")


def check_member_fields(
    errors: FieldErrors,
    *,
    id_card: str | None,
    phone: str | None,
    classification: str,
    flags: list[str],
    info_card: dict[str, str],
    post_code: str | None,
    post_method: str | None,
    posts: set[str],
) -> None:
    """Everything about a member that can be judged without the tree."""
    check_id_card(errors, "idCard", id_card)
    check_mobile(errors, "phone", phone)
    check_choice(errors, "classification", classification, CLASSIFICATIONS)
    check_choices(errors, "flags", flags, MEMBER_FLAGS)
    check_choices(errors, "infoCard", list(info_card), INFO_CARD_FIELDS)
    if post_code is not None and post_code not in posts:
        errors.add("postCode", f"'{post_code}' is not in this district's post catalogue: {', '.join(sorted(posts))}")
    if (post_code is None) != (post_method is None):
        errors.add("postMethod", "a post and how it was claimed go together (both or neither)")
    check_choice(errors, "postMethod", post_method, POST_METHODS)


MEMBER_PERSONAL_COLUMNS = (
    "id_card_cipher",
    "id_card_index",
    "id_card_masked",
    "birth_date",
    "gender",
    "phone_cipher",
    "phone_index",
    "phone_masked",
)


def member_personal_columns(keys: TenantKeys, *, id_card: str | None, phone: str | None) -> dict[str, Any]:
    """The stored form of a member's ID number and phone: encrypted, blind-indexed, masked
    (docs/architecture-notes.md, "Organisation tree").

    Only the columns of the values given are returned, so an update leaves the others as they are.
    """
    columns: dict[str, Any] = {}
    if id_card is not None:
        number = normalize_id_card(id_card)
        columns |= {
            "id_card_cipher": encrypt(keys, "member.id_card", number),
            "id_card_index": blind_index(keys, "member.id_card", number, normalize_id_card),
            "id_card_masked": mask_id_card(number),
            "birth_date": id_card_birth_date(number),
            "gender": "male" if int(number[16]) % 2 else "female",
        }
    if phone is not None:
        columns |= phone_columns(keys, "member.phone", phone)
    return columns


def phone_columns(keys: TenantKeys, field: str, phone: str) -> dict[str, Any]:
    """A phone's stored form as ``field`` (``member.phone``, ``household.phone``): encrypted, blind-indexed, masked."""
    number = normalize_phone(phone)
    return {
        "phone_cipher": encrypt(keys, field, number),
        "phone_index": blind_index(keys, field, number, normalize_phone),
        "phone_masked": mask_phone(number),
    }


async def protect(session: AsyncSession, row: object, columns: Callable[[TenantKeys], dict[str, Any]]) -> None:
    """Set ``row``'s personal columns, as ``columns`` stores them with the tenant's keys (looked up, usually cached)."""
    keys = await data_key(session, require_tenant())
    for name, value in columns(keys).items():
        setattr(row, name, value)


async def protect_member(session: AsyncSession, member: Member, *, id_card: str | None, phone: str | None) -> None:
    """Set the member's personal columns from clear values."""
    await protect(session, member, partial(member_personal_columns, id_card=id_card, phone=phone))


async def phone_lookup_key(session: AsyncSession, field_name: str, phone: str) -> bytes:
    keys = await data_key(session, require_tenant())
    return blind_index(keys, field_name, normalize_phone(phone), normalize_phone)


async def id_card_lookup_key(session: AsyncSession, id_card: str) -> bytes:
    keys = await data_key(session, require_tenant())
    return blind_index(keys, "member.id_card", normalize_id_card(id_card), normalize_id_card)
