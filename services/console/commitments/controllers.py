"""承诺 (``/console/commitments``): the board of commitments by year and state within the user's scope, the form
to define one (an organiser's for a party group of their units, a member's for themself), and a commitment's page
with the cycle's next step: publish, record progress, evaluate with a score. Training judges; the pages show its
refusals beside the fields in the catalogue's words."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from uuid import UUID
from zoneinfo import ZoneInfo

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.commitments.words import (
    BASES,
    BY_FIELD,
    GROUP_BASES,
    HOLDERS,
    MEMBER_BASES,
    MEMBERS,
    ORGANISERS,
    READERS,
    STATES,
    refusal,
    state_of,
)
from services.console.forms import FormErrors, read_form
from services.console.i18n import N_
from services.console.session import SignedIn
from services.console.training.session_form import number
from services.console.training.units import unit
from services.console.web import AnyRequest, NavEntry, page, signed_in
from shared.clock import now

HOME = "/console/commitments"
ROLES = (*READERS, *MEMBERS)
NAV = NavEntry(HOME, N_("Commitments"), ROLES)
API = "/api/training/commitments"
DEFINE_FIELDS = ("unitId", "period", "title", "content", "basis")
Text = Annotated[str, QueryParameter(max_length=20)]
StateParam = Annotated[str, QueryParameter(name="state", max_length=20)]  # ``state`` is Litestar's own name
LEVELS = {"party": "party_group", "administrative": "grid"}  # what a party group is in each tree
PERIOD_QUERY = N_("Enter a year, such as 2026.")


def this_year(request: AnyRequest) -> str:
    return str(now().astimezone(ZoneInfo(request.app.state.console.time_zone)).year)


def shown(request: AnyRequest, template: str, status_code: int = 200, **context: Any) -> Template:
    words = {"states": STATES, "holders": HOLDERS, "bases": BASES}
    return page(request, template, status_code, **words, **context)


async def party_groups(api: Api) -> list[dict[str, Any]]:
    """The party groups (党小组) and grids under the organiser's scope, as orgtree answers with their token."""
    tops = (await api.get("/api/orgtree/nodes", limit=50))["items"]
    found = await asyncio.gather(
        *(
            api.get(f"/api/orgtree/nodes/{top['id']}/subtree", level=LEVELS[top["tree"]], limit=200)
            for top in tops
            if top["tree"] in LEVELS
        )
    )
    return [node for listed in found for node in listed["items"]]


