"""The district admin edits the hotline's catalogue, ladder and calendar over the API (DSP-03, DSP-14): new
categories and items, a rung renamed or given its limit, a marked day cleared. Bad values are a 422 (or a 409 for a
code in use) naming the field and store nothing; another district's category or day is a 404; operators read only."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

from tests.dispatch.builders import District, operator, staff
from tests.platform.tokens import TestIssuer

ERRANDS = {"code": "errands", "name": "跑腿服务", "mode": "claim", "signForMinutes": 45, "resolutionMinutes": 480}


def refused(response: Any, status: int, field: str) -> str:
    """The problem+json's one named field; its message."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    [error] = response.json()["errors"]
    assert error["field"] == field
    return str(error["message"])


async def catalogue(client: AsyncTestClient[Any], headers: dict[str, str]) -> dict[str, dict[str, Any]]:
    answer = await client.get("/api/dispatch/catalogue", headers=headers)
    assert answer.status_code == 200, answer.text
    return {c["code"]: c for c in answer.json()}


async def test_the_admin_adds_a_category_last_and_a_bad_one_stores_nothing(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    admin = staff(issuer, district_a)
    made = await client.post("/api/dispatch/catalogue", json=ERRANDS, headers=admin)
    assert made.status_code == 201, made.text
    assert (made.json()["mode"], made.json()["signForMinutes"], made.json()["arrivalMinutes"]) == ("claim", 45, None)
    assert made.json()["answerWindowMinutes"] == 10
    listed = await catalogue(client, operator(issuer, district_a))
    assert list(listed)[-1] == "errands"
    assert listed["errands"]["items"] == []
    assert "errands" not in await catalogue(client, operator(issuer, district_b))

    again = await client.post("/api/dispatch/catalogue", json={**ERRANDS, "name": "重复"}, headers=admin)
    assert "already the code" in refused(again, 409, "body.code")
    refused(
        await client.post(
            "/api/dispatch/catalogue", json={**ERRANDS, "code": "bids", "mode": "auction"}, headers=admin
        ),
        422,
        "body.mode",
    )
    late = {**ERRANDS, "code": "late", "signForMinutes": "45"}
    assert refused(
        await client.post("/api/dispatch/catalogue", json=late, headers=admin), 422, "body.signForMinutes"
    ).endswith("got `str`")
    refused(
        await client.post("/api/dispatch/catalogue", json={**ERRANDS, "code": "Bad Code"}, headers=admin),
        422,
        "body.code",
    )
    refused(
        await client.post("/api/dispatch/catalogue", json={**ERRANDS, "code": "blank", "name": "  "}, headers=admin),
        422,
        "body.name",
    )
    refused(
        await client.post("/api/dispatch/catalogue", json={**ERRANDS, "code": "odd", "colour": "red"}, headers=admin),
        422,
        "body.colour",
    )
    denied = await client.post(
        "/api/dispatch/catalogue", json={**ERRANDS, "code": "ops"}, headers=operator(issuer, district_a)
    )
    assert denied.status_code == 403
    after = await catalogue(client, admin)
    assert [c for c in after if c in ("bids", "late", "blank", "odd", "ops")] == []
    assert after["errands"]["name"] == "跑腿服务"


async def test_a_category_is_renamed_and_a_string_for_a_boolean_changes_nothing(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    admin = staff(issuer, district_a)
    renamed = await client.patch("/api/dispatch/catalogue/consultation", json={"name": " 咨询与答疑 "}, headers=admin)
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == "咨询与答疑"
    strict = await client.patch(
        "/api/dispatch/catalogue/consultation", json={"workingTime": "false", "name": "改"}, headers=admin
    )
    assert refused(strict, 422, "body.workingTime").endswith("got `str`")
    kept = (await catalogue(client, admin))["consultation"]
    assert (kept["name"], kept["workingTime"]) == ("咨询与答疑", True)


async def test_items_are_added_changed_and_taken_out_of_use_within_their_district(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    admin = staff(issuer, district_a)
    assert (await client.post("/api/dispatch/catalogue", json=ERRANDS, headers=admin)).status_code == 201
    item = {"code": "pharmacy_run", "name": "代购药品", "handling": "proxy", "skill": "delivery"}
    made = await client.post("/api/dispatch/catalogue/errands/items", json=item, headers=admin)
    assert made.status_code == 201, made.text
    assert (made.json()["name"], made.json()["handling"], made.json()["skill"]) == ("代购药品", "proxy", "delivery")
    assert [i["code"] for i in (await catalogue(client, admin))["errands"]["items"]] == ["pharmacy_run"]

    refused(
        await client.post("/api/dispatch/catalogue/errands/items", json={**item, "name": "又一个"}, headers=admin),
        409,
        "body.code",
    )
    refused(
        await client.post(
            "/api/dispatch/catalogue/errands/items", json={**item, "code": "x", "handling": "post"}, headers=admin
        ),
        422,
        "body.handling",
    )
    refused(
        await client.post(
            "/api/dispatch/catalogue/errands/items", json={**item, "code": "y", "skill": "Big Skill"}, headers=admin
        ),
        422,
        "body.skill",
    )
    # another district's category and item are not there at all
    other = staff(issuer, district_b)
    assert (
        await client.post("/api/dispatch/catalogue/errands/items", json={**item, "code": "z"}, headers=other)
    ).status_code == 404
    assert (
        await client.patch("/api/dispatch/catalogue/errands/items/pharmacy_run", json={"name": "偷改"}, headers=other)
    ).status_code == 404
    assert (
        await client.patch("/api/dispatch/catalogue/errands", json={"mode": "assign"}, headers=other)
    ).status_code == 404
    assert (
        await client.patch(
            "/api/dispatch/catalogue/consultation/items/pharmacy_run", json={"name": "错类"}, headers=admin
        )
    ).status_code == 404

    refused(
        await client.patch(
            "/api/dispatch/catalogue/errands/items/pharmacy_run", json={"active": "false"}, headers=admin
        ),
        422,
        "body.active",
    )
    change = {"name": "代买药品", "handling": "on_spot", "skill": None}
    changed = await client.patch("/api/dispatch/catalogue/errands/items/pharmacy_run", json=change, headers=admin)
    assert changed.status_code == 200, changed.text
    assert {k: changed.json()[k] for k in change} == change
    gone = await client.patch(
        "/api/dispatch/catalogue/errands/items/pharmacy_run", json={"active": False}, headers=admin
    )
    assert gone.status_code == 200, gone.text
    assert (await catalogue(client, admin))["errands"]["items"] == []
    denied = await client.patch(
        "/api/dispatch/catalogue/citizen_life/items/plumbing",
        json={"active": False},
        headers=operator(issuer, district_a),
    )
    assert denied.status_code == 403
    assert "plumbing" in {i["code"] for i in (await catalogue(client, admin))["citizen_life"]["items"]}


async def test_a_rung_is_renamed_and_given_its_limit_in_its_own_district_only(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    admin = staff(issuer, district_a)
    changed = await client.patch(
        "/api/dispatch/ladder/1", json={"name": "村提事会", "resolutionMinutes": 7200}, headers=admin
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["rank"], changed.json()["name"], changed.json()["orgLevel"]) == (1, "村提事会", "village")
    rungs = (await client.get("/api/dispatch/ladder", headers=operator(issuer, district_a))).json()
    assert (rungs[1]["name"], rungs[1]["resolutionMinutes"]) == ("村提事会", 7200)
    theirs = (await client.get("/api/dispatch/ladder", headers=operator(issuer, district_b))).json()
    assert (theirs[1]["name"], theirs[1]["resolutionMinutes"]) == ("村红领提事会", 30 * 24 * 60)

    cleared = await client.patch("/api/dispatch/ladder/1", json={"resolutionMinutes": None}, headers=admin)
    assert cleared.json()["resolutionMinutes"] is None
    refused(
        await client.patch("/api/dispatch/ladder/1", json={"resolutionMinutes": "60"}, headers=admin),
        422,
        "body.resolutionMinutes",
    )
    refused(
        await client.patch("/api/dispatch/ladder/1", json={"resolutionMinutes": 0}, headers=admin),
        422,
        "body.resolutionMinutes",
    )
    refused(
        await client.patch("/api/dispatch/ladder/1", json={"orgLevel": "street"}, headers=admin), 422, "body.orgLevel"
    )
    assert (await client.patch("/api/dispatch/ladder/9", json={"name": "天"}, headers=admin)).status_code == 404
    denied = await client.patch("/api/dispatch/ladder/1", json={"name": "x"}, headers=operator(issuer, district_a))
    assert denied.status_code == 403
    rungs = (await client.get("/api/dispatch/ladder", headers=admin)).json()
    assert (rungs[1]["name"], rungs[1]["resolutionMinutes"], rungs[1]["orgLevel"]) == ("村提事会", None, "village")


async def test_a_marked_day_is_cleared_by_its_own_district_admin(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    admin = staff(issuer, district_a)
    holiday = {"isWorking": False, "label": "国庆节"}
    assert (await client.put("/api/dispatch/calendar/2026-10-02", json=holiday, headers=admin)).status_code == 200
    refused(
        await client.put("/api/dispatch/calendar/2026-10-03", json={"isWorking": "false"}, headers=admin),
        422,
        "body.isWorking",
    )

    assert (
        await client.delete("/api/dispatch/calendar/2026-10-02", headers=staff(issuer, district_b))
    ).status_code == 404
    denied = await client.delete("/api/dispatch/calendar/2026-10-02", headers=operator(issuer, district_a))
    assert denied.status_code == 403
    days = (await client.get("/api/dispatch/calendar", headers=admin)).json()
    assert [d["day"] for d in days] == ["2026-10-02"]

    cleared = await client.delete("/api/dispatch/calendar/2026-10-02", headers=admin)
    assert cleared.status_code == 204, cleared.text
    assert (await client.get("/api/dispatch/calendar", headers=admin)).json() == []
    again = await client.delete("/api/dispatch/calendar/2026-10-02", headers=admin)
    assert again.status_code == 404
    assert again.headers["content-type"].startswith("application/problem+json")
