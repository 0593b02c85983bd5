"""党员考绩墙 (``/console/wall``): a month's members under the user's scope with the figures the district made public
(training decides which and orders by the first), and for the district's administrator the choice of those figures.
Training judges the month; a refusal shows beside the month field."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.forms import FormErrors, read_form
from services.console.i18n import N_
from services.console.session import SignedIn
from services.console.web import AnyRequest, NavEntry, page, signed_in

HOME = "/console/wall"
ADMIN = "district_admin"
ROLES = ("district_admin", "street_admin", "community_cadre", "grid_leader", "member", "volunteer")
NAV = NavEntry(HOME, N_("Performance wall"), ROLES)
WALL, SETTINGS = "/api/training/wall", "/api/training/wall/settings"
MONTH_QUERY = N_("Enter a month, such as 2026-11.")
Month = Annotated[str, QueryParameter(max_length=20)]
Cursor = Annotated[str, QueryParameter(max_length=500)]

# the figures as the wall's columns and the settings' checkboxes say them, in training's field names
FIGURES = {
    "services": N_("Services completed"),
    "wishes": N_("Wishes fulfilled"),
    "serviceHours": N_("Hours of service"),
    "sessions": N_("Sessions attended"),
    "creditHours": N_("Credit hours"),
    "commitmentsPublished": N_("Commitments published"),
    "commitmentsEvaluated": N_("Commitments evaluated"),
    "commitmentScore": N_("Commitment score"),
    "points": N_("Points"),
}


class WallController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*ROLES)

    @get("/")
    async def wall(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        user: NamedDependency[SignedIn],
        month: Month = "",
        cursor: Cursor = "",
    ) -> Template:
        """The month's wall (last month's unless one is asked for), a page of 50 at a time."""
        query = {"month": month.strip() or None, "cursor": cursor or None, "limit": 50}
        errors = FormErrors()
        try:
            wall: dict[str, Any] = await api.get(WALL, **{k: v for k, v in query.items() if v is not None})
        except ApiError as refused:
            if refused.status != 422:
                raise
            errors = FormErrors(fields={"month": MONTH_QUERY})
            wall = {"month": month, "fields": [], "items": [], "next": None}
        admin = user.has_role(ADMIN)
        settings = await api.get(SETTINGS) if admin else None
        return page(
            request,
            "wall/wall.html",
            422 if errors else 200,
            wall=wall,
            month=month.strip() or wall["month"],
            figures=FIGURES,
            errors=errors,
            settings=settings,
        )

    @post("/settings", guards=signed_in(ADMIN))
    async def choose(self, request: AnyRequest, api: NamedDependency[Api]) -> Redirect:
        """The ticked figures, in the wall's column order, become the district's public ones."""
        form = await read_form(request)
        await api.call("PUT", SETTINGS, json={"fields": [field for field in FIGURES if form.get(f"show-{field}")]})
        return Redirect(HOME, status_code=303)
