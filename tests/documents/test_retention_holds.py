"""Legal hold (DOC-09): the district admin holds and releases a document; a held document is neither deleted nor
given another retention class; the holds in force are listed and every hold stays in the log."""

from __future__ import annotations

import pytest

from shared.settings import Settings
from shared.storage import ObjectStore
from tests.documents.builders import District, admin, bearer, street_admin
from tests.documents.retention_support import DOCUMENTS, Client, filed, in_bucket
from tests.platform.tokens import TestIssuer

HOLDS = f"{DOCUMENTS}/holds"


@pytest.fixture
def store(settings: Settings) -> ObjectStore:
    return ObjectStore(settings)


async def test_a_held_document_cannot_be_deleted_or_reclassified_until_released(
    client: Client, issuer: TestIssuer, district_a: District, store: ObjectStore
) -> None:
    document, keys = await filed(district_a, store, "涉诉工作台账", type_code="ledger")
    registrar = bearer(admin(issuer, district_a, name="李书记"))
    street = bearer(street_admin(issuer, district_a, 0))

    assert (
        await client.post(f"{DOCUMENTS}/{document.id}/hold", json={"reason": "x"}, headers=street)
    ).status_code == 403
    held = await client.post(
        f"{DOCUMENTS}/{document.id}/hold", json={"reason": "信访复查，保全材料"}, headers=registrar
    )
    assert held.status_code == 201, held.text
    assert held.json()["placedByName"] == "李书记"
    assert held.json()["title"] == "涉诉工作台账"
    assert (await client.get(f"{DOCUMENTS}/{document.id}", headers=street)).json()["legalHold"] is True
    twice = await client.post(f"{DOCUMENTS}/{document.id}/hold", json={"reason": "再次"}, headers=registrar)
    assert twice.status_code == 409

    for headers in (street, registrar):
        refused = await client.post(f"{DOCUMENTS}/{document.id}/deletion", json={"reason": "清理"}, headers=headers)
        assert refused.status_code == 409, refused.text
        assert "under legal hold since" in refused.json()["detail"]
        assert "李书记" in refused.json()["detail"]
    reclassified = await client.patch(
        f"{DOCUMENTS}/{document.id}/retention", json={"retentionClass": "three_years"}, headers=street
    )
    assert reclassified.status_code == 409
    assert "legal hold" in reclassified.json()["detail"]

    listed = await client.get(HOLDS, headers=street)
    assert [item["documentId"] for item in listed.json()["items"]] == [str(document.id)]
    other_street = await client.get(HOLDS, headers=bearer(street_admin(issuer, district_a, 1)))
    assert other_street.json()["items"] == []

    released = await client.post(
        f"{DOCUMENTS}/{document.id}/hold/release", json={"reason": "复查结束"}, headers=registrar
    )
    assert released.status_code == 200, released.text
    assert released.json()["releaseReason"] == "复查结束"
    assert released.json()["releasedAt"] is not None
    again = await client.post(f"{DOCUMENTS}/{document.id}/hold/release", json={"reason": "再"}, headers=registrar)
    assert again.status_code == 409
    assert (await client.get(HOLDS, headers=registrar)).json()["items"] == []

    deleted = await client.post(
        f"{DOCUMENTS}/{document.id}/deletion", json={"reason": "复查结束后清理"}, headers=street
    )
    assert deleted.status_code == 201, deleted.text
    assert await in_bucket(district_a, store, keys) == [False, False, False]


async def test_another_districts_document_cannot_be_held_or_released(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District, store: ObjectStore
) -> None:
    document, _ = await filed(district_a, store)
    other = bearer(admin(issuer, district_b))
    for path in ("hold", "hold/release"):
        answer = await client.post(f"{DOCUMENTS}/{document.id}/{path}", json={"reason": "x"}, headers=other)
        assert answer.status_code == 404, (path, answer.text)
    refused = await client.post(
        f"{DOCUMENTS}/{document.id}/hold", json={"reason": ""}, headers=bearer(admin(issuer, district_a))
    )
    assert refused.status_code == 422
    assert "body.reason" in refused.text
    assert (await client.get(HOLDS, headers=other)).json()["items"] == []
