"""The directory follows orgtree's events (EVT-10, EVT-11): grids, households, links, member volunteers.

Every handler is an upsert: the inbox skips a redelivered envelope, and an equivalent event under a new envelope
id writes nothing (the rows keep their ``xmin``, the id of the transaction that last wrote them).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

import services.dispatch.directory.actors  # noqa: F401 - registers the handlers
from services.dispatch.events import consumer
from shared.contracts.base import Event
from shared.contracts.orgtree import (
    GridCreated,
    GridLeaderChanged,
    HouseholdLinked,
    HouseholdPlaced,
    HouseholdUnlinked,
    MemberCreated,
    MemberRemoved,
    MemberTransferred,
    MemberUpdated,
    UnitRef,
)
from shared.settings import Settings
from tests.dispatch.builders import District, as_provider, deliver, operator
from tests.platform.events import envelope
from tests.platform.tokens import TestIssuer

Client = AsyncTestClient[Litestar]


async def apply_twice(event: Event) -> None:
    """The same envelope twice (the second is skipped by the inbox), then the same event under a new id."""
    raw = envelope(event)
    assert await consumer.handle(raw) is True
    assert await consumer.handle(raw) is False
    assert await consumer.handle({**raw, "id": str(uuid.uuid4())}) is True


async def snapshot(district: District) -> dict[str, list[Any]]:
    """Every directory and provider row of the district, with the transaction that last wrote it."""

    async def read(session: AsyncSession) -> dict[str, list[Any]]:
        queries = {
            "grids": "SELECT xmin::text, grid_id, name, path, ancestors::text, leader_member_id FROM directory_grid",
            "households": "SELECT xmin::text, household_id, grid_id FROM directory_household",
            "links": "SELECT xmin::text, household_id, member_id FROM directory_link",
            "providers": "SELECT xmin::text, id, member_id, user_id, grid_id, active FROM provider",
            "offers": "SELECT xmin::text, id, status FROM offer",
            "history": "SELECT id, action FROM ticket_history",
        }
        return {k: sorted(tuple(map(str, r)) for r in await session.execute(text(q))) for k, q in queries.items()}

    found: dict[str, list[Any]] = await district.run(read)
    return found


async def test_orgtree_events_build_the_directory_and_a_replay_changes_nothing(
    settings: Settings, district_a: District
) -> None:
    consumer._settings = settings
    d, tenant = district_a, district_a.id
    grid, household, member, user = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    chain = [
        UnitRef(id=d.root, level="district", name="龙湾区"),
        UnitRef(id=d.street, level="street", name="状元街道"),
        UnitRef(id=d.village, level="village", name="瑶溪村"),
    ]
    events: list[Event] = [
        GridLeaderChanged(tenant_id=tenant, grid_id=grid, member_id=member, previous_member_id=None),  # before the grid
        GridCreated(
            tenant_id=tenant,
            grid_id=grid,
            parent_id=d.village,
            level="grid",
            party_group_id=None,
            name="第九网格",
            path="/a/b/c/d/",
            ancestors=chain,
        ),
        HouseholdPlaced(tenant_id=tenant, household_id=household, grid_id=grid),
        MemberCreated(
            tenant_id=tenant,
            member_id=member,
            grid_id=grid,
            branch_id=uuid.uuid4(),
            classification="self_managed",
            user_id=user,
        ),
        HouseholdLinked(tenant_id=tenant, household_id=household, member_id=member),
    ]
    for event in events:
        before = await snapshot(d)
        raw = envelope(event)
        assert await consumer.handle(raw) is True
        applied = await snapshot(d)
        assert applied != before, event.NAME
        assert await consumer.handle(raw) is False
        assert await consumer.handle({**raw, "id": str(uuid.uuid4())}) is True
        assert await snapshot(d) == applied, event.NAME

    state = await snapshot(d)
    [grid_row] = [g for g in state["grids"] if g[1] == str(grid)]
    assert grid_row[2:4] == ("第九网格", "/a/b/c/d/")
    assert grid_row[5] == str(member)
    assert '"level": "village"' in grid_row[4]
    assert '"name": "瑶溪村"' in grid_row[4]
    assert [h[1:] for h in state["households"] if h[1] == str(household)] == [(str(household), str(grid))]
    assert [lk[1:] for lk in state["links"]] == [(str(household), str(member))]
    [provider] = [p for p in state["providers"] if p[2] == str(member)]
    assert provider[3:] == (str(user), str(grid), "True")

    # a member moved to another grid; a late MemberCreated does not roll that back
    moved = uuid.uuid4()
    await apply_twice(
        MemberUpdated(tenant_id=tenant, member_id=member, grid_id=moved, changed=["gridId"], user_id=user)
    )
    await apply_twice(
        MemberCreated(
            tenant_id=tenant,
            member_id=member,
            grid_id=grid,
            branch_id=uuid.uuid4(),
            classification="self_managed",
            user_id=user,
        )
    )
    [provider] = [p for p in (await snapshot(d))["providers"] if p[2] == str(member)]
    assert provider[4] == str(moved)
    await apply_twice(HouseholdUnlinked(tenant_id=tenant, household_id=household, member_id=member))
    assert (await snapshot(d))["links"] == []


async def routed(
    client: Client, issuer: TestIssuer, district: District, settings: Settings, *, category: str, item: str
) -> str:
    body = {
        "channel": "phone",
        "title": "需要上门帮忙",
        "categoryId": str(district.categories[category]),
        "itemId": str(district.items[item]),
        "householdId": str(district.households[0]),
    }
    response = await client.post("/api/dispatch/tickets", json=body, headers=operator(issuer, district))
    assert response.status_code == 201, response.text
    await deliver(district, "dispatch.TicketCreated", settings)
    ticket_id: str = response.json()["ticket"]["id"]
    return ticket_id


async def offers_of(client: Client, issuer: TestIssuer, district: District, ticket_id: str) -> list[Any]:
    response = await client.get(f"/api/dispatch/tickets/{ticket_id}/offers", headers=operator(issuer, district))
    found: list[Any] = response.json()
    return [(o["providerId"], o["status"]) for o in found]


async def test_a_removed_member_gives_back_unreached_orders_and_loses_open_offers(
    client: Client, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    consumer._settings = settings
    d = district_a
    member = uuid.uuid4()
    leaving = await d.add_provider(grid=d.grids[0], member_id=member, skills=["legal"])
    staying = await d.add_provider(grid=d.grids[1], skills=["legal"])
    await d.link(d.households[0], member)
    signed = await routed(client, issuer, d, settings, category="citizen_life", item="plumbing")
    [(first, _)] = await offers_of(client, issuer, d, signed)
    assert first == str(leaving.id)
    offer_id = (await client.get("/api/dispatch/offers", headers=as_provider(issuer, d, leaving))).json()[0]["id"]
    accepted = await client.post(f"/api/dispatch/offers/{offer_id}/accept", headers=as_provider(issuer, d, leaving))
    assert accepted.status_code == 200, accepted.text
    claim = await routed(client, issuer, d, settings, category="consultation", item="legal_advice")
    assert sorted(await offers_of(client, issuer, d, claim)) == sorted(
        [(str(leaving.id), "open"), (str(staying.id), "open")]
    )

    removed = MemberRemoved(tenant_id=d.id, member_id=member, reason="transferred_out")
    raw = envelope(removed)
    assert await consumer.handle(raw) is True
    assert await offers_of(client, issuer, d, signed) == [(str(leaving.id), "returned"), (str(staying.id), "open")]
    assert sorted(await offers_of(client, issuer, d, claim)) == sorted(
        [(str(leaving.id), "withdrawn"), (str(staying.id), "open")]
    )
    ticket = (await client.get(f"/api/dispatch/tickets/{signed}", headers=operator(issuer, d))).json()
    assert ticket["status"] == "routing"
    assert ticket["providerId"] is None
    history = (await client.get(f"/api/dispatch/tickets/{signed}/history", headers=operator(issuer, d))).json()
    left = [h for h in history if h["action"] == "provider_left"]
    assert len(left) == 1
    assert "离开本区名册" in left[0]["reason"]
    state = await snapshot(d)
    assert [p[5] for p in state["providers"] if p[1] == str(leaving.id)] == ["False"]
    assert [lk for lk in state["links"] if lk[2] == str(member)] == []
    # the same removal again, as a redelivery and under a new envelope id, changes nothing
    assert await consumer.handle(raw) is False
    assert await consumer.handle({**raw, "id": str(uuid.uuid4())}) is True
    assert await snapshot(d) == state


async def test_a_transferred_member_stays_a_volunteer_but_its_pending_offers_are_withdrawn(
    client: Client, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    consumer._settings = settings
    d = district_a
    member = uuid.uuid4()
    moving = await d.add_provider(grid=d.grids[0], member_id=member)
    other = await d.add_provider(grid=d.grids[1])
    ticket = await routed(client, issuer, d, settings, category="citizen_life", item="plumbing")
    assert await offers_of(client, issuer, d, ticket) == [(str(moving.id), "open")]
    branches = {"from_branch_id": uuid.uuid4(), "to_branch_id": uuid.uuid4()}
    transfer = MemberTransferred(
        tenant_id=d.id, member_id=member, transferred_on=date(2026, 12, 1), reason="ordinary", **branches
    )
    await apply_twice(transfer)
    assert await offers_of(client, issuer, d, ticket) == [(str(moving.id), "withdrawn"), (str(other.id), "open")]
    assert [p[5] for p in (await snapshot(d))["providers"] if p[1] == str(moving.id)] == ["True"]
