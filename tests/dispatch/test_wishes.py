"""Micro-wishes: collected, published, claimed once, fulfilled with evidence, closed."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.models import MicroWish
from shared.context import tenant_scope
from shared.settings import Settings
from shared.storage import ObjectStore
from tests.dispatch.builders import District, as_provider, bearer, operator, volunteer
from tests.platform.tokens import TestIssuer

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x11" * 2000


def wish_body(district: District, **overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "source": "visit", "title": "想要一台收音机", "description": "独居老人,想听戏曲频道", "valueYuan": "150",
        "householdId": str(district.households[0]), "beneficiaryName": "王秀英",
    }  # fmt: skip
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


async def fulfilled_events(district: District, wish_id: str) -> list[dict[str, Any]]:
    async def read(session: AsyncSession) -> list[dict[str, Any]]:
        rows = await session.execute(
            text("SELECT payload FROM outbox_message WHERE event = 'dispatch.WishFulfilled' "
                 "AND payload->>'wish_id' = :w"), {"w": wish_id})  # fmt: skip
        return [dict(row[0]) for row in rows]

    found: list[dict[str, Any]] = await district.run(read)
    return found


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
        "claimed", "person", True,
    )  # fmt: skip

    uploaded = await client.post(f"/api/dispatch/wishes/{wish['id']}/evidence", content=PNG,
                                 headers={**member, "Content-Type": "application/octet-stream"})  # fmt: skip
    assert uploaded.status_code == 200, uploaded.text
    assert uploaded.json()["hasEvidence"] is True
    assert uploaded.json()["evidenceSha256"] == hashlib.sha256(PNG).hexdigest()
    row = await wish_row(district_a, wish["id"])
    assert row.evidence_key == f"tenants/{district_a.id}/wish-evidence/{wish['id']}/1"
    with tenant_scope(district_a.id):
        stored = await ObjectStore(settings).stat(row.evidence_key)
    assert stored is not None
    assert stored.size == len(PNG)
    assert stored.content_type == "image/png"

    done = await client.post(f"/api/dispatch/wishes/{wish['id']}/fulfil", json={}, headers=member)
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "fulfilled"
    [event] = await fulfilled_events(district_a, wish["id"])
    assert (event["claimer_kind"], event["claimer_provider_id"], event["evidence_key"]) == (
        "person", str(provider.id), row.evidence_key,
    )  # fmt: skip
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
    by_volunteer = await client.post("/api/dispatch/wishes", json=wish_body(district_a),
                                     headers=volunteer(issuer, district_a, uuid.uuid4()))  # fmt: skip
    assert by_volunteer.status_code == 403


async def test_ten_volunteers_racing_for_a_wish_one_wins(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    wish_id = await published(client, issuer, district_a)
    users = [uuid.uuid4() for _ in range(10)]
    responses = await asyncio.gather(*(
        client.post(f"/api/dispatch/wishes/{wish_id}/claim", json={}, headers=volunteer(issuer, district_a, user))
        for user in users
    ))  # fmt: skip
    assert sorted(r.status_code for r in responses) == [200] + [409] * 9, [r.text for r in responses]
    winner = users[[r.status_code for r in responses].index(200)]
    assert (await wish_row(district_a, wish_id)).claimer_user_id == winner
    loser = volunteer(issuer, district_a, next(user for user in users if user != winner))
    late = await client.post(f"/api/dispatch/wishes/{wish_id}/fulfil", json={"note": "已送达"}, headers=loser)
    assert late.status_code == 403
    evidence = await client.post(f"/api/dispatch/wishes/{wish_id}/evidence", content=PNG, headers=loser)
    assert evidence.status_code == 403
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
    claims = await asyncio.gather(*(
        client.post(f"/api/dispatch/wishes/{wish_id}/claim", json={"unit": unit}, headers=desk)
        for unit in ("嘉兴电力红船服务队", "某企业党支部")
    ))  # fmt: skip
    assert sorted(r.status_code for r in claims) == [200, 409]
    won = next(r for r in claims if r.status_code == 200).json()
    assert won["claimerKind"] == "unit"
    assert won["claimerUnit"] in ("嘉兴电力红船服务队", "某企业党支部")
    no_unit = await client.post(f"/api/dispatch/wishes/{await published(client, issuer, district_a)}/claim",
                                json={}, headers=desk)  # fmt: skip
    assert no_unit.status_code == 422
    assert no_unit.json()["errors"][0]["field"] == "body.unit"
    fulfilled = await client.post(f"/api/dispatch/wishes/{wish_id}/fulfil", json={"note": "企业捐赠轮椅已送达"},
                                  headers=desk)  # fmt: skip
    assert fulfilled.status_code == 200
    assert fulfilled.json()["status"] == "fulfilled"
    assert [e["claimer_kind"] for e in await fulfilled_events(district_a, wish_id)] == ["unit"]


async def test_evidence_must_be_a_real_photo_of_at_most_ten_mebibytes(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    wish_id = await published(client, issuer, district_a)
    user = uuid.uuid4()
    claimer = volunteer(issuer, district_a, user)
    url = f"/api/dispatch/wishes/{wish_id}/evidence"
    early = await client.post(url, content=PNG, headers=operator(issuer, district_a))
    assert early.status_code == 409  # not claimed yet
    await client.post(f"/api/dispatch/wishes/{wish_id}/claim", json={}, headers=claimer)
    lying = await client.post(url, content=b"%PDF-1.7 not a photo", headers={**claimer, "Content-Type": "image/png"})
    assert lying.status_code == 422
    assert lying.json()["errors"] == [{"field": "body", "message": "not a JPEG or PNG image"}]
    assert (await client.post(url, content=b"", headers=claimer)).status_code == 422
    too_big = await client.post(url, content=PNG + b"\x00" * (10 * 1024 * 1024), headers=claimer)
    assert too_big.status_code == 413, too_big.text
    row = await wish_row(district_a, wish_id)
    assert row.evidence_key is None
    assert row.evidence_sha256 is None
    no_proof = await client.post(f"/api/dispatch/wishes/{wish_id}/fulfil", json={"note": "  "}, headers=claimer)
    assert no_proof.status_code == 422
    assert no_proof.json()["errors"][0]["field"] == "body.note"
    assert (await wish_row(district_a, wish_id)).status == "claimed"
    photo = await client.post(url, content=JPEG, headers={**claimer, "Content-Type": "text/plain"})
    assert photo.status_code == 200
    assert photo.json()["evidenceSha256"] == hashlib.sha256(JPEG).hexdigest()
    again = await client.post(url, content=PNG, headers=claimer)  # a better photo: a new version
    assert again.status_code == 200
    assert (await wish_row(district_a, wish_id)).evidence_key == (
        f"tenants/{district_a.id}/wish-evidence/{wish_id}/2"
    )  # fmt: skip


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
        ("GET", "", None, other), ("POST", "/publish", None, other), ("POST", "/escalate-to-unit", None, other),
        ("POST", "/claim", {"unit": "某企业"}, other), ("POST", "/claim", {}, other_volunteer),
        ("POST", "/fulfil", {"note": "已送达"}, other), ("POST", "/close", None, other),
    ):  # fmt: skip
        response = await client.request(method, f"/api/dispatch/wishes/{wish_id}{path}", json=body, headers=headers)
        assert response.status_code == 404, (path, response.text)
    evidence = await client.post(f"/api/dispatch/wishes/{wish_id}/evidence", content=PNG, headers=other)
    assert evidence.status_code == 404
    assert (await client.get("/api/dispatch/wishes", headers=other)).json() == []
    assert (await wish_row(district_a, wish_id)).status == "published"
