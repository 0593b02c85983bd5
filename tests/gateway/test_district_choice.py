"""A login of several districts: the 422 lists them by name with a ticket, and ``/auth/login/district`` chooses
one with that ticket instead of the password and one-time code (a code is accepted once). The ticket is the
user's, short-lived and good once; ``/auth/me`` names the district chosen."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pyotp
from litestar.testing import AsyncTestClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.identity import choice
from gateway.identity.services import BAD_CHOICE
from gateway.models import Tenant, UserAccount
from gateway.tenants.services import add_membership
from shared.db.kernel import audit_event
from shared.settings import Settings
from tests.gateway.support import District, bearer, is_problem, login, new_user, provision, tokens, user_row

Sessions = async_sessionmaker[AsyncSession]


async def _of_both(sessions: Sessions, first: District, second: District, roles: list[str]) -> str:
    username = await new_user(sessions, first, "city", roles)
    await _join(sessions, second, username, roles)
    return username


async def _join(sessions: Sessions, district: District, username: str, roles: list[str]) -> None:
    async with sessions() as session, session.begin():
        tenant = await session.get(Tenant, district.id)
        assert tenant is not None
        await add_membership(session, tenant, username, roles=roles, scope=None)


async def _offered(client: AsyncTestClient[Any], username: str, **extra: str) -> dict[str, Any]:
    response = await login(client, username, **extra)
    body = is_problem(response, 422)
    assert response.headers["cache-control"] == "no-store"  # the ticket stands for the password a while
    return body


async def choose(client: AsyncTestClient[Any], ticket: str, slug: str) -> Any:
    return await client.post("/auth/login/district", json={"districtTicket": ticket, "tenant": slug})


async def test_the_districts_are_offered_by_name_and_chosen_with_the_ticket_once(
    client: AsyncTestClient[Any], system_sessions: Sessions, district_a: District, district_b: District
) -> None:
    username = await _of_both(system_sessions, district_a, district_b, ["hotline_operator"])
    offered = await _offered(client, username)
    assert offered["errors"] == [{"field": "body.tenant", "message": "required for users with several districts"}]
    assert offered["districts"] == sorted(
        [{"slug": district_a.slug, "name": "unit-a district"}, {"slug": district_b.slug, "name": "unit-b district"}],
        key=lambda d: d["slug"],
    )
    chosen = await choose(client, offered["districtTicket"], district_b.slug)
    assert chosen.status_code == 200, chosen.text
    body = chosen.json()
    assert body["tenant"] == district_b.slug
    claims = jwt.decode(body["accessToken"], options={"verify_signature": False})
    assert (claims["tenant"], claims["roles"]) == (str(district_b.id), ["hotline_operator"])
    me = (await client.get("/auth/me", headers=bearer(body["accessToken"]))).json()
    assert me["district"] == {"id": str(district_b.id), "slug": district_b.slug, "name": "unit-b district"}
    renewed = await client.post("/auth/refresh", json={"refreshToken": body["refreshToken"]})
    assert renewed.status_code == 200, renewed.text  # an ordinary sign-in from here on

    # good once: presented again (copied, or a form sent twice), it is refused, for either district
    for slug in (district_b.slug, district_a.slug):
        assert is_problem(await choose(client, offered["districtTicket"], slug), 401)["detail"] == BAD_CHOICE
    # naming the district with the password still works as before
    assert (await tokens(client, username, tenant=district_a.slug))["tenant"] == district_a.slug


async def test_a_district_not_offered_is_refused_and_the_ticket_still_chooses(
    client: AsyncTestClient[Any], system_sessions: Sessions, district_a: District, district_b: District
) -> None:
    username = await _of_both(system_sessions, district_a, district_b, ["hotline_operator"])
    offered = await _offered(client, username)
    elsewhere = await provision(system_sessions, "other")
    for slug in (elsewhere.slug, "no-such-district"):
        refused = is_problem(await choose(client, offered["districtTicket"], slug), 422)
        assert refused["errors"] == [{"field": "body.tenant", "message": "not one of this user's districts"}]
        assert refused["districts"] == offered["districts"]
    assert (await choose(client, offered["districtTicket"], district_a.slug)).status_code == 200


async def test_a_made_up_altered_expired_or_voided_ticket_is_refused(
    client: AsyncTestClient[Any],
    system_sessions: Sessions,
    gateway_settings: Settings,
    district_a: District,
    district_b: District,
) -> None:
    username = await _of_both(system_sessions, district_a, district_b, ["hotline_operator"])
    ticket = (await _offered(client, username))["districtTicket"]
    altered = ticket[:30] + ("A" if ticket[30] != "A" else "B") + ticket[31:]
    user = await user_row(system_sessions, username)
    expired = choice.issue(gateway_settings, user.id, user.password_hash, now=time.time() - choice.CHOICE_S - 1)
    for bad in ("x" * 40, altered, expired):
        assert is_problem(await choose(client, bad, district_a.slug), 401)["detail"] == BAD_CHOICE
    # a ticket earned before the password changed is void
    async with system_sessions() as session, session.begin():
        await session.execute(update(UserAccount).where(UserAccount.id == user.id).values(password_hash="$changed"))
    assert is_problem(await choose(client, ticket, district_a.slug), 401)["detail"] == BAD_CHOICE


async def test_a_locked_account_cannot_use_its_ticket(
    client: AsyncTestClient[Any], system_sessions: Sessions, district_a: District, district_b: District
) -> None:
    username = await _of_both(system_sessions, district_a, district_b, ["hotline_operator"])
    ticket = (await _offered(client, username))["districtTicket"]
    until = datetime.now(UTC) + timedelta(minutes=15)  # as five wrong passwords meanwhile would leave it
    async with system_sessions() as session, session.begin():
        await session.execute(update(UserAccount).where(UserAccount.username == username).values(locked_until=until))
    assert is_problem(await choose(client, ticket, district_a.slug), 401)["detail"] == BAD_CHOICE


async def test_the_choice_is_strictly_decoded(
    client: AsyncTestClient[Any], system_sessions: Sessions, district_a: District, district_b: District
) -> None:
    username = await _of_both(system_sessions, district_a, district_b, ["hotline_operator"])
    ticket = (await _offered(client, username))["districtTicket"]
    cases = [
        ({"districtTicket": ticket}, "body.tenant"),
        ({"tenant": district_a.slug}, "body.districtTicket"),
        ({"districtTicket": ticket, "tenant": 7}, "body.tenant"),
        ({"districtTicket": "not a ticket!" * 3, "tenant": district_a.slug}, "body.districtTicket"),
        ({"districtTicket": ticket, "tenant": district_a.slug, "password": "x"}, "body.password"),
    ]
    for body, field in cases:
        refused = is_problem(await client.post("/auth/login/district", json=body), 422)
        assert [e["field"] for e in refused["errors"]] == [field], refused
    assert (await choose(client, ticket, district_a.slug)).status_code == 200  # nothing above spent it


async def test_a_user_with_one_time_codes_chooses_without_a_second_code(
    client: AsyncTestClient[Any], system_sessions: Sessions, district_a: District, district_b: District
) -> None:
    username = await new_user(system_sessions, district_a, "totp-city", ["district_admin"])
    access = (await tokens(client, username))["accessToken"]
    totp = pyotp.parse_uri((await client.post("/auth/totp/enroll", headers=bearer(access))).json()["provisioningUri"])
    assert (
        await client.post("/auth/totp/confirm", headers=bearer(access), json={"otp": totp.now()})
    ).status_code == 204
    await _join(system_sessions, district_b, username, ["district_admin"])

    assert is_problem(await login(client, username), 401)["detail"] == "one-time code required"  # no list yet
    code = totp.at(time.time() + totp.interval)
    offered = await _offered(client, username, otp=code)
    assert [d["slug"] for d in offered["districts"]] == sorted([district_a.slug, district_b.slug])
    chosen = await choose(client, offered["districtTicket"], district_b.slug)
    assert chosen.status_code == 200, chosen.text
    assert chosen.json()["tenant"] == district_b.slug
    # the code stays spent: replaying it with the password opens nothing
    assert is_problem(await login(client, username, otp=code), 401)["detail"] == "one-time code is wrong"

    async with system_sessions() as session:
        rows = (
            await session.execute(
                select(audit_event.c.action, audit_event.c.detail, audit_event.c.tenant_id)
                .where(audit_event.c.subject_id == str(chosen_user_id(chosen.json())))
                .order_by(audit_event.c.id)
            )
        ).all()
    succeeded = [r for r in rows if r.action == "auth.login.succeeded" and (r.detail or {}).get("via")]
    assert [(r.detail["via"], r.tenant_id) for r in succeeded] == [("district choice", district_b.id)]


def chosen_user_id(tokens_answer: dict[str, Any]) -> str:
    sub: str = jwt.decode(tokens_answer["accessToken"], options={"verify_signature": False})["sub"]
    return sub
