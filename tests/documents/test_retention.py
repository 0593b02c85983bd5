"""Retention (DOC-09): who may delete which document and when, what a deletion removes from S3 and what it logs,
and retention class changes."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.documents.retention.rules import today
from services.documents.search.indexing import reindex
from services.documents.search.models import DocumentSearch
from services.documents.types.models import RetentionClass
from shared.db.kernel import audit_event
from shared.settings import Settings
from shared.storage import ObjectStore
from tests.documents.builders import District, admin, bearer, street_admin
from tests.documents.retention_support import DOCUMENTS, Client, days_from_today, filed, in_bucket, sha256_of
from tests.platform.tokens import TestIssuer


@pytest.fixture
def store(settings: Settings) -> ObjectStore:
    return ObjectStore(settings)


async def test_an_immutable_document_cannot_be_deleted_even_by_the_district_admin(
    client: Client, issuer: TestIssuer, district_a: District, store: ObjectStore
) -> None:
    until = days_from_today(400)
    document, keys = await filed(district_a, store, retention_class="ten_years", immutable=True, retain_until=until)
    forever, forever_keys = await filed(district_a, store, "荣誉证书", retention_class="permanent", immutable=True)
    headers = bearer(admin(issuer, district_a))

    refused = await client.post(f"{DOCUMENTS}/{document.id}/deletion", json={"reason": "清理"}, headers=headers)
    assert refused.status_code == 409, refused.text
    assert f"immutable until {until.isoformat()}" in refused.json()["detail"]
    permanent = await client.post(f"{DOCUMENTS}/{forever.id}/deletion", json={"reason": "清理"}, headers=headers)
    assert permanent.status_code == 409
    assert "immutable for good" in permanent.json()["detail"]

    assert await in_bucket(district_a, store, keys + forever_keys) == [True] * 6
    kept = await client.get(f"{DOCUMENTS}/{document.id}", headers=headers)
    assert kept.json()["state"] == "active"
    log = await client.get("/api/documents/deletions", headers=headers)
    assert log.json()["items"] == []


async def test_a_deletion_removes_every_version_and_thumbnail_from_s3_and_is_logged(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District, store: ObjectStore
) -> None:
    document, keys = await filed(district_a, store, "第一街道工作台账", type_code="ledger")
    checksums = await sha256_of(district_a, document)
    street = bearer(street_admin(issuer, district_a, 0, name="王主任"))
    await district_a.run(lambda session: reindex(session, document.id))
    assert await district_a.run(lambda session: session.scalar(select(DocumentSearch.document_id))) == document.id

    deleted = await client.post(
        f"{DOCUMENTS}/{document.id}/deletion", json={"reason": "重复上传，经会议决定删除"}, headers=street
    )
    assert deleted.status_code == 201, deleted.text
    entry = deleted.json()
    assert entry["documentId"] == str(document.id)
    assert entry["title"] == "第一街道工作台账"
    assert entry["typeCode"] == "ledger"
    assert entry["retentionClass"] == "ten_years"
    assert entry["deletedByName"] == "王主任"
    assert [(v["number"], v["sha256"]) for v in entry["versions"]] == list(zip([1, 2], checksums, strict=True))

    assert await in_bucket(district_a, store, keys) == [False, False, False]
    # the text read from its files goes with them
    assert await district_a.run(lambda session: session.scalar(select(DocumentSearch.document_id))) is None
    row = (await client.get(f"{DOCUMENTS}/{document.id}", headers=street)).json()
    assert row["state"] == "deleted"
    assert row["deletedAt"] is not None
    listed = await client.get(DOCUMENTS, headers=street)
    assert str(document.id) not in {item["id"] for item in listed.json()["items"]}

    again = await client.post(f"{DOCUMENTS}/{document.id}/deletion", json={"reason": "再删"}, headers=street)
    assert again.status_code == 409
    assert "deleted on" in again.json()["detail"]

    log = await client.get("/api/documents/deletions", headers=bearer(admin(issuer, district_a)))
    assert log.status_code == 200
    assert [(item["documentId"], item["reason"]) for item in log.json()["items"]] == [
        (str(document.id), "重复上传，经会议决定删除")
    ]
    assert (await client.get("/api/documents/deletions", headers=street)).status_code == 403
    other_log = await client.get("/api/documents/deletions", headers=bearer(admin(issuer, district_b)))
    assert other_log.json()["items"] == []

    async def audited(session: AsyncSession) -> list[str]:
        rows = await session.scalars(select(audit_event.c.action).where(audit_event.c.subject_id == str(document.id)))
        return list(rows)

    assert "documents.document.deleted" in await district_a.run(audited)


async def test_an_immutable_document_past_its_retention_may_be_deleted(
    client: Client, issuer: TestIssuer, district_a: District, store: ObjectStore
) -> None:
    document, keys = await filed(district_a, store, immutable=True, retain_until=days_from_today(-1))
    answer = await client.post(
        f"{DOCUMENTS}/{document.id}/deletion",
        json={"reason": "保管期满，经鉴定销毁"},
        headers=bearer(admin(issuer, district_a)),
    )
    assert answer.status_code == 201, answer.text
    assert await in_bucket(district_a, store, keys) == [False, False, False]


async def test_only_staff_over_the_documents_unit_delete_and_a_reason_is_required(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District, store: ObjectStore
) -> None:
    document, keys = await filed(district_a, store)
    url = f"{DOCUMENTS}/{document.id}/deletion"
    other_street = bearer(street_admin(issuer, district_a, 1))
    assert (await client.post(url, json={"reason": "x"}, headers=other_street)).status_code == 404
    other_district = bearer(admin(issuer, district_b))
    assert (await client.post(url, json={"reason": "x"}, headers=other_district)).status_code == 404
    member_id = uuid.uuid4()
    member = bearer(issuer.token(tenant=district_a.id, roles=["member"], user_id=member_id))
    assert (await client.post(url, json={"reason": "x"}, headers=member)).status_code == 403

    headers = bearer(admin(issuer, district_a))
    for body, field in (({}, "reason"), ({"reason": "   "}, "body.reason"), ({"reason": 5}, "body.reason")):
        refused = await client.post(url, json=body, headers=headers)
        assert refused.status_code == 422, (body, refused.text)
        assert field in refused.text
    assert (
        await client.post(f"{DOCUMENTS}/{uuid.uuid4()}/deletion", json={"reason": "x"}, headers=headers)
    ).status_code == 404
    assert await in_bucket(district_a, store, keys) == [True, True, True]


async def test_a_retention_change_recomputes_the_last_day_and_an_immutable_document_keeps_its_class(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District, store: ObjectStore
) -> None:
    document, _ = await filed(district_a, store, retain_until=days_from_today(3650))
    headers = bearer(street_admin(issuer, district_a, 0))
    url = f"{DOCUMENTS}/{document.id}/retention"

    shorter = await client.patch(url, json={"retentionClass": "three_years"}, headers=headers)
    assert shorter.status_code == 200, shorter.text
    stored_on = today()
    assert shorter.json()["retentionClass"] == "three_years"
    assert date.fromisoformat(shorter.json()["retainUntil"]).year in (stored_on.year + 3, stored_on.year + 2)
    assert shorter.json()["immutable"] is False

    for body, field in (
        ({"retentionClass": "forever"}, "body.retentionClass"),
        ({"retentionClass": 3}, "body.retentionClass"),
    ):
        refused = await client.patch(url, json=body, headers=headers)
        assert refused.status_code == 422, refused.text
        assert field in refused.text
    other = await client.patch(url, json={"retentionClass": "long"}, headers=bearer(admin(issuer, district_b)))
    assert other.status_code == 404

    kept = await client.patch(url, json={"retentionClass": "permanent"}, headers=headers)
    assert kept.json()["immutable"] is True
    assert kept.json()["retainUntil"] is None
    refused = await client.patch(url, json={"retentionClass": "three_years"}, headers=bearer(admin(issuer, district_a)))
    assert refused.status_code == 409
    assert "immutable" in refused.json()["detail"]


async def test_a_documents_immutability_outlives_a_change_of_its_class_or_type(
    client: Client, issuer: TestIssuer, district_a: District, store: ObjectStore
) -> None:
    document, keys = await filed(district_a, store, retention_class="permanent", immutable=True)
    headers = bearer(admin(issuer, district_a))

    async def soften(session: AsyncSession) -> None:
        await session.execute(update(RetentionClass).where(RetentionClass.code == "permanent").values(immutable=False))

    await district_a.run(soften)
    changed = await client.patch(
        "/api/documents/types/minutes", json={"retentionClass": "three_years"}, headers=headers
    )
    assert changed.status_code == 200
    refused = await client.post(f"{DOCUMENTS}/{document.id}/deletion", json={"reason": "类别已改"}, headers=headers)
    assert refused.status_code == 409
    assert "immutable" in refused.json()["detail"]
    assert await in_bucket(district_a, store, keys) == [True, True, True]
