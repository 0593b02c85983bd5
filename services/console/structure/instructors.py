"""网格党小组指导员 (``/console/structure/instructors``): the grid party groups of the user's scope (or a unit's)
short of their township or community instructors, and a group's page (by its grid) with its instructors past and
present, assigning a member found by name and ending a term."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.forms import FormErrors, read_form
from services.console.i18n import N_
from services.console.people.units import node_or_none
from services.console.redflag.staffing import post_term
from services.console.structure.words import EDITORS, SOURCES, refusal
from services.console.web import AnyRequest, NavEntry, page, signed_in
from shared.clock import china_today

HOME = "/console/structure/instructors"
GROUPS = "/console/structure/groups"
NAV = NavEntry(HOME, N_("Grid group instructors"), EDITORS)
API = "/api/orgtree"
FIELDS = ("memberId", "source", "since")
Unit = Annotated[str, QueryParameter(max_length=40)]
Name = Annotated[str, QueryParameter(max_length=50)]


def shown(request: AnyRequest, template: str, status_code: int = 200, **context: Any) -> Template:
    return page(request, template, status_code, sources=SOURCES, **context)


class InstructorsController(Controller):
    path = "/console/structure"
    include_in_schema = False
    guards = signed_in(*EDITORS)

    @get("/instructors")
    async def gaps(self, request: AnyRequest, api: NamedDependency[Api], unit: Unit = "") -> Template:
        chosen = await node_or_none(api, unit)
        report = await api.get(f"{API}/instructors/gaps", within=chosen["id"] if chosen else None)
        return shown(request, "structure/instructors.html", report=report, unit=chosen)

    async def _group_page(
        self, request: AnyRequest, api: Api, grid_id: UUID, *, draft: dict[str, str], errors: FormErrors, status: int
    ) -> Template:
        group = await api.get(f"{API}/nodes/{grid_id}/instructors")
        q = draft.get("q", "").strip()
        found = (await api.get(f"{API}/members", name=q, limit=50))["items"] if q else []
        return shown(
            request,
            "structure/group.html",
            status,
            group=group,
            found=found,
            draft=draft,
            errors=errors,
            today=china_today().isoformat(),
        )

    @get("/groups/{grid_id:uuid}")
    async def group(
        self, request: AnyRequest, api: NamedDependency[Api], grid_id: FromPath[UUID], q: Name = ""
    ) -> Template:
        return await self._group_page(request, api, grid_id, draft={"q": q}, errors=FormErrors(), status=200)

    @post("/groups/{grid_id:uuid}/instructors")
    async def assign(
        self, request: AnyRequest, api: NamedDependency[Api], grid_id: FromPath[UUID]
    ) -> Template | Redirect:
        draft = await read_form(request)
        try:
            await post_term(api, f"{API}/nodes/{grid_id}/instructors", draft, FIELDS)
        except ApiError as refused:
            if refused.status not in (409, 422):
                raise
            errors = refusal(refused, FIELDS)
            return await self._group_page(request, api, grid_id, draft=draft, errors=errors, status=refused.status)
        return Redirect(f"{GROUPS}/{grid_id}", status_code=303)

    @post("/groups/{grid_id:uuid}/instructors/{instructor_id:uuid}/end")
    async def end(
        self, request: AnyRequest, api: NamedDependency[Api], grid_id: FromPath[UUID], instructor_id: FromPath[UUID]
    ) -> Template | Redirect:
        typed = await read_form(request)
        try:
            await api.call(
                "PATCH", f"{API}/instructors/{instructor_id}", json={"until": typed.get("until", "").strip()}
            )
        except ApiError as refused:
            if refused.status not in (409, 422):
                raise
            errors = FormErrors(form=N_("Enter an end date on or after the start."))
            return await self._group_page(request, api, grid_id, draft={}, errors=errors, status=refused.status)
        return Redirect(f"{GROUPS}/{grid_id}", status_code=303)
