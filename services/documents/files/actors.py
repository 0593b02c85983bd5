"""The ONE handler of ``VersionStored`` (the consumer takes one per event): documents' own worker reads a version
once it is stored: an image's EXIF time and thumbnail (``images.describe``), then the text of the file for search
(``search.indexing.extract_and_index``). ``processed_at`` marks it done, so a redelivery does nothing again."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.documents.events import consumer
from services.documents.files.images import describe, is_image
from services.documents.files.store import file_store
from services.documents.library.models import DocumentVersion, VersionState
from shared.clock import now
from shared.contracts.documents import VersionStored


@consumer.on(VersionStored)
async def version_stored(session: AsyncSession, event: VersionStored) -> None:
    version = await session.get(DocumentVersion, event.version_id, with_for_update=True)
    if version is None or version.state != VersionState.STORED or version.processed_at is not None:
        return
    files = file_store(consumer.settings)
    data = None
    if is_image(version):  # read once: the thumbnail and the OCR both want the bytes
        data = await files.read_bytes(version.object_key)
        await describe(files, version, data)
    # imported here: text extraction pulls in its parsers (and jieba's dictionary) only where it runs
    from services.documents.search.indexing import extract_and_index

    await extract_and_index(session, files.objects, version, data=data)
    version.processed_at = now()
