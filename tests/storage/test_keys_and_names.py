"""Server-built object keys, content sniffing and display filenames (no I/O)."""

from __future__ import annotations

import io
import uuid
import zipfile

import pytest

from shared.context import tenant_scope
from shared.storage import (
    InvalidObjectKeyError,
    ObjectStore,
    content_disposition,
    key_tenant,
    sanitize_filename,
    sniff_content_type,
    tenant_key,
)


def test_tenant_key_layout() -> None:
    tenant, doc = uuid.uuid4(), uuid.uuid4()
    key = tenant_key(tenant, "attachment", doc, 3)
    assert key == f"tenants/{tenant}/attachment/{doc}/3"
    assert ObjectStore.tenant_key(str(tenant), "attachment", str(doc), 3) == key
    assert key_tenant(key) == tenant


def test_keys_of_one_tenant_never_start_with_another_prefix() -> None:
    a, b = uuid.uuid4(), uuid.uuid4()
    keys = [tenant_key(a, kind, uuid.uuid4(), v) for kind in ("doc", "photo", "training-record") for v in (1, 2)]
    assert all(k.startswith(f"tenants/{a}/") for k in keys)
    assert not any(k.startswith(f"tenants/{b}") for k in keys)


@pytest.mark.parametrize(
    "kind", ["../x", "..", "a/b", "", "Doc", "doc ", "doc%2f", "-doc", "文档", "a" * 41, "doc\n", "doc.pdf"]
)
def test_bad_kind_is_rejected(kind: str) -> None:
    with pytest.raises(InvalidObjectKeyError):
        tenant_key(uuid.uuid4(), kind, uuid.uuid4(), 1)


@pytest.mark.parametrize(
    ("tenant", "document", "version"),
    [
        ("../../etc", uuid.uuid4(), 1),
        (uuid.uuid4(), "not-a-uuid", 1),
        (uuid.uuid4(), uuid.uuid4(), 0),
        (uuid.uuid4(), uuid.uuid4(), -1),
        (uuid.uuid4(), uuid.uuid4(), True),
        (uuid.uuid4(), uuid.uuid4(), "1"),
    ],
)
def test_bad_ids_and_versions_are_rejected(tenant: object, document: object, version: object) -> None:
    with pytest.raises(InvalidObjectKeyError):
        tenant_key(tenant, "doc", document, version)  # type: ignore[arg-type]


def test_operations_refuse_foreign_and_hand_made_keys(store: ObjectStore) -> None:
    a, b = uuid.uuid4(), uuid.uuid4()
    key_a = tenant_key(a, "doc", uuid.uuid4(), 1)
    with tenant_scope(b), pytest.raises(InvalidObjectKeyError):
        store.presigned_get(key_a)
    with tenant_scope(a):
        assert key_a in store.presigned_get(key_a)
    for hand_made in (f"tenants/{a}/doc/../../x", "other/key", key_a + "/extra", key_a.replace("/1", "/01")):
        with pytest.raises(InvalidObjectKeyError):
            store.presigned_get(hand_made)


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.writestr(name, "<xml/>" * 50)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"GIF89a\x01\x00\x01\x00", "image/gif"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (
            _zip("[Content_Types].xml", "_rels/.rels", "word/document.xml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            _zip("[Content_Types].xml", "docProps/app.xml", "xl/workbook.xml"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (_zip("notes.txt"), "application/zip"),
        ("会议纪要：第一网格\n".encode(), "text/plain; charset=utf-8"),
        (b"\xef\xbb\xbfname,phone\n", "text/plain; charset=utf-8"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "application/octet-stream"),
        (b"\x00\x01\x02binary", "application/octet-stream"),
        (b"", "application/octet-stream"),
    ],
)
def test_sniffing(head: bytes, expected: str) -> None:
    assert sniff_content_type(head, complete=True) == expected


def test_hint_only_refines_text() -> None:
    assert sniff_content_type(b"a,b\n1,2\n", complete=True, hint="text/csv") == "text/csv; charset=utf-8"
    assert sniff_content_type(b"a,b\n", complete=True, hint="application/pdf") == "text/plain; charset=utf-8"
    assert sniff_content_type(b"\x89PNG\r\n\x1a\n", hint="text/plain") == "image/png"
    assert sniff_content_type(b"<script>x</script>", complete=True, hint="text/html") == "text/plain; charset=utf-8"


def test_text_cut_inside_a_character_is_still_text() -> None:
    data = "网格员名单".encode()
    assert sniff_content_type(data[:-1], complete=False) == "text/plain; charset=utf-8"
    assert sniff_content_type(data[:-1], complete=True) == "application/octet-stream"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("会议纪要.pdf", "会议纪要.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\a\\报告.docx", "报告.docx"),
        ('a<b>c:d"e|f?g*.txt', "a_b_c_d_e_f_g_.txt"),
        ("invoice\u202egpj.exe", "invoicegpj.exe"),
        ("line\r\nbreak.txt", "linebreak.txt"),
        ("  ..hidden.  ", "hidden"),
        ("CON.txt", "_CON.txt"),
        ("", "download"),
        ("...", "download"),
        (None, "download"),
    ],
)
def test_sanitize_filename(raw: str | None, clean: str) -> None:
    assert sanitize_filename(raw) == clean


def test_long_names_keep_their_extension() -> None:
    name = sanitize_filename("长" * 300 + ".pdf")
    assert name.endswith(".pdf")
    assert len(name.encode()) <= 200


def test_content_disposition_rfc5987() -> None:
    header = content_disposition("第一网格 会议纪要.pdf")
    assert header.startswith("attachment; ")
    assert 'filename="download.pdf"' in header  # clients without RFC 5987 get a neutral ASCII name
    assert "filename*=UTF-8''%E7%AC%AC%E4%B8%80%E7%BD%91%E6%A0%BC%20%E4%BC%9A%E8%AE%AE%E7%BA%AA%E8%A6%81.pdf" in header
    assert content_disposition('report "final".pdf') == (
        "attachment; filename=\"report _final_.pdf\"; filename*=UTF-8''report%20_final_.pdf"
    )
