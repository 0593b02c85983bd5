"""The volunteer who accepted sees where to go: address and the caller's phone in clear on the task while it is
theirs (each read audited; the list of tasks masks them and reads nothing in clear), not before accepting, not after
it is resolved or handed back, never another's."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import text

from services.dispatch.models import Provider
from shared.settings import Settings
from tests.dispatch.builders import District, as_provider, bearer, operator
from tests.dispatch.test_routing import Client, new_ticket, offers
from tests.orgtree.builders import mobile
from tests.platform.tokens import TestIssuer

ADDRESS = "浙江省温州市龙湾区瑶溪街道上河村3号"


async def reveals(district: District, ticket_id: str, actor: uuid.UUID) -> list[tuple[str, str]]:
    """The audit rows of clear reads of the ticket's personal data by ``actor``: (field, purpose)."""

    async def read(session: Any) -> list[tuple[str, str]]:
        rows = await session.execute(
            text(
                "SELECT detail->>'field', purpose FROM audit_event WHERE action = 'personal_data.revealed' "
                "AND subject_id = :s AND actor_id = :a ORDER BY id"
            ),
            {"s": ticket_id, "a": str(actor)},
        )
        return [(row[0], row[1]) for row in rows]

    found: list[tuple[str, str]] = await district.run(read)
    return found


async def offered(client: Client, issuer: TestIssuer, district: District, settings: Settings) -> tuple[Any, Provider]:
    provider = await district.add_provider(grid=district.grids[0], skills=["plumbing"])
    ticket = await new_ticket(client, issuer, district, settings, address=ADDRESS)
    return ticket, provider


async def test_the_task_shows_address_and_phone_only_while_it_is_theirs(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    ticket, provider = await offered(client, issuer, district_a, settings)
    mine = as_provider(issuer, district_a, provider)
    task_url = f"/api/dispatch/tasks/{ticket['id']}"
    # Before accepting: the offer shows the masked address, there is no task yet, nothing was read in clear.
    [offer] = (await client.get("/api/dispatch/offers", headers=mine)).json()
    assert offer["address"] == ticket["address"] != ADDRESS
    assert (await client.get("/api/dispatch/tasks", headers=mine)).json() == []
    assert (await client.get(task_url, headers=mine)).status_code == 404
    accepted = await client.post(f"/api/dispatch/offers/{offer['id']}/accept", headers=mine)
    assert accepted.status_code == 200, accepted.text
    # While it is theirs (assigned, then on site): the list masks (the phone's home page reloads it all day) and
    # reads nothing in clear; the task itself shows address and phone in clear, each read audited with its purpose.
    for _ in range(2):
        [listed] = (await client.get("/api/dispatch/tasks", headers=mine)).json()
        assert (listed["ticketId"], listed["status"], listed["address"], listed["callerPhone"]) == (
            ticket["id"],
            "assigned",
            ticket["address"],
            "138****0007",
        )
    assert await reveals(district_a, ticket["id"], provider.user_id) == []
    task = (await client.get(task_url, headers=mine)).json()
    assert (task["ticketId"], task["status"], task["address"], task["callerPhone"]) == (
        ticket["id"],
        "assigned",
        ADDRESS,
        mobile(7),
    )
    assert task["callerName"] is None
    assert (await client.post(f"/api/dispatch/tickets/{ticket['id']}/arrival", headers=mine)).status_code == 200
    on_site = await client.get(task_url, headers=mine)
    assert on_site.status_code == 200, on_site.text
    assert (on_site.json()["status"], on_site.json()["address"]) == ("on_site", ADDRESS)
    read = await reveals(district_a, ticket["id"], provider.user_id)
    assert [field for field, _ in read] == ["ticket.caller_phone", "ticket.address"] * 2
    assert {purpose for _, purpose in read} == {"接单服务：联系居民并上门"}
    # Resolved: no longer a task; the ticket itself is masked again.
    done = {"note": "已更换水管接头,试水无渗漏", "serviceMinutes": 30}
    resolved = await client.post(f"/api/dispatch/tickets/{ticket['id']}/resolution", json=done, headers=mine)
    assert resolved.status_code == 200, resolved.text
    assert (await client.get(task_url, headers=mine)).status_code == 404
    assert (await client.get("/api/dispatch/tasks", headers=mine)).json() == []
    shown = (await client.get(f"/api/dispatch/tickets/{ticket['id']}", headers=mine)).json()
    assert (shown["status"], shown["address"], shown["callerPhone"]) == ("resolved", ticket["address"], "138****0007")
    assert len(await reveals(district_a, ticket["id"], provider.user_id)) == 4


async def test_a_task_handed_back_is_no_longer_theirs(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    ticket, provider = await offered(client, issuer, district_a, settings)
    mine = as_provider(issuer, district_a, provider)
    [offer] = await offers(client, issuer, district_a, ticket)
    assert (await client.post(f"/api/dispatch/offers/{offer['id']}/accept", headers=mine)).status_code == 200
    assert (await client.get(f"/api/dispatch/tasks/{ticket['id']}", headers=mine)).status_code == 200
    back = await client.post(f"/api/dispatch/tickets/{ticket['id']}/return", json={"reason": "临时有事"}, headers=mine)
    assert back.status_code == 200, back.text
    assert (await client.get(f"/api/dispatch/tasks/{ticket['id']}", headers=mine)).status_code == 404
    assert (await client.get("/api/dispatch/tasks", headers=mine)).json() == []


async def test_another_providers_or_districts_task_is_a_404(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District, district_b: District
) -> None:
    ticket, provider = await offered(client, issuer, district_a, settings)
    [offer] = await offers(client, issuer, district_a, ticket)
    mine = as_provider(issuer, district_a, provider)
    assert (await client.post(f"/api/dispatch/offers/{offer['id']}/accept", headers=mine)).status_code == 200
    task_url = f"/api/dispatch/tasks/{ticket['id']}"
    someone_else = await district_a.add_provider(grid=district_a.grids[0])
    theirs = as_provider(issuer, district_a, someone_else)
    assert (await client.get(task_url, headers=theirs)).status_code == 404
    assert (await client.get("/api/dispatch/tasks", headers=theirs)).json() == []
    same_user_elsewhere = bearer(issuer, district_b.id, ["volunteer"], user_id=provider.user_id)
    assert (await client.get(task_url, headers=same_user_elsewhere)).status_code == 404
    assert (await client.get(task_url, headers=operator(issuer, district_a))).status_code == 403
    assert await reveals(district_a, ticket["id"], someone_else.user_id) == []
