"""人员配备 (``/console/redflag/staffing``): the compliance report of the user's scope or a unit (the units below
quota first) and its .xlsx, a unit's staff with the form to record a member as its full-time party worker or
reserve cadre and to end a record, and (district admin) the quota rules."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Stream, Template

from services.console.api import Api, ApiError
from services.console.forms import FormErrors, read_form
from services.console.i18n import N_
from services.console.people.units import level_kinds, node_or_none
from services.console.redflag.words import EDITORS, STAFF_ROLES, refusal
from services.console.session import SignedIn
from services.console.web import AnyRequest, NavEntry, page, signed_in
from shared.clock import china_today

HOME = "/console/redflag/staffing"
SHEET = f"{HOME}/compliance.xlsx"
NAV = NavEntry(HOME, N_("Staffing"), EDITORS)
API = "/api/orgtree"
STAFF_FIELDS = ("memberId", "role", "since")
SHEET_HEADERS = ("content-type", "content-disposition", "x-row-count")
Unit = Annotated[str, QueryParameter(max_length=40)]
Name = Annotated[str, QueryParameter(max_length=50)]


def shown(request: AnyRequest, template: str, status_code: int = 200, **context: Any) -> Template:
    return page(request, template, status_code, roles=STAFF_ROLES, **context)


async def rules_page(
    request: AnyRequest, api: Api, status: int, *, unit: dict[str, Any] | None, errors: FormErrors, **context: Any
) -> Template:
    within = unit["id"] if unit else None
    report = await api.get(f"{API}/staffing/compliance", within=within)
    rules = await api.get(f"{API}/staffing/quotas")
    levels, _grids, _branches = await level_kinds(api)
    return shown(
        request,
        "redflag/staffing.html",
        status,
        report=report,
        rules=rules,
        levels=levels,
        unit=unit,
        sheet=SHEET + (f"?{urlencode({'unit': within})}" if within else ""),
        errors=errors,
        **context,
    )


async def post_term(api: Api, path: str, draft: dict[str, str], fields: tuple[str, ...]) -> None:
    """A member's term on a unit (its staff, a grid group's instructors): every field required at once, and a 404
    said as the member (the page shows the unit, so the member is one the user may not see)."""
    body = {name: draft.get(name, "").strip() for name in fields}
    try:
        missing = {name: "" for name in fields if not body[name]}
        if missing:
            raise ApiError(422, "missing", missing)
        await api.post(path, body)
    except ApiError as refused:
        if refused.status == 404:
            raise ApiError(422, "no such member", {"memberId": ""}) from refused
        raise


class StaffingController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*EDITORS)

    @get("/")
    async def report(
        self, request: AnyRequest, api: NamedDependency[Api], user: NamedDependency[SignedIn], unit: Unit = ""
    ) -> Template:
        chosen = await node_or_none(api, unit)
        admin = user.has_role("district_admin")
        return await rules_page(request, api, 200, unit=chosen, errors=FormErrors(), district_admin=admin, typed={})

    @post("/quotas", guards=signed_in("district_admin"))
    async def set_quotas(self, request: AnyRequest, api: NamedDependency[Api]) -> Template | Redirect:
        """Each rule's minimum as typed; a number that is no number is said beside it, nothing stored."""
        typed = await read_form(request)
        rules = (await api.get(f"{API}/staffing/quotas"))["rules"]
        body: list[dict[str, Any]] = []
        errors = FormErrors()
        for rule in rules:
            key = f"min-{rule['level']}-{rule['role']}"
            text = typed.get(key, "").strip()
            if not text.isdigit():
                errors.fields[key] = N_("Enter a whole number from 0 to 1000.")
                continue
            body.append({"level": rule["level"], "role": rule["role"], "minimum": int(text)})
        if not errors:
            try:
                await api.call("PUT", f"{API}/staffing/quotas", json={"rules": body})
            except ApiError as refused:
                if refused.status != 422:
                    raise
                errors = FormErrors(form=N_("Enter a whole number from 0 to 1000."))
        if errors:
            return await rules_page(request, api, 422, unit=None, errors=errors, district_admin=True, typed=typed)
        return Redirect(HOME, status_code=303)

    @get("/compliance.xlsx")
    async def sheet(self, api: NamedDependency[Api], unit: Unit = "") -> Stream:
        """The API's workbook passed through: refusals become the console's error pages before anything is sent."""
        chosen = await node_or_none(api, unit)
        query = f"?{urlencode({'within': chosen['id']})}" if chosen else ""
        exits = AsyncExitStack()
        response = await exits.enter_async_context(api.stream(f"{API}/staffing/compliance.xlsx{query}"))
        headers = {name: response.headers[name] for name in SHEET_HEADERS if name in response.headers}

        async def body() -> AsyncIterator[bytes]:
            async with exits:
                async for chunk in response.aiter_bytes():
                    yield chunk

        return Stream(body(), media_type=headers.pop("content-type", None), headers=headers)

    async def _unit_page(
        self, request: AnyRequest, api: Api, unit_id: UUID, *, draft: dict[str, str], errors: FormErrors, status: int
    ) -> Template:
        unit = await api.get(f"{API}/nodes/{unit_id}")
        staff = await api.get(f"{API}/nodes/{unit_id}/staff")
        q = draft.get("q", "").strip()
        found = (await api.get(f"{API}/members", name=q, limit=50))["items"] if q else []
        return shown(
            request,
            "redflag/unit_staff.html",
            status,
            unit=unit,
            staff=staff,
            found=found,
            draft=draft,
            errors=errors,
            today=china_today().isoformat(),
        )

    @get("/units/{unit_id:uuid}")
    async def unit_staff(
        self, request: AnyRequest, api: NamedDependency[Api], unit_id: FromPath[UUID], q: Name = ""
    ) -> Template:
        return await self._unit_page(request, api, unit_id, draft={"q": q}, errors=FormErrors(), status=200)

    @post("/units/{unit_id:uuid}/staff")
    async def add_staff(
        self, request: AnyRequest, api: NamedDependency[Api], unit_id: FromPath[UUID]
    ) -> Template | Redirect:
        draft = await read_form(request)
        try:
            await post_term(api, f"{API}/nodes/{unit_id}/staff", draft, STAFF_FIELDS)
        except ApiError as refused:
            if refused.status not in (409, 422):
                raise
            errors = refusal(refused, STAFF_FIELDS)
            return await self._unit_page(request, api, unit_id, draft=draft, errors=errors, status=refused.status)
        return Redirect(f"{HOME}/units/{unit_id}", status_code=303)

    @post("/units/{unit_id:uuid}/staff/{staff_id:uuid}/end")
    async def end_staff(
        self, request: AnyRequest, api: NamedDependency[Api], unit_id: FromPath[UUID], staff_id: FromPath[UUID]
    ) -> Template | Redirect:
        typed = await read_form(request)
        try:
            await api.call("PATCH", f"{API}/staff/{staff_id}", json={"until": typed.get("until", "").strip()})
        except ApiError as refused:
            if refused.status != 422:
                raise
            errors = FormErrors(form=N_("Enter an end date on or after the start."))
            return await self._unit_page(request, api, unit_id, draft={}, errors=errors, status=422)
        return Redirect(f"{HOME}/units/{unit_id}", status_code=303)
