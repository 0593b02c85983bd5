"""Member volunteers are dispatched only after pre-service training (DSP-12, EVT-14).

A new district requires it; training's ``PreServiceTrainingCompleted`` (delivered here through dispatch's consumer,
as the relay and worker would) puts it on record, whichever of it and orgtree's member events comes first; the
district administrator can turn the rule off, and then member volunteers are offered tickets as before.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

import services.dispatch.directory.actors
import services.dispatch.providers.actors  # noqa: F401 - registers the handlers
from services.dispatch.app import MIGRATIONS
from services.dispatch.events import consumer
from shared.contracts.orgtree import MemberCreated, MemberUpdated
from shared.contracts.training import PreServiceTrainingCompleted
from shared.db.alembic_env import upgrade
from shared.db.urls import database_url, plain_dsn
from shared.settings import Settings
from tests.dispatch.builders import District, as_provider, bearer, history, operator
from tests.dispatch.test_routing import actions, new_ticket, offers, ticket_of
from tests.kernel.test_migrations import scratch_database
from tests.platform.events import envelope
from tests.platform.tokens import TestIssuer

Client = AsyncTestClient[Litestar]
TRAINED_AT = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)


def completion(
    district: District,
    *,
    member_id: uuid.UUID | None,
    user_id: uuid.UUID | None = None,
    at: datetime = TRAINED_AT,
    person_id: uuid.UUID | None = None,
) -> PreServiceTrainingCompleted:
    return PreServiceTrainingCompleted(
        tenant_id=district.id,
        person_id=person_id or uuid.uuid4(),
        member_id=member_id,
        user_id=user_id,
        completed_at=at,
        session_id=uuid.uuid4(),
    )


def admin(issuer: TestIssuer, district: District) -> dict[str, str]:
    return bearer(issuer, district.id, ["district_admin"], user_id=uuid.uuid4())


async def provider_of(client: Client, issuer: TestIssuer, district: District, provider_id: object) -> dict[str, Any]:
    response = await client.get(f"/api/dispatch/providers/{provider_id}", headers=operator(issuer, district))
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


async def rows(district: District) -> dict[str, list[tuple[str, ...]]]:
    """The district's provider and completion rows, with the transaction that last wrote each."""

    async def read(session: AsyncSession) -> dict[str, list[tuple[str, ...]]]:
        queries = {
            "providers": "SELECT xmin::text, id, pre_service_completed_at FROM provider",
            "completions": "SELECT xmin::text, person_id, member_id, user_id, completed_at FROM pre_service_completion",
        }
        return {k: sorted(tuple(map(str, r)) for r in await session.execute(text(q))) for k, q in queries.items()}

    found: dict[str, list[tuple[str, ...]]] = await district.run(read)
    return found


async def untrained_server(district: District) -> tuple[uuid.UUID, Any]:
    """A member volunteer with a login who serves the district's first household, pre-service training not done."""
    member = uuid.uuid4()
    volunteer = await district.add_provider(grid=district.grids[0], member_id=member, trained=False)
    await district.link(district.households[0], member)
    return member, volunteer


