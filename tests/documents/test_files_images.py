"""What the worker reads of a stored photo (DOC-05): when it was taken and an upright thumbnail of at most 320 px;
``VersionStored`` reaches documents' one handler, which also indexes the file for search, once."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime

import httpx
from PIL import Image
from sqlalchemy.ext.asyncio import AsyncSession

import services.documents.files.actors  # noqa: F401 - registers the handler
from services.documents.events import consumer
from services.documents.library.models import DocumentVersion
from shared.contracts.documents import VersionStored
from shared.settings import Settings
from tests.documents.builders import District, bearer, street_admin
from tests.documents.uploads_support import Client, file_body, jpeg, upload
from tests.platform.events import envelope
from tests.platform.tokens import TestIssuer


async def _version(district: District, version_id: str) -> DocumentVersion:
    async def read(session: AsyncSession) -> DocumentVersion | None:
        return await session.get(DocumentVersion, uuid.UUID(version_id))

    found: DocumentVersion = await district.run(read)
    return found


async def test_a_photo_gets_its_taken_time_and_an_upright_thumbnail(
    client: Client, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    headers = bearer(street_admin(issuer, district_a))
    # taken in portrait: the camera stored it sideways with orientation 6 (turn 90 degrees clockwise to view)
    data = jpeg(800, 600, taken="2026:05:01 09:30:00", orientation=6)
    body = file_body("photo", data, "image/jpeg", unitPath=district_a.streets[0])
    started, confirmed = await upload(client, headers, body, data)
    assert confirmed.status_code == 200, confirmed.text
    stored = confirmed.json()["version"]
    event = VersionStored(
        tenant_id=district_a.id,
        document_id=uuid.UUID(started["document"]["id"]),
        version_id=uuid.UUID(stored["id"]),
        number=1,
        type_code="photo",
        content_type="image/jpeg",
        size_bytes=len(data),
    )
    consumer._settings = settings
    assert await consumer.handle(envelope(event)) is True

    version = await _version(district_a, stored["id"])
    assert version.taken_at == datetime(2026, 5, 1, 1, 30, tzinfo=UTC)  # 09:30 in the district's time
    assert version.processed_at is not None
    assert version.thumbnail_key == f"tenants/{district_a.id}/thumbnails/{started['document']['id']}/1"
    shown = await client.get(f"/api/documents/documents/{started['document']['id']}", headers=headers)
    assert shown.json()["version"]["hasThumbnail"] is True
    assert shown.json()["version"]["takenAt"].startswith("2026-05-01T01:30:00")

    link = await client.get(f"/api/documents/documents/{started['document']['id']}/thumbnail", headers=headers)
    assert link.status_code == 200
    async with httpx.AsyncClient() as http:
        fetched = await http.get(link.json()["url"])
    assert fetched.headers["content-type"] == "image/jpeg"
    with Image.open(io.BytesIO(fetched.content)) as thumbnail:
        assert thumbnail.format == "JPEG"
        assert thumbnail.size == (240, 320)  # upright: portrait, at most 320 px

    # the same event again (a redelivery under a new envelope): processed once
    processed = version.processed_at
    await consumer.handle(envelope(event))
    assert (await _version(district_a, stored["id"])).processed_at == processed
