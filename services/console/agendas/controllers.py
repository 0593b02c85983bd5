"""会议议程 (``/console/agendas``): a village's or street's meeting (DSP-21 [000, 003]) with the open cases at its level
on the agenda, drawn when the meeting is recorded; the meeting's outcomes (resolved, sent up, referred with a notice,
discussed) are applied to the cases together, and if one cannot take its outcome none does."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.campaigns.controllers import unit_options
from services.console.forms import NOT_ACCEPTED, FormErrors, read_form
from services.console.i18n import N_
from services.console.web import AnyRequest, NavEntry, page, signed_in

HOME = "/console/agendas"
API = "/api/dispatch/agendas"
READERS = ("district_admin", "street_admin", "community_cadre", "hotline_operator", "hotline_supervisor")
NAV = [NavEntry(HOME, N_("Meeting agendas"), READERS)]
KINDS = {
    "issue_meeting": N_("Red-collar issue meeting (monthly, village)"),
    "member_council": N_("Member council (village)"),
    "supervision_meeting": N_("Red-cell supervision meeting (monthly, street)"),
    "street_analysis": N_("Sentiment analysis meeting (half-monthly, street)"),
    "democratic_talk": N_("Democratic talk (weekly, community)"),
}
OUTCOMES = {
    "resolved": N_("Resolved"),
    "escalated": N_("Sent up a level"),
    "referred": N_("Referred with a notice"),
    "discussed": N_("Discussed, stays here"),
}
STATUSES = {
    "new": N_("New"),
    "routing": N_("Being dispatched"),
    "assigned": N_("Taken on"),
    "on_site": N_("On site"),
}
BY_FIELD = {
    "kind": N_("Choose the meeting."),
    "unitId": N_("Choose a village for a village's meeting, a street for a street's."),
    "heldOn": N_("Enter the day it was held: not in the future."),
    "attendees": N_("Name who attended, separated by commas."),
    "outcome": N_("Choose an outcome."),
    "note": N_("Write the meeting's decision (at least 2 characters)."),
    "responsibleUnit": N_("Name the responsible unit."),
    "responsiblePerson": N_("Name the responsible person."),
    "dueOn": N_("Enter the completion date: not in the past."),
}
MEETING_FIELDS = ("kind", "unitId", "heldOn", "attendees")
CASE_FIELDS = ("outcome", "note", "responsibleUnit", "responsiblePerson", "dueOn")
NONE_APPLIED = N_("Case %(number)s could not take its outcome, so no outcome was applied. Change it and apply again.")
NOTHING = N_("Choose an outcome for at least one case.")
WORDS: dict[str, Any] = {"kinds": KINDS, "outcomes": OUTCOMES, "statuses": STATUSES}
_AT = re.compile(r"outcomes\[(\d+)\]\.(\w+)$")
_CASE = re.compile(r"^case (\S+):")


def outcome_refusal(error: ApiError, order: list[str]) -> tuple[FormErrors, str | None]:
    """The bulk refusal beside each case's field (``order``: the item ids in the order they were sent), or the case
    number the services refused (409/403/422 of one case's move)."""
    fields: dict[str, str] = {}
    for item in error.body.get("errors") or []:
        found = _AT.search(str(item.get("field", "")))
        if found and int(found[1]) < len(order):
            fields[f"{found[2]}-{order[int(found[1])]}"] = BY_FIELD.get(found[2], NOT_ACCEPTED)
    case = _CASE.match(error.detail)
    if fields:
        return FormErrors(fields=fields), None
    return FormErrors(form=None if case else NOT_ACCEPTED), case[1] if case else None


class AgendaController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*READERS)

    async def _home(
        self, request: AnyRequest, api: Api, draft: dict[str, str], errors: FormErrors, status: int = 200
    ) -> Template:
        meetings = await api.get(f"{API}/meetings", limit=100)
        units = unit_options(await api.get(f"{API}/units"))
        return page(
            request,
            "agendas/meetings.html",
            status,
            **WORDS,
            meetings=meetings,
            units=units,
            draft=draft,
            errors=errors,
        )

    @get("/")
    async def meetings(self, request: AnyRequest, api: NamedDependency[Api]) -> Template:
        return await self._home(request, api, {}, FormErrors())

    @post("/")
    async def record(self, request: AnyRequest, api: NamedDependency[Api]) -> Template | Redirect:
        typed = await read_form(request)
        body: dict[str, Any] = {name: typed.get(name, "").strip() for name in MEETING_FIELDS}
        body["heldOn"] = body["heldOn"] or None
        body["attendees"] = [n.strip() for n in body["attendees"].replace("，", ",").split(",") if n.strip()]
        try:
            missing = {name: "" for name in ("kind", "unitId") if not body[name]}
            if missing:
                raise ApiError(422, "missing", missing)
            made = await api.post(f"{API}/meetings", body)
        except ApiError as refused:
            if refused.status not in (404, 422):
                raise
            if refused.status == 404:
                errors = FormErrors(fields={"unitId": BY_FIELD["unitId"]})
            else:
                fields = {n: BY_FIELD.get(n, NOT_ACCEPTED) for n in refused.fields if n in MEETING_FIELDS}
                errors = FormErrors(fields=fields, form=None if fields else NOT_ACCEPTED)
            return await self._home(request, api, typed, errors, refused.status)
        return Redirect(f"{HOME}/{made['id']}", status_code=303)

    async def _meeting(
        self,
        request: AnyRequest,
        api: Api,
        meeting_id: UUID,
        draft: dict[str, str] | None = None,
        errors: FormErrors | None = None,
        refused_case: str | None = None,
        status: int = 200,
    ) -> Template:
        meeting = await api.get(f"{API}/meetings/{meeting_id}")
        return page(
            request,
            "agendas/meeting.html",
            status,
            **WORDS,
            m=meeting,
            draft=draft or {},
            errors=errors or FormErrors(),
            refused_case=refused_case,
            none_applied=NONE_APPLIED,
        )

    @get("/{meeting_id:uuid}")
    async def meeting(self, request: AnyRequest, api: NamedDependency[Api], meeting_id: FromPath[UUID]) -> Template:
        return await self._meeting(request, api, meeting_id)

    @post("/{meeting_id:uuid}/outcomes")
    async def outcomes(
        self, request: AnyRequest, api: NamedDependency[Api], meeting_id: FromPath[UUID]
    ) -> Template | Redirect:
        """Every case given an outcome on the form, applied together."""
        typed = await read_form(request)
        order = [key.removeprefix("outcome-") for key, value in typed.items() if key.startswith("outcome-") and value]
        chosen = []
        for item in order:
            entry: dict[str, Any] = {"itemId": item}
            for name in CASE_FIELDS:
                value = typed.get(f"{name}-{item}", "").strip()
                if value or name in ("outcome", "note"):
                    entry[name] = value
            chosen.append(entry)
        if not chosen:
            return await self._meeting(request, api, meeting_id, typed, FormErrors(form=NOTHING), None, 422)
        try:
            await api.post(f"{API}/meetings/{meeting_id}/outcomes", {"outcomes": chosen})
        except ApiError as refused:
            if refused.status not in (403, 409, 422):
                raise
            errors, case = outcome_refusal(refused, order)
            return await self._meeting(request, api, meeting_id, typed, errors, case, refused.status)
        return Redirect(f"{HOME}/{meeting_id}", status_code=303)


CONTROLLERS = [AgendaController]
