"""述职评议 (``/console/reviews/...``): the organisers' duty review rounds (draw a month's secretaries, a round's
secretaries, one review with its questionnaire results, report, question list, the poll's tallies and the
conclusion), the members' anonymous poll (phone-sized) and their own reviews, and the rectification lists (by
deadline, the overdue first, ticked off with a note). Training judges; refusals show beside the fields."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any
from uuid import UUID
from zoneinfo import ZoneInfo

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.forms import FormErrors, read_form
from services.console.i18n import N_
from services.console.reviews.words import (
    ASPECTS,
    BY_FIELD,
    GRADES,
    KINDS,
    MEMBERS,
    ORGANISERS,
    STATES,
    refusal,
)
from services.console.session import SignedIn
from services.console.training.session_form import number
from services.console.training.units import TREES, units
from services.console.web import AnyRequest, NavEntry, page, signed_in
from shared.clock import now

AREA = "/console/reviews"
HOME = f"{AREA}/rounds"  # one prefix per navigation entry: a link is marked current by its prefix
REVIEWS = f"{HOME}/secretaries"
POLLS = f"{AREA}/polls"
LISTS = f"{AREA}/rectification"
API = "/api/training"
NAV = [
    NavEntry(HOME, N_("Secretary duty reviews"), ORGANISERS),
    NavEntry(LISTS, N_("Rectification lists"), ORGANISERS),
    NavEntry(POLLS, N_("Duty review polls"), MEMBERS),
]
RESULT_FIELDS = ("questionnaireScore", "questionnaireCount", "questionnaireNote", "reportNote", "reportMinutes")
ITEM_FIELDS = ("unitId", "problem", "measure", "leader", "deadline")
StateParam = Annotated[str, QueryParameter(name="state", max_length=10)]


def this_month(request: AnyRequest) -> str:
    return now().astimezone(ZoneInfo(request.app.state.console.time_zone)).strftime("%Y-%m")


def today(request: AnyRequest) -> str:
    return now().astimezone(ZoneInfo(request.app.state.console.time_zone)).date().isoformat()


def seconds(typed: str) -> int | str | None:
    """Minutes as typed to whole seconds; what is not a number goes as typed, and training names the field."""
    if not typed:
        return None
    try:
        value = Decimal(typed)
    except InvalidOperation:
        return typed
    return int(value * 60) if value.is_finite() else typed


def shown(request: AnyRequest, template: str, status_code: int = 200, **context: Any) -> Template:
    words = {"aspects": ASPECTS, "grades": GRADES, "states": STATES, "kinds": KINDS, "trees": TREES}
    return page(request, template, status_code, **words, **context)


async def chosen_unit(api: Api, unit_id: str) -> dict[str, Any] | None:
    if not unit_id:
        return None
    try:
        node: dict[str, Any] = await api.get(f"/api/orgtree/nodes/{unit_id}")
    except ApiError as refused:
        if refused.status in (404, 422):
            return None
        raise
    return node


class RoundsController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*ORGANISERS)

    async def _list(
        self, request: AnyRequest, api: Api, draft: dict[str, str], errors: FormErrors, status: int = 200
    ) -> Template:
        listed = await api.get(f"{API}/duty-review-rounds", limit=50)
        settings = await api.get(f"{API}/duty-review-settings")
        choices = {tree: found for tree, found in (await units(api)).items() if tree == "party"}
        return shown(
            request,
            "reviews/rounds.html",
            status,
            rounds=listed["items"],
            units=choices,
            draft=draft,
            errors=errors,
            monthly=settings["monthlyCount"],
        )

    @get("/")
    async def rounds(self, request: AnyRequest, api: NamedDependency[Api]) -> Template:
        return await self._list(request, api, {"month": this_month(request)}, FormErrors())

    @post("/")
    async def draw(self, request: AnyRequest, api: NamedDependency[Api]) -> Template | Redirect:
        """Drawn at random by training, or the form again with its refusal beside the field."""
        draft = await read_form(request)
        unit = await chosen_unit(api, draft.get("unitId", ""))
        if unit is None:
            return await self._list(request, api, draft, FormErrors(fields={"unitId": BY_FIELD["unitId"]}), 422)
        body: dict[str, Any] = {"month": draft.get("month", ""), "unitPath": unit["path"], "unitName": unit["name"]}
        if draft.get("count", "").strip():
            body["count"] = number(draft["count"].strip())
        try:
            made = await api.post(f"{API}/duty-review-rounds", body)
        except ApiError as refused:
            if refused.status == 409:
                errors = FormErrors(form=N_("This unit already has a round for that month."))
                return await self._list(request, api, draft, errors, 409)
            if refused.status != 422:
                raise
            return await self._list(request, api, draft, refusal(refused, ("month", "unitId", "count")), 422)
        return Redirect(f"{HOME}/{made['id']}", status_code=303)

    @get("/{round_id:uuid}")
    async def round(self, request: AnyRequest, api: NamedDependency[Api], round_id: FromPath[UUID]) -> Template:
        found = await api.get(f"{API}/duty-review-rounds/{round_id}")
        return shown(request, "reviews/round.html", r=found)


class ReviewController(Controller):
    """One secretary's review: organisers edit it step by step; the secretary reads it."""

    path = REVIEWS
    include_in_schema = False
    guards = signed_in(*ORGANISERS, *MEMBERS)

    async def _page(
        self,
        request: AnyRequest,
        api: Api,
        user: SignedIn,
        review_id: UUID,
        status: int = 200,
        errors: FormErrors | None = None,
        typed: dict[str, str] | None = None,
    ) -> Template:
        found = await api.get(f"{API}/duty-reviews/{review_id}")
        items = []
        if user.has_role(*ORGANISERS):
            for state in ("open", "done"):
                items += (await api.get(f"{API}/rectifications", state=state, reviewId=str(review_id)))["items"]
        return shown(
            request,
            "reviews/review.html",
            status,
            v=found,
            organiser=user.has_role(*ORGANISERS),
            errors=errors or FormErrors(),
            typed=typed or {},
            linked=items,
            today=today(request),
        )

    @get("/{review_id:uuid}")
    async def review(
        self, request: AnyRequest, api: NamedDependency[Api], user: NamedDependency[SignedIn], review_id: FromPath[UUID]
    ) -> Template:
        return await self._page(request, api, user, review_id)

    async def _send(
        self,
        request: AnyRequest,
        api: Api,
        user: SignedIn,
        review_id: UUID,
        method: str,
        path: str,
        body: dict[str, Any],
        typed: dict[str, str],
        shown_fields: tuple[str, ...],
    ) -> Template | Redirect:
        try:
            await api.call(method, f"{API}/duty-reviews/{review_id}{path}", json=body)
        except ApiError as refused:
            if refused.status == 409:
                errors = FormErrors(form=N_("The review is finalised: nothing in it changes any more."))
                return await self._page(request, api, user, review_id, 409, errors, typed)
            if refused.status != 422:
                raise
            return await self._page(request, api, user, review_id, 422, refusal(refused, shown_fields), typed)
        return Redirect(f"{REVIEWS}/{review_id}", status_code=303)

    @post("/{review_id:uuid}/results", guards=signed_in(*ORGANISERS))
    async def results(
        self, request: AnyRequest, api: NamedDependency[Api], user: NamedDependency[SignedIn], review_id: FromPath[UUID]
    ) -> Template | Redirect:
        form = await read_form(request)
        typed = {k: form.get(k, "").strip() for k in RESULT_FIELDS}
        body: dict[str, Any] = {"questionnaireNote": typed["questionnaireNote"], "reportNote": typed["reportNote"]}
        if typed["questionnaireScore"]:
            body["questionnaireScore"] = number(typed["questionnaireScore"])
        if typed["questionnaireCount"]:
            body["questionnaireCount"] = number(typed["questionnaireCount"])
        if typed["reportMinutes"]:
            body["reportSeconds"] = seconds(typed["reportMinutes"])
        return await self._send(request, api, user, review_id, "PATCH", "", body, typed, RESULT_FIELDS)

    @post("/{review_id:uuid}/questions", guards=signed_in(*ORGANISERS))
    async def ask(
        self, request: AnyRequest, api: NamedDependency[Api], user: NamedDependency[SignedIn], review_id: FromPath[UUID]
    ) -> Template | Redirect:
        form = await read_form(request)
        typed = {k: form.get(k, "").strip() for k in ("kind", "question", "answer")}
        fields = ("kind", "question", "answer")
        return await self._send(request, api, user, review_id, "POST", "/questions", typed, typed, fields)

    @post("/{review_id:uuid}/poll", guards=signed_in(*ORGANISERS))
    async def open_poll(
        self, request: AnyRequest, api: NamedDependency[Api], user: NamedDependency[SignedIn], review_id: FromPath[UUID]
    ) -> Template | Redirect:
        return await self._send(request, api, user, review_id, "POST", "/poll", {}, {}, ())

    @post("/{review_id:uuid}/finalise", guards=signed_in(*ORGANISERS))
    async def finalise(
        self, request: AnyRequest, api: NamedDependency[Api], user: NamedDependency[SignedIn], review_id: FromPath[UUID]
    ) -> Template | Redirect:
        """The conclusion saved, then the report finalised (training refuses an empty conclusion)."""
        conclusion = (await read_form(request)).get("conclusion", "").strip()
        typed = {"conclusion": conclusion}
        saved = await self._send(
            request, api, user, review_id, "PATCH", "", {"conclusion": conclusion}, typed, ("conclusion",)
        )
        if isinstance(saved, Template):
            return saved
        return await self._send(request, api, user, review_id, "POST", "/finalise", {}, typed, ("conclusion",))


