"""The organiser's side of 星级评定: making a round (a unit of their scope, a template of the kind rated, the notice
days) and, while it is a draft, scoring its subjects (a member under the round's unit, or a unit under it) with
each criterion's score; the entry comes back with its level and the inputs training read. Training judges; its
refusals are said beside the field, and a subject with unevaluated commitments is named with them."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.forms import NOT_ACCEPTED, FormErrors, read_form
from services.console.i18n import N_
from services.console.ratings.labels import ORGANISERS
from services.console.ratings.pages import HOME, shown
from services.console.training.session_form import number
from services.console.training.units import Unit, unit, units
from services.console.web import AnyRequest, signed_in

API = "/api/training"
CREATE_FIELDS = {
    "name": N_("Enter a name of up to 100 characters."),
    "subjectKind": N_("Choose who is rated."),
    "period": N_("Write a period as 2026, 2026H1 or 2026H2."),
    "templateId": N_("Choose a criteria template for the kind rated."),
    "unitId": N_("Choose a unit under your responsibility."),
    "noticeDays": N_("Enter a number of days from 1 to 60."),
}
SCORE_FIELDS = {
    "personId": N_("Choose a member under the round's unit."),
    "unitId": N_("Choose a unit under the round's unit."),
    "note": N_("The note is at most 500 characters."),
}
BAD_SCORE = N_("Enter a score from 0 to the criterion's maximum, with at most two decimals.")
UNEVALUATED = N_("%(name)s has commitments for %(year)s without an evaluation score: %(titles)s. Evaluate them first.")
NOT_DRAFT = N_("Only a draft round is scored.")
UNIT_FIELDS = {"unitPath": "unitId", "unitName": "unitId"}


def beside(error: ApiError, messages: dict[str, str], scores: tuple[str, ...] = ()) -> FormErrors:
    """Training's 422 beside the form's fields: a criterion's score by its code, a unit's path or name at the unit."""
    fields: dict[str, str] = {}
    for named in error.fields:
        if named in scores:
            fields.setdefault(f"score-{named}", BAD_SCORE)
            continue
        name = UNIT_FIELDS.get(named, named)
        fields.setdefault(name, messages.get(name, NOT_ACCEPTED))
    return FormErrors(fields=fields, form=None if fields else NOT_ACCEPTED)


def choices(found: dict[str, list[Unit]], within: str = "/") -> list[dict[str, str]]:
    return [{"id": u.id, "name": u.name} for listed in found.values() for u in listed if u.path.startswith(within)]


class OrganiseController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*ORGANISERS)

    async def _new(
        self, request: AnyRequest, api: Api, typed: dict[str, str], errors: FormErrors, status: int
    ) -> Template:
        templates, found = await asyncio.gather(api.get(f"{API}/rating-templates"), units(api))
        options = [{"id": t["id"], "name": t["name"], "kind": t["subjectKind"]} for t in templates]
        return shown(
            request, "ratings/new.html", status, typed=typed, errors=errors, templates=options, units=choices(found)
        )

    @get("/new")
    async def new(self, request: AnyRequest, api: NamedDependency[Api]) -> Template:
        days = (await api.get(f"{API}/rating-settings"))["noticeDays"]
        return await self._new(request, api, {"noticeDays": str(days)}, FormErrors(), 200)

    @post("/new")
    async def create(self, request: AnyRequest, api: NamedDependency[Api]) -> Template | Redirect:
        """Made as a draft, or the form again with the reasons beside the fields (nothing stored)."""
        typed = await read_form(request)
        chosen = await unit(api, typed["unitId"]) if typed.get("unitId") else None
        if chosen is None:
            errors = FormErrors(fields={"unitId": CREATE_FIELDS["unitId"]})
            return await self._new(request, api, typed, errors, status=422)
        body: dict[str, Any] = {k: typed.get(k, "").strip() for k in ("name", "subjectKind", "period", "templateId")}
        body["unitPath"] = chosen["path"]
        if days := typed.get("noticeDays", "").strip():
            body["noticeDays"] = int(days) if days.isdigit() else days
        try:
            made = await api.post(f"{API}/ratings", body)
        except ApiError as refused:
            if refused.status != 422:
                raise
            return await self._new(request, api, typed, beside(refused, CREATE_FIELDS), 422)
        return Redirect(f"{HOME}/{made['id']}/score", status_code=303)

    async def _score(
        self,
        request: AnyRequest,
        api: Api,
        rating_id: UUID,
        typed: dict[str, str],
        errors: FormErrors,
        *,
        status: int = 200,
        blocked: dict[str, Any] | None = None,
    ) -> Template:
        rating = await api.get(f"{API}/ratings/{rating_id}")
        member = rating["subjectKind"] == "member"
        if member:
            people = await api.get(f"{API}/people", unitPath=rating["unitPath"], kind="member", limit=200)
            subjects = [{"id": p["id"], "name": p["name"]} for p in people["items"]]
        else:
            subjects = choices(await units(api), rating["unitPath"])
        scored = None
        if entry := request.query_params.get("entry"):
            scored = await api.get(f"{API}/ratings/{rating_id}/entries/{entry}")
        return shown(
            request,
            "ratings/score.html",
            status,
            rating=rating,
            member=member,
            subjects=subjects,
            typed=typed,
            errors=errors,
            scored=scored,
            blocked=blocked,
        )

    @get("/{rating_id:uuid}/score")
    async def score_form(self, request: AnyRequest, api: NamedDependency[Api], rating_id: FromPath[UUID]) -> Template:
        return await self._score(request, api, rating_id, {}, FormErrors())

    @post("/{rating_id:uuid}/score")
    async def score(
        self, request: AnyRequest, api: NamedDependency[Api], rating_id: FromPath[UUID]
    ) -> Template | Redirect:
        """Scored (the level and inputs shown), or the form again with the reasons (nothing stored)."""
        typed = await read_form(request)
        rating = await api.get(f"{API}/ratings/{rating_id}")
        codes = tuple(c["code"] for c in rating["criteria"])
        body: dict[str, Any] = {"scores": {c: number(typed.get(f"score-{c}", "").strip()) for c in codes}}
        if note := typed.get("note", "").strip():
            body["note"] = note
        subject = typed.get("subject", "")
        if rating["subjectKind"] == "member":
            body["personId"] = subject or None
            field = "personId"
        else:
            chosen = await unit(api, subject) if subject else None
            if chosen is not None:
                body |= {"unitId": chosen["id"], "unitPath": chosen["path"], "unitName": chosen["name"]}
            field = "unitId"
        if not subject or (field == "unitId" and "unitId" not in body):
            errors = FormErrors(fields={"subject": SCORE_FIELDS[field]})
            return await self._score(request, api, rating_id, typed, errors, status=422)
        try:
            entry = await api.post(f"{API}/ratings/{rating_id}/entries", body)
        except ApiError as refused:
            return await self._refused(request, api, rating_id, typed=typed, refused=refused, codes=codes)
        return Redirect(f"{HOME}/{rating_id}/score?entry={entry['id']}", status_code=303)

    async def _refused(
        self,
        request: AnyRequest,
        api: Api,
        rating_id: UUID,
        *,
        typed: dict[str, str],
        refused: ApiError,
        codes: tuple[str, ...],
    ) -> Template:
        if refused.status == 422 or (refused.status == 404 and "person" in refused.detail):
            errors = beside(refused, SCORE_FIELDS, codes)
            for name in ("personId", "unitId"):
                if name in errors.fields:
                    errors.fields["subject"] = errors.fields.pop(name)
            if refused.status == 404:
                errors = FormErrors(fields={"subject": SCORE_FIELDS["personId"]})
            return await self._score(request, api, rating_id, typed, errors, status=422)
        if refused.status != 409:
            raise refused
        ids = [i["message"] for i in refused.body.get("errors") or [] if i.get("field") == "commitments"]
        if not ids:
            return await self._score(request, api, rating_id, typed, FormErrors(form=NOT_DRAFT), status=409)
        found = await asyncio.gather(*(api.get(f"{API}/commitments/{i}") for i in ids))
        blocked = {
            "name": found[0]["holderName"],
            "year": found[0]["period"],
            "titles": "、".join(f"“{c['title']}”" for c in found),
            "links": [{"id": c["id"], "title": c["title"]} for c in found],
        }
        return await self._score(request, api, rating_id, typed, FormErrors(), status=409, blocked=blocked)
