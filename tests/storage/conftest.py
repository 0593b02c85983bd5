from __future__ import annotations

from collections.abc import AsyncIterator, Iterable

import pytest

from shared.settings import Settings
from shared.storage import MIN_PART_BYTES, ObjectStore


@pytest.fixture(scope="session")
def store(settings: Settings) -> ObjectStore:
    # Smallest legal parts, so a ~11 MiB upload already takes the multipart path.
    return ObjectStore(settings, part_bytes=MIN_PART_BYTES)


async def chunked(data: bytes, size: int = 64 * 1024) -> AsyncIterator[bytes]:
    """A request body as a server hands it over: an async stream of chunks."""
    for start in range(0, len(data), size):
        yield data[start : start + size]


async def from_parts(parts: Iterable[bytes]) -> AsyncIterator[bytes]:
    for part in parts:
        yield part
