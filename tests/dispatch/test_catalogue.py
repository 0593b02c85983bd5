"""The district's hotline setup: only its administrator changes it, bad values store nothing, districts apart."""

from __future__ import annotations

import uuid

from litestar.testing import AsyncTestClient

from tests.dispatch.builders import District, bearer, operator
from tests.platform.tokens import TestIssuer


def admin(issuer: TestIssuer, district: District) -> dict[str, str]:
    return bearer(issuer, district.id, ["district_admin"], user_id=uuid.uuid4())


async def test_a_category_changes_only_by_the_district_admin_and_only_to_known_modes(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    changed = await client.patch(
        "/api/dispatch/catalogue/citizen_life",
        json={"mode": "claim", "arrivalMinutes": 20},
        headers=admin(issuer, district_a),
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["mode"], changed.json()["arrivalMinutes"]) == ("claim", 20)
    assert {i["code"] for i in changed.json()["items"]} >= {"plumbing", "electrical"}
    listed = (await client.get("/api/dispatch/catalogue", headers=operator(issuer, district_a))).json()
    assert next(c for c in listed if c["code"] == "citizen_life")["mode"] == "claim"

    bad = await client.patch(
        "/api/dispatch/catalogue/citizen_life", json={"mode": "auction"}, headers=admin(issuer, district_a)
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "body.mode"
    assert (
        await client.patch("/api/dispatch/catalogue/nope", json={"mode": "assign"}, headers=admin(issuer, district_a))
    ).status_code == 404
    refused = await client.patch(
        "/api/dispatch/catalogue/citizen_life", json={"mode": "assign"}, headers=operator(issuer, district_a)
    )
    assert refused.status_code == 403
    listed = (await client.get("/api/dispatch/catalogue", headers=operator(issuer, district_a))).json()
    assert next(c for c in listed if c["code"] == "citizen_life")["mode"] == "claim"


async def test_a_working_day_that_ends_before_it_starts_is_refused_and_nothing_changes(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    bad = await client.patch(
        "/api/dispatch/settings",
        json={"workStarts": "18:00:00", "arrivalLimitMinutes": 30},
        headers=admin(issuer, district_a),
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "body.workEnds"
    kept = (await client.get("/api/dispatch/settings", headers=operator(issuer, district_a))).json()
    assert (kept["workStarts"], kept["arrivalLimitMinutes"]) == ("08:30:00", 15)
    good = await client.patch(
        "/api/dispatch/settings",
        json={"arrivalLimitMinutes": 30, "workingWeekdays": [5, 1, 1]},
        headers=admin(issuer, district_a),
    )
    assert good.status_code == 200, good.text
    assert (good.json()["arrivalLimitMinutes"], good.json()["workingWeekdays"]) == (30, [1, 5])


async def test_holidays_belong_to_their_district(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    put = await client.put(
        "/api/dispatch/calendar/2026-10-01",
        json={"isWorking": False, "label": "国庆节"},
        headers=admin(issuer, district_a),
    )
    assert put.status_code == 200, put.text
    mine = (await client.get("/api/dispatch/calendar", headers=operator(issuer, district_a))).json()
    assert [(d["day"], d["isWorking"], d["label"]) for d in mine] == [("2026-10-01", False, "国庆节")]
    assert (await client.get("/api/dispatch/calendar", headers=operator(issuer, district_b))).json() == []


async def test_a_district_without_a_hotline_is_a_404(client: AsyncTestClient, issuer: TestIssuer) -> None:
    stranger = bearer(issuer, uuid.uuid4(), ["hotline_operator"])
    for path in ("/api/dispatch/catalogue", "/api/dispatch/ladder", "/api/dispatch/settings"):
        assert (await client.get(path, headers=stranger)).status_code == 404, path
