"""Audit entries: context filled in, transaction-bound, tenant-isolated, and free of personal data."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from shared import audit
from shared.audit import PersonalDataInAuditError, actor_scope, check_no_personal_data
from shared.auth.principal import Principal, current_principal
from shared.context import current_request_id, tenant_scope
from shared.db.kernel import audit_event


async def rows_of(engine: AsyncEngine, tenant: uuid.UUID) -> list[Any]:
    with tenant_scope(tenant):
        async with AsyncSession(engine) as session:
            return list((await session.execute(select(audit_event).order_by(audit_event.c.id))).mappings())


async def write(engine: AsyncEngine, tenant: uuid.UUID, action: str, **kwargs: Any) -> None:
    with tenant_scope(tenant):
        async with AsyncSession(engine) as session, session.begin():
            await audit.record(session, action, **kwargs)


async def test_record_fills_actor_request_and_tenant(kernel_app_engine: AsyncEngine) -> None:
    tenant, user, node = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    with actor_scope(user, ["street_admin", "district_admin"], client_ip="2001:db8::1", request_id="req-audit-0001"):
        await write(
            kernel_app_engine,
            tenant,
            "orgtree.node.created",
            subject_type="org_node",
            subject_id=str(node),
            detail={"level": "grid", "parent_id": str(uuid.uuid4()), "count": 3},
        )
    [row] = await rows_of(kernel_app_engine, tenant)
    assert row["tenant_id"] == tenant
    assert row["action"] == "orgtree.node.created"
    assert row["actor_id"] == str(user)
    assert row["actor_roles"] == "district_admin,street_admin"
    assert row["request_id"] == "req-audit-0001"
    assert str(row["client_ip"]) == "2001:db8::1"
    assert row["detail"]["level"] == "grid"
    assert row["occurred_at"] is not None
    # The scope is gone afterwards.
    assert audit.current_actor.get() is None
    assert current_request_id.get() is None


async def test_principal_is_the_actor_when_no_scope_is_bound(kernel_app_engine: AsyncEngine) -> None:
    tenant, user = uuid.uuid4(), uuid.uuid4()
    token = current_principal.set(Principal(user_id=user, tenant_id=tenant, roles=frozenset({"member"})))
    try:
        await write(kernel_app_engine, tenant, "test.principal")
    finally:
        current_principal.reset(token)
    [row] = await rows_of(kernel_app_engine, tenant)
    assert row["actor_id"] == str(user)
    assert row["actor_roles"] == "member"
    assert row["client_ip"] is None


async def test_malformed_client_ip_is_dropped_not_fatal(kernel_app_engine: AsyncEngine) -> None:
    tenant = uuid.uuid4()
    with actor_scope("system:test", client_ip="1.2.3.4, 5.6.7.8"):
        await write(kernel_app_engine, tenant, "test.ip")
    [row] = await rows_of(kernel_app_engine, tenant)
    assert row["actor_id"] == "system:test"
    assert row["actor_roles"] is None
    assert row["client_ip"] is None


async def test_entry_rolls_back_with_the_change(kernel_app_engine: AsyncEngine) -> None:
    tenant = uuid.uuid4()

    async def failing_change() -> None:
        async with AsyncSession(kernel_app_engine) as session, session.begin():
            await audit.record(session, "test.rolled_back")
            raise RuntimeError("business rule failed after the audit entry")

    with tenant_scope(tenant), pytest.raises(RuntimeError, match="business rule"):
        await failing_change()
    assert await rows_of(kernel_app_engine, tenant) == []


async def test_tenants_see_only_their_entries(kernel_app_engine: AsyncEngine) -> None:
    a, b = uuid.uuid4(), uuid.uuid4()
    await write(kernel_app_engine, a, "test.a")
    await write(kernel_app_engine, b, "test.b")
    assert [r["action"] for r in await rows_of(kernel_app_engine, a)] == ["test.a"]
    assert [r["action"] for r in await rows_of(kernel_app_engine, b)] == ["test.b"]


@pytest.mark.parametrize(
    "detail",
    [
        {"phone": "13812345678"},
        {"note": "called 138-1234-5678 twice"},
        {"contact": {"numbers": ["+86 138 1234 5678"]}},
        {"mobile": 13812345678},
        {"id": "11010519491231002X"},
        {"text": "身份证号110105194912310021已核对"},
        {"13812345678": "as a key"},
    ],
)
async def test_personal_data_in_detail_is_refused(kernel_app_engine: AsyncEngine, detail: dict[str, Any]) -> None:
    tenant = uuid.uuid4()
    with pytest.raises(PersonalDataInAuditError) as caught:
        await write(kernel_app_engine, tenant, "test.leak", detail=detail)
    assert "1234" not in str(caught.value)  # the error names where, not what
    assert await rows_of(kernel_app_engine, tenant) == []


async def test_personal_data_in_purpose_or_subject_is_refused(kernel_app_engine: AsyncEngine) -> None:
    with pytest.raises(PersonalDataInAuditError):
        await write(kernel_app_engine, uuid.uuid4(), "test.leak", purpose="回拨13812345678")
    with pytest.raises(PersonalDataInAuditError):
        await write(kernel_app_engine, uuid.uuid4(), "test.leak", subject_id="13812345678")


def test_ids_and_ordinary_numbers_pass() -> None:
    check_no_personal_data(
        {
            "node": "0196f1a2-1381-7234-8567-813812345678",
            "request": "a13812345678b",
            "sha256": "13812345678" + "f" * 53,
            "ms": 1712345678901,
            "seconds": 1712345678,
            "count": 138,
            "flag": True,
            "nested": [{"page": 2}],
        }
    )
