"""Revealing a protected value needs a purpose and leaves exactly one audit entry, without the value."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from shared.audit import actor_scope
from shared.context import tenant_scope
from shared.db.kernel import audit_event
from shared.privacy import (
    REVEALED,
    PurposeRequiredError,
    blind_index,
    data_key,
    encrypt,
    normalize_id_card,
    normalize_phone,
    reveal,
)
from tests.privacy.conftest import tenant_tx

PHONE = "13912345678"
ID_CARD = "11010519491231002X"


async def audit_rows(engine: AsyncEngine, tenant: uuid.UUID) -> list[dict[str, object]]:
    with tenant_scope(tenant):
        async with AsyncSession(engine) as session:
            rows = (await session.execute(select(audit_event).order_by(audit_event.c.id))).mappings().all()
    return [dict(row) for row in rows]


@pytest.mark.parametrize("purpose", ["", "   ", "x"])
async def test_reveal_without_purpose_is_refused(kernel_app_engine: AsyncEngine, purpose: str) -> None:
    tenant = uuid.uuid4()
    async with tenant_tx(kernel_app_engine, tenant) as session:
        keys = await data_key(session, tenant)
        sealed = encrypt(keys, "resident.phone", PHONE)
        with pytest.raises(PurposeRequiredError):
            await reveal(
                session, keys, "resident.phone", sealed, purpose=purpose, subject_type="resident", subject_id="r1"
            )
    assert await audit_rows(kernel_app_engine, tenant) == []


async def test_reveal_writes_one_audit_row(kernel_app_engine: AsyncEngine) -> None:
    tenant, resident, user = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    with actor_scope(user, ["hotline_operator"], client_ip="10.1.2.3", request_id="req-reveal-0001"):
        async with tenant_tx(kernel_app_engine, tenant) as session:
            keys = await data_key(session, tenant)
            sealed = encrypt(keys, "resident.phone", PHONE)
            shown = await reveal(
                session,
                keys,
                "resident.phone",
                sealed,
                purpose="回访核实",
                subject_type="resident",
                subject_id=resident,
            )
    assert shown == PHONE

    rows = await audit_rows(kernel_app_engine, tenant)
    assert len(rows) == 1
    row = rows[0]
    assert row["action"] == REVEALED
    assert row["tenant_id"] == tenant
    assert row["subject_type"] == "resident"
    assert row["subject_id"] == str(resident)
    assert row["purpose"] == "回访核实"
    assert row["detail"] == {"field": "resident.phone"}
    assert row["actor_id"] == str(user)
    assert row["actor_roles"] == "hotline_operator"
    assert row["request_id"] == "req-reveal-0001"
    assert str(row["client_ip"]) == "10.1.2.3"
    # Another tenant sees none of it.
    assert await audit_rows(kernel_app_engine, uuid.uuid4()) == []


async def test_no_plaintext_in_key_or_audit_tables(
    kernel_app_engine: AsyncEngine, kernel_system_engine: AsyncEngine
) -> None:
    tenant = uuid.uuid4()
    async with tenant_tx(kernel_app_engine, tenant) as session:
        keys = await data_key(session, tenant)
        for field, value, normalize in (
            ("resident.phone", PHONE, normalize_phone),
            ("resident.id_card", ID_CARD, normalize_id_card),
        ):
            sealed = encrypt(keys, field, value)
            blind_index(keys, field, value, normalize)
            await reveal(session, keys, field, sealed, purpose="核对身份", subject_type="resident", subject_id="r-7")

    async with AsyncSession(kernel_system_engine) as session:  # every tenant's rows, as stored
        dumps = [
            *(await session.execute(text("SELECT t::text FROM tenant_data_key t"))).scalars(),
            *(await session.execute(text("SELECT a::text FROM audit_event a"))).scalars(),
        ]
        raw_keys = (await session.execute(text("SELECT wrapped_key FROM tenant_data_key"))).scalars().all()
    assert dumps
    for secret in (PHONE, ID_CARD, "1391234", "2345678", "19491231002"):
        assert not any(secret in dump for dump in dumps), secret
        assert not any(secret.encode() in raw for raw in raw_keys), secret
