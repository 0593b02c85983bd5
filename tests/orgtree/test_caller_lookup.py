"""The hotline desk's caller lookup: a hotline operator finds the caller's household by exact phone, masked, with
the red-cell members who serve it; every lookup is audited; nothing else of the tree opens to the operator."""

from __future__ import annotations

import uuid
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import text

from shared.db.engine import make_engine
from shared.settings import Settings
from tests.orgtree.builders import Api, Slice, build_slice, mobile
from tests.orgtree.conftest import District, bearer
from tests.platform.tokens import TestIssuer

CALLER = mobile(700)


async def served_household(s: Slice) -> tuple[dict[str, Any], dict[str, Any]]:
    """A household ringing from ``CALLER``, served by one member of its grid."""
    member = await s.member(70, name="林志红")
    household = await s.household(
        "上河一组7号", headName="王建国", address="浙江省温州市龙湾区瑶溪街道上河村7号", phone=CALLER
    )
    await s.admin.post(f"/members/{member['id']}/households", {"householdId": household["id"]})
    return household, member


async def audit_rows(settings: Settings, tenant: uuid.UUID) -> list[Any]:
    engine = make_engine(settings, "orgtree", "system")
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                text(
                    "SELECT actor_id, actor_roles, subject_type, subject_id, purpose, detail FROM audit_event "
                    "WHERE tenant_id = :t AND action = 'orgtree.household.caller_lookup' ORDER BY id"
                ),
                {"t": tenant},
            )
            return list(rows)
    finally:
        await engine.dispose()


async def test_the_operator_finds_the_callers_household_and_who_serves_it_masked(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    household, member = await served_household(s)
    elsewhere = await build_slice(client, issuer, district_b)
    await elsewhere.household("同号的户", phone=CALLER)  # the same number in the other district
    desk = Api(client, bearer(issuer, district_a.id, ["hotline_operator"]))

    found = await desk.post("/households/caller-lookup", {"phone": CALLER}, expect=200)
    assert found == [
        {
            "id": household["id"],
            "gridId": s.grid["id"],
            "gridName": "上河一组网格",
            "label": "上河一组7号",
            "headName": "王**",
            "address": household["address"],
            "phone": "138****0700",
            "servedBy": [{"memberId": member["id"], "name": "林志红", "phone": "138****0070"}],
        }
    ]
    assert "上河村7号" not in str(found)
    spelled = await desk.post("/households/caller-lookup", {"phone": f"+86 {CALLER[:3]}-{CALLER[3:]}"}, expect=200)
    assert [h["id"] for h in spelled] == [household["id"]]  # the same number however it is written
    assert await desk.post("/households/caller-lookup", {"phone": mobile(701)}, expect=200) == []
    other_desk = Api(client, bearer(issuer, district_b.id, ["hotline_operator"]))
    theirs = await other_desk.post("/households/caller-lookup", {"phone": CALLER}, expect=200)
    assert [h["label"] for h in theirs] == ["同号的户"]


async def test_every_lookup_is_audited_with_the_numbers_blind_index_and_masked_form(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    s = await build_slice(client, issuer, district_a)
    household, _ = await served_household(s)
    operator = uuid.uuid4()
    desk = Api(client, bearer(issuer, district_a.id, ["hotline_operator"], user_id=operator))
    await desk.post("/households/caller-lookup", {"phone": CALLER}, expect=200)
    await desk.post("/households/caller-lookup", {"phone": f"{CALLER[:3]} {CALLER[3:]}"}, expect=200)
    await desk.post("/households/caller-lookup", {"phone": mobile(701)}, expect=200)

    rows = await audit_rows(settings, district_a.id)
    assert [(r.actor_id, r.actor_roles, r.subject_type, r.purpose) for r in rows] == [
        (str(operator), "hotline_operator", "household_phone", "caller lookup")
    ] * 3
    assert [r.detail for r in rows] == [
        {"phone": "138****0700", "householdIds": [household["id"]]},
        {"phone": "138****0700", "householdIds": [household["id"]]},
        {"phone": "138****0701", "householdIds": []},
    ]
    first, again, other = (r.subject_id for r in rows)
    assert first == again != other  # one number, one blind index: an auditor can follow it without reading it
    assert CALLER not in str([tuple(r) for r in rows])


async def test_bad_numbers_are_422_naming_the_field(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    desk = Api(client, bearer(issuer, district_a.id, ["hotline_operator"]))
    for body in ({"phone": "12345"}, {"phone": 13800000700}, {}, {"phone": CALLER, "idCard": "x"}):
        refused = await desk.post("/households/caller-lookup", body, expect=422)
        assert refused["errors"][0]["field"].startswith("body."), refused
    assert (await desk.post("/households/caller-lookup", {"phone": "12345"}, expect=422))["errors"] == [
        {"field": "body.phone", "message": "not a mainland mobile number (11 digits starting 13-19)"}
    ]
    assert await audit_rows(settings, district_a.id) == []


async def test_nothing_else_of_the_tree_opens_to_the_operator_and_no_one_else_gets_this_lookup(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    household, member = await served_household(s)
    desk = Api(client, bearer(issuer, district_a.id, ["hotline_operator"]))
    await desk.post("/households/lookup", {"phone": CALLER}, expect=403)
    await desk.post("/members/lookup", {"phone": mobile(70)}, expect=403)
    await desk.post(f"/households/{household['id']}/reveal", {"field": "phone", "purpose": "回访"}, expect=403)
    await desk.post(f"/members/{member['id']}/reveal", {"field": "phone", "purpose": "回访"}, expect=403)
    await desk.post("/households", {"gridId": s.grid["id"], "label": "新户"}, expect=403)
    await desk.call("PATCH", f"/members/{member['id']}", 403, json={"phone": mobile(71)})
    for roles, scope in ((["grid_leader"], s.grid["path"]), (["member"], None), (["volunteer"], None)):
        other = Api(client, bearer(issuer, district_a.id, roles, scope=scope))
        await other.post("/households/caller-lookup", {"phone": CALLER}, expect=403)
    admin_finds = await s.admin.post("/households/caller-lookup", {"phone": CALLER}, expect=200)
    assert [h["id"] for h in admin_finds] == [household["id"]]  # district admins take calls at the desk too
