"""验收材料 (``/console/archive/dossiers``): acceptance dossiers under the user's scope by state, a new one on a unit,
a dossier's page (its documents added from those the user may read or taken out while it is a draft, submission,
which locks them, and the reviewers' notes with a verdict: accepted, or returned as a draft again)."""

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
from services.console.boards.controllers import readable
from services.console.forms import FormErrors, read_form
from services.console.i18n import N_
from services.console.training.units import unit, units
from services.console.web import AnyRequest, page, signed_in

HOME = "/console/archive/dossiers"
StateParam = Annotated[str, QueryParameter(name="state", max_length=20)]
STATES = {"draft": N_("Being prepared"), "submitted": N_("Submitted"), "accepted": N_("Accepted at inspection")}
VERDICTS = {"accepted": N_("Accept it"), "returned": N_("Return it for more")}
REFUSALS: Rules = (
    (re.compile(r"^the dossier is \w+: its items are locked"), N_("The dossier has been submitted: it is locked.")),
    (re.compile(r"^you may not change"), N_("You may not change the dossiers of this unit.")),
    (re.compile(r"^body.unitPath"), N_("That unit is outside your responsibility.")),
    (re.compile(r"^the document is \w+: only filed"), N_("Only a document in use can go into a dossier.")),
    (re.compile(r"^the document is already in the dossier"), N_("The document is already in the dossier.")),
    (re.compile(r"^a dossier without documents"), N_("Add documents before submitting the dossier.")),
    (
        re.compile(r"^a document of the dossier was deleted"),
        N_("A document of the dossier has been deleted: take it out first."),
    ),
    (re.compile(r"^only the district admin"), N_("Only the district admin and the units above review a dossier.")),
    (re.compile(r"^the dossier is \w+: a verdict"), N_("A verdict is given on a submitted dossier only.")),
)
BY_FIELD = {
    "title": N_("Enter a title of up to 200 characters."),
    "unitId": N_("Choose one of the listed units."),
    "dueOn": N_("Enter a date, such as 2026-12-31."),
    "documentId": N_("Choose a document from the list."),
    "note": N_("Write the note: up to 2000 characters."),
    "verdict": NOT_ACCEPTED,
}
UNIT_FIELDS = {"unitPath": "unitId", "unitName": "unitId"}


def refused(error: ApiError) -> FormErrors:
    return said_in_words(error, REFUSALS, BY_FIELD, UNIT_FIELDS)


