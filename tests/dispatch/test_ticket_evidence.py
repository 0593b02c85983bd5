"""Photos of a ticket's work: added by the provider holding the order while it is theirs (or by staff), kept in the
object store under the district's prefix, listed with who took them, served back to staff; refused from anyone
else, after the order is no longer theirs, when not a JPEG or PNG, when too large, from another district."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.models import Provider, TicketEvidence
from shared.settings import Settings
from shared.storage import ObjectStore
from tests.dispatch.builders import District, as_provider, bearer, operator
from tests.dispatch.test_routing import Client, offers
from tests.dispatch.test_tasks import offered
from tests.dispatch.test_wishes import JPEG, PNG
from tests.platform.tokens import TestIssuer

PROBLEM = "application/problem+json"


def url(ticket: dict[str, Any], evidence_id: str = "") -> str:
    return f"/api/dispatch/tickets/{ticket['id']}/evidence" + (f"/{evidence_id}" if evidence_id else "")


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


def stored_keys(settings: Settings, district: District) -> list[str]:
    """Every object under the district's ticket-evidence prefix (nothing is left behind by a refusal)."""
    store = ObjectStore(settings)
    prefix = f"tenants/{district.id}/ticket-evidence/"
    return sorted(o.object_name for o in store.client.list_objects(store.bucket, prefix=prefix, recursive=True))


