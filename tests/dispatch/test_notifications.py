"""Delivery of the notification log (DSP-18) to real local receivers: signed webhooks, the SMS gateway,
retries with backoff, dead letters, one send per attempt, the development outbox and the log's API."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.models import DispatchSettings, Notification
from services.dispatch.notifications.actors import install
from services.dispatch.notifications.channels import (
    NOTIFICATION_HEADER,
    SIGNATURE_HEADER,
    verify_signature,
    webhook_secret,
)
from services.dispatch.notifications.delivery import PROVIDER_PHONE, Delivery
from services.dispatch.notifications.queue import queue_notification
from services.dispatch.notifications.sweeps import JOBS, retry_deliveries
from services.dispatch.settings import get_dispatch_settings
from shared.clock import now
from shared.messaging.consumer import EventConsumer
from shared.privacy import data_key, encrypt
from shared.settings import Settings
from tests.dispatch.builders import District, bearer, operator
from tests.dispatch.receivers import Receiver, notification, queued_envelope, receiving
from tests.dispatch.test_intake import new_ticket
from tests.orgtree.builders import mobile
from tests.platform.tokens import TestIssuer


@pytest.fixture
def dispatch_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Process settings come from the environment, as in production; each test sets its own."""
    get_dispatch_settings.cache_clear()
    yield monkeypatch
    get_dispatch_settings.cache_clear()


def configure(env: pytest.MonkeyPatch, **values: object) -> None:
    for name, value in values.items():
        env.setenv(f"REDCELL_DISPATCH__{name.upper()}", str(value))
    get_dispatch_settings.cache_clear()


@pytest.fixture
async def consumer(settings: Settings) -> AsyncIterator[EventConsumer]:
    """The dispatch queue's consumer with the delivery handler, on the test servers."""
    target = EventConsumer("dispatch", settings)
    delivery = install(target)
    yield target
    await delivery.close()
    await target.dispose()


@pytest.fixture
async def sms_gateway(dispatch_env: pytest.MonkeyPatch) -> AsyncIterator[Receiver]:
    async with receiving() as receiver:
        configure(dispatch_env, sms_gateway_url=receiver.url, sms_gateway_token="gw-token-1")
        yield receiver


async def a_ticket(client: AsyncTestClient[Any], issuer: TestIssuer, district: District, phone: str) -> dict[str, Any]:
    response = await client.post(
        "/api/dispatch/tickets", json=new_ticket(district, callerPhone=phone), headers=operator(issuer, district)
    )
    assert response.status_code == 201, response.text
    ticket: dict[str, Any] = response.json()["ticket"]
    return ticket


async def queue(district: District, **kwargs: Any) -> uuid.UUID:
    async def add(session: AsyncSession) -> uuid.UUID:
        return (await queue_notification(session, **kwargs)).id

    result: uuid.UUID = await district.run(add)
    return result


async def routed_notice(district: District, ticket: dict[str, Any]) -> uuid.UUID:
    """The resident's "your request is routed" SMS for ``ticket``, queued in the delivery log."""
    return await queue(
        district, template="ticket_routed", recipient_kind="resident", channel="sms", ticket_id=uuid.UUID(ticket["id"])
    )


async def make_due(district: District, notification_id: uuid.UUID, ago: timedelta = timedelta(seconds=1)) -> None:
    async def move(session: AsyncSession) -> None:
        await session.execute(
            update(Notification).where(Notification.id == notification_id).values(next_attempt_at=now() - ago)
        )

    await district.run(move)


async def set_webhook(district: District, url: str | None) -> None:
    async def change(session: AsyncSession) -> None:
        await session.execute(update(DispatchSettings).values(webhook_url=url))

    await district.run(change)


