"""A volunteer's completion photo goes through documents and reaches dispatch: signed for, the order is theirs to
file photos on (dispatch's TicketAssigned reaches documents), the photo is granted, PUT to the presigned URL through
the gateway and confirmed; documents' EvidenceFiled reaches dispatch, whose evidence list shows the document id
within a bounded wait. Another volunteer may not file on the order."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import httpx
from PIL import Image

from tests.console.support import new_ticket, offer_to, operator, token_of, until, volunteer
from tests.platform.platform import RunningPlatform, auth

UPLOADS = "/api/documents/uploads"


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 40, 30)).save(out, "JPEG")
    return out.getvalue()


def photo_body(ticket: dict[str, Any], data: bytes) -> dict[str, Any]:
    return {
        "typeCode": "service_photo",
        "title": "现场照片",
        "subjectKind": "ticket",
        "subjectId": ticket["id"],
        "filename": "现场.jpg",
        "contentType": "image/jpeg",
        "sizeBytes": len(data),
    }


def test_a_completion_photo_filed_in_documents_shows_in_dispatchs_evidence_list(platform: RunningPlatform) -> None:
    gateway = platform.gateway
    desk = token_of(platform, operator(platform))
    who, other = volunteer(platform), volunteer(platform)
    ticket = new_ticket(platform, desk)
    offer = offer_to(platform, desk, ticket, who.provider)
    mine = auth(who.token)
    accepted = httpx.post(f"{gateway}/api/dispatch/offers/{offer['id']}/accept", headers=mine)
    assert accepted.status_code == 200, accepted.text
    data = jpeg()

    def granted() -> dict[str, Any] | None:
        # documents hears of the assignment through dispatch's outbox: a 404 until it has
        answer = httpx.post(f"{gateway}{UPLOADS}", json=photo_body(ticket, data), headers=mine)
        assert answer.status_code in (201, 404), answer.text
        return answer.json() if answer.status_code == 201 else None

    started = until("documents knowing the order is the volunteer's", granted)
    grant = started["upload"]
    assert grant["url"].startswith(gateway)  # the gateway's route to the store, used as documents signed it
    sent = httpx.put(grant["url"], content=data, headers=grant["headers"])
    assert sent.status_code == 200, sent.text
    confirmed = httpx.post(f"{gateway}{UPLOADS}/{started['versionId']}/confirm", json={}, headers=mine)
    assert confirmed.status_code == 200, confirmed.text
    document_id = confirmed.json()["document"]["id"]

    evidence = f"{gateway}/api/dispatch/tickets/{ticket['id']}/evidence"

    def listed() -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = httpx.get(evidence, headers=auth(desk)).json()
        return [row for row in rows if row["documentId"] == document_id]

    [row] = until("dispatch listing the filed photo", listed, timeout_s=15)
    assert (row["contentType"], row["sha256"], row["sizeBytes"], row["uploadedByKind"]) == (
        "image/jpeg",
        hashlib.sha256(data).hexdigest(),
        len(data),
        "provider",
    )
    # the hotline reads the photo through documents
    link = httpx.get(f"{gateway}/api/documents/documents/{document_id}/download", headers=auth(desk))
    assert link.status_code == 200, link.text
    assert httpx.get(link.json()["url"]).content == data

    # another volunteer does not hold the order: not theirs to file on
    refused = httpx.post(f"{gateway}{UPLOADS}", json=photo_body(ticket, data), headers=auth(other.token))
    assert refused.status_code == 404, refused.text
