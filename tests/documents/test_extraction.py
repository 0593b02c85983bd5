"""Text out of stored files (DOC-06, DOC-07): a PDF, a Word file, an Excel cell and an OCRed image are found by
their words; a broken file is indexed by its title and logged, never retried in a loop."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.documents.extraction.text import DOCX, PDF, XLSX
from services.documents.library.models import DocumentVersion
from services.documents.search.indexing import extract_and_index
from services.documents.search.models import DocumentSearch
from services.documents.search.words import normalise, words
from shared.settings import Settings
from shared.storage.store import ObjectStore
from tests.documents import extraction_files as files
from tests.documents.builders import District, admin, bearer
from tests.platform.tokens import TestIssuer

Client = AsyncTestClient[Any]


async def stored(
    district: District, store: ObjectStore, title: str, data: bytes | None, content_type: str
) -> uuid.UUID:
    """A document whose first version's file is ``data`` in the store (None: the object is missing), then
    what the VersionStored handler does with it."""
    document = await district.add_document(title)

    async def one_chunk() -> AsyncIterator[bytes]:
        yield data or b""

    async def handle(session: AsyncSession) -> None:
        version = await session.scalar(select(DocumentVersion).where(DocumentVersion.document_id == document.id))
        assert version is not None
        if data is not None:
            await store.put_stream(version.object_key, one_chunk(), max_bytes=len(data) + 1)
        version.content_type = content_type
        version.size_bytes = len(data or b"")
        await extract_and_index(session, store, version)

    await district.run(handle)
    return document.id


async def search(client: Client, token: str, q: str) -> list[dict[str, Any]]:
    answer = await client.get("/api/documents/search", params={"q": q}, headers=bearer(token))
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


async def extraction_of(district: District, document_id: uuid.UUID) -> str | None:
    async def read(session: AsyncSession) -> str | None:
        state: str | None = await session.scalar(
            select(DocumentSearch.extraction).where(DocumentSearch.document_id == document_id)
        )
        return state

    result: str | None = await district.run(read)
    return result


async def test_words_in_a_pdf_a_word_file_and_a_workbook_are_found(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    store = ObjectStore(settings)
    in_pdf = await stored(district_a, store, "扫描件一", files.pdf("瑶溪街道本月抄告单办理情况"), PDF)
    in_docx = await stored(
        district_a, store, "文件二", files.docx("关于推进红色细胞工程的实施方案", "各楼栋长名单"), DOCX
    )
    in_xlsx = await stored(district_a, store, "表格三", files.xlsx("南浦社区四和院活动场地"), XLSX)
    token = admin(issuer, district_a)

    for word, document_id in (("抄告单", in_pdf), ("红色细胞", in_docx), ("楼栋长", in_docx), ("四和院", in_xlsx)):
        hits = await search(client, token, word)
        assert [hit["document"]["id"] for hit in hits] == [str(document_id)], word
        assert word in hits[0]["snippet"], hits[0]
    assert {await extraction_of(district_a, row) for row in (in_pdf, in_docx, in_xlsx)} == {"read"}


async def test_an_image_is_read_by_ocr(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    photo = await stored(
        district_a,
        ObjectStore(settings),
        "手机拍照",
        files.png("流动党员登记表", "瑶溪街道第三网格", "登记日期：2026年12月6日"),
        "image/png",
    )

    hits = await search(client, admin(issuer, district_a), "流动党员")
    assert [hit["document"]["id"] for hit in hits] == [str(photo)]
    assert await extraction_of(district_a, photo) == "read"


async def test_a_file_that_cannot_be_read_is_found_by_its_title(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    store = ObjectStore(settings)
    broken = await stored(district_a, store, "损坏的抄告单扫描件", b"%PDF-1.4\n1 0 obj <<< broken", PDF)
    missing = await stored(district_a, store, "丢失的抄告单附件", None, PDF)
    no_text = await stored(district_a, store, "抄告单录音", b"ID3\x03\x00" + bytes(64), "audio/mpeg")

    hits = await search(client, admin(issuer, district_a), "抄告单")
    assert {hit["document"]["id"] for hit in hits} == {str(broken), str(missing), str(no_text)}
    assert await extraction_of(district_a, broken) == "unreadable"
    assert await extraction_of(district_a, missing) == "unreadable"
    assert await extraction_of(district_a, no_text) == "skipped"


def test_ocr_spacing_is_removed_before_segmenting() -> None:
    assert normalise("党 员 考 绩 月 报 表 2026 年") == "党员考绩月报表 2026 年"
    assert "党员考绩" in words("党 员 考 绩 月 报 表")
    assert "抄告单" in words("关于发出抄告单的说明")
