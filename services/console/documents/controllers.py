"""文件 (``/console/documents``): the documents the user may read (filtered by unit, type and subject, newest first,
paged with the API's cursor), full-text search with the words found marked, and a document's page: its facts, a
preview (a PDF in a frame, an image with its thumbnail), downloads of every version and the version history. The
documents API decides who reads what; another district's document or one outside the scope is its 404 page.
Uploading (a new document, a new version) is in ``uploading.py``."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.documents.listing import Filters, highlighted, registry, types_by_code, unit_paths, units_of
from services.console.documents.uploading import UploadController
from services.console.documents.words import (
    FILE_KINDS,
    HOTLINE,
    PREVIEW_IMAGES,
    READERS,
    STAFF,
    STATES,
    SUBJECT_KINDS,
    human_size,
)
from services.console.i18n import N_
from services.console.session import SignedIn
from services.console.training.units import TREES
from services.console.web import AnyRequest, NavEntry, current_user, page, signed_in

HOME = "/console/documents"
NAV = NavEntry(HOME, N_("Documents"), (*STAFF, *HOTLINE))
API = "/api/documents/documents"
Text = Annotated[str, QueryParameter(max_length=500)]
TypeParam = Annotated[str, QueryParameter(name="type", max_length=40)]
StateParam = Annotated[str, QueryParameter(name="state", max_length=10)]  # ``state`` is Litestar's own name
Version = Annotated[int | None, QueryParameter(name="version", ge=1)]


def shown(request: AnyRequest, template: str, status_code: int = 200, **context: Any) -> Template:
    words = {"subject_kinds": SUBJECT_KINDS, "states": STATES, "file_kinds": FILE_KINDS, "trees": TREES}
    user = current_user(request)
    may_upload = bool(user and user.has_role(*STAFF))  # others file from a subject's page (a ticket's)
    return page(request, template, status_code, size=human_size, may_upload=may_upload, **words, **context)


class LibraryController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*READERS)

    async def _filters(self, api: Api, user: SignedIn, query: dict[str, str]) -> tuple[Filters, dict[str, Any]]:
        kinds, units = await asyncio.gather(types_by_code(api), units_of(api, user))
        return Filters.read(query, unit_paths(units), kinds), {"kinds": kinds, "units": units}

    @get("/")
    async def library(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        user: NamedDependency[SignedIn],
        unit: Text = "",
        kind: TypeParam = "",
        subject: Text = "",
        in_state: StateParam = "",
        cursor: Text = "",
    ) -> Template:
        """The documents under the user's scope (or the unit chosen), newest first."""
        query = {"unit": unit, "type": kind, "subject": subject, "state": in_state, "cursor": cursor}
        filters, choices = await self._filters(api, user, query)
        listed = await api.get(API, **filters.listing())
        return shown(
            request,
            "documents/library.html",
            filters=filters,
            documents=listed["items"],
            next=listed.get("next"),
            **choices,
        )

    @get("/search")
    async def search(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        user: NamedDependency[SignedIn],
        q: Text = "",
        unit: Text = "",
        kind: TypeParam = "",
        cursor: Text = "",
    ) -> Template:
        """The documents containing every word typed, best first, each with the text around the first word found."""
        filters, choices = await self._filters(api, user, {"q": q, "unit": unit, "type": kind, "cursor": cursor})
        found: dict[str, Any] = {"items": [], "next": None, "limited": False}
        if filters.q:
            found = await api.get("/api/documents/search", **filters.search())
        hits = [{**hit, "marked": highlighted(hit.get("snippet"), filters.q)} for hit in found["items"]]
        return shown(
            request,
            "documents/search.html",
            filters=filters,
            hits=hits,
            next=found.get("next"),
            limited=found.get("limited", False),
            **choices,
        )

    @get("/{document_id:uuid}")
    async def document(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        user: NamedDependency[SignedIn],
        document_id: FromPath[UUID],
    ) -> Template:
        """The document's facts, its preview and its versions (a document not the user's to read: 未找到)."""
        found = await api.get(f"{API}/{document_id}")
        (kinds, classes), versions, preview = await asyncio.gather(
            registry(api), api.get(f"{API}/{document_id}/versions"), _preview(api, found)
        )
        return shown(
            request,
            "documents/document.html",
            d=found,
            kind=kinds.get(found["typeCode"]),
            retention=classes.get(found["retentionClass"]),
            versions=versions["items"],
            preview=preview,
            takes_versions=_takes_versions(found, user),
        )

    @get("/{document_id:uuid}/download")
    async def download(
        self, api: NamedDependency[Api], document_id: FromPath[UUID], number: Version = None
    ) -> Redirect:
        """Off to a short-lived link of the file (asked for at the click, so each download is audited as one)."""
        link = await api.get(f"{API}/{document_id}/download", version=number)
        return Redirect(link["url"], status_code=303)


async def _preview(api: Api, document: dict[str, Any]) -> dict[str, Any] | None:
    """What the page shows of the current file: a PDF's or an image's inline link, an image's thumbnail link."""
    version = document.get("version")
    if document["state"] != "active" or not version:
        return None
    kind = version.get("contentType") or ""
    if kind != "application/pdf" and kind not in PREVIEW_IMAGES:
        return None
    link = await api.get(f"{API}/{document['id']}/download", inline="true")
    thumbnail = None
    if version.get("hasThumbnail"):
        try:
            thumbnail = (await api.get(f"{API}/{document['id']}/thumbnail"))["url"]
        except ApiError as refused:
            if refused.status != 404:
                raise
    return {"url": link["url"], "pdf": kind == "application/pdf", "thumbnail": thumbnail}


def _takes_versions(document: dict[str, Any], user: SignedIn) -> bool:
    """Whether the page offers a new version (the API decides who may; this leaves out what never takes one)."""
    closed = document["state"] != "active" or document["immutable"] or document["legalHold"]
    return not closed and user.has_role(*STAFF, *HOTLINE)


CONTROLLERS = [UploadController, LibraryController]