async def test_a_webhook_is_posted_signed_with_the_districts_secret(
    *,
    client: AsyncTestClient[Any],
    issuer: TestIssuer,
    settings: Settings,
    consumer: EventConsumer,
    district_a: District,
    district_b: District,
) -> None:
    ticket = await a_ticket(client, issuer, district_a, mobile(11))
    async with receiving() as receiver:
        await set_webhook(district_a, receiver.url)
        sent = await queue(
            district_a,
            template="ticket_routed",
            recipient_kind="district",
            channel="webhook",
            ticket_id=uuid.UUID(ticket["id"]),
        )
        assert await consumer.handle(await queued_envelope(district_a, sent)) is True

    [request] = receiver.received
    assert verify_signature(webhook_secret(settings, district_a.id), request.headers[SIGNATURE_HEADER], request.body)
    assert not verify_signature(
        webhook_secret(settings, district_b.id), request.headers[SIGNATURE_HEADER], request.body
    )
    assert not verify_signature(
        webhook_secret(settings, district_a.id),
        request.headers[SIGNATURE_HEADER],
        request.body.replace(b"ticket_routed", b"ticket_closed"),
    )
    body = request.json()
    assert body["template"] == "ticket_routed"
    assert body["notificationId"] == str(sent)
    assert body["ticket"] == {"number": ticket["number"], "status": "new"}
    assert request.headers[NOTIFICATION_HEADER] == str(sent)
    assert mobile(11) not in request.body.decode()
    row = await notification(district_a, sent)
    assert (row.status, row.attempts, row.last_error) == ("delivered", 1, None)
    assert row.delivered_at is not None
    assert row.first_attempt_at is not None


