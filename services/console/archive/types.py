"""文件类型 (``/console/archive/types``), the district admin's: the registry's document types with their retention
class, visibility, public fields and largest file, one type's form to change them, and the templates of generated
documents (their name and title pattern; the layout stays as it is)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import PathParameter
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.archive.words import API, REGISTRARS
from services.console.archive.words import refused as said_in_words
from services.console.forms import FormErrors, read_form
from services.console.i18n import N_
from services.console.web import AnyRequest, page, signed_in

HOME = "/console/archive/types"
Code = Annotated[str, PathParameter(max_length=40, pattern=r"^[a-z][a-z0-9_]*$")]
MiB = 1024 * 1024
VISIBILITY = {
    "internal": N_("Staff only"),
    "subject": N_("Staff and the person it is about"),
    "public": N_("Public (may go on a board)"),
}
FIELD_NAME = re.compile(r"^[a-zA-Z][a-zA-Z0-9]*$")
BY_FIELD = {
    "retentionClass": N_("Choose one of the listed retention classes."),
    "visibility": N_("Choose who may read it."),
    "publicFields": N_("Name the public fields in Latin letters and digits, separated by commas."),
    "maxBytes": N_("Enter a size from 1 to 2048 MiB."),
    "name": N_("Enter a name of up to 60 characters."),
    "titlePattern": N_("Enter a title pattern of up to 200 characters, with the listed placeholders."),
}


def refused(error: ApiError) -> FormErrors:
    return said_in_words(error, (), BY_FIELD)


def type_change(form: dict[str, str], errors: FormErrors) -> dict[str, Any]:
    """The PATCH body from the form as typed; a message beside each field that cannot be sent."""
    fields = [name.strip() for name in form.get("publicFields", "").replace("，", ",").split(",") if name.strip()]
    if not all(FIELD_NAME.match(name) for name in fields):
        errors.fields["publicFields"] = BY_FIELD["publicFields"]
    size = form.get("maxMiB", "").strip()
    if not (size.isdigit() and 1 <= int(size) <= 2048):
        errors.fields["maxBytes"] = BY_FIELD["maxBytes"]
    body: dict[str, Any] = {"publicFields": fields, "maxBytes": int(size) * MiB if size.isdigit() else 0}
    for name in ("retentionClass", "visibility"):
        body[name] = form.get(name, "")
    return body


class TypesController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*REGISTRARS)

    @get("/")
    async def types(self, request: AnyRequest, api: NamedDependency[Api]) -> Template:
        types = (await api.get(f"{API}/types"))["items"]
        classes = {c["code"]: c["name"] for c in (await api.get(f"{API}/retention-classes"))["items"]}
        templates = (await api.get(f"{API}/templates"))["items"]
        return page(
            request,
            "archive/types.html",
            tab="types",
            types=types,
            classes=classes,
            templates=templates,
            visibility=VISIBILITY,
            mib=MiB,
        )

    async def _type(
        self,
        request: AnyRequest,
        api: Api,
        code: str,
        *,
        typed: dict[str, str] | None = None,
        errors: FormErrors | None = None,
        status: int = 200,
    ) -> Template:
        found = await api.get(f"{API}/types/{code}")
        classes = (await api.get(f"{API}/retention-classes"))["items"]
        draft = typed or {
            "retentionClass": found["retentionClass"],
            "visibility": found["visibility"],
            "publicFields": ", ".join(found["publicFields"]),
            "maxMiB": str(max(1, found["maxBytes"] // MiB)),
        }
        return page(
            request,
            "archive/type.html",
            status,
            tab="types",
            t=found,
            classes=[{"id": c["code"], "name": c["name"]} for c in classes],
            visibility=VISIBILITY,
            draft=draft,
            errors=errors or FormErrors(),
        )

    @get("/{code:str}")
    async def document_type(self, request: AnyRequest, api: NamedDependency[Api], code: Code) -> Template:
        return await self._type(request, api, code)

    @post("/{code:str}")
    async def change(self, request: AnyRequest, api: NamedDependency[Api], code: Code) -> Template | Redirect:
        form = await read_form(request)
        errors = FormErrors()
        body = type_change(form, errors)
        if errors:
            return await self._type(request, api, code, typed=form, errors=errors, status=422)
        try:
            await api.call("PATCH", f"{API}/types/{code}", json=body)
        except ApiError as refusal:
            if refusal.status != 422:
                raise
            return await self._type(request, api, code, typed=form, errors=refused(refusal), status=422)
        return Redirect(HOME, status_code=303)

    async def _template(
        self,
        request: AnyRequest,
        api: Api,
        code: str,
        *,
        typed: dict[str, str] | None = None,
        errors: FormErrors | None = None,
        status: int = 200,
    ) -> Template:
        found = await api.get(f"{API}/templates/{code}")
        draft = typed or {"name": found["name"], "titlePattern": found["titlePattern"]}
        return page(
            request, "archive/template.html", status, tab="types", t=found, draft=draft, errors=errors or FormErrors()
        )

    @get("/templates/{code:str}")
    async def template(self, request: AnyRequest, api: NamedDependency[Api], code: Code) -> Template:
        return await self._template(request, api, code)

    @post("/templates/{code:str}")
    async def rename(self, request: AnyRequest, api: NamedDependency[Api], code: Code) -> Template | Redirect:
        """The name and title pattern as typed; the layout is sent back as it is."""
        form = await read_form(request)
        found = await api.get(f"{API}/templates/{code}")
        body = {
            "name": form.get("name", "").strip(),
            "titlePattern": form.get("titlePattern", "").strip(),
            "layout": found["layout"],
        }
        try:
            await api.call("PUT", f"{API}/templates/{code}", json=body)
        except ApiError as refusal:
            if refusal.status != 422:
                raise
            return await self._template(request, api, code, typed=form, errors=refused(refusal), status=422)
        return Redirect(HOME, status_code=303)
