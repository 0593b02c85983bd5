"""Linking a login to a member: the district administrator sets the member's ``userId`` (an account from the
gateway's /admin/users); that account then signs in as the member, and the change reaches dispatch as an event."""

from __future__ import annotations

import uuid

from litestar.testing import AsyncTestClient

from shared.settings import Settings
from tests.orgtree.builders import Api, build_slice, outbox
from tests.orgtree.conftest import District, bearer
from tests.platform.tokens import TestIssuer


async def test_the_district_admin_links_and_unlinks_a_login(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    s = await build_slice(client, issuer, district_a)
    member = await s.member(80)
    assert member["userId"] is None
    account = uuid.uuid4()
    as_member = Api(client, bearer(issuer, district_a.id, ["member", "volunteer"], user_id=account))
    await as_member.get("/members/me", expect=404)

    linked = await s.admin.call("PATCH", f"/members/{member['id']}", 200, json={"userId": str(account)})
    assert linked["userId"] == str(account)
    assert (await as_member.get("/members/me"))["id"] == member["id"]
    updated = await outbox(settings, district_a.id, "orgtree.MemberUpdated")
    assert (updated[-1]["user_id"], updated[-1]["changed"]) == (str(account), ["userId"])

    unlinked = await s.admin.call("PATCH", f"/members/{member['id']}", 200, json={"userId": None})
    assert unlinked["userId"] is None
    await as_member.get("/members/me", expect=404)


async def test_one_login_signs_in_as_one_member(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    account = uuid.uuid4()
    first = await s.member(81, userId=str(account))
    second = await s.member(82)
    taken = await s.admin.call("PATCH", f"/members/{second['id']}", 409, json={"userId": str(account)})
    assert taken["errors"][0]["field"] == "body.userId"
    assert "another member" in taken["detail"]
    again = await s.admin.post("/members", {"name": "重复", "branchId": s.branch["id"], "userId": str(account)}, 409)
    assert again["errors"][0]["field"] == "body.userId"
    assert (await s.admin.get(f"/members/{second['id']}"))["userId"] is None
    same = await s.admin.call("PATCH", f"/members/{first['id']}", 200, json={"userId": str(account)})
    assert same["userId"] == str(account)  # relinking the same member is no conflict


async def test_bad_ids_are_refused_naming_the_field_and_nothing_changes(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    member = await s.member(83)
    for bad in ("not-a-uuid", 42, ""):
        refused = await s.admin.call("PATCH", f"/members/{member['id']}", 422, json={"userId": bad})
        assert refused["errors"][0]["field"] == "body.userId", refused
    await s.admin.call("PATCH", f"/members/{uuid.uuid4()}", 404, json={"userId": str(uuid.uuid4())})
    assert (await s.admin.get(f"/members/{member['id']}"))["userId"] is None


async def test_only_the_district_admin_links_logins(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    member = await s.member(84)
    for roles, scope in ((["street_admin"], s.street["path"]), (["grid_leader"], s.grid["path"])):
        keeper = Api(client, bearer(issuer, district_a.id, roles, scope=scope))
        refused = await keeper.call("PATCH", f"/members/{member['id']}", 403, json={"userId": str(uuid.uuid4())})
        assert "district administrator" in refused["detail"]
        await keeper.call("PATCH", f"/members/{member['id']}", 200, json={"name": "改名党员"})  # the rest is theirs
    desk = Api(client, bearer(issuer, district_a.id, ["hotline_operator"]))
    await desk.call("PATCH", f"/members/{member['id']}", 403, json={"userId": str(uuid.uuid4())})
    assert (await s.admin.get(f"/members/{member['id']}"))["userId"] is None


async def test_another_districts_member_and_account_are_404(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    member = await s.member(85)
    other_admin = Api(client, bearer(issuer, district_b.id, ["district_admin"]))
    await other_admin.call("PATCH", f"/members/{member['id']}", 404, json={"userId": str(uuid.uuid4())})
    assert (await s.admin.get(f"/members/{member['id']}"))["userId"] is None

    # An account of the other district linked here grants it nothing: its tokens carry its own district.
    foreign = uuid.uuid4()
    await s.admin.call("PATCH", f"/members/{member['id']}", 200, json={"userId": str(foreign)})
    elsewhere = Api(client, bearer(issuer, district_b.id, ["member", "volunteer"], user_id=foreign))
    await elsewhere.get("/members/me", expect=404)
    await elsewhere.get(f"/members/{member['id']}", expect=404)
