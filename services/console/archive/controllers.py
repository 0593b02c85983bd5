"""档案管理 (``/console/archive``): documents past their retention awaiting a disposal decision, legal holds in
force, the deletion log (the district admin's), and a document's archive record: its retention class and date,
a change of class, a legal hold placed or released (the district admin), deletion with the reason. The documents
service judges every step; a refusal (an immutable document, one on hold) is shown above the form in words."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.archive.dossiers import DossiersController
from services.console.archive.regulations import RegulationsController
from services.console.archive.types import TypesController
from services.console.archive.words import API, BY_FIELD, NOT_ACCEPTED, REGISTRARS, STAFF, Said, refusals
from services.console.forms import FormErrors, read_form
from services.console.i18n import N_
from services.console.session import SignedIn
from services.console.web import AnyRequest, NavEntry, page, signed_in

HOME = "/console/archive"
NAV = NavEntry(HOME, N_("Records archive"), STAFF)
Cursor = Annotated[str, QueryParameter(max_length=400)]
TypeCode = Annotated[str, QueryParameter(name="type", max_length=40)]
STEPS = {"hold": "hold", "release": "hold/release"}  # the console's step -> the API's path under the document


async def class_names(api: Api) -> dict[str, str]:
    """The district's retention classes by code: their names (永久, 定期10年 ...)."""
    return {c["code"]: c["name"] for c in (await api.get(f"{API}/retention-classes"))["items"]}


def listed(request: AnyRequest, template: str, answer: dict[str, Any], **context: Any) -> Template:
    return page(request, template, items=answer["items"], more=answer.get("next"), **context)


class ArchiveController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*STAFF)

    @get("/")
    async def due(self, request: AnyRequest, api: NamedDependency[Api], after: Cursor = "") -> Template:
        """Documents whose retention has run out and are not held: the archive's disposal decisions."""
        answer = await api.get(f"{API}/retention/due", limit=50, cursor=after or None)
        return listed(request, "archive/due.html", answer, tab="due", classes=await class_names(api))

    @get("/records")
    async def records(
        self, request: AnyRequest, api: NamedDependency[Api], kind: TypeCode = "", after: Cursor = ""
    ) -> Template:
        """The documents the user may read, newest first, with their retention: where a record is opened."""
        answer = await api.get(f"{API}/documents", type=kind or None, limit=50, cursor=after or None)
        types = (await api.get(f"{API}/types"))["items"]
        classes = await class_names(api)
        return listed(request, "archive/records.html", answer, tab="records", types=types, kind=kind, classes=classes)

    @get("/holds")
    async def holds(self, request: AnyRequest, api: NamedDependency[Api], after: Cursor = "") -> Template:
        answer = await api.get(f"{API}/documents/holds", limit=50, cursor=after or None)
        return listed(request, "archive/holds.html", answer, tab="holds")

    @get("/deletions", guards=signed_in(*REGISTRARS))
    async def deletions(self, request: AnyRequest, api: NamedDependency[Api], after: Cursor = "") -> Template:
        answer = await api.get(f"{API}/deletions", limit=50, cursor=after or None)
        classes = await class_names(api)
        return listed(request, "archive/deletions.html", answer, tab="deletions", classes=classes)

    async def _record(
        self,
        request: AnyRequest,
        api: Api,
        user: SignedIn,
        document_id: UUID,
        status: int = 200,
        errors: FormErrors | None = None,
        refused: list[Said] | None = None,
        form: str = "",
    ) -> Template:
        document = await api.get(f"{API}/documents/{document_id}")
        classes = (await api.get(f"{API}/retention-classes"))["items"]
        doc_type = await api.get(f"{API}/types/{document['typeCode']}")
        return page(
            request,
            "archive/document.html",
            status,
            d=document,
            type_name=doc_type["name"],
            classes={c["code"]: c for c in classes},
            registrar=user.has_role(*REGISTRARS),
            errors=errors or FormErrors(),
            refused=refused or [],
            form=form,
        )

    @get("/documents/{document_id:uuid}")
    async def record(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        user: NamedDependency[SignedIn],
        document_id: FromPath[UUID],
    ) -> Template:
        return await self._record(request, api, user, document_id)

    async def _step(
        self, request: AnyRequest, api: Api, user: SignedIn, document_id: UUID, form: str, call: Any
    ) -> Template | Redirect:
        """One step on the document: done, then its record again; or the record with why not (nothing changed)."""
        try:
            await call
        except ApiError as refusal:
            if refusal.status not in (403, 409, 422):
                raise
            if refusal.status == 422:
                fields = {k: BY_FIELD.get(k, NOT_ACCEPTED) for k in refusal.fields} or {"reason": NOT_ACCEPTED}
                errors = FormErrors(fields=fields)
                return await self._record(request, api, user, document_id, 422, errors, None, form)
            said = refusals(refusal)
            return await self._record(request, api, user, document_id, refusal.status, None, said, form)
        return Redirect(f"{HOME}/documents/{document_id}", status_code=303)

    async def _reasoned(
        self, request: AnyRequest, api: Api, user: SignedIn, document_id: UUID, form: str, path: str
    ) -> Template | Redirect:
        reason = (await read_form(request)).get("reason", "").strip()
        if not reason:
            errors = FormErrors(fields={"reason": BY_FIELD["reason"]})
            return await self._record(request, api, user, document_id, 422, errors, None, form)
        call = api.post(f"{API}/documents/{document_id}/{path}", {"reason": reason})
        return await self._step(request, api, user, document_id, form, call)

    @post("/documents/{document_id:uuid}/delete")
    async def delete(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        user: NamedDependency[SignedIn],
        document_id: FromPath[UUID],
    ) -> Template | Redirect:
        return await self._reasoned(request, api, user, document_id, "delete", "deletion")

    @post("/documents/{document_id:uuid}/hold", guards=signed_in(*REGISTRARS))
    async def hold(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        user: NamedDependency[SignedIn],
        document_id: FromPath[UUID],
    ) -> Template | Redirect:
        return await self._reasoned(request, api, user, document_id, "hold", STEPS["hold"])

    @post("/documents/{document_id:uuid}/release", guards=signed_in(*REGISTRARS))
    async def release(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        user: NamedDependency[SignedIn],
        document_id: FromPath[UUID],
    ) -> Template | Redirect:
        return await self._reasoned(request, api, user, document_id, "release", STEPS["release"])

    @post("/documents/{document_id:uuid}/retention")
    async def retention(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        user: NamedDependency[SignedIn],
        document_id: FromPath[UUID],
    ) -> Template | Redirect:
        chosen = (await read_form(request)).get("retentionClass", "").strip()
        if not chosen:
            errors = FormErrors(fields={"retentionClass": BY_FIELD["retentionClass"]})
            return await self._record(request, api, user, document_id, 422, errors, None, "retention")
        call = api.call("PATCH", f"{API}/documents/{document_id}/retention", json={"retentionClass": chosen})
        return await self._step(request, api, user, document_id, "retention", call)


CONTROLLERS = [ArchiveController, RegulationsController, DossiersController, TypesController]
