"""Uploading a document (``/console/documents/new``) or a new version of one, with ``static/documents.js``.

The browser never holds the user's token: it posts the form (and the chosen file's name, type and size) here, the
console asks the documents API for the upload as the user and answers the API's grant as JSON; the browser sends
the bytes straight to the presigned URL(s) (the gateway forwards ``/<bucket>/...`` to the store, same origin) and
posts here again to confirm, and is sent to the document's page. Refusals come back as JSON messages in the
catalogue's words, by form field, which the script puts beside each field.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from services.console.api import Api, ApiError
from services.console.documents.listing import types_by_code, units_of
from services.console.documents.words import BY_FIELD, READERS, SUBJECT_KINDS, human_size, kinds_of, refusal
from services.console.forms import read_form
from services.console.i18n import translations
from services.console.session import SignedIn
from services.console.training.units import TREES, unit
from services.console.web import AnyRequest, page, signed_in

HOME = "/console/documents"
Answer = Response[dict[str, Any]]


def gettext(request: AnyRequest) -> Any:
    return translations(request.app.state.console.locale).gettext


def answer(body: dict[str, Any], status: int = 200) -> Answer:
    return Response(body, status_code=status, media_type="application/json")


def refused(fields: dict[str, str], form: str | None, status: int = 422) -> Answer:
    return answer({"fields": fields, "form": form}, status)


def uploadable(kinds: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return [k for k in kinds.values() if k["origin"] == "uploaded" and k["active"]]


def declared_file(form: dict[str, str]) -> tuple[dict[str, Any], bool]:
    """The chosen file as the browser described it; False when no file was chosen."""
    size = form.get("sizeBytes", "").strip()
    body = {
        "filename": form.get("filename", "").strip(),
        "contentType": form.get("contentType", "").strip() or "application/octet-stream",
        "sizeBytes": int(size) if size.isdigit() else -1,
    }
    return body, bool(body["filename"]) and size.isdigit()


def granted(started: dict[str, Any]) -> dict[str, Any]:
    """What the browser needs of the API's answer: where to send the bytes, and what to confirm."""
    document = started["document"]
    return {
        "versionId": started["versionId"],
        "documentId": document["id"],
        "typeCode": document["typeCode"],
        "upload": started["upload"],
    }


class UploadController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*READERS)

    @get("/new")
    async def new(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        user: NamedDependency[SignedIn],
        subject_kind: FromQuery[str] = "",
        subject_id: FromQuery[UUID | None] = None,
    ) -> Template:
        """The upload form; opened from a subject's page (``?subjectKind=ticket&subjectId=``) it files on that."""
        kinds, units = await asyncio.gather(types_by_code(api), units_of(api, user))
        subject = (
            {"kind": subject_kind, "id": str(subject_id)} if subject_kind in SUBJECT_KINDS and subject_id else None
        )
        return page(
            request,
            "documents/upload.html",
            kinds=uploadable(kinds),
            units=units,
            trees=TREES,
            subject=subject,
            subject_kinds=SUBJECT_KINDS,
            district_wide=user.has_role("district_admin"),
            may_upload=True,
            size=human_size,
            accepts=lambda k: kinds_of(k["contentTypes"], gettext(request)),
        )

    @post("/uploads")
    async def start(self, request: AnyRequest, api: NamedDependency[Api]) -> Answer:
        """A new document: the API's grant of its first file's upload, or the refusals by field."""
        form = await read_form(request)
        said = gettext(request)
        file, chosen = declared_file(form)
        body: dict[str, Any] = {
            "typeCode": form.get("typeCode", "").strip(),
            "title": form.get("title", "").strip(),
            "description": form.get("description", "").strip() or None,
            **file,
        }
        missing = {name: said(BY_FIELD[name]) for name in ("typeCode", "title") if not body[name]}
        if not chosen:
            missing["file"] = said(BY_FIELD["file"])
        if form.get("subjectKind") and form.get("subjectId"):
            body.update(subjectKind=form["subjectKind"], subjectId=form["subjectId"])
        elif form.get("unit"):
            found = await _unit(api, form["unit"])
            if found is None:
                missing["unit"] = said(BY_FIELD["unit"])
            else:
                body.update(unitId=found["id"], unitPath=found["path"], unitName=found["name"])
        if missing:  # said beside each field at once, as the API would one by one; nothing asked of it
            return refused(missing, None)
        return await self._granted(request, api, "/api/documents/uploads", body, body["typeCode"])

    @post("/{document_id:uuid}/versions")
    async def start_version(
        self, request: AnyRequest, api: NamedDependency[Api], document_id: FromPath[UUID]
    ) -> Answer:
        """A new version: the API's grant of its upload, or the refusals by field."""
        form = await read_form(request)
        said = gettext(request)
        file, chosen = declared_file(form)
        body = {**file, "changeNote": form.get("changeNote", "").strip()}
        missing = {} if chosen else {"file": said(BY_FIELD["file"])}
        if not body["changeNote"]:
            missing["changeNote"] = said(BY_FIELD["changeNote"])
        if missing:
            return refused(missing, None)
        return await self._granted(request, api, f"/api/documents/documents/{document_id}/versions", body, None)

    async def _granted(
        self, request: AnyRequest, api: Api, path: str, body: dict[str, Any], code: str | None
    ) -> Answer:
        try:
            started = await api.post(path, body)
        except ApiError as error:
            if error.status not in (403, 404, 409, 413, 422):
                raise
            return await self._refusal(request, api, error, code)
        return answer(granted(started))

    @post("/uploads/{version_id:uuid}/confirm")
    async def confirm(self, request: AnyRequest, api: NamedDependency[Api], version_id: FromPath[UUID]) -> Answer:
        """The bytes were sent: the API checks and stores them; the browser goes to the document's page."""
        form = await read_form(request)
        try:
            parts = json.loads(form.get("parts") or "null")
        except ValueError:
            parts = None
        body = {"parts": parts} if isinstance(parts, list) else {}
        try:
            confirmed = await api.post(f"/api/documents/uploads/{version_id}/confirm", body)
        except ApiError as error:
            if error.status not in (404, 409, 413, 422):
                raise
            return await self._refusal(request, api, error, form.get("typeCode") or None)
        return answer({"location": f"{HOME}/{confirmed['document']['id']}"})

    async def _refusal(self, request: AnyRequest, api: Api, error: ApiError, code: str | None) -> Answer:
        kinds = await types_by_code(api) if code else {}
        fields, form = refusal(error, kinds.get(code or ""), gettext(request))
        return refused(fields, form, error.status)


async def _unit(api: Api, typed: str) -> dict[str, Any] | None:
    try:
        unit_id = UUID(typed)
    except ValueError:
        return None
    return await unit(api, str(unit_id))
