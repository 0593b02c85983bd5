"""Downloads (DOC-02, DOC-03): a short-lived presigned link, issued only to whoever reads the document and audited;
an attachment under its sanitised name with the type read from its bytes, inline only for PDFs and images."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.documents.builders import District, admin, bearer, street_admin
from tests.documents.uploads_support import Client, file_body, pdf, upload
from tests.platform.tokens import TestIssuer

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _docx() -> bytes:
    """The first bytes of a Word file: a zip whose first entry lies under ``word/``."""
    name = b"word/document.xml"
    header = b"PK\x03\x04" + b"\x14\x00" + b"\x00" * 20 + len(name).to_bytes(2, "little") + b"\x00\x00"
    return header + name + b"<w:document/>" * 10


async def _downloads_audited(district: District, document_id: str) -> int:
    async def read(session: AsyncSession) -> int:
        statement = text("SELECT count(*) FROM audit_event WHERE action = 'documents.downloaded' AND subject_id = :d")
        return int(await session.scalar(statement.bindparams(d=document_id)) or 0)

    counted: int = await district.run(read)
    return counted


async def test_a_reader_gets_a_short_lived_attachment_link_and_the_download_is_audited(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    headers = bearer(street_admin(issuer, district_a))
    data = pdf(3000)
    body = file_body("minutes", data, "application/pdf", unitPath=district_a.streets[0], filename="会议 纪要.pdf")
    started, _ = await upload(client, headers, body, data)
    document_id = started["document"]["id"]
    link = await client.get(f"/api/documents/documents/{document_id}/download", headers=headers)
    assert link.status_code == 200, link.text
    answer = link.json()
    assert answer["filename"] == "会议 纪要.pdf"
    assert answer["contentType"] == "application/pdf"
    assert "X-Amz-Expires=120" in answer["url"]
    async with httpx.AsyncClient() as http:
        fetched = await http.get(answer["url"])
    assert fetched.status_code == 200
    assert fetched.content == data
    assert fetched.headers["content-type"] == "application/pdf"
    assert fetched.headers["content-disposition"].startswith("attachment;")
    assert "filename*=UTF-8''%E4%BC%9A%E8%AE%AE%20%E7%BA%AA%E8%A6%81.pdf" in fetched.headers["content-disposition"]
    assert await _downloads_audited(district_a, document_id) == 1

    preview = await client.get(
        f"/api/documents/documents/{document_id}/download?inline=true&version=1", headers=headers
    )
    async with httpx.AsyncClient() as http:
        fetched = await http.get(preview.json()["url"])
    assert fetched.headers["content-disposition"].startswith("inline;")
    assert await _downloads_audited(district_a, document_id) == 2


async def test_inline_only_for_pdfs_and_images_and_unknown_versions_are_not_there(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    headers = bearer(admin(issuer, district_a))
    data = _docx()
    body = file_body("minutes", data, DOCX, unitPath=district_a.streets[0], filename="台账.docx")
    started, confirmed = await upload(client, headers, body, data)
    assert confirmed.status_code == 200, confirmed.text
    url = f"/api/documents/documents/{started['document']['id']}"
    inline = await client.get(f"{url}/download?inline=true", headers=headers)
    assert inline.status_code == 422
    assert inline.json()["errors"][0]["field"] == "query.inline"
    assert (await client.get(f"{url}/download", headers=headers)).json()["contentType"] == DOCX
    assert (await client.get(f"{url}/download?version=2", headers=headers)).status_code == 404
    not_a_boolean = await client.get(f"{url}/download?inline=maybe", headers=headers)
    assert not_a_boolean.status_code == 422, not_a_boolean.text
    assert "inline" in not_a_boolean.text
    assert (await client.get(f"{url}/thumbnail", headers=headers)).status_code == 404  # not an image


async def test_a_street_admin_cannot_download_another_streets_document(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    data = pdf()
    body: dict[str, Any] = file_body("minutes", data, "application/pdf", unitPath=district_a.streets[1])
    started, _ = await upload(client, bearer(admin(issuer, district_a)), body, data)
    other = bearer(street_admin(issuer, district_a, street=0))
    refused = await client.get(f"/api/documents/documents/{started['document']['id']}/download", headers=other)
    assert refused.status_code == 404
    assert await _downloads_audited(district_a, started["document"]["id"]) == 0
