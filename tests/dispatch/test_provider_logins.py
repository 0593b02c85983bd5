"""Linking a login to a provider: a hotline operator or district admin sets a team's, studio's, firm's or skilled
resident's ``userId`` (an account from the gateway's /admin/users); that account then answers the provider's offers.
A member volunteer's login follows orgtree's member record instead."""

from __future__ import annotations

import uuid
from typing import Any

from litestar.testing import AsyncTestClient

from tests.dispatch.builders import District, bearer, operator
from tests.platform.tokens import TestIssuer


async def register_team(client: AsyncTestClient, issuer: TestIssuer, district: District) -> dict[str, Any]:
    body = {"kind": "professional_team", "name": "红船服务队", "skills": ["electrical"], "phone": "13700000001"}
    response = await client.post("/api/dispatch/providers", json=body, headers=operator(issuer, district))
    assert response.status_code == 201, response.text
    team: dict[str, Any] = response.json()
    return team


async def link(
    client: AsyncTestClient, headers: dict[str, str], provider_id: object, user_id: object, expect: int
) -> dict[str, Any]:
    response = await client.patch(f"/api/dispatch/providers/{provider_id}", json={"userId": user_id}, headers=headers)
    assert response.status_code == expect, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def test_an_operator_links_and_unlinks_a_teams_login(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    team = await register_team(client, issuer, district_a)
    assert team["userId"] is None
    account = uuid.uuid4()
    as_team = bearer(issuer, district_a.id, ["volunteer"], user_id=account)
    assert (await client.get("/api/dispatch/providers/me", headers=as_team)).status_code == 404

    linked = await link(client, operator(issuer, district_a), team["id"], str(account), 200)
    assert linked["userId"] == str(account)
    mine = await client.get("/api/dispatch/providers/me", headers=as_team)
    assert [p["id"] for p in mine.json()] == [team["id"]]

    unlinked = await link(client, operator(issuer, district_a), team["id"], None, 200)
    assert unlinked["userId"] is None
    assert (await client.get("/api/dispatch/providers/me", headers=as_team)).status_code == 404


async def test_bad_ids_are_refused_naming_what_is_wrong(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    team = await register_team(client, issuer, district_a)
    headers = operator(issuer, district_a)
    for bad in ("not-a-uuid", 42, ""):
        refused = await link(client, headers, team["id"], bad, 422)
        assert refused["errors"][0]["field"] == "body.userId", refused
    missing = await link(client, headers, uuid.uuid4(), str(uuid.uuid4()), 404)
    assert missing["detail"] == "no such provider in this district"
    assert (await client.get(f"/api/dispatch/providers/{team['id']}", headers=headers)).json()["userId"] is None


async def test_a_member_volunteers_login_follows_orgtree(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    volunteer = await district_a.add_provider(grid=district_a.grids[0], member_id=uuid.uuid4())
    refused = await link(client, operator(issuer, district_a), volunteer.id, str(uuid.uuid4()), 422)
    assert refused["errors"] == [
        {"field": "body.userId", "message": "a member volunteer's grid, account and name follow orgtree"}
    ]


async def test_only_operators_link_and_another_districts_provider_and_account_are_404(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    team = await register_team(client, issuer, district_a)
    account = uuid.uuid4()
    for roles in (["volunteer"], ["street_admin"]):
        await link(client, bearer(issuer, district_a.id, roles), team["id"], str(account), 403)
    other = await link(client, operator(issuer, district_b), team["id"], str(account), 404)
    assert other["status"] == 404
    headers = operator(issuer, district_a)
    assert (await client.get(f"/api/dispatch/providers/{team['id']}", headers=headers)).json()["userId"] is None

    # An account of the other district linked here answers nothing here: its tokens carry its own district.
    await link(client, headers, team["id"], str(account), 200)
    elsewhere = bearer(issuer, district_b.id, ["volunteer"], user_id=account)
    assert (await client.get("/api/dispatch/providers/me", headers=elsewhere)).status_code == 404
