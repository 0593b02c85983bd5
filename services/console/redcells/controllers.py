"""红细胞联户 (``/console/redcells``): linking a member to a household and unlinking it, from the member's page,
within the district's range (orgtree refuses more; the refusal is said beside the household chosen); the
coverage report under a unit: its figures, the members outside the range and the households no member serves."""

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
from services.console.people.members import member_page
from services.console.people.units import node_or_none
from services.console.people.words import KEEPERS
from services.console.web import AnyRequest, NavEntry, page, signed_in

HOME = "/console/redcells"
MEMBERS = "/api/orgtree/members"
UNSERVED_SHOWN = 50
Unit = Annotated[str, QueryParameter(max_length=40)]

CHOOSE_HOUSEHOLD = N_("Choose a household of the member's grid.")
OVER_RANGE = N_("The member would serve more households than the district allows.")
ALREADY = N_("The member already serves this household.")


class RedCellsController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*KEEPERS)

    @get("/")
    async def coverage(self, request: AnyRequest, api: NamedDependency[Api], unit: Unit = "") -> Template:
        """How well the unit's households are served, with the members outside the range and the first
        households no member serves."""
        chosen = await node_or_none(api, unit)
        within = chosen["id"] if chosen else None
        report = await api.get("/api/orgtree/reports/red-cell-coverage", within=within)
        unserved = await api.get("/api/orgtree/households", within=within, unserved="true", limit=UNSERVED_SHOWN)
        return page(
            request,
            "redcells/coverage.html",
            report=report,
            unserved=unserved["items"],
            more=unserved.get("nextAfter") is not None,
            unit=chosen,
        )

    @post("/members/{member_id:uuid}/households")
    async def link(
        self, request: AnyRequest, api: NamedDependency[Api], member_id: FromPath[UUID]
    ) -> Template | Redirect:
        typed = await read_form(request)
        household = typed.get("householdId", "").strip()
        try:
            if not household:
                raise ApiError(422, "missing", {"householdId": ""})
            await api.post(f"{MEMBERS}/{member_id}/households", {"householdId": household})
        except ApiError as refused:
            if refused.status not in (404, 409, 422):
                raise
            return await member_page(
                request, api, member_id, status=refused.status, errors={"link": link_refusal(refused)}, typed=typed
            )
        return Redirect(f"/console/people/members/{member_id}#served", status_code=303)

    @post("/members/{member_id:uuid}/households/{household_id:uuid}/unlink")
    async def unlink(
        self, api: NamedDependency[Api], member_id: FromPath[UUID], household_id: FromPath[UUID]
    ) -> Redirect:
        try:
            await api.call("DELETE", f"{MEMBERS}/{member_id}/households/{household_id}")
        except ApiError as refused:
            if refused.status != 404 or not await member_still_seen(api, member_id):
                raise
            # unlinked already (another tab, another keeper): the page shows the links as they stand
        return Redirect(f"/console/people/members/{member_id}#served", status_code=303)


def link_refusal(error: ApiError) -> FormErrors:
    if error.status == 409:
        return FormErrors(fields={"householdId": ALREADY})
    if error.status == 422 and "allows" in error.fields.get("householdId", ""):
        return FormErrors(fields={"householdId": OVER_RANGE})
    return FormErrors(fields={"householdId": CHOOSE_HOUSEHOLD})


async def member_still_seen(api: Api, member_id: UUID) -> bool:
    try:
        found: dict[str, Any] = await api.get(f"{MEMBERS}/{member_id}")
    except ApiError as error:
        if error.status == 404:
            return False
        raise
    return bool(found)


CONTROLLERS: list[type[Controller]] = [RedCellsController]
NAV: list[NavEntry] = [NavEntry(HOME, N_("Red-cell coverage"), KEEPERS)]
