"""Per-tenant keys, field encryption and rotation against the real kernel database."""

from __future__ import annotations

import asyncio
import os
import uuid

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from shared.context import tenant_scope
from shared.db.bootstrap import drop_service_database
from shared.db.engine import make_engine
from shared.db.kernel import tenant_data_key
from shared.privacy import (
    DecryptionError,
    KeyScopeError,
    KeyUnwrapError,
    KeyVersionUnavailableError,
    TenantKeys,
    blind_index,
    clear_key_cache,
    data_key,
    decrypt,
    encrypt,
    key_version_of,
    normalize_id_card,
    normalize_phone,
    rotate_data_key,
)
from shared.settings import Settings
from tests.platform.plugin import create_kernel_database
from tests.privacy.conftest import tenant_tx

PHONE = "13812345678"


async def keys_for(engine: AsyncEngine, tenant: uuid.UUID) -> TenantKeys:
    async with tenant_tx(engine, tenant) as session:
        return await data_key(session, tenant)


async def test_keys_differ_per_tenant_and_values_do_not_cross(kernel_app_engine: AsyncEngine) -> None:
    a, b = uuid.uuid4(), uuid.uuid4()
    keys_a, keys_b = await keys_for(kernel_app_engine, a), await keys_for(kernel_app_engine, b)
    assert keys_a.tenant_id == a
    assert keys_b.tenant_id == b
    assert keys_a.version == keys_b.version == 1
    assert keys_a.index_key != keys_b.index_key

    sealed = encrypt(keys_a, "resident.phone", PHONE)
    assert decrypt(keys_a, "resident.phone", sealed) == PHONE
    with pytest.raises(DecryptionError):
        decrypt(keys_b, "resident.phone", sealed)  # copied into another tenant's row
    with pytest.raises(DecryptionError):
        decrypt(keys_a, "resident.id_card", sealed)  # copied into another column


async def test_ciphertext_layout_and_tamper_detection(kernel_app_engine: AsyncEngine) -> None:
    keys = await keys_for(kernel_app_engine, uuid.uuid4())
    one, two = encrypt(keys, "resident.phone", PHONE), encrypt(keys, "resident.phone", PHONE)
    assert one != two  # random nonce: equal values do not give equal ciphertexts
    assert one[0] == 0x01
    assert key_version_of(one) == 1
    assert PHONE.encode() not in one
    assert len(one) == 1 + 4 + 12 + len(PHONE) + 16

    for position in (0, 3, 7, len(one) - 1):  # format, key version, nonce, tag
        tampered = bytearray(one)
        tampered[position] ^= 0x01
        with pytest.raises(DecryptionError):
            decrypt(keys, "resident.phone", bytes(tampered))
    with pytest.raises(DecryptionError):
        decrypt(keys, "resident.phone", b"\x01short")
    with pytest.raises(ValueError, match="field"):
        encrypt(keys, "Resident Phone", PHONE)


async def test_cached_keys_are_the_stored_keys(kernel_app_engine: AsyncEngine) -> None:
    tenant = uuid.uuid4()
    sealed = encrypt(await keys_for(kernel_app_engine, tenant), "resident.name", "张三丰")
    clear_key_cache()  # as a fresh process would
    assert decrypt(await keys_for(kernel_app_engine, tenant), "resident.name", sealed) == "张三丰"


async def test_rotation_keeps_old_values_readable(kernel_app_engine: AsyncEngine) -> None:
    tenant = uuid.uuid4()
    v1 = await keys_for(kernel_app_engine, tenant)
    old = encrypt(v1, "resident.phone", PHONE)
    index_before = blind_index(v1, "resident.phone", PHONE, normalize_phone)

    async with tenant_tx(kernel_app_engine, tenant) as session:
        rotated = await rotate_data_key(session, tenant)
    assert rotated.version == 2
    assert rotated.versions == (1, 2)

    clear_key_cache()
    keys = await keys_for(kernel_app_engine, tenant)
    assert keys.version == 2
    new = encrypt(keys, "resident.phone", PHONE)
    assert key_version_of(new) == 2
    assert decrypt(keys, "resident.phone", old) == PHONE
    assert decrypt(keys, "resident.phone", new) == PHONE
    # Lookups keep finding rows written before the rotation.
    assert blind_index(keys, "resident.phone", PHONE, normalize_phone) == index_before
    # Keys loaded before the rotation cannot read the new version and say so.
    with pytest.raises(KeyVersionUnavailableError):
        decrypt(v1, "resident.phone", new)