async def test_a_volunteer_without_pre_service_training_is_offered_nothing_until_training_says_so(
    client: Client, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    consumer._settings = settings
    d = district_a
    member, volunteer = await untrained_server(d)
    shown = await provider_of(client, issuer, d, volunteer.id)
    assert (shown["preServiceCompletedAt"], shown["awaitingPreService"]) == (None, True)

    waiting = await new_ticket(client, issuer, d, settings)
    assert await offers(client, issuer, d, waiting) == []
    assert (await ticket_of(client, issuer, d, waiting["id"]))["status"] == "new"
    [*_, (action, _, reason)] = await actions(client, issuer, d, waiting["id"])
    assert (action, reason) == ("no_candidate", "暂无可派的服务者（1名党员志愿者未完成岗前培训）,请人工派单")
    assert (await history(d, waiting["id"]))[-1].details == {"awaitingPreService": 1}
    mine = as_provider(issuer, d, volunteer)
    assert (await client.get("/api/dispatch/offers", headers=mine)).json() == []
    [me] = (await client.get("/api/dispatch/providers/me", headers=mine)).json()
    assert me["awaitingPreService"] is True

    raw = envelope(completion(d, member_id=member, user_id=volunteer.user_id))
    assert await consumer.handle(raw) is True
    shown = await provider_of(client, issuer, d, volunteer.id)
    assert (shown["preServiceCompletedAt"], shown["awaitingPreService"]) == ("2026-03-14T09:30:00Z", False)
    recorded = await rows(d)
    # delivered twice (a redelivery, then the same event under a new envelope id): nothing changes
    assert await consumer.handle(raw) is False
    assert await consumer.handle({**raw, "id": str(uuid.uuid4())}) is True
    assert await rows(d) == recorded

    fresh = await new_ticket(client, issuer, d, settings, title="卫生间水管漏水")
    [offer] = await offers(client, issuer, d, fresh)
    assert (offer["providerId"], offer["reasons"][0]) == (str(volunteer.id), "serves_household")
    assert [o["ticketId"] for o in (await client.get("/api/dispatch/offers", headers=mine)).json()] == [fresh["id"]]
    # the call that waited in the queue goes to them too once the operator routes it again
    rerouted = await client.post(f"/api/dispatch/tickets/{waiting['id']}/route", headers=operator(issuer, d))
    assert [o["providerId"] for o in rerouted.json()["offers"]] == [str(volunteer.id)]


async def test_a_completion_before_the_member_reaches_dispatch_is_kept_for_it(
    client: Client, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    """Training may report before orgtree's member events arrive, and may know the person only by their login."""
    consumer._settings = settings
    d = district_a
    early, by_login, login = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    later = TRAINED_AT + timedelta(days=30)
    person = uuid.uuid4()
    assert await consumer.handle(envelope(completion(d, member_id=early, at=later, person_id=person))) is True
    # the same person trained again earlier (a session reported late): the earliest completion counts
    assert await consumer.handle(envelope(completion(d, member_id=early, person_id=person))) is True
    assert await consumer.handle(envelope(completion(d, member_id=None, user_id=login))) is True

    for member in (early, by_login):
        created = MemberCreated(
            tenant_id=d.id,
            member_id=member,
            grid_id=d.grids[0],
            branch_id=uuid.uuid4(),
            classification="self_managed",
            user_id=None,
        )
        assert await consumer.handle(envelope(created)) is True
    [kept] = [c for c in (await rows(d))["completions"] if c[1] == str(person)]
    assert kept[2:] == (str(early), "None", str(TRAINED_AT))
    listed = await client.get(
        "/api/dispatch/providers", params={"kind": "member_volunteer"}, headers=operator(issuer, d)
    )
    by_member = {p["memberId"]: p for p in listed.json()["items"]}
    assert by_member[str(early)]["preServiceCompletedAt"] == "2026-03-14T09:30:00Z"
    assert by_member[str(by_login)]["awaitingPreService"] is True

    linked = MemberUpdated(tenant_id=d.id, member_id=by_login, grid_id=d.grids[0], changed=["userId"], user_id=login)
    raw = envelope(linked)
    assert await consumer.handle(raw) is True
    shown = await provider_of(client, issuer, d, by_member[str(by_login)]["id"])
    assert (shown["preServiceCompletedAt"], shown["awaitingPreService"]) == ("2026-03-14T09:30:00Z", False)
    settled = await rows(d)
    assert await consumer.handle({**raw, "id": str(uuid.uuid4())}) is True
    assert await rows(d) == settled


async def test_with_the_rule_off_untrained_volunteers_are_offered_as_before(
    client: Client, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    d = district_a
    _, volunteer = await untrained_server(d)
    assert (await client.get("/api/dispatch/settings", headers=operator(issuer, d))).json()["requirePreService"]
    off = await client.patch("/api/dispatch/settings", json={"requirePreService": False}, headers=admin(issuer, d))
    assert off.status_code == 200, off.text
    assert off.json()["requirePreService"] is False
    assert (await provider_of(client, issuer, d, volunteer.id))["awaitingPreService"] is False

    ticket = await new_ticket(client, issuer, d, settings)
    [offer] = await offers(client, issuer, d, ticket)
    assert (offer["providerId"], offer["reasons"][0]) == (str(volunteer.id), "serves_household")


async def test_teams_and_skilled_residents_are_not_held_back(
    client: Client, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    """The rule is about member volunteers: a skilled resident is vetted when the hotline registers them."""
    d = district_a
    await untrained_server(d)
    resident = await d.add_provider(kind="skilled_resident", grid=d.grids[0], skills=["plumbing"], trained=False)
    ticket = await new_ticket(client, issuer, d, settings)
    [offer] = await offers(client, issuer, d, ticket)
    assert offer["providerId"] == str(resident.id)
    assert (await provider_of(client, issuer, d, resident.id))["awaitingPreService"] is False


async def test_an_operator_cannot_assign_an_untrained_volunteer_while_the_rule_is_on(
    client: Client, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    d = district_a
    _, volunteer = await untrained_server(d)
    ticket = await new_ticket(client, issuer, d, settings)
    path = f"/api/dispatch/tickets/{ticket['id']}/assign"
    refused = await client.post(path, json={"providerId": str(volunteer.id)}, headers=operator(issuer, d))
    assert refused.status_code == 409, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert "has not completed pre-service training (岗前培训)" in refused.json()["detail"]
    assert await offers(client, issuer, d, ticket) == []
    assert [a for a, _, _ in await actions(client, issuer, d, ticket["id"])] == ["created", "no_candidate"]

    await client.patch("/api/dispatch/settings", json={"requirePreService": False}, headers=admin(issuer, d))
    assigned = await client.post(path, json={"providerId": str(volunteer.id)}, headers=operator(issuer, d))
    assert assigned.status_code == 200, assigned.text
    assert [o["providerId"] for o in assigned.json()["offers"]] == [str(volunteer.id)]


async def test_another_districts_completion_does_not_count(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District, settings: Settings
) -> None:
    consumer._settings = settings
    a, b = district_a, district_b
    member, volunteer = await untrained_server(a)
    elsewhere = completion(b, member_id=member, user_id=volunteer.user_id)
    assert await consumer.handle(envelope(elsewhere)) is True
    assert (await provider_of(client, issuer, a, volunteer.id))["awaitingPreService"] is True
    assert (await rows(a))["completions"] == []
    ticket = await new_ticket(client, issuer, a, settings)
    assert await offers(client, issuer, a, ticket) == []


async def test_the_setting_is_the_district_admins_and_decoded_strictly(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    d = district_a
    for bad in ("false", 0, None):
        response = await client.patch(
            "/api/dispatch/settings", json={"requirePreService": bad}, headers=admin(issuer, d)
        )
        assert response.status_code == 422, (bad, response.text)
        [error] = response.json()["errors"]
        assert error["field"] == "body.requirePreService"
    refused = await client.patch(
        "/api/dispatch/settings", json={"requirePreService": False}, headers=operator(issuer, d)
    )
    assert refused.status_code == 403
    assert (await client.get("/api/dispatch/settings", headers=operator(issuer, d))).json()["requirePreService"]

    # one district's choice is its own
    off = await client.patch("/api/dispatch/settings", json={"requirePreService": False}, headers=admin(issuer, d))
    assert off.status_code == 200, off.text
    assert (await client.get("/api/dispatch/settings", headers=operator(issuer, district_b))).json()[
        "requirePreService"
    ]


async def test_districts_from_before_the_rule_keep_routing_as_they_did(settings: Settings) -> None:
    """Migrating a database whose district already has a hotline leaves the rule off there (its volunteers are
    offered tickets as before, until the administrator turns it on) and no volunteer marked."""
    scratch = await scratch_database(settings, "dispatch")
    await asyncio.to_thread(upgrade, scratch, "dispatch", MIGRATIONS, "0008")
    tenant = uuid.uuid4()
    conn = await asyncpg.connect(plain_dsn(database_url(scratch, "dispatch", "owner")))
    try:
        await conn.execute("SELECT set_config('app.tenant_id', $1, false)", str(tenant))
        await conn.execute(
            "INSERT INTO dispatch_settings (id, tenant_id, hotline_number, arrival_limit_minutes,"
            " offer_timeout_seconds, duplicate_window_days, red_after_minutes, working_weekdays, work_starts,"
            " work_ends, timezone)"
            " VALUES ($1, $2, '96345', 15, 120, 7, 1440, '{1,2,3,4,5}', '08:30', '17:30', 'Asia/Shanghai')",
            uuid.uuid4(),
            tenant,
        )
        await conn.execute(
            "INSERT INTO provider (id, tenant_id, kind, name, member_id, skills, on_duty, active, insured)"
            " VALUES ($1, $2, 'member_volunteer', '党员志愿者', $3, '{}', true, true, false)",
            uuid.uuid4(),
            tenant,
            uuid.uuid4(),
        )
        await asyncio.to_thread(upgrade, scratch, "dispatch", MIGRATIONS)
        assert await conn.fetchval("SELECT require_pre_service FROM dispatch_settings") is False
        assert await conn.fetchval("SELECT pre_service_completed_at FROM provider") is None
    finally:
        await conn.close()
