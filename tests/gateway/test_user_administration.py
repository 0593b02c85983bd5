"""A district administrator changes, locks, unlocks and resets the one-time code of the district's users; the
platform operator suspends and reactivates a district; both read the gateway's own audit log."""

from __future__ import annotations

from typing import Any

import pyotp
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.gateway.support import (
    District,
    bearer,
    is_problem,
    login,
    new_operator,
    new_user,
    tokens,
    unique,
    user_row,
)

Sessions = async_sessionmaker[AsyncSession]
LOCKED = "this account is locked in this district; ask the district administrator"
SUSPENDED = "this district is suspended; ask the platform operator"


async def _admin(client: AsyncTestClient[Any], district: District) -> dict[str, str]:
    return bearer((await tokens(client, district.admin))["accessToken"])


async def _user_id(client: AsyncTestClient[Any], admin: dict[str, str], username: str) -> str:
    users = (await client.get("/admin/users", headers=admin)).json()
    found: str = next(u["userId"] for u in users if u["username"] == username)
    return found


async def test_a_locked_user_cannot_sign_in_or_renew_until_unlocked(
    client: AsyncTestClient[Any], system_sessions: Sessions, district_a: District
) -> None:
    admin = await _admin(client, district_a)
    username = await new_user(system_sessions, district_a, "lockme", ["grid_leader"])
    before = await tokens(client, username)
    user_id = await _user_id(client, admin, username)

    locked = await client.post(f"/admin/users/{user_id}/lock", headers=admin)
    assert locked.status_code == 200, locked.text
    assert locked.json()["locked"] is True
    assert locked.json()["lockedAt"]
    # the password is right, so the refusal may say why; the wrong password still says nothing more
    assert is_problem(await login(client, username), 403)["detail"] == LOCKED
    assert is_problem(await login(client, username, "not-the-password"), 401)["detail"] == (
        "username or password is wrong"
    )
    renewal = await client.post("/auth/refresh", json={"refreshToken": before["refreshToken"]})
    is_problem(renewal, 401)
    listed = next(u for u in (await client.get("/admin/users", headers=admin)).json() if u["userId"] == user_id)
    assert listed["locked"] is True

    unlocked = await client.post(f"/admin/users/{user_id}/unlock", headers=admin)
    assert unlocked.status_code == 200, unlocked.text
    assert unlocked.json()["locked"] is False
    assert (await login(client, username)).status_code == 200

    actions = [e["action"] for e in (await client.get("/admin/audit", headers=admin)).json()["items"]]
    assert actions.index("user.unlocked") < actions.index("auth.login.refused") < actions.index("user.locked")


async def test_an_administrator_cannot_lock_themselves_out(client: AsyncTestClient[Any], district_a: District) -> None:
    admin = await _admin(client, district_a)
    own_id = await _user_id(client, admin, district_a.admin)
    assert is_problem(await client.post(f"/admin/users/{own_id}/lock", headers=admin), 409)["detail"] == (
        "you cannot lock yourself out: ask another district administrator"
    )
    dropped = await client.patch(f"/admin/users/{own_id}", headers=admin, json={"roles": ["street_admin"]})
    assert is_problem(dropped, 409)["detail"] == "you cannot drop your own district administrator role"
    confined = await client.patch(f"/admin/users/{own_id}", headers=admin, json={"scope": "/00af/"})
    assert is_problem(confined, 409)["detail"] == "you cannot confine your own account to part of the district"
    is_problem(await client.post(f"/admin/users/{own_id}/totp/reset", headers=admin), 409)
    me = (await client.get(f"/admin/users/{own_id}", headers=admin)).json()
    assert me["roles"] == ["district_admin"]
    assert me["scope"] is None
    assert me["locked"] is False
    assert (await login(client, district_a.admin)).status_code == 200