class DossiersController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*STAFF)

    async def _list(
        self, request: AnyRequest, api: Api, state: str, *, draft: dict[str, str], errors: FormErrors, status: int = 200
    ) -> Template:
        answer = await api.get(f"{API}/dossiers", state=state or None, limit=100)
        return page(
            request,
            "archive/dossiers.html",
            status,
            tab="dossiers",
            items=answer["items"],
            state=state,
            states=STATES,
            units=await units(api),
            draft=draft,
            errors=errors,
        )

    @get("/")
    async def dossiers(self, request: AnyRequest, api: NamedDependency[Api], in_state: StateParam = "") -> Template:
        return await self._list(request, api, in_state if in_state in STATES else "", draft={}, errors=FormErrors())

    @post("/")
    async def create(self, request: AnyRequest, api: NamedDependency[Api]) -> Template | Redirect:
        draft = await read_form(request)
        errors = FormErrors()
        title = draft.get("title", "").strip()
        if not title:
            errors.fields["title"] = BY_FIELD["title"]
        chosen = await unit(api, draft["unitId"]) if draft.get("unitId") else None
        if chosen is None:
            errors.fields["unitId"] = BY_FIELD["unitId"]
        if errors or chosen is None:
            return await self._list(request, api, "", draft=draft, errors=errors, status=422)
        body: dict[str, Any] = {
            "title": title,
            "unitId": chosen["id"],
            "unitPath": chosen["path"],
            "unitName": chosen["name"],
        }
        if due := draft.get("dueOn", "").strip():
            body["dueOn"] = due
        try:
            made = await api.post(f"{API}/dossiers", body)
        except ApiError as refusal:
            if refusal.status not in (403, 422):
                raise
            return await self._list(request, api, "", draft=draft, errors=refused(refusal), status=refusal.status)
        return Redirect(f"{HOME}/{made['id']}", status_code=303)

    async def _dossier(
        self,
        request: AnyRequest,
        api: Api,
        dossier_id: UUID,
        *,
        errors: FormErrors | None = None,
        status: int = 200,
        form: str = "",
    ) -> Template:
        found = await api.get(f"{API}/dossiers/{dossier_id}")
        inside = {item["documentId"] for item in found["items"]}
        listed = await readable(api, "") if found["state"] == "draft" else []
        choices = [{"id": d["id"], "name": d["title"]} for d in listed if d["id"] not in inside]
        return page(
            request,
            "archive/dossier.html",
            status,
            tab="dossiers",
            x=found,
            states=STATES,
            verdicts=VERDICTS,
            choices=choices,
            errors=errors or FormErrors(),
            form=form,
        )

    @get("/{dossier_id:uuid}")
    async def dossier(self, request: AnyRequest, api: NamedDependency[Api], dossier_id: FromPath[UUID]) -> Template:
        return await self._dossier(request, api, dossier_id)

    async def _step(self, request: AnyRequest, api: Api, dossier_id: UUID, form: str, call: Any) -> Template | Redirect:
        try:
            await call
        except ApiError as refusal:
            if refusal.status not in (403, 404, 409, 422):
                raise
            if refusal.status == 404 and form != "items":
                raise
            return await self._dossier(
                request, api, dossier_id, errors=refused(refusal), status=refusal.status, form=form
            )
        return Redirect(f"{HOME}/{dossier_id}", status_code=303)

    @post("/{dossier_id:uuid}/items")
    async def add(
        self, request: AnyRequest, api: NamedDependency[Api], dossier_id: FromPath[UUID]
    ) -> Template | Redirect:
        chosen = (await read_form(request)).get("documentId", "")
        if not chosen:
            errors = FormErrors(fields={"documentId": BY_FIELD["documentId"]})
            return await self._dossier(request, api, dossier_id, errors=errors, status=422, form="items")
        call = api.post(f"{API}/dossiers/{dossier_id}/items", {"documentId": chosen})
        return await self._step(request, api, dossier_id, "items", call)

    @post("/{dossier_id:uuid}/items/{document_id:uuid}/remove")
    async def remove(
        self, request: AnyRequest, api: NamedDependency[Api], dossier_id: FromPath[UUID], document_id: FromPath[UUID]
    ) -> Template | Redirect:
        call = api.call("DELETE", f"{API}/dossiers/{dossier_id}/items/{document_id}")
        return await self._step(request, api, dossier_id, "items", call)

    @post("/{dossier_id:uuid}/submit")
    async def submit(
        self, request: AnyRequest, api: NamedDependency[Api], dossier_id: FromPath[UUID]
    ) -> Template | Redirect:
        return await self._step(request, api, dossier_id, "submit", api.post(f"{API}/dossiers/{dossier_id}/submit", {}))

    @post("/{dossier_id:uuid}/notes")
    async def note(
        self, request: AnyRequest, api: NamedDependency[Api], dossier_id: FromPath[UUID]
    ) -> Template | Redirect:
        form = await read_form(request)
        note, verdict = form.get("note", "").strip(), form.get("verdict", "")
        if not note:
            errors = FormErrors(fields={"note": BY_FIELD["note"]})
            return await self._dossier(request, api, dossier_id, errors=errors, status=422, form="notes")
        body: dict[str, Any] = {"note": note}
        if verdict:
            body["verdict"] = verdict
        return await self._step(request, api, dossier_id, "notes", api.post(f"{API}/dossiers/{dossier_id}/notes", body))
