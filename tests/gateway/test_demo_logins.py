"""The demo's logins (``redcell demo load``): besides each district's administrator and the city hotline, Longwan
and Ouhai get member volunteers and team logins that answer offers, handed on to orgtree's and dispatch's loaders."""

from __future__ import annotations

from typing import Any

import jwt
from litestar.testing import AsyncTestClient

from gateway.demo import load_demo
from shared.settings import Settings
from tests.gateway.support import tokens


async def test_volunteers_and_teams_sign_in_and_are_handed_on(
    client: AsyncTestClient[Any], gateway_settings: Settings
) -> None:
    districts: list[dict[str, Any]] = []
    lines = await load_demo(gateway_settings, districts)
    by_slug = {d["slug"]: d for d in districts}
    longwan, ouhai, huaining = by_slug["wenzhou-longwan"], by_slug["wenzhou-ouhai"], by_slug["huaining-county"]
    nanhu = by_slug["jiaxing-nanhu"]  # Jiaxing 96345 (issue 16): its volunteers staff the registry and the Red Cube
    xx = by_slug["xx-district"]  # seed 003's Red Flag Communities (issue 16)
    assert [len(d.get("volunteers", [])) for d in (longwan, ouhai, huaining, nanhu, xx)] == [4, 4, 0, 4, 0]
    assert [len(d.get("teams", [])) for d in (longwan, ouhai, huaining, nanhu, xx)] == [5, 5, 0, 5, 0]
    assert len(districts) == 5
    assert "district XX区 (xx-district): login xx-admin / xx-admin-pass" in lines
    assert any("longwan-volunteer-1" in line and "longwan-volunteer-pass" in line for line in lines)
    assert any("ouhai-hongchuan" in line and "ouhai-team-pass" in line for line in lines)

    volunteer = longwan["volunteers"][0]
    assert (volunteer["username"], volunteer["name"]) == ("longwan-volunteer-1", "林晓红（示例）")
    claims = jwt.decode(
        (await tokens(client, "longwan-volunteer-1", "longwan-volunteer-pass"))["accessToken"],
        options={"verify_signature": False},
    )
    assert (claims["sub"], claims["tenant"], claims["name"]) == (volunteer["userId"], longwan["id"], volunteer["name"])
    assert sorted(claims["roles"]) == ["member", "volunteer"]

    team = next(t for t in ouhai["teams"] if t["username"] == "ouhai-hongchuan")
    assert team["name"] == "红船服务队"
    claims = jwt.decode(
        (await tokens(client, "ouhai-hongchuan", "ouhai-team-pass"))["accessToken"],
        options={"verify_signature": False},
    )
    assert (claims["sub"], claims["tenant"], claims["roles"]) == (team["userId"], ouhai["id"], ["volunteer"])
    assert "volunteers" not in huaining
    claims = jwt.decode(
        (await tokens(client, "xx-admin", "xx-admin-pass"))["accessToken"], options={"verify_signature": False}
    )
    assert (claims["tenant"], claims["roles"]) == (xx["id"], ["district_admin"])

    again: list[dict[str, Any]] = []
    await load_demo(gateway_settings, again)  # make dev again: the same accounts
    assert again == districts
