"""群众档案 (``/console/household-archive``): the household archives of the cadre's subtree (Zhuji [001/ZHJ],
DSP-32): the reminder of those not refreshed for six months, each household's sheet (family, income sources,
assistance records) with its demands, their resolution and the resident's feedback forms, the refresh history, and
the form a cadre saves after each visit (every save is a refresh: who and when are recorded)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.forms import FormErrors, read_form
from services.console.household_archive.sheet import (
    ASSISTANCE_ROWS,
    INCOME_ROWS,
    MEMBER_ROWS,
    body_of,
    draft_of,
    refused,
)
from services.console.i18n import N_
from services.console.web import AnyRequest, NavEntry, page, signed_in

HOME = "/console/household-archive"
API = "/api/dispatch/archives"
STAFF = ("district_admin", "street_admin", "community_cadre", "grid_leader", "hotline_operator", "hotline_supervisor")
NAV = [NavEntry(f"{HOME}/", N_("Household archives"), STAFF)]
ECONOMIC_TYPES = {
    "processing": N_("Processing household"),
    "planting": N_("Planting household"),
    "breeding": N_("Breeding household"),
    "business": N_("Business household"),
    "migrant_work": N_("Migrant-work household"),
    "low_income": N_("Minimum-living-allowance household"),
    "five_guarantees": N_("Five-guarantee household"),
    "extreme_hardship": N_("Extreme-hardship household"),
    "other": N_("Other"),
}
INCOME_KINDS = {
    "land": N_("Contracted land"),
    "crops": N_("Crops"),
    "livestock": N_("Livestock"),
    "business": N_("Business or workshop"),
    "migrant_work": N_("Work away from home"),
    "other": N_("Other income"),
}
CHANGED = {
    "created": N_("Archive filed"),
    "economicType": N_("Economic type"),
    "members": N_("Family members"),
    "incomeSources": N_("Income sources"),
    "assistance": N_("Assistance records"),
}
STATUSES = {
    "new": N_("Waiting to be classified"),
    "routing": N_("Being routed"),
    "assigned": N_("Signed for by its handler"),
    "on_site": N_("On site"),
    "resolved": N_("Resolved, awaiting callback"),
    "closed": N_("Closed"),
    "cancelled": N_("Cancelled"),
    "merged": N_("Merged"),
}
WORDS: dict[str, Any] = {
    "economic": ECONOMIC_TYPES,
    "incomes": INCOME_KINDS,
    "changed": CHANGED,
    "statuses": STATUSES,
}
Due = Annotated[bool, QueryParameter(name="due")]


async def household_choices(api: Api) -> list[dict[str, str]]:
    """Orgtree's households of the reader's scope with their labels, to file a new archive; none if orgtree
    refuses this reader the list."""
    try:
        listed = await api.get("/api/orgtree/households", limit=200)
    except ApiError as refusal:
        if refusal.status not in (403, 404):
            raise
        return []
    items = listed.get("items", []) if isinstance(listed, dict) else []
    return [{"id": str(h["id"]), "name": str(h.get("label") or h["id"])} for h in items]


class HouseholdArchiveController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*STAFF)

    @get("/")
    async def archives(self, request: AnyRequest, api: NamedDependency[Api], due: Due = False) -> Template:
        listed = await api.get(API, due=str(due).lower(), limit=200)
        return page(
            request,
            "household_archive/archives.html",
            listed=listed,
            due=due,
            words=WORDS,
            households=await household_choices(api),
        )

    @get("/open")
    async def open_household(self, household: Annotated[UUID, QueryParameter(name="household")]) -> Redirect:
        return Redirect(f"{HOME}/households/{household}", status_code=303)

    @get("/households/{household_id:uuid}")
    async def archive(
        self, request: AnyRequest, api: NamedDependency[Api], household_id: FromPath[UUID]
    ) -> Template | Redirect:
        try:
            archive = await api.get(f"{API}/households/{household_id}")
        except ApiError as refusal:
            if refusal.status != 404:
                raise
            return Redirect(f"{HOME}/households/{household_id}/refresh", status_code=303)  # none yet: file it
        refreshes = await api.get(f"{API}/households/{household_id}/refreshes")
        return page(request, "household_archive/archive.html", archive=archive, refreshes=refreshes, words=WORDS)

    async def _form(
        self,
        request: AnyRequest,
        api: Api,
        household_id: UUID,
        draft: dict[str, str] | None = None,
        errors: FormErrors | None = None,
    ) -> Template:
        archive = None
        try:
            archive = await api.get(f"{API}/households/{household_id}")
        except ApiError as refusal:
            if refusal.status != 404:
                raise
        return page(
            request,
            "household_archive/refresh.html",
            422 if errors else 200,
            household_id=str(household_id),
            archive=archive,
            draft=draft if draft is not None else draft_of(archive),
            errors=errors or FormErrors(),
            words=WORDS,
            member_rows=range(MEMBER_ROWS),
            income_rows=range(INCOME_ROWS),
            assistance_rows=range(ASSISTANCE_ROWS),
        )

    @get("/households/{household_id:uuid}/refresh")
    async def refresh_form(
        self, request: AnyRequest, api: NamedDependency[Api], household_id: FromPath[UUID]
    ) -> Template:
        return await self._form(request, api, household_id)

    @post("/households/{household_id:uuid}/refresh")
    async def refresh(
        self, request: AnyRequest, api: NamedDependency[Api], household_id: FromPath[UUID]
    ) -> Template | Redirect:
        form = await read_form(request)
        body, positions = body_of(form)
        try:
            await api.call("PUT", f"{API}/households/{household_id}", json=body)
        except ApiError as refusal:
            if refusal.status != 422:
                raise
            return await self._form(request, api, household_id, form, refused(refusal, positions))
        return Redirect(f"{HOME}/households/{household_id}", status_code=303)


CONTROLLERS: list[type[Controller]] = [HouseholdArchiveController]
