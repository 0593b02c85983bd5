"""A volunteer's photo filed in the documents service, as evidence of a ticket's work or of a fulfilled wish.

The console server, with the user's token, asks documents for an upload (``POST /api/documents/uploads``), sends the
bytes to the presigned URL it grants (the gateway's route to the store, used unchanged) and confirms it. Documents
then tells dispatch (``EvidenceFiled``), which keeps the document's id a moment later: ``until_listed`` waits, briefly,
for dispatch to list it before the order is resolved or the wish fulfilled on it.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable
from typing import Any

from services.console.api import Api, ApiError
from services.console.i18n import N_
from services.console.volunteer.completion import PHOTO_NOT_IMAGE, Photo

UPLOADS = "/api/documents/uploads"
# the photo types documents keeps as a ticket's and a wish's evidence (documents/uploads/rights.py EVIDENCE_TYPES)
TYPES = {"ticket": "service_photo", "wish": "wish_evidence"}
SETTLE_S = 5.0  # how long the page waits for dispatch to list a filed photo (or for documents to know the holder)
POLL_S = 0.25
STILL_FILING = N_("The photo is still being filed. Please submit again in a moment.")
NOT_SENT = N_("The photo could not be sent. Please try again.")


class PhotoRefusedError(Exception):
    """Why the photo was not filed: ``message`` (beside the photo field when ``field``, else above the form), or
    ``not_now``: the order or wish is no longer the volunteer's to add to (the caller says so in its words)."""

    def __init__(self, message: str = "", *, field: bool = False, not_now: bool = False) -> None:
        super().__init__(message)
        self.message, self.field, self.not_now = message, field, not_now


def digest(photo: Photo) -> str:
    return hashlib.sha256(photo.content).hexdigest()


async def _settled(check: Callable[[], Awaitable[bool]]) -> bool:
    """Whether ``check`` came true within ``SETTLE_S`` (asked every ``POLL_S``)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + SETTLE_S
    while not await check():
        if loop.time() >= deadline:
            return False
        await asyncio.sleep(POLL_S)
    return True


async def _start(api: Api, body: dict[str, Any]) -> dict[str, Any]:
    """The granted upload; a 404 is retried a moment: documents may not have heard yet that the order is theirs."""
    answer: dict[str, Any] = {}

    async def granted() -> bool:
        try:
            answer.update(await api.post(UPLOADS, body))
        except ApiError as refused:
            if refused.status == 404:
                return False
            if refused.status in (413, 415, 422):
                raise PhotoRefusedError(PHOTO_NOT_IMAGE, field=True) from None
            raise
        return True

    if not await _settled(granted):
        raise PhotoRefusedError(not_now=True)
    return answer


async def file_photo(api: Api, subject_kind: str, subject_id: Any, photo: Photo, title: str) -> str:
    """File ``photo`` about the ticket or wish in documents; its document id, or ``PhotoRefusedError``."""
    extension = "png" if photo.content_type == "image/png" else "jpg"
    body = {
        "typeCode": TYPES[subject_kind],
        "title": title,
        "subjectKind": subject_kind,
        "subjectId": str(subject_id),
        "filename": f"{subject_kind}-{str(subject_id)[:8]}.{extension}",
        "contentType": photo.content_type,
        "sizeBytes": len(photo.content),
    }
    started = await _start(api, body)
    grant = started["upload"]
    # the presigned URL is absolute (the gateway's /<bucket>/ route): httpx sends it as it is, with the grant's headers
    sent = await api.gateway.http.put(grant["url"], content=photo.content, headers=grant.get("headers") or {})
    if sent.status_code != 200:
        raise PhotoRefusedError(NOT_SENT)
    try:
        await api.post(f"{UPLOADS}/{started['versionId']}/confirm", {})
    except ApiError as refused:
        if refused.status == 422:  # documents read the bytes and refused them
            raise PhotoRefusedError(PHOTO_NOT_IMAGE, field=True) from None
        raise
    document_id: str = started["document"]["id"]
    return document_id


async def until_listed(read: Callable[[], Awaitable[bool]]) -> None:
    """Wait until dispatch lists the filed photo (``read``); ``STILL_FILING`` when it does not in time."""
    if not await _settled(read):
        raise PhotoRefusedError(STILL_FILING)


async def ticket_photo(api: Api, ticket_id: Any, photo: Photo, title: str) -> None:
    """The photo filed about the ticket and listed by dispatch; a photo it lists already is not sent again."""
    sha = digest(photo)
    path = f"/api/dispatch/tickets/{ticket_id}/evidence"
    if any(row.get("sha256") == sha for row in await api.get(path)):
        return
    document_id = await file_photo(api, "ticket", ticket_id, photo, title)

    async def listed() -> bool:
        return any(row.get("documentId") == document_id for row in await api.get(path))

    await until_listed(listed)


async def wish_photo(api: Api, wish_id: Any, photo: Photo, title: str) -> None:
    """The photo filed about the wish and kept by dispatch as its evidence; the same photo is not sent again."""
    path = f"/api/dispatch/wishes/{wish_id}"
    if (await api.get(path)).get("evidenceSha256") == digest(photo):
        return
    document_id = await file_photo(api, "wish", wish_id, photo, title)

    async def kept() -> bool:
        return bool((await api.get(path)).get("evidenceDocumentId") == document_id)

    await until_listed(kept)


async def photo_link(api: Api, document_id: Any) -> str:
    """A short-lived link to a filed photo: its thumbnail, or the photo itself until documents' worker made one."""
    base = f"/api/documents/documents/{document_id}"
    try:
        link = await api.get(f"{base}/thumbnail")
    except ApiError as refused:
        if refused.status != 404:
            raise
        link = await api.get(f"{base}/download", inline="true")
    url: str = link["url"]
    return url