async def audited(district: District, ticket: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    async def read(session: AsyncSession) -> list[tuple[str, dict[str, Any]]]:
        found = await session.execute(
            text(
                "SELECT actor_id, detail FROM audit_event WHERE action = 'dispatch.ticket.evidence_added' "
                "AND subject_id = :s ORDER BY id"
            ),
            {"s": ticket["id"]},
        )
        return [(row[0], dict(row[1])) for row in found]

    result: list[tuple[str, dict[str, Any]]] = await district.run(read)
    return result


async def test_the_provider_holding_the_order_adds_a_photo_and_staff_see_it(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    ticket, provider, mine = await accepted(client, issuer, district_a, settings)
    added = await client.post(url(ticket), content=PNG, headers={**mine, "Content-Type": "image/png"})
    assert added.status_code == 201, added.text
    photo = added.json()
    assert (photo["ticketId"], photo["contentType"], photo["sizeBytes"], photo["sha256"]) == (
        ticket["id"],
        "image/png",
        len(PNG),
        hashlib.sha256(PNG).hexdigest(),
    )
    assert (photo["uploadedByKind"], photo["uploadedByName"]) == ("provider", provider.name)
    [row] = await rows(district_a, ticket)
    assert row.object_key == f"tenants/{district_a.id}/ticket-evidence/{photo['id']}/1"
    info = await ObjectStore(settings).stat(row.object_key)
    assert info is not None
    assert (info.size, info.content_type) == (len(PNG), "image/png")
    [(actor, detail)] = await audited(district_a, ticket)
    assert (actor, detail["evidenceId"], detail["sha256"]) == (str(provider.user_id), photo["id"], photo["sha256"])

    # the same photo sent again (the form submitted twice) is kept once
    again = await client.post(url(ticket), content=PNG, headers=mine)
    assert again.status_code == 200, again.text
    assert again.json()["id"] == photo["id"]
    assert len(await rows(district_a, ticket)) == 1
    assert stored_keys(settings, district_a) == [row.object_key]

    desk = operator(issuer, district_a)
    listed = await client.get(url(ticket), headers=desk)
    assert listed.status_code == 200, listed.text
    assert [(p["id"], p["uploadedByName"]) for p in listed.json()] == [(photo["id"], provider.name)]
    shown = await client.get(url(ticket, photo["id"]), headers=desk)
    assert shown.status_code == 200, shown.text
    assert (shown.content, shown.headers["content-type"]) == (PNG, "image/png")
    assert shown.headers["x-content-type-options"] == "nosniff"
    assert (await client.get(url(ticket, photo["id"]), headers=mine)).content == PNG  # their own order's photo
    assert (await client.get(url(ticket, str(uuid.uuid4())), headers=desk)).status_code == 404


async def test_another_provider_gets_a_404_and_the_holder_a_409_once_it_is_resolved(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    ticket, provider, mine = await accepted(client, issuer, district_a, settings)
    someone_else = as_provider(issuer, district_a, await district_a.add_provider(grid=district_a.grids[0]))
    for method, path, body in (("POST", url(ticket), PNG), ("GET", url(ticket), None)):
        refused = await client.request(method, path, content=body, headers=someone_else)
        assert refused.status_code == 404, refused.text
        assert refused.headers["content-type"].startswith(PROBLEM)
    added = (await client.post(url(ticket), content=PNG, headers=mine)).json()
    assert (await client.get(url(ticket, added["id"]), headers=someone_else)).status_code == 404

    done = {"note": "已更换水管接头,试水无渗漏", "serviceMinutes": 30}
    resolved = await client.post(f"/api/dispatch/tickets/{ticket['id']}/resolution", json=done, headers=mine)
    assert resolved.status_code == 200, resolved.text
    late = await client.post(url(ticket), content=JPEG, headers=mine)
    assert late.status_code == 409, late.text
    expected = "photos are added while the order is yours: signed for or on site (now: 已办结待回访)"
    assert late.json()["detail"] == expected
    assert [r.sha256 for r in await rows(district_a, ticket)] == [added["sha256"]]
    # staff may still add one until the ticket is closed (a photo the volunteer sent by other means)
    desk = operator(issuer, district_a)
    by_desk = await client.post(url(ticket), content=JPEG, headers=desk)
    assert by_desk.status_code == 201, by_desk.text
    assert (by_desk.json()["uploadedByKind"], by_desk.json()["contentType"]) == ("staff", "image/jpeg")
    listed = (await client.get(url(ticket), headers=mine)).json()  # the holder lists their order's photos
    assert listed[0]["uploadedByName"] == provider.name
    assert len(await rows(district_a, ticket)) == len(stored_keys(settings, district_a)) == 2


async def test_a_photo_must_be_a_jpeg_or_png_of_at_most_ten_mebibytes(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    ticket, _, mine = await accepted(client, issuer, district_a, settings)
    lying = await client.post(
        url(ticket), content=b"%PDF-1.7 not a photo", headers={**mine, "Content-Type": "image/png"}
    )
    assert lying.status_code == 422, lying.text
    assert lying.headers["content-type"].startswith(PROBLEM)
    assert lying.json()["errors"] == [{"field": "body", "message": "not a JPEG or PNG image"}]
    assert (await client.post(url(ticket), content=b"", headers=mine)).status_code == 422
    too_big = await client.post(url(ticket), content=PNG + b"\x00" * (10 * 1024 * 1024), headers=mine)
    assert too_big.status_code == 413, too_big.text
    assert too_big.headers["content-type"].startswith(PROBLEM)
    assert await rows(district_a, ticket) == []
    assert stored_keys(settings, district_a) == []
    assert await audited(district_a, ticket) == []


async def test_another_districts_ticket_is_a_404(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District, district_b: District
) -> None:
    ticket, provider, mine = await accepted(client, issuer, district_a, settings)
    added = (await client.post(url(ticket), content=PNG, headers=mine)).json()
    elsewhere = (
        operator(issuer, district_b),
        bearer(issuer, district_b.id, ["volunteer"], user_id=provider.user_id),
    )
    for headers in elsewhere:
        for method, path, body in (
            ("POST", url(ticket), JPEG),
            ("GET", url(ticket), None),
            ("GET", url(ticket, added["id"]), None),
        ):
            refused = await client.request(method, path, content=body, headers=headers)
            assert refused.status_code == 404, (path, refused.text)
    assert len(await rows(district_a, ticket)) == 1