async def test_a_district_without_a_webhook_is_skipped_not_retried(
    client: AsyncTestClient[Any], issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    ticket = await a_ticket(client, issuer, district_a, mobile(12))
    sent = await queue(
        district_a,
        template="ticket_closed",
        recipient_kind="district",
        channel="webhook",
        ticket_id=uuid.UUID(ticket["id"]),
    )
    delivery = Delivery(lambda: settings)
    try:
        assert await delivery.deliver(district_a.id, sent) == "skipped"
    finally:
        await delivery.close()
    row = await notification(district_a, sent)
    assert row.status == "skipped"
    assert "webhook" in (row.last_error or "")


async def test_the_sms_gateway_gets_the_clear_number_and_nothing_else_keeps_it(
    *,
    client: AsyncTestClient[Any],
    issuer: TestIssuer,
    consumer: EventConsumer,
    sms_gateway: Receiver,
    district_a: District,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ticket = await a_ticket(client, issuer, district_a, mobile(13))
    sent = await queue(
        district_a,
        template="ticket_routed",
        recipient_kind="resident",
        channel="sms",
        ticket_id=uuid.UUID(ticket["id"]),
        params={"reason": "first"},
    )
    await consumer.handle(await queued_envelope(district_a, sent))

    [request] = sms_gateway.received
    assert request.headers["Authorization"] == "Bearer gw-token-1"
    assert request.json() == {
        "phone": mobile(13),
        "text": f"【96345】您的工单{ticket['number']}已派单，接单的志愿者将尽快致电您。",
    }
    row = await notification(district_a, sent)
    assert row.status == "delivered"
    stored = json.dumps([row.params, row.last_error], ensure_ascii=False)
    listed = await client.get(
        f"/api/dispatch/notifications?ticketId={ticket['id']}", headers=operator(issuer, district_a)
    )
    assert listed.status_code == 200, listed.text
    lines = listed.json()["items"]
    assert [(n["template"], n["recipientKind"], n["channel"], n["status"], n["attempts"]) for n in lines] == [
        ("ticket_routed", "resident", "sms", "delivered", 1)
    ]
    logged = capsys.readouterr()
    for place in (stored, listed.text, logged.out, logged.err):
        assert mobile(13) not in place


async def test_a_failing_receiver_is_retried_with_backoff_until_it_answers(
    *,
    client: AsyncTestClient[Any],
    issuer: TestIssuer,
    settings: Settings,
    consumer: EventConsumer,
    sms_gateway: Receiver,
    district_a: District,
) -> None:
    await retry_deliveries(settings)  # other tests' leftovers first, so the failures below are this message's
    sms_gateway.by_phone[mobile(14)] = [500, 500]
    ticket = await a_ticket(client, issuer, district_a, mobile(14))
    sent = await queue(
        district_a,
        template="ticket_resolved",
        recipient_kind="resident",
        channel="sms",
        ticket_id=uuid.UUID(ticket["id"]),
    )
    before = now()
    await consumer.handle(await queued_envelope(district_a, sent))
    first = await notification(district_a, sent)
    assert (first.status, first.attempts) == ("retrying", 1)
    assert first.last_error == "the SMS gateway answered HTTP 500"
    assert first.next_attempt_at >= before + timedelta(seconds=5)

    await retry_deliveries(settings)  # (the sweep spans every district: other tests' leftovers may go too)
    assert (await notification(district_a, sent)).attempts == 1  # not due yet: nothing is sent early
    await make_due(district_a, sent)
    assert await retry_deliveries(settings) >= 1
    second = await notification(district_a, sent)
    assert (second.status, second.attempts) == ("retrying", 2)
    assert second.next_attempt_at - now() > timedelta(seconds=20)  # the second wait is longer (30 s)

    await make_due(district_a, sent)
    await retry_deliveries(settings)
    third = await notification(district_a, sent)
    assert (third.status, third.attempts, third.last_error) == ("delivered", 3, None)
    assert third.first_attempt_at == first.first_attempt_at
    mine = [r.json()["text"] for r in sms_gateway.received if r.json()["phone"] == mobile(14)]
    assert len(mine) == 3
    assert "已办结" in mine[-1]


async def test_a_message_is_dead_after_the_last_attempt_and_never_sent_again(
    client: AsyncTestClient[Any],
    issuer: TestIssuer,
    settings: Settings,
    dispatch_env: pytest.MonkeyPatch,
    district_a: District,
) -> None:
    async with receiving(503, 503, 503) as gateway:
        configure(dispatch_env, sms_gateway_url=gateway.url, delivery_max_attempts=2)
        ticket = await a_ticket(client, issuer, district_a, mobile(15))
        sent = await queue(
            district_a,
            template="ticket_closed",
            recipient_kind="resident",
            channel="sms",
            ticket_id=uuid.UUID(ticket["id"]),
        )
        delivery = Delivery(lambda: settings)
        try:
            assert await delivery.deliver(district_a.id, sent) == "retrying"
            await make_due(district_a, sent)
            assert await delivery.deliver(district_a.id, sent) == "dead"
            await make_due(district_a, sent)
            assert await delivery.deliver(district_a.id, sent) is None
        finally:
            await delivery.close()
        await retry_deliveries(settings)
    row = await notification(district_a, sent)
    assert (row.status, row.attempts, row.last_error) == ("dead", 2, "the SMS gateway answered HTTP 503")
    assert [r.json()["phone"] for r in gateway.received].count(mobile(15)) == 2


async def test_one_message_is_sent_once_however_often_it_is_announced(
    *,
    client: AsyncTestClient[Any],
    issuer: TestIssuer,
    settings: Settings,
    consumer: EventConsumer,
    sms_gateway: Receiver,
    district_a: District,
) -> None:
    ticket = await a_ticket(client, issuer, district_a, mobile(16))
    sent = await queue(
        district_a,
        template="ticket_routed",
        recipient_kind="resident",
        channel="sms",
        ticket_id=uuid.UUID(ticket["id"]),
    )
    envelope = await queued_envelope(district_a, sent)
    # The same envelope twice at once (a redelivery), a second announcement, and the lost-event sweep.
    second = {**envelope, "id": str(uuid.uuid4())}
    await asyncio.gather(consumer.handle(envelope), consumer.handle(envelope), consumer.handle(second))
    await make_due(district_a, sent, ago=timedelta(minutes=5))
    await retry_deliveries(settings)  # (other tests' leftovers in other districts may go too)
    assert [r.json()["phone"] for r in sms_gateway.received].count(mobile(16)) == 1
    row = await notification(district_a, sent)
    assert (row.status, row.attempts) == ("delivered", 1)


async def test_the_sweep_delivers_a_message_whose_event_was_lost_but_leaves_fresh_ones_to_the_worker(
    *,
    client: AsyncTestClient[Any],
    issuer: TestIssuer,
    settings: Settings,
    sms_gateway: Receiver,
    district_a: District,
    district_b: District,
) -> None:
    lost_a_ticket = await a_ticket(client, issuer, district_a, mobile(17))
    lost_a = await queue(
        district_a,
        template="ticket_closed",
        recipient_kind="resident",
        channel="sms",
        ticket_id=uuid.UUID(lost_a_ticket["id"]),
    )
    lost_b_ticket = await a_ticket(client, issuer, district_b, mobile(18))
    lost_b = await queue(
        district_b,
        template="ticket_closed",
        recipient_kind="resident",
        channel="sms",
        ticket_id=uuid.UUID(lost_b_ticket["id"]),
    )
    fresh_ticket = await a_ticket(client, issuer, district_a, mobile(19))
    fresh = await queue(
        district_a,
        template="ticket_routed",
        recipient_kind="resident",
        channel="sms",
        ticket_id=uuid.UUID(fresh_ticket["id"]),
    )
    await make_due(district_a, lost_a, ago=timedelta(seconds=31))
    await make_due(district_b, lost_b, ago=timedelta(seconds=31))
    [job] = JOBS
    await job.run(settings)
    assert (await notification(district_a, lost_a)).status == "delivered"
    assert (await notification(district_b, lost_b)).status == "delivered"
    assert (await notification(district_a, fresh)).status == "pending"
    assert sorted(r.json()["phone"] for r in sms_gateway.received) == [mobile(17), mobile(18)]


async def test_an_offer_goes_to_the_providers_own_number(
    client: AsyncTestClient[Any], issuer: TestIssuer, settings: Settings, sms_gateway: Receiver, district_a: District
) -> None:
    provider = await district_a.add_provider(grid=district_a.grids[0])

    async def give_phone(session: AsyncSession) -> None:
        keys = await data_key(session, district_a.id)
        await session.execute(
            update(type(provider))
            .where(type(provider).id == provider.id)
            .values(phone_cipher=encrypt(keys, PROVIDER_PHONE, mobile(21)), phone_masked="138****0021")
        )

    await district_a.run(give_phone)
    ticket = await a_ticket(client, issuer, district_a, mobile(22))
    sent = await queue(
        district_a,
        template="offer_made",
        recipient_kind="provider",
        channel="sms",
        recipient_id=provider.id,
        ticket_id=uuid.UUID(ticket["id"]),
        params={"expiresInMinutes": 10, "answerBy": "14:32"},
    )
    delivery = Delivery(lambda: settings)
    try:
        assert await delivery.deliver(district_a.id, sent) == "delivered"
    finally:
        await delivery.close()
    [request] = sms_gateway.received
    until = "请在14:32前（10分钟内）登录系统签收或婉拒，也可致电96345由话务员代为签收。"
    text = f"【96345】您有新的派单{ticket['number']}，{until}"
    assert request.json() == {"phone": mobile(21), "text": text}


async def test_without_a_gateway_sms_lands_in_the_district_admins_dev_outbox_masked(
    *,
    client: AsyncTestClient[Any],
    issuer: TestIssuer,
    settings: Settings,
    dispatch_env: pytest.MonkeyPatch,
    district_a: District,
    district_b: District,
) -> None:
    configure(dispatch_env, sms_gateway_url="")
    ticket = await a_ticket(client, issuer, district_a, mobile(23))
    sent = await queue(
        district_a,
        template="ticket_routed",
        recipient_kind="resident",
        channel="sms",
        ticket_id=uuid.UUID(ticket["id"]),
    )
    delivery = Delivery(lambda: settings)
    try:
        assert await delivery.deliver(district_a.id, sent) == "delivered"
    finally:
        await delivery.close()
    admin = bearer(issuer, district_a.id, ["district_admin"])
    outbox = await client.get("/api/dispatch/dev-outbox", headers=admin)
    assert outbox.status_code == 200, outbox.text
    entry = next(e for e in outbox.json() if e["notificationId"] == str(sent))
    assert entry["phone"] == "138****0023"
    assert ticket["number"] in entry["text"]
    assert mobile(23) not in outbox.text
    others = await client.get("/api/dispatch/dev-outbox", headers=bearer(issuer, district_b.id, ["district_admin"]))
    assert all(e["notificationId"] != str(sent) for e in others.json())
    assert (await client.get("/api/dispatch/dev-outbox", headers=operator(issuer, district_a))).status_code == 403


async def test_a_resident_without_a_number_on_record_is_skipped(
    client: AsyncTestClient[Any], issuer: TestIssuer, settings: Settings, sms_gateway: Receiver, district_a: District
) -> None:
    body = new_ticket(district_a)
    del body["callerPhone"]
    created = await client.post("/api/dispatch/tickets", json=body, headers=operator(issuer, district_a))
    sent = await queue(
        district_a,
        template="ticket_routed",
        recipient_kind="resident",
        channel="sms",
        ticket_id=uuid.UUID(created.json()["ticket"]["id"]),
    )
    delivery = Delivery(lambda: settings)
    try:
        assert await delivery.deliver(district_a.id, sent) == "skipped"
    finally:
        await delivery.close()
    assert sms_gateway.received == []
    row = await notification(district_a, sent)
    assert (row.status, row.attempts) == ("skipped", 1)


async def test_the_delivery_log_is_the_districts_own_and_checks_its_filters(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    ticket = await a_ticket(client, issuer, district_a, mobile(24))
    await routed_notice(district_a, ticket)
    in_a, in_b = operator(issuer, district_a), operator(issuer, district_b)
    pending = await client.get("/api/dispatch/notifications?status=pending", headers=in_a)
    assert any(n["ticketId"] == ticket["id"] for n in pending.json()["items"])
    assert (await client.get(f"/api/dispatch/notifications?ticketId={ticket['id']}", headers=in_b)).status_code == 404
    assert all(
        n["ticketId"] != ticket["id"]
        for n in (await client.get("/api/dispatch/notifications", headers=in_b)).json()["items"]
    )
    bad = await client.get("/api/dispatch/notifications?status=lost", headers=in_a)
    assert bad.status_code == 422, bad.text
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert bad.json()["errors"][0]["field"] == "query.status"
    cadre = bearer(issuer, district_a.id, ["grid_leader"], scope=district_a.grid_paths[district_a.grids[0]])
    assert (await client.get("/api/dispatch/notifications", headers=cadre)).status_code == 403


async def test_the_webhook_secret_is_for_the_district_admin_and_audited(
    client: AsyncTestClient[Any], issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    shown = await client.get(
        "/api/dispatch/notifications/webhook-secret", headers=bearer(issuer, district_a.id, ["district_admin"])
    )
    assert shown.status_code == 200, shown.text
    assert bytes.fromhex(shown.json()["secret"]) == webhook_secret(settings, district_a.id)
    denied = await client.get("/api/dispatch/notifications/webhook-secret", headers=operator(issuer, district_a))
    assert denied.status_code == 403

    async def audited(session: AsyncSession) -> int:
        from shared.db.kernel import audit_event

        rows = await session.execute(select(audit_event).where(audit_event.c.action == "dispatch.webhook_secret.read"))
        return len(rows.all())

    assert await district_a.run(audited) == 1


async def test_the_delivery_log_is_read_a_page_at_a_time_newest_first(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    ticket = await a_ticket(client, issuer, district_a, mobile(25))
    made = [await routed_notice(district_a, ticket) for _ in range(5)]
    headers = operator(issuer, district_a)
    pages, after = [], None
    while True:
        params = {"ticketId": ticket["id"], "limit": 2, **({"after": after} if after else {})}
        page = await client.get("/api/dispatch/notifications", params=params, headers=headers)
        assert page.status_code == 200, page.text
        pages.append([n["id"] for n in page.json()["items"]])
        after = page.json()["next"]
        if after is None:
            break
    listed = [n for ids in pages for n in ids]
    assert [len(ids) for ids in pages] == [2, 2, 1]
    assert listed == [str(n) for n in reversed(made)]  # each message once, newest first, none skipped
    whole = await client.get("/api/dispatch/notifications", params={"ticketId": ticket["id"]}, headers=headers)
    assert [n["id"] for n in whole.json()["items"]] == listed  # the pages, end to end, are the log newest first
    assert whole.json()["next"] is None
    bad = await client.get("/api/dispatch/notifications", params={"after": "yesterday"}, headers=headers)
    assert bad.status_code == 422, bad.text
    assert bad.json()["errors"][0]["field"] == "query.after"
    for limit in (0, 201, "many"):  # a page holds 1 to 200 lines
        wrong = await client.get("/api/dispatch/notifications", params={"limit": limit}, headers=headers)
        assert wrong.status_code == 422, wrong.text
        assert wrong.json()["errors"][0]["field"] == "query.limit"