class PollsController(Controller):
    """The member's side: the open polls they may vote in, the ballot, and their own reviews as a secretary."""

    path = POLLS
    include_in_schema = False
    guards = signed_in(*MEMBERS)

    @get("/")
    async def polls(self, request: AnyRequest, api: NamedDependency[Api]) -> Template:
        listed = await api.get(f"{API}/duty-polls")
        mine = await api.get(f"{API}/duty-reviews/mine")
        return shown(request, "reviews/polls.html", polls=listed, mine=mine)

    async def _ballot(
        self, request: AnyRequest, api: Api, review_id: UUID, status: int, errors: FormErrors, typed: dict[str, str]
    ) -> Template:
        found = await api.get(f"{API}/duty-reviews/{review_id}/poll")
        return shown(request, "reviews/ballot.html", status, p=found, errors=errors, typed=typed)

    @get("/{review_id:uuid}")
    async def ballot(self, request: AnyRequest, api: NamedDependency[Api], review_id: FromPath[UUID]) -> Template:
        return await self._ballot(request, api, review_id, 200, FormErrors(), {})

    @post("/{review_id:uuid}")
    async def vote(
        self, request: AnyRequest, api: NamedDependency[Api], review_id: FromPath[UUID]
    ) -> Template | Redirect:
        form = await read_form(request)
        typed = {aspect: form[aspect] for aspect in ASPECTS if form.get(aspect)}
        try:
            await api.post(f"{API}/duty-reviews/{review_id}/poll/votes", {"grades": typed})
        except ApiError as refused:
            if refused.status not in (409, 422):
                raise
            if "grades" in refused.fields or refused.status == 409:
                errors = FormErrors(form=BY_FIELD["grades"] if refused.status == 422 else N_("The poll is closed."))
            else:
                errors = FormErrors(
                    fields={a: N_("Choose one of the four grades.") for a in refused.fields if a in ASPECTS}
                )
            return await self._ballot(request, api, review_id, refused.status, errors, typed)
        return Redirect(f"{POLLS}/{review_id}", status_code=303)


