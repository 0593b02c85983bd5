"""制度库 (``/console/archive/regulations``): a unit's regulations in force on a day (and those of the units above
it), with their 文号, effective dates and 试行 status; entering a filed regulation document in the library, ending a
trial, ending a regulation on a day. The documents service judges; refusals are shown in words."""

from __future__ import annotations

import re
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.archive.words import API, NOT_ACCEPTED, STAFF, Rules
from services.console.archive.words import refused as said_in_words
from services.console.forms import FormErrors, read_form
from services.console.i18n import N_
from services.console.training.units import units
from services.console.web import AnyRequest, page, signed_in

HOME = "/console/archive/regulations"
Text = Annotated[str, QueryParameter(max_length=400)]
Flag = Annotated[str, QueryParameter(name="above", max_length=5)]
REFUSALS: Rules = (
    (re.compile(r"^you may not manage"), N_("You may not manage the regulations of this unit.")),
    (re.compile(r"^the document is \w+: only a filed"), N_("Only a document in use can enter the library.")),
    (re.compile(r"^the regulation is already"), N_("This regulation is already in the library.")),
    (re.compile(r"^query.unitPath"), N_("That unit is outside your responsibility.")),
)
BY_FIELD = {
    "documentId": N_("Choose a regulation document from the list."),
    "effectiveFrom": N_("Enter the day it takes effect."),
    "effectiveTo": N_("The last day cannot be before the day it takes effect."),
    "number": N_("The document number is at most 60 characters."),
    "asOf": N_("Enter a date, such as 2026-12-31."),
    "unitPath": N_("Choose one of the listed units."),
}


def refused(error: ApiError) -> FormErrors:
    return said_in_words(error, REFUSALS, BY_FIELD)


class RegulationsController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*STAFF)

    async def _library(
        self,
        request: AnyRequest,
        api: Api,
        query: dict[str, str],
        *,
        draft: dict[str, str] | None = None,
        errors: FormErrors | None = None,
        status: int = 200,
    ) -> Template:
        errors = errors or FormErrors()
        asked = {
            "unitPath": query.get("unit") or None,
            "asOf": query.get("asOf") or None,
            "includeAncestors": "true" if query.get("above") else None,
        }
        try:
            answer = await api.get(f"{API}/regulations", limit=100, **asked)
        except ApiError as refusal:
            if refusal.status not in (403, 422):
                raise
            answer, errors, status = {"items": []}, refused(refusal), refusal.status
        filed = (await api.get(f"{API}/documents", type="regulation", limit=100))["items"]
        registered = {r["documentId"] for r in answer["items"]}
        return page(
            request,
            "archive/regulations.html",
            status,
            tab="regulations",
            items=answer["items"],
            query=query,
            units=await units(api),
            choices=[
                {"id": d["id"], "name": d["title"]}
                for d in filed
                if d["state"] == "active" and d["id"] not in registered
            ],
            draft=draft or {},
            errors=errors,
        )

    @get("/")
    async def library(
        self, request: AnyRequest, api: NamedDependency[Api], unit: Text = "", as_of: Text = "", above: Flag = ""
    ) -> Template:
        return await self._library(request, api, {"unit": unit, "asOf": as_of, "above": above})

    @post("/")
    async def register(self, request: AnyRequest, api: NamedDependency[Api]) -> Template | Redirect:
        draft = await read_form(request)
        errors = FormErrors()
        for name in ("documentId", "effectiveFrom"):
            if not draft.get(name, "").strip():
                errors.fields[name] = BY_FIELD[name]
        if errors:
            return await self._library(request, api, {}, draft=draft, errors=errors, status=422)
        body: dict[str, Any] = {
            "documentId": draft["documentId"],
            "effectiveFrom": draft["effectiveFrom"].strip(),
            "trial": draft.get("trial") == "on",
        }
        for name in ("effectiveTo", "number"):
            if value := draft.get(name, "").strip():
                body[name] = value
        try:
            await api.post(f"{API}/regulations", body)
        except ApiError as refusal:
            if refusal.status not in (403, 404, 409, 422):
                raise
            errors = (
                refused(refusal) if refusal.status != 404 else FormErrors(fields={"documentId": BY_FIELD["documentId"]})
            )
            return await self._library(request, api, {}, draft=draft, errors=errors, status=refusal.status)
        return Redirect(HOME, status_code=303)

    @post("/{document_id:uuid}")
    async def update(
        self, request: AnyRequest, api: NamedDependency[Api], document_id: FromPath[UUID]
    ) -> Template | Redirect:
        """Ends the trial (``settle``) or the regulation (``effectiveTo``), as the row's button says."""
        form = await read_form(request)
        body: dict[str, Any] = {"trial": False} if form.get("settle") else {}
        if "effectiveTo" in form:
            if not form["effectiveTo"].strip():
                errors = FormErrors(form=N_("Enter the last day the regulation is in force."))
                return await self._library(request, api, {}, errors=errors, status=422)
            body["effectiveTo"] = form["effectiveTo"].strip()
        try:
            await api.call("PATCH", f"{API}/regulations/{document_id}", json=body)
        except ApiError as refusal:
            if refusal.status not in (403, 409, 422):
                raise
            errors = FormErrors(
                form=refused(refusal).form or next(iter(refused(refusal).fields.values()), NOT_ACCEPTED)
            )
            return await self._library(request, api, {}, errors=errors, status=refusal.status)
        return Redirect(HOME, status_code=303)