async def test_roles_scope_and_name_change_and_show_at_the_next_renewal(
    client: AsyncTestClient[Any], system_sessions: Sessions, district_a: District
) -> None:
    admin = await _admin(client, district_a)
    username = await new_user(system_sessions, district_a, "change", ["grid_leader"])
    session = await tokens(client, username)
    user_id = await _user_id(client, admin, username)
    body = {"roles": ["street_admin"], "scope": "/00af/19c2/", "displayName": "王丽"}
    changed = await client.patch(f"/admin/users/{user_id}", headers=admin, json=body)
    assert changed.status_code == 200, changed.text
    assert (changed.json()["roles"], changed.json()["scope"], changed.json()["displayName"]) == (
        ["street_admin"],
        "/00af/19c2/",
        "王丽",
    )
    renewed = await client.post("/auth/refresh", json={"refreshToken": session["refreshToken"]})
    me = (await client.get("/auth/me", headers=bearer(renewed.json()["accessToken"]))).json()
    assert (me["roles"], me["scope"], me["name"]) == (["street_admin"], "/00af/19c2/", "王丽")
    # scope null is the whole district; absent fields stay as they are
    widened = await client.patch(f"/admin/users/{user_id}", headers=admin, json={"scope": None})
    assert (widened.json()["scope"], widened.json()["roles"]) == (None, ["street_admin"])


async def test_refusals_name_the_field_and_store_nothing(
    client: AsyncTestClient[Any], system_sessions: Sessions, district_a: District
) -> None:
    admin = await _admin(client, district_a)
    username = await new_user(system_sessions, district_a, "strict", ["grid_leader"])
    user_id = await _user_id(client, admin, username)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"roles": "grid_leader"}, "body.roles"),  # a string where a list belongs
        ({"roles": []}, "body.roles"),
        ({"roles": ["platform_operator"]}, "body.roles"),
        ({"roles": ["overlord"]}, "body.roles"),
        ({"scope": "not/a/path"}, "body.scope"),
        ({"displayName": " "}, "body.displayName"),
        ({"locked": True}, "locked"),  # unknown fields are refused, not ignored
    ]
    for body, field in cases:
        refused = is_problem(await client.patch(f"/admin/users/{user_id}", headers=admin, json=body), 422)
        assert field in str(refused), (body, refused)
    user = (await client.get(f"/admin/users/{user_id}", headers=admin)).json()
    assert (user["roles"], user["scope"], user["displayName"]) == (["grid_leader"], None, username)
    is_problem(await client.get("/admin/users/not-a-uuid", headers=admin), 404)


async def test_another_districts_user_is_not_found(
    client: AsyncTestClient[Any], system_sessions: Sessions, district_a: District, district_b: District
) -> None:
    admin_a = await _admin(client, district_a)
    admin_b = await _admin(client, district_b)
    theirs = await new_user(system_sessions, district_b, "theirs", ["grid_leader"])
    their_id = await _user_id(client, admin_b, theirs)
    is_problem(await client.get(f"/admin/users/{their_id}", headers=admin_a), 404)
    is_problem(await client.patch(f"/admin/users/{their_id}", headers=admin_a, json={"roles": ["member"]}), 404)
    for action in ("lock", "unlock", "totp/reset"):
        is_problem(await client.post(f"/admin/users/{their_id}/{action}", headers=admin_a), 404)
    assert (await login(client, theirs)).status_code == 200  # untouched
    # and a user who is not a district administrator manages no one
    grid = bearer((await tokens(client, theirs))["accessToken"])
    is_problem(await client.post(f"/admin/users/{their_id}/lock", headers=grid), 403)
    is_problem(await client.get("/admin/audit", headers=grid), 403)


async def test_resetting_a_code_lets_the_user_enrol_again(
    client: AsyncTestClient[Any], system_sessions: Sessions, district_a: District
) -> None:
    admin = await _admin(client, district_a)
    username = await new_user(system_sessions, district_a, "coded", ["street_admin"])
    access = bearer((await tokens(client, username))["accessToken"])
    uri = (await client.post("/auth/totp/enroll", headers=access)).json()["provisioningUri"]
    totp = pyotp.parse_uri(uri)
    assert isinstance(totp, pyotp.TOTP)
    assert (await client.post("/auth/totp/confirm", headers=access, json={"otp": totp.now()})).status_code == 204
    user_id = await _user_id(client, admin, username)
    assert (await client.get(f"/admin/users/{user_id}", headers=admin)).json()["totpEnrolled"] is True
    assert is_problem(await login(client, username), 401)["detail"] == "one-time code required"

    reset = await client.post(f"/admin/users/{user_id}/totp/reset", headers=admin)
    assert reset.status_code == 200, reset.text
    assert reset.json()["totpEnrolled"] is False
    assert (await login(client, username)).status_code == 200  # the password alone, until they enrol again
    row = await user_row(system_sessions, username)
    assert (row.totp_secret, row.totp_enabled) == (None, False)


