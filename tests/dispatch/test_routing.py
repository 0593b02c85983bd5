"""Routing (DSP-04, DSP-05, DSP-12): who gets an order, declines and time-outs, arrival, 退单, the provider registry."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.models import DirectoryGrid, Provider, Ticket, TicketHistory
from services.dispatch.routing.ranking import CandidateFacts, Need, haversine_km, rank
from services.dispatch.routing.sweeps import JOBS
from shared.settings import Settings
from tests.dispatch.builders import District, as_provider, bearer, deliver, events_of, operator
from tests.orgtree.builders import mobile
from tests.platform.tokens import TestIssuer

Client = AsyncTestClient[Litestar]

HERE = (27.9800, 120.7000)  # the caller's home
KM = 0.008993  # one kilometre of latitude, in degrees


def north(km: float) -> tuple[float, float]:
    return HERE[0] + km * KM, HERE[1]


async def new_ticket(
    client: Client,
    issuer: TestIssuer,
    district: District,
    settings: Settings,
    *,
    category: str = "citizen_life",
    item: str = "plumbing",
    **extra: object,
) -> dict[str, Any]:
    """A call recorded at the desk and routed by the worker's handler of ``dispatch.TicketCreated``."""
    body: dict[str, object] = {
        "channel": "phone",
        "title": "厨房水管漏水",
        "categoryId": str(district.categories[category]),
        "itemId": str(district.items[item]),
        "householdId": str(district.households[0]),
        "callerPhone": mobile(7),
        "latitude": HERE[0],
        "longitude": HERE[1],
    }
    body.update(extra)
    response = await client.post("/api/dispatch/tickets", json=body, headers=operator(issuer, district))
    assert response.status_code == 201, response.text
    await deliver(district, "dispatch.TicketCreated", settings)
    ticket: dict[str, Any] = response.json()["ticket"]
    return ticket


async def offers(client: Client, issuer: TestIssuer, district: District, ticket: dict[str, Any]) -> list[Any]:
    response = await client.get(f"/api/dispatch/tickets/{ticket['id']}/offers", headers=operator(issuer, district))
    assert response.status_code == 200, response.text
    found: list[Any] = response.json()
    return found


async def ticket_of(client: Client, issuer: TestIssuer, district: District, ticket_id: str) -> dict[str, Any]:
    response = await client.get(f"/api/dispatch/tickets/{ticket_id}", headers=operator(issuer, district))
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


async def actions(client: Client, issuer: TestIssuer, district: District, ticket_id: str) -> list[Any]:
    response = await client.get(f"/api/dispatch/tickets/{ticket_id}/history", headers=operator(issuer, district))
    return [(h["action"], h["toStatus"], h["reason"]) for h in response.json()]


async def notifications(district: District, ticket_id: str) -> list[tuple[str, str, str | None]]:
    async def read(session: AsyncSession) -> list[tuple[str, str, str | None]]:
        rows = await session.execute(
            text(
                "SELECT template, recipient_kind, recipient_id::text FROM notification WHERE ticket_id = :t "
                "ORDER BY created_at, id"
            ),
            {"t": uuid.UUID(ticket_id)},
        )
        return [(r[0], r[1], r[2]) for r in rows]

    found: list[tuple[str, str, str | None]] = await district.run(read)
    return found


# --- ranking -----------------------------------------------------------------------------------------------


def test_haversine_and_unknown_distance_ranks_after_known() -> None:
    assert abs(haversine_km(*HERE, *north(1)) - 1.0) < 0.01
    assert abs(haversine_km(0, 120, 0, 121) - 111.195) < 0.01  # one degree along the equator
    grid = uuid.uuid4()
    need = Need(grid_id=grid, latitude=HERE[0], longitude=HERE[1], skill="plumbing")

    def facts(name: int, **kw: Any) -> CandidateFacts:
        base: dict[str, Any] = {
            "grid_id": None,
            "skills": (),
            "on_duty": True,
            "latitude": None,
            "longitude": None,
            "load": 0,
            "serves_household": False,
            "leads_grid": False,
        }
        return CandidateFacts(provider_id=uuid.UUID(int=name), **{**base, **kw})

    far, unknown_skilled = facts(1, latitude=north(9)[0], longitude=HERE[1]), facts(2, skills=("plumbing",))
    leader, server = facts(3, leads_grid=True), facts(4, serves_household=True, on_duty=False, load=5)
    ranked = rank(need, [unknown_skilled, far, leader, server])
    assert [r.provider_id.int for r in ranked] == [4, 3, 1, 2]
    assert ranked[0].reasons == ("serves_household", "off_duty")
    assert ranked[1].reasons == ("grid_leader", "free")
    assert ranked[3].reasons == ("skill", "free")
    assert ranked[3].distance_km is None


