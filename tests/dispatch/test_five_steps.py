"""The five steps (DSP-17, Jinghai [001/JH]): collect → classify → route → supervise → feed back, read off the
ticket's state model and history, on the ticket and on its own endpoint; where the district tells residents of
every step (DSP-18's per-district setting), each step queues the resident an SMS in the delivery log."""

from __future__ import annotations

import uuid
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.models import Notification
from services.dispatch.stages.notices import notify_every_stage
from services.dispatch.stages.schemas import StageSettingChange
from services.dispatch.stages.services import StageService
from shared.auth.principal import Principal
from shared.http.di import build_service
from tests.dispatch.builders import District, as_provider, bearer, operator, staff
from tests.orgtree.builders import mobile
from tests.platform.tokens import TestIssuer

Client = AsyncTestClient[Any]
SETTINGS = "/api/dispatch/stages/settings"


async def resident_sms(district: District, ticket_id: str) -> list[str]:
    """The templates of the SMS queued for the ticket's caller, in order."""

    async def read(session: AsyncSession) -> list[str]:
        rows = await session.scalars(
            select(Notification.template)
            .where(Notification.ticket_id == uuid.UUID(ticket_id), Notification.recipient_kind == "resident")
            .order_by(Notification.created_at, Notification.id)
        )
        return list(rows)

    found: list[str] = await district.run(read)
    return found


async def stages(client: Client, issuer: TestIssuer, district: District, ticket_id: str) -> dict[str, Any]:
    response = await client.get(f"/api/dispatch/stages/tickets/{ticket_id}", headers=operator(issuer, district))
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def states(view: dict[str, Any]) -> list[tuple[str, str]]:
    return [(step["step"], step["state"]) for step in view["steps"]]


async def walk(client: Client, issuer: TestIssuer, district: District) -> tuple[str, dict[str, list[str]]]:
    """A call taken without a category, classified, assigned, signed for, resolved, rated, called back and closed;
    the resident's SMS after each step."""
    desk = operator(issuer, district)
    sms: dict[str, list[str]] = {}
    body = {
        "channel": "phone",
        "title": "村道路灯不亮",
        "callerPhone": mobile(21),
        "householdId": str(district.households[0]),
    }
    created = await client.post("/api/dispatch/tickets", json=body, headers=desk)
    assert created.status_code == 201, created.text
    ticket_id = created.json()["ticket"]["id"]
    assert created.json()["ticket"]["stage"] == "classify"
    sms["collect"] = await resident_sms(district, ticket_id)
    classification = {
        "categoryId": str(district.categories["citizen_life"]),
        "scopeKind": "common",
        "difficulty": "solvable_now",
    }
    classified = await client.patch(f"/api/dispatch/tickets/{ticket_id}", json=classification, headers=desk)
    assert classified.status_code == 200
    assert classified.json()["stage"] == "route"
    sms["classify"] = await resident_sms(district, ticket_id)
    provider = await district.add_provider(member_id=uuid.uuid4(), grid=district.grids[0], name="王建军")
    assigned = await client.post(
        f"/api/dispatch/tickets/{ticket_id}/assign", json={"providerId": str(provider.id)}, headers=desk
    )
    assert assigned.status_code == 200, assigned.text
    sms["route"] = await resident_sms(district, ticket_id)
    [offer] = (await client.get("/api/dispatch/offers", headers=as_provider(issuer, district, provider))).json()
    accepted = await client.post(
        f"/api/dispatch/offers/{offer['id']}/accept", headers=as_provider(issuer, district, provider)
    )
    assert accepted.status_code == 200, accepted.text
    sms["supervise"] = await resident_sms(district, ticket_id)
    resolved = await client.post(
        f"/api/dispatch/tickets/{ticket_id}/resolution",
        json={"note": "已更换灯泡"},
        headers=as_provider(issuer, district, provider),
    )
    assert resolved.status_code == 200, resolved.text
    sms["feed_back"] = await resident_sms(district, ticket_id)
    feedback = {"satisfied": True, "handlerScore": 5, "comment": "很及时", "via": "phone"}
    assert (
        await client.post(f"/api/dispatch/tickets/{ticket_id}/feedback", json=feedback, headers=desk)
    ).status_code == 201
    called = await client.post(f"/api/dispatch/tickets/{ticket_id}/callback", json={"outcome": "reached"}, headers=desk)
    assert called.status_code == 201, called.text
    closed = await client.post(f"/api/dispatch/tickets/{ticket_id}/close", headers=desk)
    assert closed.status_code == 200, closed.text
    sms["closed"] = await resident_sms(district, ticket_id)
    return ticket_id, sms


