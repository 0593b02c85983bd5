"""The programme catalogue (TRN-01): everyone reads it, only the district's administrator changes it; categories
are the district's own codes; bad input is a 422 naming the field and stores nothing; districts apart."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from tests.platform.tokens import TestIssuer
from tests.training.builders import District, bearer, organiser

PROGRAMMES = "/api/training/programmes"


def admin(issuer: TestIssuer, district: District) -> dict[str, str]:
    return bearer(organiser(issuer, district))


def staff(issuer: TestIssuer, district: District, role: str, scope: str | None = None) -> dict[str, str]:
    return bearer(issuer.token(tenant=district.id, roles=[role], scope=scope))


def programme(**fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "code": "red_cell_salon",
        "name": "红色细胞沙龙",
        "category": "practice",
        "audience": "members",
        "defaultCreditHours": 1.5,
        "cadence": "每月",
    }
    return {**body, **fields}


async def codes(client: AsyncTestClient[Any], headers: dict[str, str]) -> set[str]:
    answer = await client.get(PROGRAMMES, headers=headers)
    assert answer.status_code == 200, answer.text
    return {p["code"] for p in answer.json()}


async def test_the_district_admin_adds_a_programme_and_changes_it(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    headers = admin(issuer, district_a)
    created = await client.post(PROGRAMMES, json=programme(counts=["pre_service"]), headers=headers)
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["code"], body["defaultCreditHours"], body["counts"], body["active"]) == (
        "red_cell_salon",
        1.5,
        ["pre_service"],
        True,
    )
    member = bearer(issuer.token(tenant=district_a.id, roles=["member"]))
    assert "red_cell_salon" in await codes(client, member)
    changed = await client.patch(
        f"{PROGRAMMES}/{body['id']}", json={"name": "红色细胞沙龙（季度）", "defaultCreditHours": 2}, headers=headers
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["name"], changed.json()["defaultCreditHours"], changed.json()["category"]) == (
        "红色细胞沙龙（季度）",
        2.0,
        "practice",
    )
    withdrawn = await client.patch(f"{PROGRAMMES}/{body['id']}", json={"active": False}, headers=headers)
    assert withdrawn.json()["active"] is False
    read = await client.get(f"{PROGRAMMES}/{body['id']}", headers=member)
    assert (read.status_code, read.json()["name"]) == (200, "红色细胞沙龙（季度）")


async def test_only_the_district_admin_changes_the_catalogue(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    seeded = district_a.programmes["micro_party_lecture"]
    for role in ("street_admin", "community_cadre", "grid_leader", "member"):
        headers = staff(issuer, district_a, role, scope=f"/{district_a.id.hex[:8]}/s1/")
        assert (await client.post(PROGRAMMES, json=programme(), headers=headers)).status_code == 403, role
        refused = await client.patch(f"{PROGRAMMES}/{seeded}", json={"name": "改名"}, headers=headers)
        assert refused.status_code == 403, role
        added = await client.post("/api/training/categories", json={"code": "x_y", "name": "某类"}, headers=headers)
        assert added.status_code == 403, role
    assert "red_cell_salon" not in await codes(client, admin(issuer, district_a))


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"category": "astrology"}, "body.category"),
        ({"defaultCreditHours": 0}, "body.defaultCreditHours"),
        ({"defaultCreditHours": 24.5}, "body.defaultCreditHours"),
        ({"defaultCreditHours": 2.25}, "body.defaultCreditHours"),
        ({"defaultCreditHours": "2"}, "body.defaultCreditHours"),
        ({"audience": "everyone"}, "body.audience"),
        ({"track": "optional"}, "body.track"),
        ({"counts": ["pre_service", "karma"]}, "body.counts"),
        ({"name": ""}, "body.name"),
        ({"name": "长" * 101}, "body.name"),
        ({"code": "Red Cell"}, "body.code"),
        ({"colour": "red"}, "body.colour"),
    ],
)
async def test_a_bad_programme_is_a_422_naming_the_field_and_nothing_is_stored(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District, fields: dict[str, Any], field: str
) -> None:
    headers = admin(issuer, district_a)
    answer = await client.post(PROGRAMMES, json=programme(**fields), headers=headers)
    assert answer.status_code == 422, answer.text
    assert [e["field"] for e in answer.json()["errors"]] == [field]
    assert {"red_cell_salon", "Red Cell"}.isdisjoint(await codes(client, headers))


async def test_a_bad_change_is_refused_whole(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    headers = admin(issuer, district_a)
    seeded = district_a.programmes["micro_party_lecture"]
    answer = await client.patch(
        f"{PROGRAMMES}/{seeded}",
        json={"name": "新名字", "category": "astrology", "defaultCreditHours": 30},
        headers=headers,
    )
    assert answer.status_code == 422
    assert sorted(e["field"] for e in answer.json()["errors"]) == ["body.category", "body.defaultCreditHours"]
    kept = (await client.get(f"{PROGRAMMES}/{seeded}", headers=headers)).json()
    assert (kept["name"], kept["category"], kept["defaultCreditHours"]) == ("微党课", "theory", 1.0)


async def test_a_programme_code_is_used_once_per_district(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    duplicate = await client.post(
        PROGRAMMES, json=programme(code="micro_party_lecture"), headers=admin(issuer, district_a)
    )
    assert duplicate.status_code == 409
    assert "micro_party_lecture" in duplicate.json()["detail"]
    for district in (district_a, district_b):
        assert (await client.post(PROGRAMMES, json=programme(), headers=admin(issuer, district))).status_code == 201


async def test_categories_are_the_districts_own(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    added = await client.post(
        "/api/training/categories", json={"code": "red_culture", "name": "红色文化"}, headers=admin(issuer, district_a)
    )
    assert added.status_code == 201, added.text
    again = await client.post(
        "/api/training/categories", json={"code": "red_culture", "name": "又一个"}, headers=admin(issuer, district_a)
    )
    assert again.status_code == 409
    in_a = await client.post(PROGRAMMES, json=programme(category="red_culture"), headers=admin(issuer, district_a))
    assert in_a.status_code == 201, in_a.text
    in_b = await client.post(PROGRAMMES, json=programme(category="red_culture"), headers=admin(issuer, district_b))
    assert in_b.status_code == 422
    assert in_b.json()["errors"][0]["field"] == "body.category"
    listed = await client.get("/api/training/categories", headers=admin(issuer, district_b))
    assert "red_culture" not in {c["code"] for c in listed.json()}


async def test_another_districts_programme_is_a_404(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    theirs = district_a.programmes["july_first_assembly"]
    headers = admin(issuer, district_b)
    assert (await client.get(f"{PROGRAMMES}/{theirs}", headers=headers)).status_code == 404
    assert (await client.patch(f"{PROGRAMMES}/{theirs}", json={"name": "偷改"}, headers=headers)).status_code == 404
    assert (await client.get(f"{PROGRAMMES}/{uuid.uuid4()}", headers=headers)).status_code == 404
    kept = await client.get(f"{PROGRAMMES}/{theirs}", headers=admin(issuer, district_a))
    assert kept.json()["name"] == "七一党员大会"