class RectificationController(Controller):
    path = LISTS
    include_in_schema = False
    guards = signed_in(*ORGANISERS)

    async def _lists(
        self,
        request: AnyRequest,
        api: Api,
        state: str,
        draft: dict[str, str],
        errors: FormErrors,
        status: int = 200,
        done_errors: dict[str, FormErrors] | None = None,
    ) -> Template:
        state = state if state in ("open", "done") else "open"
        listed = await api.get(f"{API}/rectifications", state=state, limit=200)
        overdue = [i for i in listed["items"] if i["overdue"]]
        return shown(
            request,
            "reviews/rectification.html",
            status,
            state=state,
            items=listed["items"],
            overdue=len(overdue),
            units=await units(api),
            draft=draft,
            errors=errors,
            done_errors=done_errors or {},
            today=today(request),
            month=this_month(request),
        )

    @get("/")
    async def lists(self, request: AnyRequest, api: NamedDependency[Api], in_state: StateParam = "open") -> Template:
        return await self._lists(
            request, api, in_state, {"reviewId": request.query_params.get("review", "")}, FormErrors()
        )

    @post("/")
    async def add(self, request: AnyRequest, api: NamedDependency[Api]) -> Template | Redirect:
        draft = await read_form(request)
        unit = await chosen_unit(api, draft.get("unitId", ""))
        if unit is None:
            errors = FormErrors(fields={"unitId": N_("Choose the lead unit.")})
            return await self._lists(request, api, "open", draft, errors, 422)
        body: dict[str, Any] = {k: draft.get(k, "").strip() for k in ("problem", "measure", "leader", "deadline")}
        body |= {"unitPath": unit["path"], "unitName": unit["name"]}
        if draft.get("reviewId"):
            body["reviewId"] = draft["reviewId"]
        try:
            await api.post(f"{API}/rectifications", body)
        except ApiError as refused:
            if refused.status != 422:
                raise
            return await self._lists(request, api, "open", draft, refusal(refused, ITEM_FIELDS), 422)
        return Redirect(LISTS, status_code=303)

    @post("/{item_id:uuid}/progress")
    async def progress(
        self, request: AnyRequest, api: NamedDependency[Api], item_id: FromPath[UUID]
    ) -> Template | Redirect:
        """The month's progress note (月调度); a second one this month replaces the first."""
        note = (await read_form(request)).get("note", "").strip()
        try:
            await api.post(f"{API}/rectifications/{item_id}/progress", {"month": this_month(request), "note": note})
        except ApiError as refused:
            if refused.status == 409:
                return Redirect(LISTS, status_code=303)  # ticked off by someone else meanwhile
            if refused.status != 422:
                raise
            errors = {str(item_id): FormErrors(fields={"progress": BY_FIELD["progress"]})}
            return await self._lists(request, api, "open", {}, FormErrors(), 422, errors)
        return Redirect(LISTS, status_code=303)

    @post("/{item_id:uuid}/done")
    async def done(
        self, request: AnyRequest, api: NamedDependency[Api], item_id: FromPath[UUID]
    ) -> Template | Redirect:
        note = (await read_form(request)).get("note", "").strip()
        try:
            await api.post(f"{API}/rectifications/{item_id}/done", {"note": note})
        except ApiError as refused:
            if refused.status == 409:
                return Redirect(LISTS, status_code=303)  # ticked off by someone else meanwhile
            if refused.status != 422:
                raise
            errors = {str(item_id): FormErrors(fields={"note": BY_FIELD["note"]})}
            return await self._lists(request, api, "open", {}, FormErrors(), 422, errors)
        return Redirect(LISTS, status_code=303)


CONTROLLERS = [RoundsController, ReviewController, PollsController, RectificationController]
