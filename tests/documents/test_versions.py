"""New versions of a document (DOC-04): uploaded and confirmed as the first was, by staff who may file on the
document's unit or by its creator; immutable documents and documents under legal hold take none."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from services.documents.library.models import Document
from tests.documents.builders import District, admin, bearer, street_admin
from tests.documents.uploads_support import UPLOADS, Client, file_body, pdf, send, upload
from tests.platform.tokens import TestIssuer


def _version(data: bytes, note: str = "更正了第二页") -> dict[str, Any]:
    return {
        "filename": "纪要（修订）.pdf",
        "contentType": "application/pdf",
        "sizeBytes": len(data),
        "changeNote": note,
    }


async def _first(client: Client, headers: dict[str, str], district: District, type_code: str = "minutes") -> str:
    data = pdf()
    body = file_body(type_code, data, "application/pdf", unitPath=district.streets[0])
    started, confirmed = await upload(client, headers, body, data)
    assert confirmed.status_code == 200, confirmed.text
    document_id: str = started["document"]["id"]
    return document_id


async def test_a_new_version_is_uploaded_confirmed_and_becomes_current(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    headers = bearer(street_admin(issuer, district_a))
    document_id = await _first(client, headers, district_a)
    data = pdf(3000)
    started = await client.post(
        f"/api/documents/documents/{document_id}/versions", json=_version(data), headers=headers
    )
    assert started.status_code == 201, started.text
    assert started.json()["document"]["currentVersion"] == 1
    assert f"/documents/{document_id}/2?" in started.json()["upload"]["url"]
    await send(started.json()["upload"], data)
    confirmed = await client.post(f"{UPLOADS}/{started.json()['versionId']}/confirm", json={}, headers=headers)
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["document"]["currentVersion"] == 2
    assert confirmed.json()["version"]["changeNote"] == "更正了第二页"
    history = await client.get(f"/api/documents/documents/{document_id}/versions", headers=headers)
    versions = history.json()["items"]
    assert [v["number"] for v in versions] == [2, 1]
    assert versions[0]["sha256"] == hashlib.sha256(data).hexdigest()
    assert versions[0]["filename"] == "纪要（修订）.pdf"


async def test_immutable_documents_and_documents_under_legal_hold_take_no_new_version(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    headers = bearer(admin(issuer, district_a))
    kept = await _first(client, headers, district_a, "review_report")  # kept long: immutable
    refused = await client.post(f"/api/documents/documents/{kept}/versions", json=_version(pdf()), headers=headers)
    assert refused.status_code == 409
    assert refused.json()["detail"] == "documents kept as long are immutable: they take no new versions"

    held = await _first(client, headers, district_a)

    async def hold(session: AsyncSession) -> None:
        await session.execute(update(Document).where(Document.id == uuid.UUID(held)).values(legal_hold=True))

    await district_a.run(hold)
    refused = await client.post(f"/api/documents/documents/{held}/versions", json=_version(pdf()), headers=headers)
    assert refused.status_code == 409
    assert "legal hold" in refused.json()["detail"]


async def test_who_may_add_a_version(client: Client, issuer: TestIssuer, district_a: District) -> None:
    user = uuid.uuid4()
    member = bearer(issuer.token(tenant=district_a.id, roles=["member"], user_id=user))
    data = pdf()
    own, confirmed = await upload(client, member, file_body("mobile_certificate", data, "application/pdf"), data)
    assert confirmed.status_code == 200
    own_id = own["document"]["id"]
    assert (
        await client.post(f"/api/documents/documents/{own_id}/versions", json=_version(data), headers=member)
    ).status_code == 201  # the creator

    staff_document = await _first(client, bearer(street_admin(issuer, district_a)), district_a)
    other_street = bearer(street_admin(issuer, district_a, street=1))
    other_member = bearer(issuer.token(tenant=district_a.id, roles=["member"]))
    for headers in (other_street, other_member):
        refused = await client.post(
            f"/api/documents/documents/{staff_document}/versions", json=_version(data), headers=headers
        )
        assert refused.status_code == 404  # they do not read it

    bad = await client.post(
        f"/api/documents/documents/{staff_document}/versions",
        json={**_version(data), "sizeBytes": "12"},
        headers=bearer(admin(issuer, district_a)),
    )
    assert bad.status_code == 422
    assert "body.sizeBytes" in bad.text
