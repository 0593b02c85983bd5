"""Offers that reach volunteers who are not watching the app: the SMS says until when and for how many minutes,
each category sets its answer window, and an operator can accept for a volunteer who phones in."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.models import Offer, Provider
from services.dispatch.notifications.delivery import PROVIDER_PHONE
from services.dispatch.notifications.templates import render
from services.dispatch.settings import get_dispatch_settings
from shared.clock import now
from shared.privacy import data_key, encrypt
from shared.settings import Settings
from tests.dispatch.builders import District, as_provider, bearer, operator, staff
from tests.dispatch.receivers import Receiver, receiving
from tests.dispatch.test_routing import Client, actions, new_ticket, notifications, offers, ticket_of
from tests.orgtree.builders import mobile
from tests.platform.tokens import TestIssuer

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
async def sms_gateway(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Receiver]:
    async with receiving() as receiver:
        monkeypatch.setenv("REDCELL_DISPATCH__SMS_GATEWAY_URL", receiver.url)
        monkeypatch.setenv("REDCELL_DISPATCH__SMS_GATEWAY_TOKEN", "gw-token-1")
        get_dispatch_settings.cache_clear()
        yield receiver
    get_dispatch_settings.cache_clear()


async def volunteer_with_phone(district: District, serial: int) -> Provider:
    provider = await district.add_provider(grid=district.grids[0], skills=["plumbing"])

    async def give_phone(session: AsyncSession) -> None:
        keys = await data_key(session, district.id)
        phone = {"phone_cipher": encrypt(keys, PROVIDER_PHONE, mobile(serial)), "phone_masked": "138****0000"}
        await session.execute(update(Provider).where(Provider.id == provider.id).values(**phone))

    await district.run(give_phone)
    return provider


def clock_in_shanghai(moment: str) -> str:
    """How the SMS writes an expiry: the time in the district's zone, with the date when it is not today there."""
    local = datetime.fromisoformat(moment).astimezone(SHANGHAI)
    clock = local.strftime("%H:%M")
    return clock if local.date() == now().astimezone(SHANGHAI).date() else f"{local.month}月{local.day}日{clock}"


