"""The regulation library (DOC-10): a unit's regulations with their dates and trial status, what is in force on a
day for a unit and the units above it, ending and superseding, and bad dates named by field."""

from __future__ import annotations

import uuid
from typing import Any

from tests.documents.builders import District, admin, bearer, street_admin
from tests.documents.retention_support import Client
from tests.platform.tokens import TestIssuer

REGULATIONS = "/api/documents/regulations"


async def register(client: Client, headers: dict[str, str], document_id: uuid.UUID, **body: Any) -> dict[str, Any]:
    answer = await client.post(REGULATIONS, json={"documentId": str(document_id), **body}, headers=headers)
    assert answer.status_code == 201, answer.text
    result: dict[str, Any] = answer.json()
    return result


async def in_force(
    client: Client, headers: dict[str, str], unit_path: str, as_of: str, *, ancestors: bool
) -> list[str]:
    params = {"unitPath": unit_path, "asOf": as_of, "includeAncestors": str(ancestors).lower()}
    answer = await client.get(REGULATIONS, params=params, headers=headers)
    assert answer.status_code == 200, answer.text
    return [item["title"] for item in answer.json()["items"]]


async def test_a_unit_sees_its_regulations_in_force_and_with_ancestors_those_above(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    district_wide = await district_a.add_document("区党员积分管理办法", type_code="regulation", anchor_path="/")
    street_rule = await district_a.add_document("街道网格员考核细则", type_code="regulation")
    other_street = await district_a.add_document(
        "二街道值班制度", type_code="regulation", anchor_path=district_a.streets[1]
    )
    registrar = bearer(admin(issuer, district_a))
    street = bearer(street_admin(issuer, district_a, 0))
    registered = await register(
        client, registrar, district_wide.id, effectiveFrom="2026-01-01", trial=True, number="瑶委发〔2026〕3号"
    )
    assert registered["trial"] is True
    assert registered["unitPath"] == "/"
    assert registered["number"] == "瑶委发〔2026〕3号"
    await register(client, street, street_rule.id, effectiveFrom="2026-06-01", effectiveTo="2026-12-31", trial=False)
    await register(client, registrar, other_street.id, effectiveFrom="2026-01-01", trial=False)

    street_0 = district_a.streets[0]
    assert await in_force(client, street, street_0, "2026-07-01", ancestors=False) == ["街道网格员考核细则"]
    assert await in_force(client, street, street_0, "2026-07-01", ancestors=True) == [
        "街道网格员考核细则",
        "区党员积分管理办法",
    ]
    assert await in_force(client, street, street_0, "2025-12-31", ancestors=True) == []
    assert await in_force(client, street, street_0, "2027-01-01", ancestors=True) == ["区党员积分管理办法"]
    listed = await client.get(REGULATIONS, params={"unitPath": "/", "asOf": "2026-07-01"}, headers=registrar)
    assert [(item["title"], item["trial"]) for item in listed.json()["items"]] == [("区党员积分管理办法", True)]

    outside = await client.get(REGULATIONS, params={"unitPath": district_a.streets[1]}, headers=street)
    assert outside.status_code == 403
    for params, field in (
        ({"asOf": "2026-13-01"}, "query.asOf"),
        ({"includeAncestors": "maybe"}, "query.includeAncestors"),
    ):
        bad = await client.get(REGULATIONS, params=params, headers=street)
        assert bad.status_code == 422, bad.text
        assert bad.json()["errors"][0]["field"] == field


async def test_bad_registrations_are_refused_naming_the_field(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    rule = await district_a.add_document("社区议事规则", type_code="regulation")
    minutes = await district_a.add_document("会议纪要")
    headers = bearer(admin(issuer, district_a))
    cases: list[tuple[dict[str, Any], str]] = [
        (
            {"documentId": str(rule.id), "effectiveFrom": "2026-05-01", "effectiveTo": "2026-04-30", "trial": False},
            "body.effectiveTo",
        ),
        ({"documentId": str(rule.id), "effectiveFrom": "2026-05-01", "trial": "true"}, "body.trial"),
        ({"documentId": str(rule.id), "effectiveFrom": "5月1日", "trial": False}, "body.effectiveFrom"),
        ({"documentId": str(minutes.id), "effectiveFrom": "2026-05-01", "trial": False}, "body.documentId"),
        ({"documentId": str(rule.id), "trial": False}, "effectiveFrom"),
    ]
    for body, field in cases:
        refused = await client.post(REGULATIONS, json=body, headers=headers)
        assert refused.status_code == 422, (body, refused.text)
        assert field in refused.text, (body, refused.text)
    listed = await client.get(
        REGULATIONS, params={"asOf": "2026-06-01", "unitPath": district_a.streets[0]}, headers=headers
    )
    assert listed.json()["items"] == []

    await register(client, headers, rule.id, effectiveFrom="2026-05-01", trial=False)
    twice = await client.post(
        REGULATIONS, json={"documentId": str(rule.id), "effectiveFrom": "2026-05-01", "trial": False}, headers=headers
    )
    assert twice.status_code == 409
    other_street = bearer(street_admin(issuer, district_a, 1))
    hidden = await client.post(
        REGULATIONS,
        json={"documentId": str(rule.id), "effectiveFrom": "2026-05-01", "trial": False},
        headers=other_street,
    )
    assert hidden.status_code == 404

    other = bearer(admin(issuer, district_b))
    body = {"documentId": str(rule.id), "effectiveFrom": "2026-05-01", "trial": False}
    assert (await client.post(REGULATIONS, json=body, headers=other)).status_code == 404
    assert (await client.patch(f"{REGULATIONS}/{rule.id}", json={"trial": True}, headers=other)).status_code == 404
    assert (await client.get(REGULATIONS, params={"unitPath": "/"}, headers=other)).json()["items"] == []


async def test_a_regulation_is_ended_or_superseded_and_leaves_the_list_after_its_last_day(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    old = await district_a.add_document("网格员管理办法（试行）", type_code="regulation")
    new = await district_a.add_document("网格员管理办法", type_code="regulation")
    ended = await district_a.add_document("疫情值守制度", type_code="regulation")
    headers = bearer(street_admin(issuer, district_a, 0))
    street_0 = district_a.streets[0]
    await register(client, headers, old.id, effectiveFrom="2026-01-01", trial=True)
    await register(client, headers, new.id, effectiveFrom="2026-09-01", trial=False)
    await register(client, headers, ended.id, effectiveFrom="2026-01-01", trial=False)

    superseded = await client.patch(f"{REGULATIONS}/{old.id}", json={"supersededBy": str(new.id)}, headers=headers)
    assert superseded.status_code == 200, superseded.text
    assert superseded.json()["effectiveTo"] == "2026-08-31"
    assert superseded.json()["supersededBy"] == str(new.id)
    closed = await client.patch(f"{REGULATIONS}/{ended.id}", json={"effectiveTo": "2026-03-31"}, headers=headers)
    assert closed.json()["effectiveTo"] == "2026-03-31"

    on_the_day = await in_force(client, headers, street_0, "2026-03-31", ancestors=False)
    assert sorted(on_the_day) == sorted(["疫情值守制度", "网格员管理办法（试行）"])
    assert await in_force(client, headers, street_0, "2026-08-31", ancestors=False) == ["网格员管理办法（试行）"]
    assert await in_force(client, headers, street_0, "2026-09-01", ancestors=False) == ["网格员管理办法"]

    for target, body, field in (
        (ended, {"effectiveTo": "2025-12-31"}, "body.effectiveTo"),
        (ended, {"supersededBy": str(ended.id)}, "body.supersededBy"),
        (new, {"supersededBy": str(uuid.uuid4())}, "body.supersededBy"),
        (ended, {"trial": "no"}, "body.trial"),
    ):
        refused = await client.patch(f"{REGULATIONS}/{target.id}", json=body, headers=headers)
        assert refused.status_code == 422, (body, refused.text)
        assert field in refused.text
    other_street = bearer(street_admin(issuer, district_a, 1))
    assert (
        await client.patch(f"{REGULATIONS}/{new.id}", json={"trial": True}, headers=other_street)
    ).status_code == 404
