"""再教育 (``/console/care/re-education``): warned members' re-education cases by state, a case's page with the
party-spirit programme's sessions the member attended, and the organiser's conclusion (still unqualified moves the
membership to the street organ branch: orgtree does that on training's event)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.care.words import CASE_STATES, CONCLUDE_NOTE, CONCLUSIONS, ORGANISERS, READERS, conflict, refusal
from services.console.forms import FormErrors, read_form
from services.console.session import SignedIn
from services.console.web import AnyRequest, page, signed_in

HOME = "/console/care/re-education"
API = "/api/training/re-education"
FIELDS = ("outcome", "note")
StateParam = Annotated[str, QueryParameter(name="state", max_length=20)]


def shown(request: AnyRequest, template: str, status_code: int = 200, **context: Any) -> Template:
    return page(request, template, status_code, states=CASE_STATES, conclusions=CONCLUSIONS, **context)


class CasesController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*READERS)

    @get("/")
    async def cases(self, request: AnyRequest, api: NamedDependency[Api], in_state: StateParam = "") -> Template:
        state = in_state if in_state in CASE_STATES else ""
        query = {"state": state or None, "limit": 200}
        listed = await api.get(API, **query)
        return shown(request, "care/cases.html", cases=listed["items"], more=listed.get("next"), state=state)

    async def _case(
        self,
        request: AnyRequest,
        api: Api,
        user: SignedIn,
        case_id: UUID,
        *,
        status: int = 200,
        errors: FormErrors | None = None,
        typed: dict[str, str] | None = None,
    ) -> Template:
        found = await api.get(f"{API}/{case_id}")
        return shown(
            request,
            "care/case.html",
            status,
            case=found["case"],
            sessions=found["sessions"],
            errors=errors or FormErrors(),
            typed=typed or {},
            organiser=user.has_role(*ORGANISERS),
        )

    @get("/{case_id:uuid}")
    async def case(
        self, request: AnyRequest, api: NamedDependency[Api], user: NamedDependency[SignedIn], case_id: FromPath[UUID]
    ) -> Template:
        return await self._case(request, api, user, case_id)

    @post("/{case_id:uuid}/conclude", guards=signed_in(*ORGANISERS))
    async def conclude(
        self, request: AnyRequest, api: NamedDependency[Api], user: NamedDependency[SignedIn], case_id: FromPath[UUID]
    ) -> Template | Redirect:
        """Concluded as chosen, or the page again with the refusal beside the field (nothing stored)."""
        typed = await read_form(request)
        body = {name: typed.get(name, "").strip() for name in FIELDS}
        missing = {name: "" for name in FIELDS if not body[name]}
        try:
            if missing:
                raise ApiError(422, "missing", missing)
            await api.post(f"{API}/{case_id}/conclude", body)
        except ApiError as refused:
            if refused.status == 409:  # concluded already, or not educated yet
                return await self._case(request, api, user, case_id, status=409, errors=conflict(refused), typed=typed)
            if refused.status != 422:
                raise
            errors = refusal(refused, FIELDS, {"note": CONCLUDE_NOTE})
            return await self._case(request, api, user, case_id, status=422, errors=errors, typed=typed)
        return Redirect(f"{HOME}/{case_id}", status_code=303)
