"""People, not ids: history rows and the lists built from them name who acted, as written at the time, masked
for readers who are not hotline staff; system processes get a label."""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.models import TicketHistory
from services.dispatch.public.services import follow_hash
from tests.dispatch.builders import District, as_provider, bearer, put_ticket, set_ticket
from tests.dispatch.test_closure import DONE
from tests.dispatch.test_closure_contact import named
from tests.dispatch.test_escalation import referral
from tests.platform.tokens import TestIssuer


async def rows(
    client: AsyncTestClient[Any], ticket: str, headers: dict[str, str]
) -> list[tuple[str, str | None, str | None]]:
    response = await client.get(f"/api/dispatch/tickets/{ticket}/history", headers=headers)
    assert response.status_code == 200, response.text
    return [(h["action"], h["actorName"], h["actorKind"]) for h in response.json()]


async def test_history_shows_the_operators_name_and_the_volunteers_name(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    desk = named(issuer, district_a, "hotline_operator", "王丽")
    body = {
        "channel": "phone",
        "title": "水管漏水",
        "categoryId": str(district_a.categories["citizen_life"]),
        "householdId": str(district_a.households[0]),
    }
    created = await client.post("/api/dispatch/tickets", json=body, headers=desk)
    assert created.status_code == 201, created.text
    ticket = created.json()["ticket"]["id"]
    provider = await district_a.add_provider(grid=district_a.grids[0], name="张三丰")
    resident = uuid.uuid4()
    stamp = datetime.now(UTC)
    await set_ticket(
        district_a, ticket, status="on_site", provider_id=provider.id, accepted_at=stamp, caller_user_id=resident
    )
    # The volunteer's token names them otherwise: the provider table's name is the one recorded.
    volunteer = named(issuer, district_a, "volunteer", "user-8812", provider.user_id)
    assert (
        await client.post(f"/api/dispatch/tickets/{ticket}/resolution", json=DONE, headers=volunteer)
    ).status_code == 200

    assert await rows(client, ticket, desk) == [("created", "王丽", "staff"), ("resolved", "张三丰", "provider")]
    as_resident = bearer(issuer, district_a.id, ["resident"], user_id=resident)
    assert await rows(client, ticket, as_resident) == [("created", "王*", "staff"), ("resolved", "张**", "provider")]
    assert await rows(client, ticket, volunteer) == [("created", "王*", "staff"), ("resolved", "张三丰", "provider")]
    cadre = named(issuer, district_a, "street_admin", "李书记")
    assert [name for _, name, _ in await rows(client, ticket, cadre)] == ["王丽", "张三丰"]


async def test_rows_without_a_name_and_system_rows_read_sensibly(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    desk = named(issuer, district_a, "hotline_operator", "王丽")
    body = {"channel": "phone", "title": "路灯不亮", "gridId": str(district_a.grids[0])}
    ticket = (await client.post("/api/dispatch/tickets", json=body, headers=desk)).json()["ticket"]["id"]

    async def older_rows(session: AsyncSession) -> None:  # as written before names were kept
        session.add(TicketHistory(ticket_id=uuid.UUID(ticket), action="classified", actor=str(uuid.uuid4())))
        session.add(TicketHistory(ticket_id=uuid.UUID(ticket), action="dispatched", actor="system:dispatch-routing"))

    await district_a.run(older_rows)
    unnamed = named(issuer, district_a, "hotline_operator", "")  # a token without a display name
    await client.post(f"/api/dispatch/tickets/{ticket}/cancel", json={"reason": "居民来电撤回"}, headers=unnamed)
    assert await rows(client, ticket, desk) == [
        ("created", "王丽", "staff"),
        ("classified", None, None),
        ("dispatched", "系统（自动派单）", "system"),
        ("cancelled", None, "staff"),
    ]


async def test_the_ladder_lists_name_who_escalated_issued_asked_and_decided(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    desk = named(issuer, district_a, "hotline_operator", "王丽")
    body = {"channel": "phone", "title": "占道堆物", "gridId": str(district_a.grids[0])}
    ticket = (await client.post("/api/dispatch/tickets", json=body, headers=desk)).json()["ticket"]["id"]
    secretary = named(issuer, district_a, "street_admin", "李书记")
    for level in (1, 2, 3):
        response = await client.post(
            f"/api/dispatch/tickets/{ticket}/escalations",
            json={"toLevel": level, "reason": "本级无法化解"},
            headers=secretary,
        )
        assert response.status_code == 200, response.text
    path = (await client.get(f"/api/dispatch/tickets/{ticket}/escalations", headers=desk)).json()
    assert [s["actorName"] for s in path["steps"]] == ["李书记"] * 3
    notice = await client.post(
        f"/api/dispatch/tickets/{ticket}/referrals",
        headers=secretary,
        json=referral(),
    )
    assert notice.json()["issuedByName"] == "李书记"

    provider = await district_a.add_provider(grid=district_a.grids[0], name="张三丰")
    await set_ticket(district_a, ticket, provider_id=provider.id)
    volunteer = as_provider(issuer, district_a, provider)
    asked = await client.post(
        f"/api/dispatch/tickets/{ticket}/extensions",
        headers=volunteer,
        json={
            "newDueAt": (datetime.now(UTC) + timedelta(days=60)).isoformat(),
            "reason": "需等待城管中队清理",
        },
    )
    assert asked.status_code == 201, asked.text
    assert asked.json()["requestedByName"] == "张三丰"
    decided = await client.post(
        f"/api/dispatch/extensions/{asked.json()['id']}/decision", json={"approve": True}, headers=desk
    )
    assert (decided.json()["requestedByName"], decided.json()["decidedByName"]) == ("张三丰", "王丽")
    [seen] = (await client.get(f"/api/dispatch/tickets/{ticket}/extensions", headers=volunteer)).json()
    assert (seen["requestedByName"], seen["decidedByName"]) == ("张三丰", "王*")


async def test_the_residents_public_page_shows_the_volunteer_masked(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    token = secrets.token_urlsafe(32)
    provider = await district_a.add_provider(grid=district_a.grids[0], name="张三丰")
    ticket = await put_ticket(
        district_a, status="on_site", provider_id=provider.id, follow_token_hash=follow_hash(token)
    )
    done = await client.post(
        f"/api/dispatch/tickets/{ticket}/resolution", json=DONE, headers=as_provider(issuer, district_a, provider)
    )
    assert done.status_code == 200, done.text
    number = done.json()["number"]
    followed = await client.get(
        f"/api/dispatch/public/{district_a.id}/requests/{number}", headers={"X-Follow-Token": token}
    )
    assert followed.status_code == 200, followed.text
    assert [(h["action"], h["actorName"]) for h in followed.json()["history"]] == [("resolved", "张**")]
