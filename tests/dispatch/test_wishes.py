"""Micro-wishes: collected, published, claimed once (documents hears of it), fulfilled with a note or with a
photo documents filed (its EvidenceFiled), closed."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

import services.dispatch.tickets.evidence_actors  # noqa: F401 - registers the handler
from services.dispatch.events import consumer
from services.dispatch.models import MicroWish
from shared.contracts.documents import EvidenceFiled
from shared.settings import Settings
from tests.dispatch.builders import District, as_provider, bearer, operator, volunteer
from tests.platform.events import envelope
from tests.platform.tokens import TestIssuer

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x11" * 2000


@pytest.fixture(autouse=True)
def _consumer_on_the_test_database(settings: Settings) -> None:
    """Events are delivered here through dispatch's consumer, on the test session's database."""
    consumer._settings = settings


def wish_body(district: District, **overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "source": "visit",
        "title": "想要一台收音机",
        "description": "独居老人,想听戏曲频道",
        "valueYuan": "150",
        "householdId": str(district.households[0]),
        "beneficiaryName": "王秀英",
    }
    body.update(overrides)
    return body


async def published(client: AsyncTestClient[Any], issuer: TestIssuer, district: District, **overrides: object) -> str:
    desk = operator(issuer, district)
    created = await client.post("/api/dispatch/wishes", json=wish_body(district, **overrides), headers=desk)
    assert created.status_code == 201, created.text
    wish_id: str = created.json()["id"]
    assert (await client.post(f"/api/dispatch/wishes/{wish_id}/publish", headers=desk)).status_code == 200
    return wish_id


async def wish_row(district: District, wish_id: str) -> MicroWish:
    async def read(session: AsyncSession) -> MicroWish:
        return (await session.scalars(select(MicroWish).where(MicroWish.id == uuid.UUID(wish_id)))).one()

    row: MicroWish = await district.run(read)
    return row


async def outbox(district: District, event: str, wish_id: str) -> list[dict[str, Any]]:
    async def read(session: AsyncSession) -> list[dict[str, Any]]:
        rows = await session.execute(
            text("SELECT payload FROM outbox_message WHERE event = :e AND payload->>'wish_id' = :w ORDER BY id"),
            {"e": event, "w": wish_id},
        )
        return [dict(row[0]) for row in rows]

    found: list[dict[str, Any]] = await district.run(read)
    return found


async def fulfilled_events(district: District, wish_id: str) -> list[dict[str, Any]]:
    return await outbox(district, "dispatch.WishFulfilled", wish_id)


def photo_filed(district: District, wish_id: str, by: uuid.UUID) -> EvidenceFiled:
    """Documents' word that a photo of the wish is stored and checked (as its confirmation publishes it)."""
    return EvidenceFiled(
        tenant_id=district.id,
        document_id=uuid.uuid4(),
        version_id=uuid.uuid4(),
        subject_kind="wish",
        subject_id=uuid.UUID(wish_id),
        type_code="wish_evidence",
        content_type="image/png",
        sha256=hashlib.sha256(PNG).hexdigest(),
        size_bytes=len(PNG),
        stored_at=datetime(2026, 12, 6, 10, 0, tzinfo=UTC),
        filed_by=by,
    )