async def test_the_offer_sms_says_until_when_and_for_how_many_minutes(
    client: Client, issuer: TestIssuer, settings: Settings, sms_gateway: Receiver, district_a: District
) -> None:
    admin = staff(issuer, district_a)
    changed = await client.patch(
        "/api/dispatch/catalogue/citizen_life", json={"answerWindowMinutes": 25}, headers=admin
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["answerWindowMinutes"] == 25
    await volunteer_with_phone(district_a, 31)
    ticket = await new_ticket(client, issuer, district_a, settings)
    [offer] = await offers(client, issuer, district_a, ticket)
    window = datetime.fromisoformat(offer["expiresAt"]) - datetime.fromisoformat(offer["offeredAt"])
    assert window == timedelta(minutes=25)

    # Routing's handler sent the offer SMS right after its commit (the resident's notice went too).
    [request] = [r for r in sms_gateway.received if r.json()["phone"] == mobile(31)]
    until = clock_in_shanghai(offer["expiresAt"])
    assert request.json() == {
        "phone": mobile(31),
        "text": f"【96345】您有新的派单{ticket['number']}，请在{until}前（25分钟内）登录系统签收或婉拒，"
        "也可致电96345由话务员代为签收。",
    }


async def test_each_category_has_an_answer_window_of_ten_minutes_within_bounds(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = staff(issuer, district_a)
    catalogue = (await client.get("/api/dispatch/catalogue", headers=admin)).json()
    assert {c["code"]: c["answerWindowMinutes"] for c in catalogue} == dict.fromkeys(district_a.categories, 10)
    url = "/api/dispatch/catalogue/consultation"
    for minutes in (0, 1441, -5):
        bad = await client.patch(url, json={"answerWindowMinutes": minutes}, headers=admin)
        assert bad.status_code == 422, bad.text
        assert [e["field"] for e in bad.json()["errors"]] == ["body.answerWindowMinutes"]
    desk = operator(issuer, district_a)
    assert (await client.patch(url, json={"answerWindowMinutes": 30}, headers=desk)).status_code == 403
    catalogue = (await client.get("/api/dispatch/catalogue", headers=admin)).json()
    assert {c["code"]: c["answerWindowMinutes"] for c in catalogue}["consultation"] == 10


async def test_an_operator_accepts_for_a_volunteer_who_phones_in(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    provider = await volunteer_with_phone(district_a, 32)
    ticket = await new_ticket(client, issuer, district_a, settings)
    [offer] = await offers(client, issuer, district_a, ticket)
    desk_user = uuid.uuid4()
    desk = operator(issuer, district_a, user_id=desk_user)
    url = f"/api/dispatch/tickets/{ticket['id']}/offers/{offer['id']}/accept"
    accepted = await client.post(url, headers=desk)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted"
    assert accepted.json()["acceptedOnBehalfBy"] == str(desk_user)
    shown = await ticket_of(client, issuer, district_a, ticket["id"])
    assert (shown["status"], shown["providerId"]) == ("assigned", str(provider.id))
    history = (await client.get(f"/api/dispatch/tickets/{ticket['id']}/history", headers=desk)).json()
    last = history[-1]
    assert (last["action"], last["actor"], last["reason"]) == ("accepted", str(desk_user), "志愿者来电，话务员代为签收")
    assert last["details"]["provider"] == str(provider.id)
    assert last["details"]["onBehalf"] is True
    assert ("offer_accepted_on_behalf", "provider", str(provider.id)) in await notifications(district_a, ticket["id"])
    assert render("offer_accepted_on_behalf", hotline="96345", number=ticket["number"], params={}) == (
        f"【96345】话务员已按您的来电代为签收派单{ticket['number']}，请登录系统查看地址并尽快致电居民。"
    )
    # The volunteer's own view: the task is theirs now.
    mine = await client.get("/api/dispatch/tasks", headers=as_provider(issuer, district_a, provider))
    assert [t["ticketId"] for t in mine.json()] == [ticket["id"]]
    again = await client.post(url, headers=desk)
    assert again.status_code == 409, again.text
    assert (await actions(client, issuer, district_a, ticket["id"])).count(
        ("accepted", "assigned", "志愿者来电，话务员代为签收")
    ) == 1


async def test_accepting_on_behalf_is_for_operators_and_open_offers_of_that_ticket(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District, district_b: District
) -> None:
    provider = await volunteer_with_phone(district_a, 33)
    ticket = await new_ticket(client, issuer, district_a, settings)
    other = await new_ticket(client, issuer, district_a, settings, callerPhone=mobile(34))
    [offer] = await offers(client, issuer, district_a, ticket)
    url = f"/api/dispatch/tickets/{ticket['id']}/offers/{offer['id']}/accept"
    assert (await client.post(url, headers=as_provider(issuer, district_a, provider))).status_code == 403
    assert (await client.post(url, headers=operator(issuer, district_b))).status_code == 404
    crossed = f"/api/dispatch/tickets/{other['id']}/offers/{offer['id']}/accept"
    assert (await client.post(crossed, headers=operator(issuer, district_a))).status_code == 404

    async def expire(session: AsyncSession) -> None:
        past = now() - timedelta(seconds=1)
        await session.execute(update(Offer).where(Offer.id == uuid.UUID(offer["id"])).values(expires_at=past))

    await district_a.run(expire)
    late = await client.post(url, headers=operator(issuer, district_a))
    assert late.status_code == 409
    assert late.json()["detail"] == "this offer has expired"
    shown = await ticket_of(client, issuer, district_a, ticket["id"])
    assert (shown["status"], shown["providerId"]) == ("routing", None)
    cadre = bearer(issuer, district_a.id, ["street_admin"])
    assert (await client.post(url, headers=cadre)).status_code == 403