async def test_a_new_call_is_collected_and_waits_to_be_classified(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    body = {"channel": "phone", "title": "咨询低保政策", "householdId": str(district_a.households[0])}
    ticket = (await client.post("/api/dispatch/tickets", json=body, headers=operator(issuer, district_a))).json()

    view = await stages(client, issuer, district_a, ticket["ticket"]["id"])

    assert view["stage"] == "classify"
    assert states(view) == [
        ("collect", "done"),
        ("classify", "current"),
        ("route", "pending"),
        ("supervise", "pending"),
        ("feed_back", "pending"),
    ]
    assert view["steps"][0]["action"] == "created"
    assert view["steps"][0]["reachedAt"] is not None
    assert view["classification"] == {"categoryId": None, "itemId": None, "scopeKind": None, "difficulty": None}


async def test_the_five_steps_of_a_ticket_walked_to_closed(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    ticket_id, _ = await walk(client, issuer, district_a)

    view = await stages(client, issuer, district_a, ticket_id)

    assert view["status"] == "closed"
    assert view["stage"] == "feed_back"
    assert [s["state"] for s in view["steps"]] == ["done"] * 5
    assert [s["action"] for s in view["steps"]] == ["created", "classified", "dispatched", "accepted", "resolved"]
    assert view["steps"][3]["actorName"] == "王建军"
    moments = [s["reachedAt"] for s in view["steps"]]
    assert moments == sorted(moments)
    assert view["classification"]["scopeKind"] == "common"
    assert view["classification"]["difficulty"] == "solvable_now"


async def test_by_default_the_resident_hears_of_routed_resolved_and_closed_only(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    _ticket_id, sms = await walk(client, issuer, district_a)

    assert sms["collect"] == []
    assert sms["classify"] == []
    assert sms["closed"] == ["ticket_routed", "ticket_resolved", "ticket_closed"]


async def test_a_district_telling_residents_of_every_step_sends_an_sms_at_each(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    changed = await client.patch(SETTINGS, json={"notifyEveryStage": True}, headers=staff(issuer, district_a))
    assert changed.status_code == 200
    assert changed.json()["notifyEveryStage"] is True

    ticket_id, sms = await walk(client, issuer, district_a)

    assert sms["collect"] == ["stage_collected"]
    assert sms["classify"] == ["stage_collected", "stage_classified"]
    assert sms["route"][-1] == "ticket_routed"
    assert sms["supervise"][-1] == "stage_supervised"
    assert sms["feed_back"][-1] == "ticket_resolved"
    assert sms["closed"] == [
        "stage_collected",
        "stage_classified",
        "ticket_routed",
        "stage_supervised",
        "ticket_resolved",
        "ticket_closed",
    ]
    log = await client.get(
        "/api/dispatch/notifications", params={"ticketId": ticket_id}, headers=operator(issuer, district_a)
    )
    assert log.status_code == 200, log.text
    assert {"stage_collected", "stage_classified", "stage_supervised"} <= {n["template"] for n in log.json()["items"]}


async def test_a_call_classified_at_intake_is_told_so_in_one_sms(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    await client.patch(SETTINGS, json={"notifyEveryStage": True}, headers=staff(issuer, district_a))
    body = {
        "channel": "phone",
        "title": "路灯不亮",
        "callerPhone": mobile(22),
        "categoryId": str(district_a.categories["citizen_life"]),
    }
    ticket = (await client.post("/api/dispatch/tickets", json=body, headers=operator(issuer, district_a))).json()

    assert ticket["ticket"]["stage"] == "route"
    assert await resident_sms(district_a, ticket["ticket"]["id"]) == ["stage_collected"]
    view = await stages(client, issuer, district_a, ticket["ticket"]["id"])
    assert states(view)[:2] == [("collect", "done"), ("classify", "done")]
    assert view["steps"][1]["action"] == "created"


async def test_the_setting_refuses_a_string_and_is_the_admins(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    for body, field in (
        ({"notifyEveryStage": "true"}, "notifyEveryStage"),
        ({}, "notifyEveryStage"),
        ({"notifyEveryStage": True, "also": 1}, "also"),
    ):
        response = await client.patch(SETTINGS, json=body, headers=staff(issuer, district_a))
        assert response.status_code == 422, response.text
        assert field in response.text
    assert (await client.get(SETTINGS, headers=operator(issuer, district_a))).json()["notifyEveryStage"] is False
    refused = await client.patch(SETTINGS, json={"notifyEveryStage": True}, headers=operator(issuer, district_a))
    assert refused.status_code == 403


async def test_another_districts_ticket_steps_are_a_404_and_its_setting_its_own(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    body = {"channel": "phone", "title": "咨询", "householdId": str(district_a.households[0])}
    ticket = (await client.post("/api/dispatch/tickets", json=body, headers=operator(issuer, district_a))).json()
    await client.patch(SETTINGS, json={"notifyEveryStage": True}, headers=staff(issuer, district_b))

    response = await client.get(
        f"/api/dispatch/stages/tickets/{ticket['ticket']['id']}", headers=operator(issuer, district_b)
    )

    assert response.status_code == 404
    assert (await client.get(SETTINGS, headers=operator(issuer, district_a))).json()["notifyEveryStage"] is False
    assert (await client.get(SETTINGS, headers=operator(issuer, district_b))).json()["notifyEveryStage"] is True
    cadre = bearer(issuer, district_a.id, ["street_admin"], scope="/zzzzzzzz/", user_id=uuid.uuid4())
    assert (
        await client.get(f"/api/dispatch/stages/tickets/{ticket['ticket']['id']}", headers=cadre)
    ).status_code == 404


async def test_a_transaction_that_changes_the_every_step_setting_follows_it_from_then_on(district_a: District) -> None:
    admin = Principal(user_id=uuid.uuid4(), tenant_id=district_a.id, roles=frozenset({"district_admin"}), name="管理员")

    async def read_change_read(session: AsyncSession) -> tuple[bool, bool]:
        before = await notify_every_stage(session)  # remembered for the transaction
        await build_service(StageService, session, admin).change(StageSettingChange(notify_every_stage=not before))
        return before, await notify_every_stage(session)

    before, after = await district_a.run(read_change_read)
    assert after is (not before)
    await district_a.run(
        lambda s: build_service(StageService, s, admin).change(StageSettingChange(notify_every_stage=before))
    )
