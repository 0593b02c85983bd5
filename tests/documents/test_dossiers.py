"""Acceptance dossiers (DOC-08): drafted and filled by the unit, locked on submission (its documents can be neither
deleted nor changed), reviewed by those above the unit with notes that survive a return."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from services.documents.dossiers.locks import locked_by_dossier
from shared.settings import Settings
from shared.storage import ObjectStore
from tests.documents.builders import District, admin, bearer, street_admin
from tests.documents.retention_support import DOCUMENTS, Client, days_from_today, filed, in_bucket
from tests.platform.tokens import TestIssuer

DOSSIERS = "/api/documents/dossiers"


@pytest.fixture
def store(settings: Settings) -> ObjectStore:
    return ObjectStore(settings)


def dossier_body(district: District, street: int = 0, **extra: Any) -> dict[str, Any]:
    return {
        "title": "2026年红色细胞工程验收材料",
        "unitId": str(uuid.uuid4()),
        "unitPath": district.streets[street],
        "unitName": "瑶溪街道",
        **extra,
    }


async def is_locked(district: District, document_id: uuid.UUID) -> bool:
    async def ask(session: AsyncSession) -> bool:
        return await locked_by_dossier(session, document_id)

    result: bool = await district.run(ask)
    return result


async def test_a_submitted_dossier_locks_its_documents_until_a_reviewer_returns_it(
    client: Client, issuer: TestIssuer, district_a: District, store: ObjectStore
) -> None:
    ledger, keys = await filed(district_a, store, "党员积分台账", type_code="ledger", retain_until=days_from_today(-1))
    minutes, _ = await filed(district_a, store, "验收会议纪要")
    street = bearer(street_admin(issuer, district_a, 0, name="王主任"))
    registrar = bearer(admin(issuer, district_a, name="区委组织部"))

    created = await client.post(DOSSIERS, json=dossier_body(district_a, dueOn="2026-12-20"), headers=street)
    assert created.status_code == 201, created.text
    assert created.json()["state"] == "draft"
    assert created.json()["dueOn"] == "2026-12-20"
    url = f"{DOSSIERS}/{created.json()['id']}"

    for document in (ledger, minutes):
        added = await client.post(f"{url}/items", json={"documentId": str(document.id)}, headers=street)
        assert added.status_code == 201, added.text
    duplicate = await client.post(f"{url}/items", json={"documentId": str(minutes.id)}, headers=street)
    assert duplicate.status_code == 409
    assert (await client.delete(f"{url}/items/{minutes.id}", headers=street)).status_code == 204
    assert (await client.delete(f"{url}/items/{minutes.id}", headers=street)).status_code == 404

    submitted = await client.post(f"{url}/submit", headers=street)
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["state"] == "submitted"
    assert [item["title"] for item in submitted.json()["items"]] == ["党员积分台账"]
    assert await is_locked(district_a, ledger.id)
    assert (await client.post(f"{url}/items", json={"documentId": str(minutes.id)}, headers=street)).status_code == 409
    assert (await client.delete(f"{url}/items/{ledger.id}", headers=street)).status_code == 409

    refused = await client.post(f"{DOCUMENTS}/{ledger.id}/deletion", json={"reason": "x"}, headers=registrar)
    assert refused.status_code == 409
    assert "acceptance dossier" in refused.json()["detail"]
    assert await in_bucket(district_a, store, keys) == [True, True, True]
    version = {"filename": "台账.pdf", "contentType": "application/pdf", "sizeBytes": 1000, "changeNote": "补充"}
    frozen = await client.post(f"{DOCUMENTS}/{ledger.id}/versions", json=version, headers=street)
    assert frozen.status_code == 409
    assert "acceptance dossier" in frozen.json()["detail"]
    due = await client.get("/api/documents/retention/due", headers=registrar)
    assert str(ledger.id) not in {item["id"] for item in due.json()["items"]}

    # the unit does not review itself
    own = await client.post(f"{url}/notes", json={"note": "自评", "verdict": "accepted"}, headers=street)
    assert own.status_code == 403
    returned = await client.post(
        f"{url}/notes", json={"note": "缺少会议纪要，请补充", "verdict": "returned"}, headers=registrar
    )
    assert returned.status_code == 201, returned.text
    assert returned.json()["authorName"] == "区委组织部"
    assert not await is_locked(district_a, ledger.id)
    detail = (await client.get(url, headers=street)).json()
    assert detail["state"] == "draft"
    assert [note["note"] for note in detail["notes"]] == ["缺少会议纪要，请补充"]

    assert (await client.post(f"{url}/items", json={"documentId": str(minutes.id)}, headers=street)).status_code == 201
    assert (await client.post(f"{url}/submit", headers=street)).status_code == 200
    early = await client.post(f"{url}/notes", json={"note": "材料齐全"}, headers=registrar)
    assert early.status_code == 201
    accepted = await client.post(f"{url}/notes", json={"note": "同意验收", "verdict": "accepted"}, headers=registrar)
    assert accepted.status_code == 201
    final = (await client.get(url, headers=registrar)).json()
    assert final["state"] == "accepted"
    assert final["acceptedAt"] is not None
    assert [(note["note"], note["verdict"]) for note in final["notes"]] == [
        ("缺少会议纪要，请补充", "returned"),
        ("材料齐全", None),
        ("同意验收", "accepted"),
    ]
    assert {item["documentId"] for item in final["items"]} == {str(ledger.id), str(minutes.id)}
    assert await is_locked(district_a, minutes.id)
    again = await client.post(f"{url}/notes", json={"note": "再议", "verdict": "returned"}, headers=registrar)
    assert again.status_code == 409


async def test_staff_above_the_unit_review_and_lists_follow_scope_and_state(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    community = district_a.streets[0] + "c0000001/"
    cadre = bearer(issuer.token(tenant=district_a.id, roles=["community_cadre"], scope=community))
    street = bearer(street_admin(issuer, district_a, 0))
    document = await district_a.add_document("社区台账", type_code="ledger", anchor_path=community)
    created = await client.post(DOSSIERS, json={**dossier_body(district_a), "unitPath": community}, headers=cadre)
    assert created.status_code == 201, created.text
    url = f"{DOSSIERS}/{created.json()['id']}"
    assert (await client.post(f"{url}/items", json={"documentId": str(document.id)}, headers=cadre)).status_code == 201
    assert (await client.post(f"{url}/submit", headers=cadre)).status_code == 200
    reviewed = await client.post(f"{url}/notes", json={"note": "通过", "verdict": "accepted"}, headers=street)
    assert reviewed.status_code == 201, reviewed.text

    drafted = await client.post(DOSSIERS, json=dossier_body(district_a), headers=street)
    listed = await client.get(DOSSIERS, params={"state": "accepted"}, headers=street)
    assert [item["id"] for item in listed.json()["items"]] == [created.json()["id"]]
    mine = await client.get(DOSSIERS, headers=cadre)
    assert [item["id"] for item in mine.json()["items"]] == [created.json()["id"]]
    under_street = await client.get(DOSSIERS, params={"unitPath": district_a.streets[0]}, headers=street)
    assert {item["id"] for item in under_street.json()["items"]} == {created.json()["id"], drafted.json()["id"]}
    other_street = bearer(street_admin(issuer, district_a, 1))
    assert (await client.get(DOSSIERS, headers=other_street)).json()["items"] == []
    assert (await client.get(url, headers=other_street)).status_code == 404


async def test_bad_dossier_input_is_refused_naming_the_field(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    street = bearer(street_admin(issuer, district_a, 0))
    for extra, field in (
        ({"dueOn": "下周"}, "body.dueOn"),
        ({"unitPath": "street"}, "body.unitPath"),
        ({"title": ""}, "body.title"),
        ({"unitId": 5}, "body.unitId"),
    ):
        refused = await client.post(DOSSIERS, json=dossier_body(district_a, **extra), headers=street)
        assert refused.status_code == 422, (extra, refused.text)
        assert field in refused.text
    outside = await client.post(DOSSIERS, json=dossier_body(district_a, street=1), headers=street)
    assert outside.status_code == 403
    assert (await client.get(DOSSIERS, params={"state": "lost"}, headers=street)).status_code == 422

    created = await client.post(DOSSIERS, json=dossier_body(district_a), headers=street)
    url = f"{DOSSIERS}/{created.json()['id']}"
    empty = await client.post(f"{url}/submit", headers=street)
    assert empty.status_code == 409
    bad_verdict = await client.post(
        f"{url}/notes", json={"note": "x", "verdict": "maybe"}, headers=bearer(admin(issuer, district_a))
    )
    assert bad_verdict.status_code == 422
    assert "body.verdict" in bad_verdict.text
    missing = await client.post(f"{url}/items", json={"documentId": str(uuid.uuid4())}, headers=street)
    assert missing.status_code == 404
    assert (await client.get(DOSSIERS, headers=street)).json()["items"][0]["state"] == "draft"

    # a document deleted while the dossier was a draft keeps it from being submitted
    document = await district_a.add_document("误传台账", type_code="ledger")
    assert (await client.post(f"{url}/items", json={"documentId": str(document.id)}, headers=street)).status_code == 201
    deletion = await client.post(f"{DOCUMENTS}/{document.id}/deletion", json={"reason": "误传"}, headers=street)
    assert deletion.status_code == 201
    stale = await client.post(f"{url}/submit", headers=street)
    assert stale.status_code == 409
    assert "deleted" in stale.json()["detail"]


async def test_another_districts_dossier_is_a_404_everywhere(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    document = await district_a.add_document("台账", type_code="ledger")
    created = await client.post(DOSSIERS, json=dossier_body(district_a), headers=bearer(admin(issuer, district_a)))
    url = f"{DOSSIERS}/{created.json()['id']}"
    other = bearer(admin(issuer, district_b))
    own_document = await district_b.add_document("本区台账", type_code="ledger")
    answers = [
        await client.get(url, headers=other),
        await client.post(f"{url}/items", json={"documentId": str(own_document.id)}, headers=other),
        await client.delete(f"{url}/items/{document.id}", headers=other),
        await client.post(f"{url}/submit", headers=other),
        await client.post(f"{url}/notes", json={"note": "x"}, headers=other),
    ]
    assert [answer.status_code for answer in answers] == [404] * 5
    assert (await client.get(DOSSIERS, headers=other)).json()["items"] == []
    # nor does district A's dossier take district B's document
    foreign = await client.post(
        f"{url}/items", json={"documentId": str(own_document.id)}, headers=bearer(admin(issuer, district_a))
    )
    assert foreign.status_code == 404