class CommitmentsController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*ROLES)

    @get("/")
    async def board(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        period: Text = "",
        in_state: StateParam = "",
        kind: Text = "",
    ) -> Template:
        """The commitments the user may see for a year, a column per state."""
        year = period.strip() or this_year(request)
        state = in_state
        query = {"period": year, "state": state or None, "holderKind": kind or None, "limit": 200}
        errors = FormErrors()
        try:
            listed = await api.get(API, **{k: v for k, v in query.items() if v is not None})
        except ApiError as refused:
            if refused.status != 422:
                raise
            errors, listed = FormErrors(fields={"period": PERIOD_QUERY}), {"items": [], "next": None}
        columns = {code: [c for c in listed["items"] if c["state"] == code] for code in STATES if state in ("", code)}
        return shown(
            request,
            "commitments/board.html",
            422 if errors else 200,
            period=year,
            state=state,
            kind=kind,
            columns=columns,
            more=listed.get("next"),
            errors=errors,
        )

    async def _form(
        self, request: AnyRequest, api: Api, user: SignedIn, draft: dict[str, str], errors: FormErrors, status: int
    ) -> Template:
        organiser = user.has_role(*ORGANISERS)
        groups = await party_groups(api) if organiser else []
        focus = next((name for name in DEFINE_FIELDS if name in errors.fields), "unitId" if organiser else "title")
        return shown(
            request,
            "commitments/form.html",
            status,
            organiser=organiser,
            groups=groups,
            draft=draft,
            errors=errors,
            focus=focus,
            choices=GROUP_BASES if organiser else MEMBER_BASES,
        )

    @get("/new")
    async def new(self, request: AnyRequest, api: NamedDependency[Api], user: NamedDependency[SignedIn]) -> Template:
        draft = {"period": this_year(request), "basis": "annual_plan" if user.has_role(*ORGANISERS) else ""}
        return await self._form(request, api, user, draft, FormErrors(), 200)

    @post("/")
    async def define(
        self, request: AnyRequest, api: NamedDependency[Api], user: NamedDependency[SignedIn]
    ) -> Template | Redirect:
        """Defined as typed, or the form again with training's refusals beside the fields (nothing stored)."""
        draft = await read_form(request)
        body: dict[str, Any] = {k: draft.get(k, "").strip() for k in ("period", "title", "content", "basis")}
        if user.has_role(*ORGANISERS):
            chosen = await unit(api, draft["unitId"]) if draft.get("unitId") else None
            if chosen is None:
                errors = FormErrors(fields={"unitId": BY_FIELD["unitId"]})
                return await self._form(request, api, user, draft, errors, 422)
            body |= {"holderKind": "party_group", "unitId": chosen["id"], "unitPath": chosen["path"]}
            body["unitName"] = chosen["name"]
        else:
            body["holderKind"] = "member"
        try:
            made = await api.post(API, body)
        except ApiError as refused:
            if refused.status != 422:
                raise
            return await self._form(request, api, user, draft, refusal(refused, DEFINE_FIELDS), 422)
        return Redirect(f"{HOME}/{made['id']}", status_code=303)

    async def _page(
        self,
        request: AnyRequest,
        api: Api,
        user: SignedIn,
        commitment_id: UUID,
        status: int = 200,
        errors: FormErrors | None = None,
        typed: dict[str, str] | None = None,
        refused: str | None = None,
    ) -> Template:
        found = await api.get(f"{API}/{commitment_id}")
        return shown(
            request,
            "commitments/commitment.html",
            status,
            c=found,
            errors=errors or FormErrors(),
            typed=typed or {},
            refused=refused,
            organiser=user.has_role(*ORGANISERS),
            member=user.has_role(*MEMBERS),
        )

    @get("/{commitment_id:uuid}")
    async def commitment(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        user: NamedDependency[SignedIn],
        commitment_id: FromPath[UUID],
    ) -> Template:
        return await self._page(request, api, user, commitment_id)

    async def _step(
        self, request: AnyRequest, api: Api, user: SignedIn, commitment_id: UUID, step: str, body: dict[str, Any]
    ) -> Template | Redirect:
        try:
            await api.post(f"{API}/{commitment_id}/{step}", body)
        except ApiError as refused:
            typed = {k: str(v) for k, v in body.items()}
            if refused.status == 409:  # someone took a step first: the page as it stands now, and why
                stands = state_of(refused.detail)
                return await self._page(request, api, user, commitment_id, 409, None, typed, stands)
            if refused.status != 422:
                raise
            return await self._page(request, api, user, commitment_id, 422, refusal(refused, tuple(body)), typed)
        return Redirect(f"{HOME}/{commitment_id}", status_code=303)

    @post("/{commitment_id:uuid}/publish")
    async def publish(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        user: NamedDependency[SignedIn],
        commitment_id: FromPath[UUID],
    ) -> Template | Redirect:
        return await self._step(request, api, user, commitment_id, "publish", {})

    @post("/{commitment_id:uuid}/progress")
    async def progress(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        user: NamedDependency[SignedIn],
        commitment_id: FromPath[UUID],
    ) -> Template | Redirect:
        note = (await read_form(request)).get("note", "").strip()
        return await self._step(request, api, user, commitment_id, "progress", {"note": note})

    @post("/{commitment_id:uuid}/evaluate")
    async def evaluate(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        user: NamedDependency[SignedIn],
        commitment_id: FromPath[UUID],
    ) -> Template | Redirect:
        form = await read_form(request)
        body = {"score": number(form.get("score", "").strip()), "comment": form.get("comment", "").strip()}
        return await self._step(request, api, user, commitment_id, "evaluate", body)