async def test_a_wish_from_collection_to_closing_with_a_photo(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    desk = operator(issuer, district_a)
    created = await client.post("/api/dispatch/wishes", json=wish_body(district_a), headers=desk)
    assert created.status_code == 201, created.text
    wish = created.json()
    assert (wish["status"], wish["beneficiary"], wish["gridId"]) == ("collected", "王**", str(district_a.grids[0]))
    provider = await district_a.add_provider()
    member = as_provider(issuer, district_a, provider, role="member")
    assert (await client.get(f"/api/dispatch/wishes/{wish['id']}", headers=member)).status_code == 404
    assert (await client.get("/api/dispatch/wishes", headers=member)).json() == []

    assert (await client.post(f"/api/dispatch/wishes/{wish['id']}/publish", headers=desk)).status_code == 200
    listed = (await client.get("/api/dispatch/wishes", params={"status": "published"}, headers=member)).json()
    assert [w["id"] for w in listed] == [wish["id"]]
    assert listed[0]["householdId"] is None
    claimed = await client.post(f"/api/dispatch/wishes/{wish['id']}/claim", json={}, headers=member)
    assert claimed.status_code == 200, claimed.text
    assert (claimed.json()["status"], claimed.json()["claimerKind"], claimed.json()["claimedByMe"]) == (
        "claimed",
        "person",
        True,
    )

    [claimed_event] = await outbox(district_a, "dispatch.WishClaimed", wish["id"])
    assert (claimed_event["grid_id"], claimed_event["claimer_kind"], claimed_event["claimer_user_id"]) == (
        str(district_a.grids[0]),
        "person",
        str(provider.user_id),
    )
    no_proof = await client.post(f"/api/dispatch/wishes/{wish['id']}/fulfil", json={}, headers=member)
    assert no_proof.status_code == 422, no_proof.text  # no note, and no photo filed in documents yet
    assert no_proof.json()["errors"][0]["field"] == "body.note"

    assert provider.user_id is not None
    photo = photo_filed(district_a, wish["id"], provider.user_id)
    assert await consumer.handle(envelope(photo)) is True
    shown = (await client.get(f"/api/dispatch/wishes/{wish['id']}", headers=member)).json()
    assert (shown["hasEvidence"], shown["evidenceDocumentId"]) == (True, str(photo.document_id))
    assert shown["evidenceSha256"] == hashlib.sha256(PNG).hexdigest()

    done = await client.post(f"/api/dispatch/wishes/{wish['id']}/fulfil", json={}, headers=member)
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "fulfilled"
    [event] = await fulfilled_events(district_a, wish["id"])
    assert (event["claimer_kind"], event["claimer_provider_id"], event["evidence_document_id"]) == (
        "person",
        str(provider.id),
        str(photo.document_id),
    )
    assert (await client.post(f"/api/dispatch/wishes/{wish['id']}/close", headers=member)).status_code == 403
    closed = await client.post(f"/api/dispatch/wishes/{wish['id']}/close", headers=desk)
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"


async def test_bad_wishes_are_refused_naming_the_field_and_nothing_is_stored(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    desk = operator(issuer, district_a)
    cases = {
        "body.valueYuan": wish_body(district_a, valueYuan="200.01"),
        "body.source": wish_body(district_a, source="tiktok"),
        "body.householdId": wish_body(district_a, householdId=str(district_b.households[0])),
    }
    for field, body in cases.items():
        response = await client.post("/api/dispatch/wishes", json=body, headers=desk)
        assert response.status_code == 422, (field, response.text)
        assert [e["field"] for e in response.json()["errors"]] == [field]
    negative = await client.post("/api/dispatch/wishes", json=wish_body(district_a, valueYuan="-1"), headers=desk)
    assert negative.status_code == 422
    assert negative.json()["errors"][0]["field"] == "body.valueYuan"
    assert (await client.get("/api/dispatch/wishes", headers=desk)).json() == []
    at_cap = await client.post("/api/dispatch/wishes", json=wish_body(district_a, valueYuan="200"), headers=desk)
    assert at_cap.status_code == 201
    by_volunteer = await client.post(
        "/api/dispatch/wishes", json=wish_body(district_a), headers=volunteer(issuer, district_a, uuid.uuid4())
    )
    assert by_volunteer.status_code == 403


async def test_ten_volunteers_racing_for_a_wish_one_wins(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    wish_id = await published(client, issuer, district_a)
    users = [uuid.uuid4() for _ in range(10)]
    responses = await asyncio.gather(
        *(
            client.post(f"/api/dispatch/wishes/{wish_id}/claim", json={}, headers=volunteer(issuer, district_a, user))
            for user in users
        )
    )
    assert sorted(r.status_code for r in responses) == [200] + [409] * 9, [r.text for r in responses]
    winner = users[[r.status_code for r in responses].index(200)]
    assert (await wish_row(district_a, wish_id)).claimer_user_id == winner
    loser = volunteer(issuer, district_a, next(user for user in users if user != winner))
    late = await client.post(f"/api/dispatch/wishes/{wish_id}/fulfil", json={"note": "已送达"}, headers=loser)
    assert late.status_code == 403
    assert (await wish_row(district_a, wish_id)).status == "claimed"


async def test_a_wish_nobody_can_fulfil_goes_to_units(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    wish_id = await published(client, issuer, district_a, valueYuan="200", title="轮椅一辆")
    desk = operator(issuer, district_a)
    person = volunteer(issuer, district_a, uuid.uuid4())
    assert (await client.post(f"/api/dispatch/wishes/{wish_id}/escalate-to-unit", headers=person)).status_code == 403
    escalated = await client.post(f"/api/dispatch/wishes/{wish_id}/escalate-to-unit", headers=desk)
    assert escalated.status_code == 200
    assert escalated.json()["status"] == "unit_claim"
    assert (await client.post(f"/api/dispatch/wishes/{wish_id}/escalate-to-unit", headers=desk)).status_code == 409
    assert (await client.post(f"/api/dispatch/wishes/{wish_id}/claim", json={}, headers=person)).status_code == 409
    as_unit = await client.post(f"/api/dispatch/wishes/{wish_id}/claim", json={"unit": "某企业"}, headers=person)
    assert as_unit.status_code == 403
    claims = await asyncio.gather(
        *(
            client.post(f"/api/dispatch/wishes/{wish_id}/claim", json={"unit": unit}, headers=desk)
            for unit in ("嘉兴电力红船服务队", "某企业党支部")
        )
    )
    assert sorted(r.status_code for r in claims) == [200, 409]
    won = next(r for r in claims if r.status_code == 200).json()
    assert won["claimerKind"] == "unit"
    assert won["claimerUnit"] in ("嘉兴电力红船服务队", "某企业党支部")
    no_unit = await client.post(
        f"/api/dispatch/wishes/{await published(client, issuer, district_a)}/claim", json={}, headers=desk
    )
    assert no_unit.status_code == 422
    assert no_unit.json()["errors"][0]["field"] == "body.unit"
    fulfilled = await client.post(
        f"/api/dispatch/wishes/{wish_id}/fulfil", json={"note": "企业捐赠轮椅已送达"}, headers=desk
    )
    assert fulfilled.status_code == 200
    assert fulfilled.json()["status"] == "fulfilled"
    assert [e["claimer_kind"] for e in await fulfilled_events(district_a, wish_id)] == ["unit"]


async def test_a_photo_counts_once_documents_filed_it_in_this_district(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    wish_id = await published(client, issuer, district_a)
    user = uuid.uuid4()
    claimer = volunteer(issuer, district_a, user)
    await client.post(f"/api/dispatch/wishes/{wish_id}/claim", json={}, headers=claimer)
    # another district's event naming this wish keeps nothing: the wish still has no photo
    assert await consumer.handle(envelope(photo_filed(district_b, wish_id, user))) is True
    row = await wish_row(district_a, wish_id)
    assert (row.evidence_document_id, row.evidence_sha256) == (None, None)
    no_proof = await client.post(f"/api/dispatch/wishes/{wish_id}/fulfil", json={"note": "  "}, headers=claimer)
    assert no_proof.status_code == 422
    assert no_proof.json()["errors"][0]["field"] == "body.note"
    assert (await wish_row(district_a, wish_id)).status == "claimed"
    # filed twice (a redelivery): the same photo, and the wish is fulfilled on it
    photo = envelope(photo_filed(district_a, wish_id, user))
    assert await consumer.handle(photo) is True
    assert await consumer.handle({**photo, "id": str(uuid.uuid4())}) is True
    assert (await wish_row(district_a, wish_id)).evidence_document_id == uuid.UUID(photo["payload"]["document_id"])
    done = await client.post(f"/api/dispatch/wishes/{wish_id}/fulfil", json={"note": None}, headers=claimer)
    assert done.status_code == 200, done.text
    # the photos are uploaded to documents now: dispatch takes no bytes
    gone = await client.post(f"/api/dispatch/wishes/{wish_id}/evidence", content=PNG, headers=claimer)
    assert gone.status_code in (404, 405)


async def test_wrong_states_are_conflicts(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    desk = operator(issuer, district_a)
    wish_id = await published(client, issuer, district_a)
    assert (await client.post(f"/api/dispatch/wishes/{wish_id}/publish", headers=desk)).status_code == 409
    assert (await client.post(f"/api/dispatch/wishes/{wish_id}/close", headers=desk)).status_code == 409
    fulfil = await client.post(f"/api/dispatch/wishes/{wish_id}/fulfil", json={"note": "已送达"}, headers=desk)
    assert fulfil.status_code == 409
    assert fulfil.headers["content-type"].startswith("application/problem+json")
    assert (await wish_row(district_a, wish_id)).status == "published"


async def test_another_districts_wish_is_a_404(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    wish_id = await published(client, issuer, district_a)
    other = operator(issuer, district_b)
    other_volunteer = bearer(issuer, district_b.id, ["volunteer"])
    for method, path, body, headers in (
        ("GET", "", None, other),
        ("POST", "/publish", None, other),
        ("POST", "/escalate-to-unit", None, other),
        ("POST", "/claim", {"unit": "某企业"}, other),
        ("POST", "/claim", {}, other_volunteer),
        ("POST", "/fulfil", {"note": "已送达"}, other),
        ("POST", "/close", None, other),
    ):
        response = await client.request(method, f"/api/dispatch/wishes/{wish_id}{path}", json=body, headers=headers)
        assert response.status_code == 404, (path, response.text)
    assert (await client.get("/api/dispatch/wishes", headers=other)).json() == []
    assert (await wish_row(district_a, wish_id)).status == "published"
