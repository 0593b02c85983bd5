"""红旗社区评定 (``/console/evaluation/...``): the Red Flag Community evaluations of the communities under the
organiser's scope, opening one for a community and year, and one evaluation's page with its steps and the form of
the step that is next (the community's self-check and application, the street's recommendation or return, the
district's acceptance and decision). Training judges each step and its role; refusals show beside the fields."""

from __future__ import annotations

from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.evaluation.communities import communities
from services.console.evaluation.words import (
    ACTIONS,
    BY_FIELD,
    DISTRICT,
    ORGANISERS,
    OUT_OF_TURN,
    OUTCOMES,
    STATES,
    STREET,
    refusal,
)
from services.console.forms import FormErrors, read_form
from services.console.i18n import N_
from services.console.session import SignedIn
from services.console.training.session_form import number
from services.console.web import AnyRequest, NavEntry, page, signed_in
from shared.clock import now

HOME = "/console/evaluation"
API = "/api/training/red-flag-evaluations"
NAV = [NavEntry(HOME, N_("Red Flag Community evaluations"), ORGANISERS)]
# each step: the API's path, the form's fields, which of them are scores
STEP_FORMS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "self-check": ("/self-check", ("selfScore", "selfCheckNote"), ("selfScore",)),
    "apply": ("/apply", ("applicationNote",), ()),
    "recommend": ("/recommend", ("streetScore", "streetOpinion"), ("streetScore",)),
    "return": ("/return", ("reason",), ()),
    "acceptance": (
        "/acceptance",
        ("siteVisitNote", "documentReviewNote", "interviewsNote", "acceptanceScore"),
        ("acceptanceScore",),
    ),
    "decision": ("/decision", ("outcome", "reason", "recommendToCity"), ()),
}


def this_year(request: AnyRequest) -> str:
    return str(now().astimezone(ZoneInfo(request.app.state.console.time_zone)).year)


def shown(request: AnyRequest, template: str, status_code: int = 200, **context: Any) -> Template:
    return page(request, template, status_code, states=STATES, actions=ACTIONS, outcomes=OUTCOMES, **context)


def body_of(step: str, typed: dict[str, str]) -> dict[str, Any]:
    """What the form sends: a score as a number (what is not one as typed, for training to name; left out when
    empty, so training names it when it is required), the box as a boolean."""
    _, fields, scores = STEP_FORMS[step]
    body: dict[str, Any] = {}
    for name in fields:
        if name == "recommendToCity":
            body[name] = typed.get(name) == "on"
        elif name not in scores:
            body[name] = typed[name]
        elif typed[name]:
            body[name] = number(typed[name])
    return body


class EvaluationController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*ORGANISERS)

    async def _list(
        self, request: AnyRequest, api: Api, draft: dict[str, str], errors: FormErrors, status: int = 200
    ) -> Template:
        listed = await api.get(API, limit=100)
        return shown(
            request,
            "evaluation/list.html",
            status,
            evaluations=listed["items"],
            communities=await communities(api),
            draft=draft,
            errors=errors,
        )

    @get("/")
    async def evaluations(self, request: AnyRequest, api: NamedDependency[Api]) -> Template:
        return await self._list(request, api, {"year": this_year(request)}, FormErrors())

    @post("/")
    async def open_evaluation(self, request: AnyRequest, api: NamedDependency[Api]) -> Template | Redirect:
        draft = await read_form(request)
        chosen = {c["id"]: c for c in await communities(api)}.get(draft.get("unitId", ""))
        if chosen is None:
            return await self._list(request, api, draft, FormErrors(fields={"unitId": BY_FIELD["unitId"]}), 422)
        body = {
            "unitId": chosen["id"],
            "unitPath": chosen["path"],
            "unitName": chosen["name"],
            "year": draft.get("year", "").strip(),
        }
        try:
            made = await api.post(API, body)
        except ApiError as refused:
            if refused.status == 409:
                errors = FormErrors(form=N_("This community already has an evaluation for that year."))
                return await self._list(request, api, draft, errors, 409)
            if refused.status != 422:
                raise
            return await self._list(request, api, draft, refusal(refused, ("unitId", "year")), 422)
        return Redirect(f"{HOME}/{made['id']}", status_code=303)

    async def _page(
        self,
        request: AnyRequest,
        api: Api,
        user: SignedIn,
        evaluation_id: UUID,
        status: int = 200,
        errors: FormErrors | None = None,
        typed: dict[str, str] | None = None,
    ) -> Template:
        found = await api.get(f"{API}/{evaluation_id}")
        return shown(
            request,
            "evaluation/evaluation.html",
            status,
            v=found,
            street=user.has_role(*STREET),
            district=user.has_role(*DISTRICT),
            errors=errors or FormErrors(),
            typed=typed or {},
        )

    @get("/{evaluation_id:uuid}")
    async def evaluation(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        user: NamedDependency[SignedIn],
        evaluation_id: FromPath[UUID],
    ) -> Template:
        return await self._page(request, api, user, evaluation_id)

    @post("/{evaluation_id:uuid}/{step:str}")
    async def take_step(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        user: NamedDependency[SignedIn],
        evaluation_id: FromPath[UUID],
        step: FromPath[str],
    ) -> Template | Redirect:
        """One step of the workflow as the form gave it; training refuses out of turn (409) or bad input (422)."""
        if step not in STEP_FORMS:
            return await self._page(request, api, user, evaluation_id, 404, FormErrors(form=OUT_OF_TURN))
        path, fields, _ = STEP_FORMS[step]
        form = await read_form(request)
        typed = {name: form.get(name, "").strip() for name in fields}
        method = "PATCH" if step == "self-check" else "POST"
        try:
            await api.call(method, f"{API}/{evaluation_id}{path}", json=body_of(step, typed))
        except ApiError as refused:
            if refused.status == 409:
                return await self._page(request, api, user, evaluation_id, 409, FormErrors(form=OUT_OF_TURN), typed)
            if refused.status != 422:
                raise
            # applying names the self-check's fields when it is incomplete: they are on the same page
            errors = refusal(refused, fields + STEP_FORMS["self-check"][1] if step == "apply" else fields)
            return await self._page(request, api, user, evaluation_id, 422, errors, typed)
        return Redirect(f"{HOME}/{evaluation_id}", status_code=303)


CONTROLLERS = [EvaluationController]