async def test_the_gateway_audit_log_is_the_districts_own_filtered_and_paged(
    client: AsyncTestClient[Any], system_sessions: Sessions, district_a: District, district_b: District
) -> None:
    admin_a = await _admin(client, district_a)
    admin_b = await _admin(client, district_b)
    for _ in range(3):
        await tokens(client, district_a.admin)
    everything = (await client.get("/admin/audit", headers=admin_a, params={"limit": 200})).json()["items"]
    theirs = (await client.get("/admin/audit", headers=admin_b, params={"limit": 200})).json()["items"]
    assert not {e["id"] for e in everything} & {e["id"] for e in theirs}
    logins: dict[str, str | int] = {"action": "auth.login.succeeded", "limit": 2}
    first = (await client.get("/admin/audit", headers=admin_a, params=logins)).json()
    assert len(first["items"]) == 2
    assert first["next"]
    second = (await client.get("/admin/audit", headers=admin_a, params={**logins, "cursor": first["next"]})).json()
    ids = [e["id"] for e in first["items"] + second["items"]]
    assert ids == sorted(ids, reverse=True)
    assert len(set(ids)) == len(ids) >= 4
    assert {e["action"] for e in first["items"] + second["items"]} == {"auth.login.succeeded"}
    future = {"since": "2999-01-01T00:00:00Z"}
    assert (await client.get("/admin/audit", headers=admin_a, params=future)).json() == {"items": [], "next": None}

    for params, field in (
        ({"limit": "0"}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"cursor": "abc"}, "query.cursor"),
        ({"since": "yesterday"}, "since"),
        ({"since": "2026-12-02T00:00:00Z", "until": "2026-12-01T00:00:00Z"}, "query.until"),
    ):
        assert field in str(is_problem(await client.get("/admin/audit", headers=admin_a, params=params), 422))


async def test_a_suspended_district_signs_no_one_in_until_reactivated(
    client: AsyncTestClient[Any], system_sessions: Sessions, district_a: District
) -> None:
    operator = bearer((await tokens(client, await new_operator(system_sessions)))["accessToken"])
    session = await tokens(client, district_a.admin)
    one = (await client.get(f"/platform/tenants/{district_a.slug}", headers=operator)).json()
    assert (one["status"], one["slug"]) == ("active", district_a.slug)
    assert one["createdAt"]

    suspended = await client.post(
        f"/platform/tenants/{district_a.slug}/status", headers=operator, json={"status": "suspended"}
    )
    assert suspended.status_code == 200, suspended.text
    assert suspended.json()["status"] == "suspended"
    assert is_problem(await login(client, district_a.admin), 403)["detail"] == SUSPENDED
    is_problem(await client.post("/auth/refresh", json={"refreshToken": session["refreshToken"]}), 401)
    listed = (await client.get("/platform/tenants", headers=operator)).json()
    assert next(t for t in listed if t["slug"] == district_a.slug)["status"] == "suspended"

    for body, field in (({"status": "retired"}, "status"), ({"status": 1}, "status"), ({"state": "active"}, "state")):
        status_change = f"/platform/tenants/{district_a.slug}/status"
        assert field in str(is_problem(await client.post(status_change, headers=operator, json=body), 422))
    nowhere = f"/platform/tenants/{unique('none')}"
    is_problem(await client.post(f"{nowhere}/status", headers=operator, json={"status": "active"}), 404)
    is_problem(await client.get(nowhere, headers=operator), 404)

    reactivated = await client.post(
        f"/platform/tenants/{district_a.slug}/status", headers=operator, json={"status": "active"}
    )
    assert reactivated.json()["status"] == "active"
    assert (await login(client, district_a.admin)).status_code == 200
    admin = await _admin(client, district_a)
    actions = [e["action"] for e in (await client.get("/admin/audit", headers=admin)).json()["items"]]
    assert {"tenant.suspended", "tenant.reactivated", "auth.login.refused"} <= set(actions)
    # only the platform operator changes a district's status
    is_problem(
        await client.post(f"/platform/tenants/{district_a.slug}/status", headers=admin, json={"status": "suspended"}),
        403,
    )
