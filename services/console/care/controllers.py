"""党员管理 (``/console/care``): mobile members' certificates under the user's scope with the year's review rate
against Yaoxi's 100%, registering one by hand, a certificate's page with its reviews and the review form, the
overdue reviews to chase, and (district admins) the warning days. Training judges; the pages show its refusals in
the catalogue's words. Re-education cases are in ``cases.py``."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID
from zoneinfo import ZoneInfo

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.care.cases import CasesController
from services.console.care.words import (
    CERTIFICATE_STATES,
    ORGANISERS,
    OUTCOMES,
    READERS,
    TASK_STATES,
    conflict,
    refusal,
)
from services.console.forms import FormErrors, read_form
from services.console.i18n import N_
from services.console.session import SignedIn
from services.console.web import AnyRequest, NavEntry, page, signed_in
from shared.clock import now

HOME = "/console/care"
NAV = NavEntry(HOME, N_("Member care"), READERS)
API = "/api/training/certificates"
REGISTER_FIELDS = ("personId", "number", "issuedOn", "reviewDueOn")
REVIEW_FIELDS = ("outcome", "reviewedOn", "note")
StateParam = Annotated[str, QueryParameter(name="state", max_length=20)]  # ``state`` is Litestar's own name
Year = Annotated[str, QueryParameter(max_length=10)]
Name = Annotated[str, QueryParameter(max_length=50)]
YEAR_QUERY = N_("Enter a year, such as 2026.")


def this_year(request: AnyRequest) -> int:
    return now().astimezone(ZoneInfo(request.app.state.console.time_zone)).year


def shown(request: AnyRequest, template: str, status_code: int = 200, **context: Any) -> Template:
    words = {"states": CERTIFICATE_STATES, "outcomes": OUTCOMES, "task_states": TASK_STATES}
    return page(request, template, status_code, **words, **context)


def only(query: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in query.items() if v not in (None, "")}


class CareController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*READERS)

    @get("/")
    async def certificates(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        user: NamedDependency[SignedIn],
        in_state: StateParam = "",
        year: Year = "",
    ) -> Template:
        """The certificates soonest due first, and the year's review rate."""
        errors = FormErrors()
        chosen = year.strip() or str(this_year(request))
        if not (chosen.isdigit() and 2000 <= int(chosen) <= 2100):
            errors, chosen = FormErrors(fields={"year": YEAR_QUERY}), str(this_year(request))
        state = in_state if in_state in CERTIFICATE_STATES else ""
        listed = await api.get(API, **only({"state": state, "limit": 200}))
        summary = await api.get(f"{API}/summary", year=int(chosen))
        return shown(
            request,
            "care/certificates.html",
            422 if errors else 200,
            listed=listed["items"],
            more=listed.get("next"),
            summary=summary,
            state=state,
            year=year.strip() or chosen,
            errors=errors,
            organiser=user.has_role(*ORGANISERS),
            district_admin=user.has_role("district_admin"),
        )

    async def _register_form(
        self, request: AnyRequest, api: Api, draft: dict[str, str], errors: FormErrors, status: int
    ) -> Template:
        """The form, the members to choose from found by name (training confines them to the user's scope)."""
        q = draft.get("q", "").strip()
        people = (await api.get("/api/training/people", kind="member", q=q or None, limit=100))["items"]
        focus = next((name for name in REGISTER_FIELDS if name in errors.fields), "personId")
        return shown(request, "care/register.html", status, people=people, draft=draft, errors=errors, focus=focus)

    @get("/certificates/new", guards=signed_in(*ORGANISERS))
    async def new(self, request: AnyRequest, api: NamedDependency[Api], q: Name = "") -> Template:
        return await self._register_form(request, api, {"q": q}, FormErrors(), 200)

    @post("/certificates", guards=signed_in(*ORGANISERS))
    async def register(self, request: AnyRequest, api: NamedDependency[Api]) -> Template | Redirect:
        """Registered as typed, or the form again with the refusals beside the fields (nothing stored)."""
        draft = await read_form(request)
        body = {name: draft.get(name, "").strip() for name in REGISTER_FIELDS}
        missing = {name: "" for name in REGISTER_FIELDS if not body[name]}
        try:
            if missing:  # said beside each empty field at once, as training would one by one
                raise ApiError(422, "missing", missing)
            made = await api.post(API, body)
        except ApiError as refused:
            if refused.status == 409:
                return await self._register_form(request, api, draft, conflict(refused), 409)
            if refused.status not in (404, 422):  # 404: the person is not one the organiser may see
                raise
            if refused.status == 404:
                refused = ApiError(422, refused.detail, {"personId": ""})
            return await self._register_form(request, api, draft, refusal(refused, REGISTER_FIELDS), 422)
        return Redirect(f"{HOME}/certificates/{made['id']}", status_code=303)

    async def _certificate(
        self,
        request: AnyRequest,
        api: Api,
        user: SignedIn,
        certificate_id: UUID,
        *,
        status: int = 200,
        errors: FormErrors | None = None,
        typed: dict[str, str] | None = None,
    ) -> Template:
        found = await api.get(f"{API}/{certificate_id}")
        return shown(
            request,
            "care/certificate.html",
            status,
            c=found["certificate"],
            reviews=found["reviews"],
            errors=errors or FormErrors(),
            typed=typed or {},
            organiser=user.has_role(*ORGANISERS),
        )

    @get("/certificates/{certificate_id:uuid}")
    async def certificate(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        user: NamedDependency[SignedIn],
        certificate_id: FromPath[UUID],
    ) -> Template:
        return await self._certificate(request, api, user, certificate_id)

    @post("/certificates/{certificate_id:uuid}/reviews", guards=signed_in(*ORGANISERS))
    async def review(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        user: NamedDependency[SignedIn],
        certificate_id: FromPath[UUID],
    ) -> Template | Redirect:
        typed = await read_form(request)
        body = {name: typed.get(name, "").strip() for name in REVIEW_FIELDS}
        missing = {name: "" for name in ("outcome", "reviewedOn") if not body[name]}
        try:
            if missing:
                raise ApiError(422, "missing", missing)
            await api.post(f"{API}/{certificate_id}/reviews", {**body, "note": body["note"] or None})
        except ApiError as refused:
            if refused.status == 409:
                said = conflict(refused)
                return await self._certificate(request, api, user, certificate_id, status=409, errors=said, typed=typed)
            if refused.status != 422:
                raise
            errors = refusal(refused, REVIEW_FIELDS)
            return await self._certificate(request, api, user, certificate_id, status=422, errors=errors, typed=typed)
        return Redirect(f"{HOME}/certificates/{certificate_id}", status_code=303)

    @get("/tasks")
    async def tasks(self, request: AnyRequest, api: NamedDependency[Api], in_state: StateParam = "open") -> Template:
        """The reviews gone overdue, longest due first."""
        state = in_state if in_state in TASK_STATES else "open"
        listed = await api.get("/api/training/tasks", state=state, limit=200)
        return shown(request, "care/tasks.html", tasks=listed["items"], more=listed.get("next"), state=state)

    async def _settings(
        self, request: AnyRequest, days: str, errors: FormErrors, status: int, saved: bool = False
    ) -> Template:
        return shown(request, "care/settings.html", status, days=days, errors=errors, saved=saved)

    @get("/settings", guards=signed_in("district_admin"))
    async def settings(self, request: AnyRequest, api: NamedDependency[Api], saved: FromQuery[str] = "") -> Template:
        found = await api.get(f"{API}/settings")
        return await self._settings(request, str(found["reviewWarningDays"]), FormErrors(), 200, saved == "1")

    @post("/settings", guards=signed_in("district_admin"))
    async def put_settings(self, request: AnyRequest, api: NamedDependency[Api]) -> Template | Redirect:
        days = (await read_form(request)).get("reviewWarningDays", "").strip()
        try:
            await api.call("PUT", f"{API}/settings", json={"reviewWarningDays": int(days) if days.isdigit() else days})
        except ApiError as refused:
            if refused.status != 422:
                raise
            return await self._settings(request, days, refusal(refused, ("reviewWarningDays",)), 422)
        return Redirect(f"{HOME}/settings?saved=1", status_code=303)


CONTROLLERS = [CareController, CasesController]