async def test_first_use_race_creates_one_key(kernel_app_engine: AsyncEngine) -> None:
    tenant = uuid.uuid4()
    clear_key_cache()

    async def first_use() -> TenantKeys:
        return await keys_for(kernel_app_engine, tenant)

    one, two = await asyncio.gather(first_use(), first_use())
    assert decrypt(two, "resident.phone", encrypt(one, "resident.phone", PHONE)) == PHONE
    async with tenant_tx(kernel_app_engine, tenant) as session:
        count = await session.scalar(select(func.count()).select_from(tenant_data_key))
    assert count == 1


async def test_key_of_a_rolled_back_transaction_is_not_cached(kernel_app_engine: AsyncEngine) -> None:
    tenant = uuid.uuid4()

    async def failing_change() -> None:
        async with AsyncSession(kernel_app_engine) as session, session.begin():
            await data_key(session, tenant)
            await data_key(session, tenant)  # re-reads its own uncommitted row
            raise RuntimeError("business rule failed; the new key row rolls back")

    with tenant_scope(tenant), pytest.raises(RuntimeError, match="business rule"):
        await failing_change()
    sealed = encrypt(await keys_for(kernel_app_engine, tenant), "resident.phone", PHONE)
    clear_key_cache()
    # Had the rolled-back key been cached, this value would be sealed under a key that was never stored.
    assert decrypt(await keys_for(kernel_app_engine, tenant), "resident.phone", sealed) == PHONE


async def test_keys_only_inside_their_tenant_scope(kernel_app_engine: AsyncEngine) -> None:
    a, b = uuid.uuid4(), uuid.uuid4()
    await keys_for(kernel_app_engine, a)  # now cached
    async with tenant_tx(kernel_app_engine, b) as session:
        with pytest.raises(KeyScopeError):
            await data_key(session, a)
    async with AsyncSession(kernel_app_engine) as session:
        with pytest.raises(KeyScopeError):
            await data_key(session, a)


async def test_wrong_master_key_does_not_unwrap(kernel_app_engine: AsyncEngine) -> None:
    tenant = uuid.uuid4()
    await keys_for(kernel_app_engine, tenant)
    async with tenant_tx(kernel_app_engine, tenant) as session:
        with pytest.raises(KeyUnwrapError):
            await data_key(session, tenant, master_key=os.urandom(32))


async def test_stored_keys_are_wrapped(kernel_app_engine: AsyncEngine, kernel_system_engine: AsyncEngine) -> None:
    tenant = uuid.uuid4()
    keys = await keys_for(kernel_app_engine, tenant)
    async with AsyncSession(kernel_system_engine) as session:
        wrapped = await session.scalar(
            select(tenant_data_key.c.wrapped_key).where(tenant_data_key.c.tenant_id == tenant)
        )
    assert wrapped is not None
    assert len(wrapped) == 1 + 12 + 32 + 16
    assert keys.index_key not in wrapped
    assert str(tenant) in repr(keys)
    assert keys.index_key.hex() not in repr(keys)


async def test_blind_index(kernel_app_engine: AsyncEngine) -> None:
    a, b = uuid.uuid4(), uuid.uuid4()
    keys_a, keys_b = await keys_for(kernel_app_engine, a), await keys_for(kernel_app_engine, b)
    formats = [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+86 138 1234 5678",
        "+8613812345678",
        "0086-138-1234-5678",
    ]
    indexes = {blind_index(keys_a, "resident.phone", value, normalize_phone) for value in formats}
    assert len(indexes) == 1
    index = indexes.pop()
    assert len(index) == 32
    assert blind_index(keys_b, "resident.phone", PHONE, normalize_phone) != index
    assert blind_index(keys_a, "contact.phone", PHONE, normalize_phone) != index
    assert blind_index(keys_a, "resident.phone", "13812345679", normalize_phone) != index
    assert blind_index(keys_a, "resident.id_card", "11010519491231002x", normalize_id_card) == blind_index(
        keys_a, "resident.id_card", "11010519491231002X", normalize_id_card
    )


async def test_each_services_database_has_its_own_keys_even_in_one_process(
    settings: Settings, kernel_app_engine: AsyncEngine
) -> None:
    """The demo loader opens every service's database in one process: a tenant's keys cached from one must not be
    used for another's values (a second ``make dev`` could not read the phones it had stored)."""
    await create_kernel_database(settings, "kerneltest2")
    other = make_engine(settings, "kerneltest2", "app")
    try:
        tenant = uuid.uuid4()
        await keys_for(kernel_app_engine, tenant)  # made (a key made in a transaction is not cached)
        here = await keys_for(kernel_app_engine, tenant)  # read back: cached now
        there = await keys_for(other, tenant)
        sealed = encrypt(there, "resident.phone", PHONE)
        assert decrypt(await keys_for(other, tenant), "resident.phone", sealed) == PHONE
        with pytest.raises(DecryptionError):
            decrypt(here, "resident.phone", sealed)
    finally:
        await other.dispose()
        await drop_service_database(settings, "kerneltest2")
