"""Field rules of intake, shared by the hotline desk and the residents' public endpoint."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import msgspec
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.tickets.models import Channel, Priority, Ticket, TicketCounter
from shared.context import require_tenant
from shared.http.problems import FieldErrors
from shared.privacy import (
    blind_index,
    data_key,
    encrypt,
    mask_address,
    mask_name,
    mask_phone,
    normalize_phone,
    normalize_text,
    validate_mobile,
)

_LANDLINE = re.compile(r"^0\d{9,11}$")  # area code + number, e.g. 0573-82345678 → 057382345678
SCOPE_KINDS = ("common", "individual")
DIFFICULTIES = ("solvable_now", "hard")


def check_phone(errors: FieldErrors, field: str, phone: str | None) -> None:
    if phone is not None and not (validate_mobile(phone) or _LANDLINE.fullmatch(normalize_phone(phone))):
        errors.add(field, "not a mainland mobile number or a landline with its area code")


def check_intake(
    errors: FieldErrors,
    *,
    channel: str,
    priority: str,
    scope_kind: str | None,
    difficulty: str | None,
    caller_phone: str | None,
) -> None:
    errors.choice("channel", channel, tuple(Channel))
    errors.choice("priority", priority, tuple(Priority))
    errors.choice("scopeKind", scope_kind, SCOPE_KINDS)
    errors.choice("difficulty", difficulty, DIFFICULTIES)
    check_phone(errors, "callerPhone", caller_phone)


async def phone_key(session: AsyncSession, phone: str) -> bytes:
    """The blind index under which a caller's tickets are found again."""
    return blind_index(await data_key(session, require_tenant()), "ticket.caller_phone", phone, normalize_phone)


async def address_key(session: AsyncSession, address: str) -> bytes:
    return blind_index(await data_key(session, require_tenant()), "ticket.address", address, normalize_text)


async def protect_caller(
    session: AsyncSession, ticket: Ticket, *, name: str | None, phone: str | None, address: str | None
) -> None:
    """Encrypt, index and mask the caller's personal data on the ticket."""
    keys = await data_key(session, require_tenant())
    if name is not None:
        ticket.caller_name_cipher = encrypt(keys, "ticket.caller_name", name.strip())
        ticket.caller_name_masked = mask_name(name)
    if phone is not None:
        ticket.caller_phone_cipher = encrypt(keys, "ticket.caller_phone", normalize_phone(phone))
        ticket.caller_phone_index = await phone_key(session, phone)
        ticket.caller_phone_masked = mask_phone(phone)
    if address is not None:
        ticket.address_cipher = encrypt(keys, "ticket.address", address.strip())
        ticket.address_index = await address_key(session, address)
        ticket.address_masked = mask_address(address)


# API field -> (cipher field name, column) for audited reveal
PERSONAL_FIELDS: dict[str, tuple[str, str]] = {
    "callerName": ("ticket.caller_name", "caller_name_cipher"),
    "callerPhone": ("ticket.caller_phone", "caller_phone_cipher"),
    "address": ("ticket.address", "address_cipher"),
}


async def next_number(session: AsyncSession, today: date) -> str:
    """``20261202-0007``: the district's seventh ticket of the day (one counter row per day)."""
    last = await session.scalar(
        pg_insert(TicketCounter)
        .values(tenant_id=require_tenant(), day=today, last=1)
        .on_conflict_do_update(index_elements=["tenant_id", "day"], set_={"last": TicketCounter.last + 1})
        .returning(TicketCounter.last)
    )
    return f"{today:%Y%m%d}-{last:04d}"


def changed_values(data: msgspec.Struct) -> dict[str, Any]:
    """The fields a PATCH body actually carries."""
    return {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