async def test_routing_ranks_serving_member_grid_distance_skill_duty_and_load(
    client: Client, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    """A claim order (consultation) goes to every candidate at once, so one routing shows the whole order."""
    d = district_a
    grid, other = d.grids
    serving_member, leader_member = uuid.uuid4(), uuid.uuid4()
    await d.link(d.households[0], serving_member)

    async def lead(session: AsyncSession) -> None:
        await session.execute(
            update(DirectoryGrid).where(DirectoryGrid.grid_id == grid).values(leader_member_id=leader_member)
        )

    await d.run(lead)
    p: dict[str, Provider] = {
        "serves": await d.add_provider(member_id=serving_member, grid=other, latitude=north(10)[0], longitude=HERE[1]),
        "leader": await d.add_provider(member_id=leader_member, latitude=north(0.5)[0], longitude=HERE[1]),
        "grid": await d.add_provider(grid=grid, latitude=north(2)[0], longitude=HERE[1]),
        "near": await d.add_provider(grid=other, latitude=north(1)[0], longitude=HERE[1], kind="professional_team"),
        "far": await d.add_provider(grid=other, latitude=north(5)[0], longitude=HERE[1], skills=["legal"]),
        "skilled_off": await d.add_provider(grid=other, skills=["legal"], on_duty=False),
        "unskilled": await d.add_provider(grid=other),
        "skilled_busy": await d.add_provider(grid=other, skills=["legal", "policy"]),
        "skilled_free": await d.add_provider(grid=other, skills=["legal"], kind="expert_studio"),
        "inactive": await d.add_provider(grid=grid, skills=["legal"]),
    }

    async def setup(session: AsyncSession) -> None:
        await session.execute(update(Provider).where(Provider.id == p["inactive"].id).values(active=False))
        session.add(
            Ticket(
                number="20261201-0999",
                channel="phone",
                title="在办工单",
                status="assigned",
                provider_id=p["skilled_busy"].id,
            )
        )

    await d.run(setup)
    ticket = await new_ticket(client, issuer, d, settings, category="consultation", item="legal_advice")
    made = await offers(client, issuer, d, ticket)
    expected = ["serves", "leader", "grid", "near", "far", "skilled_free", "skilled_busy", "skilled_off", "unskilled"]
    names = {str(v.id): k for k, v in p.items()}
    assert [names[o["providerId"]] for o in made] == expected
    assert [o["rank"] for o in made] == list(range(1, 10))
    assert {o["mode"] for o in made} == {"claim"}
    assert {o["status"] for o in made} == {"open"}
    reasons = {names[o["providerId"]]: o["reasons"] for o in made}
    assert "serves_household" in reasons["serves"]
    assert "grid_leader" in reasons["leader"]
    assert "nearby" in reasons["leader"]
    assert "same_grid" in reasons["grid"]
    assert reasons["skilled_free"] == ["skill", "free"]
    assert "off_duty" in reasons["skilled_off"]
    assert "free" not in reasons["skilled_busy"]
    view = await ticket_of(client, issuer, d, ticket["id"])
    assert view["status"] == "routing"
    assert view["dispatchedAt"] is not None
    sent = await notifications(d, ticket["id"])
    assert sorted(r for _, r, _ in sent) == ["provider"] * 9 + ["resident"]
    assert {t for t, _, _ in sent} == {"offer_made", "ticket_routed"}
    # a redelivered TicketCreated (or a second envelope of it) offers nothing more
    assert await deliver(d, "dispatch.TicketCreated", settings) == 0
    assert len(await offers(client, issuer, d, ticket)) == 9


async def test_assign_mode_decline_goes_to_the_next_candidate_until_none_is_left(
    client: Client, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    d = district_a
    first = await d.add_provider(grid=d.grids[0], skills=["plumbing"])
    second = await d.add_provider(grid=d.grids[1])
    ticket = await new_ticket(client, issuer, d, settings)
    [offer] = await offers(client, issuer, d, ticket)
    assert offer["providerId"] == str(first.id)
    assert offer["mode"] == "assign"
    assert offer["rank"] == 1
    mine = await client.get("/api/dispatch/offers", headers=as_provider(issuer, d, first))
    assert [o["id"] for o in mine.json()] == [offer["id"]]
    assert mine.json()[0]["ticketNumber"] == ticket["number"]
    # someone else's offer is not yours to answer; a reason is required
    stranger = await client.post(
        f"/api/dispatch/offers/{offer['id']}/decline", json={"reason": "没空"}, headers=as_provider(issuer, d, second)
    )
    assert stranger.status_code == 404
    blank = await client.post(
        f"/api/dispatch/offers/{offer['id']}/decline", json={"reason": " "}, headers=as_provider(issuer, d, first)
    )
    assert blank.status_code == 422
    assert blank.json()["errors"][0]["field"] == "body.reason"

    declined = await client.post(
        f"/api/dispatch/offers/{offer['id']}/decline",
        json={"reason": "在外地出差"},
        headers=as_provider(issuer, d, first),
    )
    assert declined.status_code == 200, declined.text
    assert declined.json()["status"] == "declined"
    assert declined.json()["declineReason"] == "在外地出差"
    again = await client.post(
        f"/api/dispatch/offers/{offer['id']}/decline",
        json={"reason": "在外地出差"},
        headers=as_provider(issuer, d, first),
    )
    assert again.status_code == 409
    made = await offers(client, issuer, d, ticket)
    assert [(o["providerId"], o["status"], o["rank"]) for o in made] == [
        (str(first.id), "declined", 1),
        (str(second.id), "open", 2),
    ]
    assert (await client.get("/api/dispatch/offers", headers=as_provider(issuer, d, first))).json() == []

    await client.post(
        f"/api/dispatch/offers/{made[1]['id']}/decline",
        json={"reason": "不会修水管"},
        headers=as_provider(issuer, d, second),
    )
    assert (await ticket_of(client, issuer, d, ticket["id"]))["status"] == "new"
    history = await actions(client, issuer, d, ticket["id"])
    assert [a for a, _, _ in history] == ["created", "dispatched", "declined", "dispatched", "declined", "no_candidate"]
    assert history[2][2] == "在外地出差"
    assert history[-1][1] == "new"


async def test_an_expired_offer_goes_to_the_next_candidate_exactly_once(
    client: Client, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    d = district_a
    first = await d.add_provider(grid=d.grids[0])
    second = await d.add_provider(grid=d.grids[1])
    ticket = await new_ticket(client, issuer, d, settings)
    [offer] = await offers(client, issuer, d, ticket)

    async def lapse(session: AsyncSession) -> None:
        await session.execute(
            text("UPDATE offer SET expires_at = now() - interval '1 second' WHERE id = :o"),
            {"o": uuid.UUID(offer["id"])},
        )

    await d.run(lapse)
    late = await client.post(f"/api/dispatch/offers/{offer['id']}/accept", headers=as_provider(issuer, d, first))
    assert late.status_code == 409
    assert "expired" in late.json()["detail"]
    [job] = JOBS
    assert await job.run(settings) >= 1
    assert await job.run(settings) == 0  # nothing left to fire: the second sweep finds the offer handled
    made = await offers(client, issuer, d, ticket)
    assert [(o["providerId"], o["status"]) for o in made] == [(str(first.id), "expired"), (str(second.id), "open")]
    history = await actions(client, issuer, d, ticket["id"])
    assert [a for a, _, _ in history].count("offer_expired") == 1
    sent = [t for t, r, who in await notifications(d, ticket["id"]) if r == "provider"]
    assert sent == ["offer_made", "offer_made"]


async def test_arrival_after_the_pledge_is_flagged(
    client: Client, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    d = district_a
    volunteer = await d.add_provider(grid=d.grids[0], member_id=uuid.uuid4())
    other = await d.add_provider(grid=d.grids[1])
    late_ticket = await new_ticket(client, issuer, d, settings)
    [offer] = await offers(client, issuer, d, late_ticket)
    accepted = await client.post(
        f"/api/dispatch/offers/{offer['id']}/accept", headers=as_provider(issuer, d, volunteer)
    )
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"
    assigned = await events_of(d, "dispatch.TicketAssigned", late_ticket["id"])
    assert [(e["provider_id"], e["member_id"], e["mode"]) for e in assigned] == [
        (str(volunteer.id), str(volunteer.member_id), "assign"),
    ]

    async def dispatched_long_ago(session: AsyncSession) -> None:
        await session.execute(
            text("UPDATE ticket SET dispatched_at = now() - interval '16 minutes' WHERE id = :t"),
            {"t": uuid.UUID(late_ticket["id"])},
        )

    await d.run(dispatched_long_ago)
    path = f"/api/dispatch/tickets/{late_ticket['id']}/arrival"
    assert (await client.post(path, headers=as_provider(issuer, d, other))).status_code == 404
    arrived = await client.post(path, headers=as_provider(issuer, d, volunteer))
    assert arrived.status_code == 200, arrived.text
    view = arrived.json()["ticket"]
    assert view["status"] == "on_site"
    assert view["arrivalLate"] is True
    assert view["arrivedAt"] is not None
    assert (await client.post(path, headers=as_provider(issuer, d, volunteer))).status_code == 409

    prompt_ticket = await new_ticket(client, issuer, d, settings)
    [offer] = await offers(client, issuer, d, prompt_ticket)
    await client.post(f"/api/dispatch/offers/{offer['id']}/accept", headers=as_provider(issuer, d, volunteer))
    arrived = await client.post(
        f"/api/dispatch/tickets/{prompt_ticket['id']}/arrival", headers=as_provider(issuer, d, volunteer)
    )
    assert arrived.status_code == 200
    assert arrived.json()["ticket"]["arrivalLate"] is False


async def test_a_returned_order_is_routed_again_without_the_returner(
    client: Client, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    d = district_a
    returner = await d.add_provider(grid=d.grids[0])
    decliner = await d.add_provider(grid=d.grids[0], on_duty=False)
    ticket = await new_ticket(client, issuer, d, settings)
    [offer] = await offers(client, issuer, d, ticket)
    assert offer["providerId"] == str(returner.id)
    await client.post(f"/api/dispatch/offers/{offer['id']}/accept", headers=as_provider(issuer, d, returner))
    path = f"/api/dispatch/tickets/{ticket['id']}/return"
    short = await client.post(path, json={"reason": ""}, headers=as_provider(issuer, d, returner))
    assert short.status_code == 422
    assert short.json()["errors"][0]["field"] == "body.reason"
    assert (
        await client.post(path, json={"reason": "不是我的"}, headers=as_provider(issuer, d, decliner))
    ).status_code == 404
    returned = await client.post(path, json={"reason": "家中有急事"}, headers=as_provider(issuer, d, returner))
    assert returned.status_code == 200, returned.text
    body = returned.json()
    assert body["ticket"]["status"] == "routing"
    assert body["ticket"]["providerId"] is None
    assert [o["providerId"] for o in body["offers"]] == [str(decliner.id)]
    history = await actions(client, issuer, d, ticket["id"])
    assert ("returned", "routing", "家中有急事") in history
    await client.post(
        f"/api/dispatch/offers/{body['offers'][0]['id']}/decline",
        json={"reason": "休息中"},
        headers=as_provider(issuer, d, decliner),
    )
    assert (await ticket_of(client, issuer, d, ticket["id"]))["status"] == "new"
    # the operator's re-run asks neither the one who handed it back nor the one who declined
    rerun = await client.post(f"/api/dispatch/tickets/{ticket['id']}/route", headers=operator(issuer, d))
    assert rerun.status_code == 200
    assert rerun.json()["offers"] == []
    assert rerun.json()["ticket"]["status"] == "new"
    newcomer = await d.add_provider(grid=d.grids[1])
    rerun = await client.post(f"/api/dispatch/tickets/{ticket['id']}/route", headers=operator(issuer, d))
    assert [o["providerId"] for o in rerun.json()["offers"]] == [str(newcomer.id)]


async def test_operators_dispatch_by_hand_and_deactivating_a_provider_moves_its_offer_on(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District, settings: Settings
) -> None:
    d = district_a
    best = await d.add_provider(grid=d.grids[0])
    chosen = await d.add_provider(grid=d.grids[1], kind="franchise_firm")
    stranger = await district_b.add_provider(grid=district_b.grids[0])
    ticket = await new_ticket(client, issuer, d, settings)
    path = f"/api/dispatch/tickets/{ticket['id']}/assign"
    refused = await client.post(path, json={"providerId": str(stranger.id)}, headers=operator(issuer, d))
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "body.providerId"
    assigned = await client.post(path, json={"providerId": str(chosen.id)}, headers=operator(issuer, d))
    assert assigned.status_code == 200, assigned.text
    [manual] = assigned.json()["offers"]
    assert manual["providerId"] == str(chosen.id)
    assert manual["reasons"] == ["manual"]
    assert manual["mode"] == "assign"
    made = await offers(client, issuer, d, ticket)
    assert [(o["providerId"], o["status"]) for o in made] == [(str(best.id), "withdrawn"), (str(chosen.id), "open")]
    # a volunteer may not dispatch
    volunteer = as_provider(issuer, d, best)
    assert (await client.post(path, json={"providerId": str(best.id)}, headers=volunteer)).status_code == 403
    # the chosen firm is deactivated: its open offer is withdrawn; everyone has been asked, so the ticket waits
    # in the operators' queue
    patched = await client.patch(
        f"/api/dispatch/providers/{chosen.id}", json={"active": False}, headers=operator(issuer, d)
    )
    assert patched.status_code == 200
    assert patched.json()["active"] is False
    made = await offers(client, issuer, d, ticket)
    assert [o["status"] for o in made] == ["withdrawn", "withdrawn"]
    assert (await ticket_of(client, issuer, d, ticket["id"]))["status"] == "new"


async def test_no_candidate_leaves_the_ticket_in_the_operators_queue(
    client: Client, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    async def unreachable(session: AsyncSession) -> None:
        """A member volunteer imported in bulk: no account to answer offers, no phone for an SMS."""
        session.add(
            Provider(
                kind="member_volunteer",
                name="党员志愿者",
                member_id=uuid.uuid4(),
                grid_id=district_a.grids[0],
                skills=[],
            )
        )

    await district_a.run(unreachable)
    ticket = await new_ticket(client, issuer, district_a, settings)
    view = await ticket_of(client, issuer, district_a, ticket["id"])
    assert view["status"] == "new"
    assert view["dispatchedAt"] is None
    assert [a for a, _, _ in await actions(client, issuer, district_a, ticket["id"])] == ["created", "no_candidate"]
    assert await notifications(district_a, ticket["id"]) == []


async def test_another_districts_tickets_offers_and_providers_are_404(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District, settings: Settings
) -> None:
    a, b = district_a, district_b
    volunteer = await a.add_provider(grid=a.grids[0])
    ticket = await new_ticket(client, issuer, a, settings)
    [offer] = await offers(client, issuer, a, ticket)
    b_operator = operator(issuer, b)
    b_volunteer = bearer(issuer, b.id, ["volunteer"], user_id=volunteer.user_id)  # same account, other district
    await b.add_provider(grid=b.grids[0], user_id=volunteer.user_id)
    for method, path, body in [
        ("POST", f"/api/dispatch/tickets/{ticket['id']}/route", None),
        ("POST", f"/api/dispatch/tickets/{ticket['id']}/assign", {"providerId": str(volunteer.id)}),
        ("GET", f"/api/dispatch/tickets/{ticket['id']}/offers", None),
        ("POST", f"/api/dispatch/tickets/{ticket['id']}/return", {"reason": "不归我管"}),
        ("GET", f"/api/dispatch/providers/{volunteer.id}", None),
        ("PATCH", f"/api/dispatch/providers/{volunteer.id}", {"onDuty": False}),
    ]:
        response = await client.request(method, path, json=body, headers=b_operator)
        assert response.status_code == 404, (path, response.text)
    for path, body in [
        (f"/api/dispatch/offers/{offer['id']}/accept", None),
        (f"/api/dispatch/offers/{offer['id']}/decline", {"reason": "不接"}),
        (f"/api/dispatch/tickets/{ticket['id']}/arrival", None),
    ]:
        response = await client.post(path, json=body, headers=b_volunteer)
        assert response.status_code == 404, (path, response.text)
    assert (await client.get("/api/dispatch/offers", headers=b_volunteer)).json() == []
    listing = await client.get("/api/dispatch/providers", headers=b_operator)
    assert str(volunteer.id) not in {p["id"] for p in listing.json()["items"]}
    made = await offers(client, issuer, a, ticket)
    assert [o["status"] for o in made] == ["open"]


async def test_the_provider_registry_checks_every_field_and_keeps_the_phone_encrypted(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    d, headers = district_a, operator(issuer, district_a)
    bad_bodies = {
        "body.kind": {"kind": "member_volunteer", "name": "张三"},
        "body.feeMode": {"kind": "franchise_firm", "name": "嘉禾家政"},
        "body.longitude": {"kind": "skilled_resident", "name": "王师傅", "latitude": 27.9},
        "body.phone": {"kind": "skilled_resident", "name": "王师傅", "phone": "12345"},
        "body.gridId": {"kind": "expert_studio", "name": "李医生工作室", "gridId": str(district_b.grids[0])},
        "body.skills[0]": {"kind": "professional_team", "name": "红船服务队", "skills": ["Plumbing!"]},
    }
    for field, body in bad_bodies.items():
        response = await client.post("/api/dispatch/providers", json=body, headers=headers)
        assert response.status_code == 422, (field, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert field.split("[")[0] in {e["field"].split("[")[0] for e in response.json()["errors"]}, response.text
    studio_fee = {"kind": "expert_studio", "name": "李医生工作室", "feeMode": "free"}
    response = await client.post("/api/dispatch/providers", json=studio_fee, headers=headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.feeMode"
    assert (await client.get("/api/dispatch/providers", headers=headers)).json()["items"] == []

    user = uuid.uuid4()
    created = await client.post(
        "/api/dispatch/providers",
        headers=headers,
        json={
            "kind": "franchise_firm",
            "name": "嘉禾家政",
            "feeMode": "low_fee",
            "skills": ["housekeeping", "plumbing"],
            "gridId": str(d.grids[0]),
            "latitude": 27.98,
            "longitude": 120.7,
            "cardNumber": "96345-0001",
            "insured": True,
            "phone": mobile(9),
            "userId": str(user),
        },
    )
    assert created.status_code == 201, created.text
    firm = created.json()
    assert firm["phone"] != mobile(9)
    assert "****" in firm["phone"]
    assert firm["feeMode"] == "low_fee"

    async def cipher(session: AsyncSession) -> bytes | None:
        value: bytes | None = await session.scalar(
            select(Provider.phone_cipher).where(Provider.id == uuid.UUID(firm["id"]))
        )
        return value

    stored = await d.run(cipher)
    assert stored
    assert mobile(9).encode() not in stored
    change = {"onDuty": False, "skills": ["plumbing"], "latitude": None, "longitude": None}
    patched = await client.patch(f"/api/dispatch/providers/{firm['id']}", headers=headers, json=change)
    assert patched.status_code == 200, patched.text
    assert patched.json()["onDuty"] is False
    assert patched.json()["skills"] == ["plumbing"]
    assert patched.json()["latitude"] is None
    half = await client.patch(f"/api/dispatch/providers/{firm['id']}", headers=headers, json={"latitude": 27.9})
    assert half.status_code == 422
    assert half.json()["errors"][0]["field"] == "body.longitude"
    listing = await client.get("/api/dispatch/providers?kind=franchise_firm", headers=headers)
    assert [p["id"] for p in listing.json()["items"]] == [firm["id"]]

    # the firm's own account goes on duty and shares where it is; a member volunteer's grid follows orgtree
    me = bearer(issuer, d.id, ["volunteer"], user_id=user)
    mine = await client.patch(
        "/api/dispatch/providers/me", headers=me, json={"onDuty": True, "latitude": 27.99, "longitude": 120.71}
    )
    assert mine.status_code == 200, mine.text
    assert [(p["id"], p["onDuty"], p["latitude"]) for p in mine.json()] == [(firm["id"], True, 27.99)]
    nobody = bearer(issuer, d.id, ["volunteer"], user_id=uuid.uuid4())
    assert (await client.patch("/api/dispatch/providers/me", headers=nobody, json={"onDuty": True})).status_code == 404
    assert (await client.get("/api/dispatch/providers", headers=me)).status_code == 403
    member = await d.add_provider(grid=d.grids[0], member_id=uuid.uuid4())
    moved = await client.patch(
        f"/api/dispatch/providers/{member.id}", headers=headers, json={"gridId": str(d.grids[1])}
    )
    assert moved.status_code == 422
    assert moved.json()["errors"][0]["field"] == "body.gridId"


async def test_history_of_a_routed_ticket_records_the_offers(
    client: Client, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    volunteer = await district_a.add_provider(grid=district_a.grids[0], skills=["plumbing"])
    ticket = await new_ticket(client, issuer, district_a, settings)

    async def dispatched(session: AsyncSession) -> dict[str, Any]:
        row = await session.scalar(
            select(TicketHistory).where(
                TicketHistory.ticket_id == uuid.UUID(ticket["id"]), TicketHistory.action == "dispatched"
            )
        )
        assert row is not None
        return row.details

    details = await district_a.run(dispatched)
    assert details["mode"] == "assign"
    assert details["offers"] == [{"provider": str(volunteer.id), "rank": 1, "reasons": ["same_grid", "skill", "free"]}]


async def test_offer_messages_go_out_as_soon_as_the_routing_commits(
    client: AsyncTestClient[Litestar], issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    """Without waiting for their own NotificationQueued to come back through the relay and the queue."""
    await district_a.add_provider(grid=district_a.grids[0], skills=["plumbing"])
    body = {
        "channel": "phone",
        "title": "水管漏水",
        "categoryId": str(district_a.categories["citizen_life"]),
        "itemId": str(district_a.items["plumbing"]),
        "householdId": str(district_a.households[0]),
        "callerPhone": mobile(41),
    }
    created = await client.post("/api/dispatch/tickets", json=body, headers=operator(issuer, district_a))
    ticket_id = uuid.UUID(created.json()["ticket"]["id"])
    await deliver(district_a, "dispatch.TicketCreated", settings)  # routing only, no NotificationQueued handled

    async def attempts(session: AsyncSession) -> dict[str, tuple[int, bool]]:
        rows = await session.execute(
            text("SELECT template, attempts, first_attempt_at IS NOT NULL FROM notification WHERE ticket_id = :t"),
            {"t": ticket_id},
        )
        return {template: (count, started) for template, count, started in rows}

    assert await district_a.run(attempts) == {"offer_made": (1, True), "ticket_routed": (1, True)}
    # no second trip through the queue for them (the delivery sweep is their safety net)
    assert await deliver(district_a, "dispatch.NotificationQueued", settings) == 0
    assert await district_a.run(attempts) == {"offer_made": (1, True), "ticket_routed": (1, True)}


async def test_a_call_placed_by_grid_alone_without_a_skill_or_a_place_is_still_routed(
    client: AsyncTestClient[Litestar], issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    """No household, no coordinates, an item no skill fits: those rules cannot rank, the others still do."""
    provider = await district_a.add_provider(grid=district_a.grids[1])
    body = {
        "channel": "walk_in",
        "title": "咨询老年卡办理",
        "categoryId": str(district_a.categories["affairs"]),
        "itemId": str(district_a.items["senior_card"]),
        "gridId": str(district_a.grids[1]),
    }
    created = await client.post("/api/dispatch/tickets", json=body, headers=operator(issuer, district_a))
    assert created.status_code == 201, created.text
    await deliver(district_a, "dispatch.TicketCreated", settings)
    offers = await client.get(
        f"/api/dispatch/tickets/{created.json()['ticket']['id']}/offers", headers=operator(issuer, district_a)
    )
    assert [(o["providerId"], o["reasons"]) for o in offers.json()] == [(str(provider.id), ["same_grid", "free"])]
