"""The demo answers its own calls (``make dev``): orgtree's loader makes the gateway's volunteer logins members of
one grid, dispatch's loader gives them and the seeded teams their logins and phones, and once orgtree's events
have reached dispatch (applied here as the relay and worker would) a call for one of their households is offered
to a volunteer who can sign in, by SMS too. Then the loader writes a few weeks of visits by the red cells, so the
compliance report shows links visited and links not; a few matters became tickets and one hospitalisation raised
a mandatory visit. Loading again changes nothing."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services.dispatch.demo.loader import load_demo as load_dispatch_demo
from services.dispatch.models import Notification, Provider
from services.dispatch.notifications.delivery import Delivery
from services.orgtree.app import MIGRATIONS as ORGTREE_MIGRATIONS
from shared.db.engine import make_engine
from shared.settings import Settings
from tests.dispatch.builders import District, bearer, deliver, operator
from tests.platform.demo import LoadedDemo
from tests.platform.plugin import prepare_database
from tests.platform.tokens import TestIssuer

# The first test to ask for ``orgtree_demo`` loads the demo districts' trees (1-2 minutes) within its time.
pytestmark = pytest.mark.timeout(600)

SLUG = "wenzhou-longwan"


@pytest.fixture(scope="module")
async def orgtree_ready(settings: Settings) -> None:
    await prepare_database(settings, "orgtree", ORGTREE_MIGRATIONS)


async def orgtree_rows(settings: Settings, sql: str, **params: Any) -> list[Any]:
    engine = make_engine(settings, "orgtree", "system")
    try:
        async with engine.connect() as connection:
            return list(await connection.execute(text(sql), params))
    finally:
        await engine.dispose()


async def apply_grid_events(settings: Settings, tenant: uuid.UUID, grid: str) -> int:
    """Orgtree's events about one grid (its units, members, households, links) through dispatch's consumer."""
    import services.dispatch.directory.actors  # noqa: F401 - registers the handlers on the consumer
    from services.dispatch.events import consumer

    rows = await orgtree_rows(
        settings,
        "SELECT id, event, payload, tenant_id, created_at FROM outbox_message WHERE tenant_id = :t AND ("
        "payload->>'grid_id' = :g OR payload->>'household_id' IN "
        "(SELECT id::text FROM household WHERE tenant_id = :t AND grid_id = CAST(:g AS uuid))) ORDER BY seq",
        t=tenant,
        g=grid,
    )
    consumer._settings = settings
    for row in rows:
        payload = dict(row.payload)
        version = int(payload.pop("version", 1))
        envelope = {"id": str(row.id), "event": row.event, "version": version, "tenant_id": str(row.tenant_id)}
        await consumer.handle(envelope | {"occurred_at": row.created_at.isoformat(), "payload": payload})
    return len(rows)


async def call_for(client: AsyncTestClient, issuer: TestIssuer, district: District, household: object) -> str:
    catalogue = (await client.get("/api/dispatch/catalogue", headers=operator(issuer, district))).json()
    life = next(c for c in catalogue if c["code"] == "citizen_life")
    plumbing = next(i["id"] for i in life["items"] if i["code"] == "plumbing")
    body = {"channel": "phone", "title": "水管漏水", "categoryId": life["id"], "itemId": plumbing}
    body["householdId"] = str(household)
    created = await client.post("/api/dispatch/tickets", json=body, headers=operator(issuer, district))
    assert created.status_code == 201, created.text
    ticket_id: str = created.json()["ticket"]["id"]
    return ticket_id


async def test_a_call_for_a_demo_household_is_offered_to_a_volunteer_who_signs_in_and_the_visits_are_shown(
    client: AsyncTestClient,
    issuer: TestIssuer,
    settings: Settings,
    dispatch_db: AsyncEngine,
    orgtree_demo: LoadedDemo,
) -> None:
    """One story on 龙湾区's tree (loaded once for the session): the calls, then the visits."""
    tenant = orgtree_demo.tenants[SLUG]
    tenant_id = uuid.UUID(tenant["id"])
    lines = await load_dispatch_demo(settings, [tenant])
    assert "offers reach 4 member volunteers and 5 teams who sign in" in lines[-1]
    # Loaded before orgtree's events arrived (`redcell demo load` waits for them; see tests/messaging/test_settle.py)
    assert any("no red-cell links here yet" in line for line in lines)
    district = District(tenant_id, dispatch_db)
    volunteers = tenant["volunteers"]
    grid = volunteers[0]["gridId"]
    assert await apply_grid_events(settings, tenant_id, grid) > 0

    async def providers(session: AsyncSession) -> list[Provider]:
        return list(await session.scalars(select(Provider).where(Provider.user_id.is_not(None))))

    signed_in = {p.user_id: p for p in await district.run(providers)}
    for volunteer in volunteers:
        provider = signed_in[uuid.UUID(volunteer["userId"])]
        assert (provider.name, str(provider.member_id)) == (volunteer["name"], volunteer["memberId"])
        assert str(provider.grid_id) == grid
        assert provider.phone_masked == volunteer["phone"][:3] + "****" + volunteer["phone"][-4:]
        assert provider.pre_service_completed_at is not None  # the demo's volunteers have had pre-service training
    setup = await client.get("/api/dispatch/settings", headers=operator(issuer, district))
    assert setup.json()["requirePreService"] is True
    for team in tenant["teams"]:
        as_team = bearer(issuer, tenant_id, ["volunteer"], user_id=uuid.UUID(team["userId"]))
        mine = await client.get("/api/dispatch/providers/me", headers=as_team)
        assert [p["name"] for p in mine.json()] == [team["name"]]

    first = volunteers[0]
    own_households = "SELECT household_id FROM household_link WHERE member_id = :m ORDER BY household_id LIMIT 1"
    [served] = await orgtree_rows(settings, own_households, m=uuid.UUID(first["memberId"]))
    [unserved] = await orgtree_rows(
        settings,
        "SELECT l.household_id FROM household_link l JOIN member m ON m.id = l.member_id "
        "WHERE m.tenant_id = :t AND m.grid_id = :g AND m.user_id IS NULL LIMIT 1",
        t=tenant_id,
        g=uuid.UUID(grid),
    )
    own = await call_for(client, issuer, district, served.household_id)
    neighbours = await call_for(client, issuer, district, unserved.household_id)
    await deliver(district, "dispatch.TicketCreated", settings)

    offered: dict[str, str] = {}
    for volunteer in volunteers:
        me = bearer(issuer, tenant_id, ["volunteer", "member"], user_id=uuid.UUID(volunteer["userId"]))
        for offer in (await client.get("/api/dispatch/offers", headers=me)).json():
            offered[offer["ticketId"]] = volunteer["username"]
    assert offered[own] == first["username"]  # the household's own red-cell member
    assert offered[neighbours] in {v["username"] for v in volunteers}  # served by a member without a login

    async def offer_sms(session: AsyncSession) -> Notification:
        query = select(Notification).where(Notification.template == "offer_made", Notification.ticket_id == own)
        found: Notification = (await session.scalars(query)).one()
        return found

    sms = await district.run(offer_sms)
    delivery = Delivery(lambda: settings)
    try:
        await delivery.deliver(tenant_id, sms.id)
    finally:
        await delivery.close()
    outbox = await client.get("/api/dispatch/dev-outbox", headers=bearer(issuer, tenant_id, ["district_admin"]))
    [entry] = [e for e in outbox.json() if e["notificationId"] == str(sms.id)]
    assert entry["phone"] == first["phone"][:3] + "****" + first["phone"][-4:]

    loaded = await load_dispatch_demo(settings, [tenant])  # now the links are there: the visits
    assert "already loaded" in loaded[0]
    assert any(line.strip().startswith("visits: ") and "matters became tickets" in line for line in loaded), loaded
    admin = bearer(issuer, tenant_id, ["district_admin"], user_id=uuid.uuid4())
    report = (await client.get("/api/dispatch/visits/compliance", headers=admin)).json()
    assert report["days"] == 7
    assert 0 < report["total"]["unvisited"] < report["total"]["links"]  # both visited and unvisited links
    tasks = (await client.get("/api/dispatch/visits/tasks", headers=admin)).json()["items"]
    assert [(t["kind"], t["assignedAs"]) for t in tasks] == [("hospitalised", "linked")]
    made = await district.run(visit_tickets)
    assert made > 0

    again = await load_dispatch_demo(settings, [tenant])  # make dev again: nothing changes
    assert "already loaded" in again[0]
    assert any("visits already loaded" in line for line in again)
    assert await district.run(visit_tickets) == made

    def kept(p: Provider) -> tuple[object, ...]:
        return p.name, p.phone_cipher, p.pre_service_completed_at

    assert {p.user_id: kept(p) for p in await district.run(providers)} == {
        p.user_id: kept(p) for p in signed_in.values()
    }


async def visit_tickets(session: AsyncSession) -> int:
    """Tickets the demo's visits' matters became."""
    found = await session.scalar(
        text("SELECT count(*) FROM visit_matter m JOIN ticket t ON t.id = m.ticket_id WHERE t.channel = 'visit'")
    )
    return int(found or 0)
