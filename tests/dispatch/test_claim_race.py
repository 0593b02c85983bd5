"""A claim order (抢单) raced by twenty volunteers is signed for exactly once."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select, text

from services.dispatch.models import Offer, Provider, Ticket
from services.dispatch.routing.services import RoutingService
from shared.auth.principal import Principal
from shared.context import tenant_scope
from shared.db.engine import make_engine, make_sessionmaker
from shared.http.problems import ProblemError
from shared.settings import Settings
from tests.dispatch.builders import District, as_provider, deliver, events_of, operator
from tests.platform.tokens import TestIssuer

Client = AsyncTestClient[Litestar]

RACERS = 20


async def claim_ticket(
    client: Client, issuer: TestIssuer, district: District, settings: Settings
) -> tuple[str, list[Provider], dict[str, str]]:
    """A consultation (claim mode) with twenty eligible volunteers, routed: one open offer each."""
    providers = [await district.add_provider(grid=district.grids[0], skills=["legal"]) for _ in range(RACERS)]
    body = {
        "channel": "phone",
        "title": "咨询遗产继承问题",
        "categoryId": str(district.categories["consultation"]),
        "itemId": str(district.items["legal_advice"]),
        "householdId": str(district.households[0]),
    }
    created = await client.post("/api/dispatch/tickets", json=body, headers=operator(issuer, district))
    assert created.status_code == 201, created.text
    ticket_id: str = created.json()["ticket"]["id"]
    await deliver(district, "dispatch.TicketCreated", settings)

    async def open_offers(session: Any) -> dict[str, str]:
        rows = await session.execute(
            select(Offer.provider_id, Offer.id).where(Offer.ticket_id == uuid.UUID(ticket_id), Offer.status == "open")
        )
        return {str(provider): str(offer) for provider, offer in rows}

    offers: dict[str, str] = await district.run(open_offers)
    assert sorted(offers) == sorted(str(p.id) for p in providers)
    return ticket_id, providers, offers


async def outcome(district: District, ticket_id: str) -> tuple[str | None, str, list[str]]:
    async def read(session: Any) -> tuple[str | None, str, list[str]]:
        ticket = await session.get(Ticket, uuid.UUID(ticket_id))
        statuses = await session.scalars(select(Offer.status).where(Offer.ticket_id == ticket.id))
        return (str(ticket.provider_id) if ticket.provider_id else None), ticket.status, sorted(statuses)

    found: tuple[str | None, str, list[str]] = await district.run(read)
    return found


async def test_twenty_concurrent_accept_requests_one_wins(
    client: Client, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    d = district_a
    ticket_id, providers, offers = await claim_ticket(client, issuer, d, settings)
    responses = await asyncio.gather(
        *(
            client.post(f"/api/dispatch/offers/{offers[str(p.id)]}/accept", headers=as_provider(issuer, d, p))
            for p in providers
        )
    )
    assert sorted(r.status_code for r in responses) == [200] + [409] * (RACERS - 1)
    [winner] = [p for p, r in zip(providers, responses, strict=True) if r.status_code == 200]
    assert all("already taken" in r.json()["detail"] for r in responses if r.status_code == 409)
    provider_id, status, statuses = await outcome(d, ticket_id)
    assert (provider_id, status) == (str(winner.id), "assigned")
    assert statuses == ["accepted"] + ["withdrawn"] * (RACERS - 1)
    assigned = await events_of(d, "dispatch.TicketAssigned", ticket_id)
    assert [(e["provider_id"], e["mode"]) for e in assigned] == [(str(winner.id), "claim")]
    # the losers' offers are gone from their lists
    loser = next(p for p in providers if p.id != winner.id)
    assert (await client.get("/api/dispatch/offers", headers=as_provider(issuer, d, loser))).json() == []


async def test_twenty_concurrent_transactions_one_wins(
    client: Client, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    """The same race with twenty database transactions open at once, released together by a barrier."""
    d = district_a
    ticket_id, providers, offers = await claim_ticket(client, issuer, d, settings)
    engine = make_engine(settings, "dispatch", "app", pool_size=RACERS, max_overflow=0)
    sessions = make_sessionmaker(engine)
    barrier = asyncio.Barrier(RACERS)

    async def race(provider: Provider) -> int:
        principal = Principal(user_id=provider.user_id or uuid.uuid4(), tenant_id=d.id, roles=frozenset({"volunteer"}))
        with tenant_scope(d.id):
            try:
                async with sessions() as session, session.begin():
                    await session.execute(text("SELECT 1"))  # the transaction is open before anyone moves
                    await barrier.wait()
                    await RoutingService(session, principal).accept(uuid.UUID(offers[str(provider.id)]))
            except ProblemError as exc:
                return exc.status_code
        return 200

    try:
        codes = await asyncio.gather(*(race(p) for p in providers))
    finally:
        await engine.dispose()
    assert sorted(codes) == [200] + [409] * (RACERS - 1)
    [winner] = [p for p, code in zip(providers, codes, strict=True) if code == 200]
    provider_id, status, statuses = await outcome(d, ticket_id)
    assert (provider_id, status) == (str(winner.id), "assigned")
    assert statuses == ["accepted"] + ["withdrawn"] * (RACERS - 1)
    assigned = await events_of(d, "dispatch.TicketAssigned", ticket_id)
    assert [e["provider_id"] for e in assigned] == [str(winner.id)]
