"""The district administrator sets the rules' values: ranges per rule, strict decoding, 422 naming the field with
nothing stored, audited; other roles and unknown rules are refused; a rule out of force applies to nobody."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import text

from tests.platform.tokens import TestIssuer
from tests.training.builders import District, bearer, organiser
from tests.training.credits_support import LAST_YEAR, attend, on


async def rules(client: AsyncTestClient, token: str) -> dict[str, dict[str, Any]]:
    answer = await client.get("/api/training/rules", headers=bearer(token))
    assert answer.status_code == 200, answer.text
    return {r["code"]: r for r in answer.json()}


async def test_the_district_admin_sets_a_rule_and_standings_follow(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    admin = organiser(issuer, district_a)
    member = await district_a.add_member()
    await attend(district_a, member, on(LAST_YEAR, 6, 1), hours="36")
    url = f"/api/training/people/{member.id}/standing?year={LAST_YEAR}"
    assert (await client.get(url, headers=bearer(admin))).json()["met"] is True
    changed = await client.put(
        "/api/training/rules/member_hours", json={"required": 40, "active": True}, headers=bearer(admin)
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["required"], changed.json()["windowYears"], changed.json()["active"]) == (40.0, 1, True)
    assert (await rules(client, admin))["member_hours"]["required"] == 40.0
    shown = (await client.get(url, headers=bearer(admin))).json()
    assert (shown["met"], shown["rules"][0]["shortBy"]) == (False, 4.0)
    window = await client.put(
        "/api/training/rules/rural_cadre_days",
        json={"required": 150.5, "active": True, "windowYears": 3},
        headers=bearer(admin),
    )
    assert (window.json()["required"], window.json()["windowYears"]) == (150.5, 3)

    async def audited(session: Any) -> list[Any]:
        rows = await session.execute(
            text("SELECT subject_id, detail FROM audit_event WHERE action = 'training.credit_rule.changed' ORDER BY id")
        )
        return list(rows)

    entries = await district_a.run(audited)
    assert [e.subject_id for e in entries] == ["member_hours", "rural_cadre_days"]
    assert entries[0].detail["before"]["required"] == "32.0"
    assert entries[0].detail["after"]["required"] == "40.0"


async def test_a_rule_out_of_force_applies_to_nobody(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    admin = organiser(issuer, district_a)
    member = await district_a.add_member()
    off = await client.put(
        "/api/training/rules/member_hours", json={"required": 32, "active": False}, headers=bearer(admin)
    )
    assert off.status_code == 200, off.text
    shown = (await client.get(f"/api/training/people/{member.id}/standing", headers=bearer(admin))).json()
    assert (shown["rules"], shown["met"]) == ([], True)
    below = await client.get("/api/training/standing/below-target", headers=bearer(admin))
    assert below.json()["total"] == 0


BAD_VALUES = [
    ("member_hours", {"required": 0, "active": True}, "body.required"),
    ("member_hours", {"required": 1000.5, "active": True}, "body.required"),
    ("member_hours", {"required": 32.25, "active": True}, "body.required"),
    ("member_hours", {"required": 32, "active": True, "windowYears": 2}, "body.windowYears"),
    ("village_secretary_classes", {"required": 1.5, "active": True}, "body.required"),
    ("village_secretary_classes", {"required": 13, "active": True}, "body.required"),
    ("rural_cadre_days", {"required": 100, "active": True, "windowYears": 6}, "body.windowYears"),
    ("rural_cadre_days", {"required": 0, "active": True, "windowYears": 0}, "body.required body.windowYears"),
    ("rural_cadre_days", {"required": 400, "active": True, "windowYears": 1}, "body.required"),
    ("volunteer_pre_service", {"required": 2, "active": True}, "body.required"),
    # strict decoding: a number or a boolean sent as a string
    ("member_hours", {"required": "40", "active": True}, "body.required"),
    ("member_hours", {"required": 40, "active": "false"}, "body.active"),
    ("rural_cadre_days", {"required": 100, "active": True, "windowYears": "3"}, "body.windowYears"),
    ("member_hours", {"required": 40}, "body.active"),
    ("member_hours", {"required": 40, "active": True, "note": "x"}, "body.note"),
]


async def test_out_of_range_or_mistyped_values_are_422_naming_the_field_and_nothing_is_stored(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    admin = organiser(issuer, district_a)
    before = await rules(client, admin)
    for code, body, field in BAD_VALUES:
        answer = await client.put(f"/api/training/rules/{code}", json=body, headers=bearer(admin))
        assert answer.status_code == 422, (code, body, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert [e["field"] for e in answer.json()["errors"]] == field.split(), (code, body, answer.text)
    assert await rules(client, admin) == before


async def test_only_the_district_admin_changes_rules_and_only_known_ones(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    body = {"required": 40, "active": True}
    street = issuer.token(tenant=district_a.id, roles=["street_admin"], scope=f"/{district_a.id.hex[:8]}/s1/")
    member = issuer.token(tenant=district_a.id, roles=["member"])
    for token in (street, member):
        refused = await client.put("/api/training/rules/member_hours", json=body, headers=bearer(token))
        assert refused.status_code == 403, refused.text
    unknown = await client.put(
        "/api/training/rules/daily_hours", json=body, headers=bearer(organiser(issuer, district_a))
    )
    assert unknown.status_code == 404, unknown.text
    await client.put("/api/training/rules/member_hours", json=body, headers=bearer(organiser(issuer, district_b)))
    assert (await rules(client, organiser(issuer, district_a)))["member_hours"]["required"] == 32.0
    assert (await rules(client, organiser(issuer, district_b)))["member_hours"]["required"] == 40.0
