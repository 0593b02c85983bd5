"""选举 of a unit (``/console/structure/units/<id>/elections``): its elections newest first and recording one
(body, date, seats, up to eight candidates each with how they were nominated); an election's page
(``/console/structure/elections/<id>``) with its rounds and the next round's form (each standing candidate's
votes, a tick for those elected). 选举 and 广播群 hang off a unit's star-level page."""

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
from services.console.structure.words import BODIES, EDITORS, NOMINATIONS, STAFF
from services.console.web import AnyRequest, page, signed_in
from shared.clock import china_today

API = "/api/orgtree"
CANDIDATE_ROWS = 8
BAD_SEATS = N_("Enter the number of seats: a whole number from 1 to 50.")
BAD_DAY = N_("Enter the day the election was held.")
NOT_COMPETITIVE = N_("A competitive election has more candidates than seats: name them with how each was nominated.")
BAD_VOTES = N_("Enter each candidate's votes as a whole number.")
TOO_MANY = N_("More elected than the seats left.")
ROUND_REFUSED = {
    "at most": N_("An election has at most 3 rounds."),
    "filled": N_("Every seat is filled already."),
    "not been held": N_("The election has not been held yet."),
}


def election_errors(error: ApiError) -> FormErrors:
    fields: dict[str, str] = {}
    for name in error.fields:
        if name == "body":
            fields["body"] = N_("Choose the body elected.")
        elif name == "seats":
            fields["seats"] = BAD_SEATS
        elif name == "heldOn":
            fields["heldOn"] = BAD_DAY
        elif name == "candidates":
            fields["candidates"] = NOT_COMPETITIVE
    return FormErrors(fields=fields, form=None if fields else NOT_ACCEPTED)


class ElectionsController(Controller):
    path = "/console/structure"
    include_in_schema = False
    guards = signed_in(*STAFF)

    async def _unit_page(
        self, request: AnyRequest, api: Api, unit_id: UUID, *, draft: dict[str, str], errors: FormErrors, status: int
    ) -> Template:
        unit, elections = await asyncio.gather(
            api.get(f"{API}/nodes/{unit_id}"), api.get(f"{API}/nodes/{unit_id}/elections")
        )
        return page(
            request,
            "structure/elections.html",
            status,
            unit=unit,
            elections=elections,
            bodies=BODIES,
            nominations=NOMINATIONS,
            rows=range(CANDIDATE_ROWS),
            draft=draft,
            errors=errors,
            today=china_today().isoformat(),
        )

    @get("/units/{unit_id:uuid}/elections")
    async def of_unit(self, request: AnyRequest, api: NamedDependency[Api], unit_id: FromPath[UUID]) -> Template:
        return await self._unit_page(request, api, unit_id, draft={}, errors=FormErrors(), status=200)

    @post("/units/{unit_id:uuid}/elections", guards=signed_in(*EDITORS))
    async def record(
        self, request: AnyRequest, api: NamedDependency[Api], unit_id: FromPath[UUID]
    ) -> Template | Redirect:
        draft = await read_form(request)
        candidates = [
            {"name": draft.get(f"name-{i}", "").strip(), "nominatedBy": draft.get(f"by-{i}", "")}
            for i in range(CANDIDATE_ROWS)
            if draft.get(f"name-{i}", "").strip()
        ]
        errors = FormErrors()
        seats = draft.get("seats", "").strip()
        if not seats.isdigit():
            errors.fields["seats"] = BAD_SEATS
        if not draft.get("body"):
            errors.fields["body"] = N_("Choose the body elected.")
        for i in range(CANDIDATE_ROWS):
            if draft.get(f"name-{i}", "").strip() and draft.get(f"by-{i}") not in NOMINATIONS:
                errors.fields[f"by-{i}"] = N_("Choose how the candidate was nominated.")
        if not candidates or (seats.isdigit() and len(candidates) <= int(seats)):
            errors.fields["candidates"] = NOT_COMPETITIVE
        if not errors:
            body: dict[str, Any] = {
                "body": draft["body"],
                "heldOn": draft.get("heldOn", ""),
                "seats": int(seats),
                "candidates": candidates,
                "note": draft.get("note", "").strip(),
            }
            try:
                made = await api.post(f"{API}/nodes/{unit_id}/elections", body)
            except ApiError as refused:
                if refused.status != 422:
                    raise
                errors = election_errors(refused)
            else:
                return Redirect(f"/console/structure/elections/{made['id']}", status_code=303)
        return await self._unit_page(request, api, unit_id, draft=draft, errors=errors, status=422)

    async def _election_page(
        self,
        request: AnyRequest,
        api: Api,
        election_id: UUID,
        *,
        draft: dict[str, str],
        errors: FormErrors,
        status: int,
    ) -> Template:
        shown = await api.get(f"{API}/elections/{election_id}")
        standing = [c for c in shown["candidates"] if c["electedInRound"] is None]
        return page(
            request,
            "structure/election.html",
            status,
            election=shown,
            standing=standing,
            bodies=BODIES,
            nominations=NOMINATIONS,
            draft=draft,
            errors=errors,
        )

    @get("/elections/{election_id:uuid}")
    async def election(self, request: AnyRequest, api: NamedDependency[Api], election_id: FromPath[UUID]) -> Template:
        return await self._election_page(request, api, election_id, draft={}, errors=FormErrors(), status=200)

    @post("/elections/{election_id:uuid}/rounds", guards=signed_in(*EDITORS))
    async def add_round(
        self, request: AnyRequest, api: NamedDependency[Api], election_id: FromPath[UUID]
    ) -> Template | Redirect:
        draft = await read_form(request)
        election = await api.get(f"{API}/elections/{election_id}")
        standing = [c["id"] for c in election["candidates"] if c["electedInRound"] is None]
        errors = FormErrors()
        votes = []
        for candidate_id in standing:
            typed = draft.get(f"votes-{candidate_id}", "").strip()
            if not typed.isdigit():
                errors.fields[f"votes-{candidate_id}"] = BAD_VOTES
                continue
            votes.append({"candidateId": candidate_id, "votes": int(typed)})
        elected = [c for c in standing if draft.get(f"elected-{c}") == "yes"]
        if not errors:
            try:
                await api.post(f"{API}/elections/{election_id}/rounds", {"votes": votes, "elected": elected})
            except ApiError as refused:
                if refused.status == 409:
                    said = next((m for k, m in ROUND_REFUSED.items() if k in refused.detail), NOT_ACCEPTED)
                    errors = FormErrors(form=said)
                elif refused.status == 422:
                    errors = FormErrors(form=TOO_MANY if "elected" in refused.fields else NOT_ACCEPTED)
                else:
                    raise
            else:
                return Redirect(f"/console/structure/elections/{election_id}", status_code=303)
        return await self._election_page(request, api, election_id, draft=draft, errors=errors, status=422)
