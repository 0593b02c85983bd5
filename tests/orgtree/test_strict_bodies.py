"""Strict request bodies in the organisation tree: a boolean or number sent as a string is a 422 naming the
field, and nothing is stored."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from tests.orgtree.builders import build_slice
from tests.orgtree.conftest import District
from tests.platform.tokens import TestIssuer


async def test_a_household_flag_sent_as_a_string_stores_no_household(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    body = {"gridId": s.grid["id"], "label": "上河一组9号", "isMemberHub": "true"}
    problem = await s.admin.post("/households", body, expect=422)
    assert problem["errors"] == [{"field": "body.isMemberHub", "message": "Expected `bool`, got `str`"}]
    assert (await s.admin.get("/households", gridId=s.grid["id"]))["items"] == []


async def test_a_link_range_sent_as_a_string_changes_no_setting(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    before = await s.admin.get("/settings")
    problem = await s.admin.call("PATCH", "/settings", 422, json={"householdLinksMax": "30"})
    assert [e["field"] for e in problem["errors"]] == ["body.householdLinksMax"]
    assert problem["errors"][0]["message"].startswith("Expected `int")
    assert await s.admin.get("/settings") == before
