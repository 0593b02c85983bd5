"""Photos of a ticket's work are filed in documents: dispatch tells documents who holds the order (``TicketAssigned``
with the provider's login, ``TicketReleased`` when it is handed back), keeps one row per photo documents filed
(``EvidenceFiled``, delivered twice: one row), lists them with their document id, and keeps nothing of another
district's event. The old upload and photo-bytes endpoints are gone."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

import services.dispatch.tickets.evidence_actors  # noqa: F401 - registers the handler
from services.dispatch.events import consumer
from services.dispatch.models import Provider, TicketEvidence
from shared.contracts.documents import EvidenceFiled
from shared.settings import Settings
from tests.dispatch.builders import District, as_provider, bearer, operator
from tests.dispatch.test_routing import Client, offers
from tests.dispatch.test_tasks import offered
from tests.platform.events import envelope
from tests.platform.tokens import TestIssuer

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
STORED_AT = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _consumer_on_the_test_database(settings: Settings) -> None:
    """Events are delivered here through dispatch's consumer, on the test session's database."""
    consumer._settings = settings


def url(ticket: dict[str, Any]) -> str:
    return f"/api/dispatch/tickets/{ticket['id']}/evidence"


def filed(tenant: uuid.UUID, subject_id: str, by: uuid.UUID, **overrides: Any) -> EvidenceFiled:
    values: dict[str, Any] = {
        "tenant_id": tenant,
        "document_id": uuid.uuid4(),
        "version_id": uuid.uuid4(),
        "subject_kind": "ticket",
        "subject_id": uuid.UUID(subject_id),
        "type_code": "service_photo",
        "content_type": "image/png",
        "sha256": hashlib.sha256(PNG).hexdigest(),
        "size_bytes": len(PNG),
        "stored_at": STORED_AT,
        "filed_by": by,
        **overrides,
    }
    return EvidenceFiled(**values)


async def accepted(
    client: Client, issuer: TestIssuer, district: District, settings: Settings
) -> tuple[dict[str, Any], Provider, dict[str, str]]:
    """A ticket whose offer the provider accepted: (ticket, provider, the provider's headers)."""
    ticket, provider = await offered(client, issuer, district, settings)
    mine = as_provider(issuer, district, provider)
    [offer] = await offers(client, issuer, district, ticket)
    answered = await client.post(f"/api/dispatch/offers/{offer['id']}/accept", headers=mine)
    assert answered.status_code == 200, answered.text
    return ticket, provider, mine


async def rows(district: District, ticket: dict[str, Any]) -> list[TicketEvidence]:
    async def read(session: AsyncSession) -> list[TicketEvidence]:
        query = select(TicketEvidence).where(TicketEvidence.ticket_id == uuid.UUID(ticket["id"]))
        return list(await session.scalars(query.order_by(TicketEvidence.uploaded_at)))

    found: list[TicketEvidence] = await district.run(read)
    return found


async def published(district: District, event: str, ticket: dict[str, Any]) -> list[dict[str, Any]]:
    async def read(session: AsyncSession) -> list[dict[str, Any]]:
        found = await session.execute(
            text("SELECT payload FROM outbox_message WHERE event = :e AND payload->>'ticket_id' = :t ORDER BY id"),
            {"e": event, "t": ticket["id"]},
        )
        return [dict(row[0]) for row in found]

    result: list[dict[str, Any]] = await district.run(read)
    return result


async def test_documents_learns_who_holds_the_order_until_it_is_handed_back(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    ticket, provider, mine = await accepted(client, issuer, district_a, settings)
    [assigned] = await published(district_a, "dispatch.TicketAssigned", ticket)
    assert (assigned["provider_id"], assigned["provider_user_id"]) == (str(provider.id), str(provider.user_id))
    back = await client.post(
        f"/api/dispatch/tickets/{ticket['id']}/return", json={"reason": "临时有事去不了"}, headers=mine
    )
    assert back.status_code == 200, back.text
    [released] = await published(district_a, "dispatch.TicketReleased", ticket)
    assert (released["provider_id"], released["provider_user_id"]) == (str(provider.id), str(provider.user_id))


async def test_a_photo_filed_in_documents_is_kept_once_and_listed_with_its_document_id(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    ticket, provider, mine = await accepted(client, issuer, district_a, settings)
    assert provider.user_id is not None
    photo = filed(district_a.id, ticket["id"], provider.user_id)
    raw = envelope(photo)
    assert await consumer.handle(raw) is True
    # delivered twice (a redelivery, then the same event under a new envelope id): one row
    assert await consumer.handle(raw) is False
    assert await consumer.handle({**raw, "id": str(uuid.uuid4())}) is True
    [row] = await rows(district_a, ticket)
    assert (row.document_id, row.object_key, row.uploaded_by, row.uploaded_at) == (
        photo.document_id,
        None,
        provider.user_id,
        STORED_AT,
    )
    by_desk = filed(district_a.id, ticket["id"], uuid.uuid4(), content_type="image/jpeg", sha256="ab" * 32)
    assert await consumer.handle(envelope(by_desk)) is True

    desk = operator(issuer, district_a)
    for headers in (desk, mine):  # staff who see the ticket, and the provider holding it
        listed = await client.get(url(ticket), headers=headers)
        assert listed.status_code == 200, listed.text
        shown = [(p["documentId"], p["uploadedByKind"], p["contentType"], p["sizeBytes"]) for p in listed.json()]
        assert shown == [
            (str(photo.document_id), "provider", "image/png", len(PNG)),
            (str(by_desk.document_id), "staff", "image/jpeg", len(PNG)),
        ]
    assert listed.json()[0]["uploadedByName"] == provider.name
    assert listed.json()[0]["sha256"] == hashlib.sha256(PNG).hexdigest()

    # the photos are uploaded to documents now: dispatch takes no bytes and serves none
    assert (await client.post(url(ticket), content=PNG, headers=mine)).status_code in (404, 405)
    assert (await client.get(f"{url(ticket)}/{row.id}", headers=desk)).status_code in (404, 405)


async def test_another_districts_event_keeps_nothing_and_its_staff_get_a_404(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District, district_b: District
) -> None:
    ticket, provider, _ = await accepted(client, issuer, district_a, settings)
    assert provider.user_id is not None
    # an event of district B naming district A's ticket: B has no such ticket, A keeps nothing
    assert await consumer.handle(envelope(filed(district_b.id, ticket["id"], provider.user_id))) is True
    unknown = filed(district_a.id, str(uuid.uuid4()), provider.user_id)  # a ticket this district does not have
    assert await consumer.handle(envelope(unknown)) is True
    assert await rows(district_a, ticket) == []
    elsewhere = (operator(issuer, district_b), bearer(issuer, district_b.id, ["volunteer"], user_id=provider.user_id))
    for headers in elsewhere:
        assert (await client.get(url(ticket), headers=headers)).status_code == 404
