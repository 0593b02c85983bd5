"""The volunteer's photo on its way through documents to dispatch, with the APIs stood in for: filed and listed, it
lets the form go on; not listed in time, the volunteer reads in Chinese that it is still being filed; sent again,
a photo dispatch lists already is not filed twice; refused bytes are a message beside the photo field."""

from __future__ import annotations

import hashlib
from typing import Any

import httpx
import pytest

from services.console.api import ApiError
from services.console.i18n import translations
from services.console.volunteer import evidence
from services.console.volunteer.completion import PHOTO_NOT_IMAGE, Photo
from services.console.volunteer.evidence import STILL_FILING, PhotoRefusedError, ticket_photo

TICKET = "0190f0c2-0000-7000-8000-000000000001"
PHOTO = Photo(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")


class Store:
    """The gateway's route to the store: what was PUT where."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, bytes, dict[str, str]]] = []

    async def put(self, url: str, content: bytes, headers: dict[str, str]) -> httpx.Response:
        self.sent.append((url, content, headers))
        return httpx.Response(200)


class Apis:
    """Documents and dispatch as the console calls them; dispatch lists the photo after ``lists_after`` reads."""

    def __init__(self, lists_after: int | None, *, refuse: bool = False, listed: list[dict[str, Any]] | None = None):
        self.lists_after, self.refuse, self.reads = lists_after, refuse, 0
        self.listed = listed or []
        self.calls: list[tuple[str, Any]] = []
        self.gateway = type("Gateway", (), {"http": Store()})()

    async def post(self, path: str, body: Any) -> Any:
        self.calls.append((path, body))
        if path == "/api/documents/uploads":
            grant = {"method": "PUT", "url": "http://gw/redcell/k", "headers": {"Content-Type": "image/png"}}
            return {"document": {"id": "doc-1"}, "versionId": "v-1", "upload": grant}
        if self.refuse:
            raise ApiError(422, "the file was refused")
        return {"document": {"id": "doc-1"}}

    async def get(self, path: str, **_: Any) -> Any:
        self.reads += 1
        filed = self.lists_after is not None and self.reads > self.lists_after
        return [*self.listed, *([{"documentId": "doc-1", "sha256": "x"}] if filed else [])]


@pytest.fixture(autouse=True)
def _quick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evidence, "POLL_S", 0)  # asked again at once: the stand-ins answer without delay


async def test_a_filed_photo_goes_on_once_dispatch_lists_it() -> None:
    apis = Apis(lists_after=3)
    await ticket_photo(apis, TICKET, PHOTO, "现场照片")  # type: ignore[arg-type]
    [(start, body), (confirm, _)] = apis.calls
    assert (start, body["typeCode"], body["subjectKind"], body["subjectId"], body["sizeBytes"]) == (
        "/api/documents/uploads",
        "service_photo",
        "ticket",
        TICKET,
        len(PHOTO.content),
    )
    assert confirm == "/api/documents/uploads/v-1/confirm"
    assert apis.gateway.http.sent == [("http://gw/redcell/k", PHOTO.content, {"Content-Type": "image/png"})]


async def test_a_photo_not_listed_in_time_is_still_being_filed_in_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evidence, "SETTLE_S", 0.05)
    with pytest.raises(PhotoRefusedError) as refused:
        await ticket_photo(Apis(lists_after=None), TICKET, PHOTO, "现场照片")  # type: ignore[arg-type]
    assert refused.value.message == STILL_FILING
    assert not refused.value.field
    assert translations("zh_CN").gettext(STILL_FILING) == "照片仍在归档中，请稍等片刻后再提交。"


async def test_a_photo_dispatch_lists_already_is_not_filed_again() -> None:
    apis = Apis(lists_after=0, listed=[{"documentId": "doc-0", "sha256": hashlib.sha256(PHOTO.content).hexdigest()}])
    await ticket_photo(apis, TICKET, PHOTO, "现场照片")  # type: ignore[arg-type]
    assert apis.calls == []


async def test_bytes_documents_refuses_are_a_message_beside_the_photo() -> None:
    with pytest.raises(PhotoRefusedError) as refused:
        await ticket_photo(Apis(lists_after=0, refuse=True), TICKET, PHOTO, "现场照片")  # type: ignore[arg-type]
    assert (refused.value.message, refused.value.field) == (PHOTO_NOT_IMAGE, True)
