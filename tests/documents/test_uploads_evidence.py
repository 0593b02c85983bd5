"""Evidence photos (issue 14): the provider's login holding a ticket files photos of the work on it, and a wish's
claimer its photo, from dispatch's events (``TicketAssigned`` until ``TicketReleased`` or ``TicketResolved``,
``WishClaimed``); anyone else, or the holder once the order is handed back, gets a 404. The photo reads like its
subject (the grid's staff) and by its uploader, and its confirmation tells dispatch (``EvidenceFiled``)."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

import services.documents.subjects.actors  # noqa: F401 - registers the handlers on the consumer
from shared.contracts.dispatch import TicketAssigned, TicketCreated, TicketReleased, TicketResolved, WishClaimed
from shared.settings import Settings
from tests.documents.boards_support import staff
from tests.documents.builders import District, bearer
from tests.documents.generated_support import deliver
from tests.documents.test_subjects import grid
from tests.documents.uploads_support import UPLOADS, Client, file_body, pdf, png, upload
from tests.platform.tokens import TestIssuer


def volunteer(issuer: TestIssuer, district: District, user_id: uuid.UUID) -> dict[str, str]:
    return bearer(issuer.token(tenant=district.id, roles=["volunteer"], user_id=user_id, name="李志愿"))


def photo_of(kind: str, subject_id: uuid.UUID, data: bytes, type_code: str = "service_photo") -> dict[str, Any]:
    return file_body(type_code, data, "image/png", subjectKind=kind, subjectId=str(subject_id), title="现场照片")


async def ticket_in_grid(settings: Settings, district: District) -> uuid.UUID:
    grid_id = await grid(settings, district, f"{district.streets[0]}g7/")
    ticket_id = uuid.uuid4()
    created = TicketCreated(
        tenant_id=district.id, ticket_id=ticket_id, channel="phone", category_id=None, grid_id=grid_id, priority="n"
    )
    await deliver(settings, created)
    return ticket_id


async def assigned(settings: Settings, district: District, ticket_id: uuid.UUID, user_id: uuid.UUID) -> uuid.UUID:
    provider_id = uuid.uuid4()
    event = TicketAssigned(
        tenant_id=district.id,
        ticket_id=ticket_id,
        provider_id=provider_id,
        member_id=None,
        mode="offer",
        provider_user_id=user_id,
    )
    await deliver(settings, event)
    return provider_id


async def evidence_events(district: District, document_id: str) -> list[dict[str, Any]]:
    async def read(session: AsyncSession) -> list[dict[str, Any]]:
        rows = await session.execute(
            text(
                "SELECT payload FROM outbox_message WHERE event = 'documents.EvidenceFiled' "
                "AND payload->>'document_id' = :d"
            ),
            {"d": document_id},
        )
        return [dict(row[0]) for row in rows]

    found: list[dict[str, Any]] = await district.run(read)
    return found


async def test_the_volunteer_holding_a_ticket_files_its_photo_and_dispatch_is_told(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    ticket_id = await ticket_in_grid(settings, district_a)
    holder, other = uuid.uuid4(), uuid.uuid4()
    await assigned(settings, district_a, ticket_id, holder)
    mine = volunteer(issuer, district_a, holder)
    data = png()
    started, confirmed = await upload(client, mine, photo_of("ticket", ticket_id, data), data)
    assert confirmed.status_code == 200, confirmed.text
    document = confirmed.json()["document"]
    assert (document["subjectKind"], document["subjectId"], document["typeCode"]) == (
        "ticket",
        str(ticket_id),
        "service_photo",
    )
    [event] = await evidence_events(district_a, document["id"])
    assert (event["subject_kind"], event["subject_id"], event["type_code"], event["content_type"]) == (
        "ticket",
        str(ticket_id),
        "service_photo",
        "image/png",
    )
    assert (event["sha256"], event["size_bytes"], event["filed_by"]) == (
        hashlib.sha256(data).hexdigest(),
        len(data),
        str(holder),
    )
    assert event["version_id"] == started["versionId"]
    # confirmed again (the phone retried): the same answer, no second event
    again = await client.post(f"{UPLOADS}/{started['versionId']}/confirm", json={}, headers=mine)
    assert again.status_code == 200
    assert len(await evidence_events(district_a, document["id"])) == 1

    # read by the uploader and the staff of the ticket's street; not by another street's
    url = f"/api/documents/documents/{document['id']}"
    assert (await client.get(url, headers=mine)).status_code == 200
    assert (await client.get(url, headers=staff(issuer, district_a, "street_admin", district_a.streets[0]))).is_success
    elsewhere = staff(issuer, district_a, "street_admin", district_a.streets[1])
    assert (await client.get(url, headers=elsewhere)).status_code == 404

    # another volunteer does not hold it; nor a minutes document by the holder: neither is evidence of theirs
    someone = await client.post(
        UPLOADS, json=photo_of("ticket", ticket_id, data), headers=volunteer(issuer, district_a, other)
    )
    assert someone.status_code == 404, someone.text
    minutes = file_body("minutes", pdf(), "application/pdf", subjectKind="ticket", subjectId=str(ticket_id))
    assert (await client.post(UPLOADS, json=minutes, headers=mine)).status_code == 422


async def test_a_handed_back_or_resolved_order_is_no_longer_the_volunteers_to_file_on(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    ticket_id = await ticket_in_grid(settings, district_a)
    first, second = uuid.uuid4(), uuid.uuid4()
    provider_id = await assigned(settings, district_a, ticket_id, first)
    data = png()
    body = photo_of("ticket", ticket_id, data)
    released = TicketReleased(
        tenant_id=district_a.id, ticket_id=ticket_id, provider_id=provider_id, provider_user_id=first
    )
    await deliver(settings, released)
    handed_back = await client.post(UPLOADS, json=body, headers=volunteer(issuer, district_a, first))
    assert handed_back.status_code == 404, handed_back.text
    assert handed_back.json()["detail"] == "no such ticket in this district"

    second_provider = await assigned(settings, district_a, ticket_id, second)
    await deliver(settings, released)  # the first one's hand-back again (a redelivery): the second keeps it
    _, confirmed = await upload(client, volunteer(issuer, district_a, second), body, data)
    assert confirmed.status_code == 200, confirmed.text
    resolved = TicketResolved(tenant_id=district_a.id, ticket_id=ticket_id, level=0, provider_id=second_provider)
    await deliver(settings, resolved)
    late = await client.post(UPLOADS, json=body, headers=volunteer(issuer, district_a, second))
    assert late.status_code == 404


async def test_a_wishs_claimer_files_its_photo(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District, district_b: District
) -> None:
    grid_id = await grid(settings, district_a, f"{district_a.streets[1]}g3/")
    wish_id, claimer = uuid.uuid4(), uuid.uuid4()
    claimed = WishClaimed(
        tenant_id=district_a.id, wish_id=wish_id, grid_id=grid_id, claimer_kind="person", claimer_user_id=claimer
    )
    await deliver(settings, claimed)
    data = png()
    body = photo_of("wish", wish_id, data, "wish_evidence")
    not_theirs = await client.post(UPLOADS, json=body, headers=volunteer(issuer, district_a, uuid.uuid4()))
    assert not_theirs.status_code == 404
    # the same login in another district: no such wish there
    assert (await client.post(UPLOADS, json=body, headers=volunteer(issuer, district_b, claimer))).status_code == 404
    _, confirmed = await upload(client, volunteer(issuer, district_a, claimer), body, data)
    assert confirmed.status_code == 200, confirmed.text
    document = confirmed.json()["document"]
    # the wish's grid's staff read it (anchored on the wish's grid), another street's do not
    url = f"/api/documents/documents/{document['id']}"
    assert (await client.get(url, headers=staff(issuer, district_a, "street_admin", district_a.streets[1]))).is_success
    elsewhere = staff(issuer, district_a, "street_admin", district_a.streets[0])
    assert (await client.get(url, headers=elsewhere)).status_code == 404
    [event] = await evidence_events(district_a, document["id"])
    assert (event["subject_kind"], event["subject_id"], event["filed_by"]) == ("wish", str(wish_id), str(claimer))
