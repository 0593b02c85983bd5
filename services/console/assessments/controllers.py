"""考核评价 (``/console/assessments``): the district's "double-hundred" indicator sets, score sheets totalled per
subject for a half-year, and the form that scores a member on every indicator of a set (the self-evaluation from
its paper form, the party group's evaluation, the branch's assessment). Training judges; refusals show beside the
indicator or field they name."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID
from zoneinfo import ZoneInfo

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.forms import NOT_ACCEPTED, FormErrors, read_form
from services.console.i18n import N_
from services.console.training.session_form import number
from services.console.web import AnyRequest, NavEntry, page, signed_in
from shared.clock import now

HOME = "/console/assessments"
BALLOTS = "/console/democratic-polls"  # the members' side, a prefix of its own for the navigation
API = "/api/training"
ORGANISERS = ("district_admin", "street_admin", "community_cadre")
MEMBERS = ("member", "volunteer")
NAV = [
    NavEntry(HOME, N_("Assessments and score sheets"), ORGANISERS),
    NavEntry(BALLOTS, N_("Democratic appraisal of members"), MEMBERS),
]
GRADES = {
    "excellent": N_("Excellent"),
    "qualified": N_("Qualified"),
    "basically_qualified": N_("Basically qualified"),
    "unqualified": N_("Not qualified"),
}
KINDS = {"self": N_("Self-evaluation"), "group": N_("Party group's evaluation"), "branch": N_("Branch's assessment")}
ORGANISATION_KINDS = {"self": N_("Self-evaluation"), "superior": N_("Superior's assessment")}
BY_FIELD = {
    "personId": N_("Choose a member under your responsibility."),
    "period": N_("Enter a half-year such as 2026H1, or a year."),
    "kind": N_("Choose who assesses."),
    "note": N_("The note is at most 4000 characters."),
}
Period = Annotated[str, QueryParameter(name="period", max_length=10)]
SetChoice = Annotated[str, QueryParameter(name="set", max_length=40)]
NameQuery = Annotated[str, QueryParameter(name="q", max_length=50)]


def this_half(request: AnyRequest) -> str:
    today = now().astimezone(ZoneInfo(request.app.state.console.time_zone))
    return f"{today.year}H{1 if today.month <= 6 else 2}"


def refusal(error: ApiError, indicators: list[dict[str, Any]]) -> FormErrors:
    """Training's 422 beside the field or indicator it names (the API's ``body.scores.<code>`` arrives as the
    indicator's code: its box; ``body.subject.*`` as the subject's field: the member)."""
    fields: dict[str, str] = {}
    codes = {i["code"] for i in indicators}
    for name in error.fields:
        if name in codes:
            fields[f"score-{name}"] = N_("Enter a score from 0 to the indicator's maximum.")
        elif name in ("personId", "unitId", "unitPath", "unitName", "subject"):
            fields["personId"] = BY_FIELD["personId"]
        elif name == "period":
            fields["sheetPeriod"] = BY_FIELD["period"]  # the filter above the totals is "period"
        elif name in BY_FIELD:
            fields[name] = BY_FIELD[name]
    return FormErrors(fields=fields, form=None if fields else NOT_ACCEPTED)


class AssessmentsController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*ORGANISERS)

    async def _page(
        self,
        request: AnyRequest,
        api: Api,
        period: str,
        chosen: str,
        draft: dict[str, str],
        errors: FormErrors,
        status: int = 200,
    ) -> Template:
        sets = await api.get(f"{API}/assessment-sets")
        members = [s for s in sets if s["subjectKind"] == "member"]
        indicator_set = next((s for s in members if s["id"] == chosen), members[0] if members else None)
        totals = await api.get(f"{API}/score-sheets/totals", period=period)
        q = draft.get("q", "").strip()
        people = (await api.get(f"{API}/people", kind="member", q=q or None, limit=200))["items"]
        polls = await api.get(f"{API}/democratic-polls", year=period[:4] if period[:4].isdigit() else None)
        return page(
            request,
            "assessments/assessments.html",
            status,
            sets=sets,
            member_sets=members,
            chosen=indicator_set,
            totals=totals,
            period=period,
            people=people,
            kinds=KINDS,
            organisation_kinds=ORGANISATION_KINDS,
            polls=polls,
            grades=GRADES,
            draft=draft,
            errors=errors,
        )

    @get("/")
    async def assessments(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        period: Period = "",
        chosen: SetChoice = "",
        q: NameQuery = "",
    ) -> Template:
        half = period.strip() or this_half(request)
        try:
            return await self._page(request, api, half, chosen, {"period": half, "q": q}, FormErrors())
        except ApiError as refused:
            if refused.status != 422:
                raise
            errors = FormErrors(fields={"period": BY_FIELD["period"]})
            return await self._page(request, api, this_half(request), chosen, {"period": half}, errors, 422)

    @post("/sheets")
    async def score(self, request: AnyRequest, api: NamedDependency[Api]) -> Template | Redirect:
        draft = await read_form(request)
        sets = await api.get(f"{API}/assessment-sets")
        indicator_set = next((s for s in sets if s["id"] == draft.get("setId")), None)
        period = draft.get("sheetPeriod", "").strip()
        if indicator_set is None:
            return await self._page(request, api, this_half(request), "", draft, FormErrors(form=NOT_ACCEPTED), 422)
        scores = {
            i["code"]: number(draft.get(f"score-{i['code']}", "").strip())
            for i in indicator_set["indicators"]
            if draft.get(f"score-{i['code']}", "").strip()
        }
        body = {
            "setId": indicator_set["id"],
            "kind": draft.get("kind", ""),
            "period": period,
            "subject": {"personId": draft.get("personId", "")},
            "scores": scores,
            "note": draft.get("note", "").strip(),
        }
        try:
            await api.post(f"{API}/score-sheets", body)
        except ApiError as refused:
            if refused.status == 404:  # a member the organiser may not see
                refused = ApiError(422, refused.detail, {"personId": ""})
            if refused.status == 409:
                errors = FormErrors(form=N_("This member already has that score sheet for the period."))
                return await self._page(request, api, this_half(request), indicator_set["id"], draft, errors, 409)
            if refused.status != 422:
                raise
            errors = refusal(refused, indicator_set["indicators"])
            return await self._page(request, api, this_half(request), indicator_set["id"], draft, errors, 422)
        return Redirect(f"{HOME}?period={period}&set={indicator_set['id']}", status_code=303)

    @post("/polls")
    async def open_poll(self, request: AnyRequest, api: NamedDependency[Api]) -> Template | Redirect:
        """A member's year-end democratic poll opened, or the form again with training's refusal beside it."""
        draft = await read_form(request)
        year = draft.get("pollYear", "").strip()
        try:
            await api.post(f"{API}/democratic-polls", {"personId": draft.get("pollPersonId", ""), "year": year})
        except ApiError as refused:
            if refused.status == 409:
                errors = FormErrors(form=N_("This member's poll for that year is open already."))
            elif refused.status in (404, 422):
                fields = (
                    {"pollPersonId": BY_FIELD["personId"]}
                    if "personId" in refused.fields or refused.status == 404
                    else {}
                )
                if "year" in refused.fields:
                    fields["pollYear"] = N_("Enter a year such as 2026.")
                errors = FormErrors(fields=fields, form=None if fields else NOT_ACCEPTED)
            else:
                raise
            return await self._page(request, api, this_half(request), "", draft, errors, refused.status)
        return Redirect(f"{HOME}?period={year}", status_code=303)

    @post("/polls/{poll_id:uuid}/close")
    async def close_poll(self, request: AnyRequest, api: NamedDependency[Api], poll_id: FromPath[UUID]) -> Redirect:
        try:
            closed = await api.post(f"{API}/democratic-polls/{poll_id}/close", {})
        except ApiError as refused:
            if refused.status != 409:  # closed already: the page shows it
                raise
            return Redirect(HOME, status_code=303)
        return Redirect(f"{HOME}?period={closed['year']}", status_code=303)


class BallotsController(Controller):
    """The members' side: the open polls of their branch's members, one grade each, once."""

    path = BALLOTS
    include_in_schema = False
    guards = signed_in(*MEMBERS)

    async def _ballots(self, request: AnyRequest, api: Api, errors: FormErrors, status: int = 200) -> Template:
        ballots = await api.get(f"{API}/democratic-polls/ballots")
        return page(request, "assessments/ballots.html", status, ballots=ballots, grades=GRADES, errors=errors)

    @get("/")
    async def ballots(self, request: AnyRequest, api: NamedDependency[Api]) -> Template:
        return await self._ballots(request, api, FormErrors())

    @post("/{poll_id:uuid}")
    async def vote(
        self, request: AnyRequest, api: NamedDependency[Api], poll_id: FromPath[UUID]
    ) -> Template | Redirect:
        grade = (await read_form(request)).get("grade", "")
        try:
            await api.post(f"{API}/democratic-polls/{poll_id}/votes", {"grade": grade})
        except ApiError as refused:
            if refused.status not in (409, 422):
                raise
            message = (
                N_("Choose one of the four grades.")
                if grade not in GRADES
                else N_("You have voted in this poll already.")
            )
            if refused.status == 409:
                message = N_("The appraisal is closed.")
            return await self._ballots(request, api, FormErrors(fields={f"grade-{poll_id}": message}), refused.status)
        return Redirect(BALLOTS, status_code=303)


CONTROLLERS = [AssessmentsController, BallotsController]
