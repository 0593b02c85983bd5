"""五步工作法 (``/console/five-steps``): the desk's and cadres' view of the five steps (Jinghai [001/JH], DSP-17):
how many open tickets stand at each of collect, classify, route, supervise and feed back, each ticket's steps with
when and by whom, and the district admin's choice to tell residents of every step by SMS (DSP-18)."""

from __future__ import annotations

from collections import Counter
from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from services.console.api import Api
from services.console.forms import read_form
from services.console.i18n import N_
from services.console.web import AnyRequest, NavEntry, page, signed_in

HOME = "/console/five-steps"
API = "/api/dispatch/stages"
STAFF = ("district_admin", "street_admin", "community_cadre", "grid_leader", "hotline_operator", "hotline_supervisor")
ADMINS = ("district_admin",)
NAV = [NavEntry(f"{HOME}/", N_("Five steps"), STAFF)]
STEPS = {
    "collect": N_("Collect"),
    "classify": N_("Classify"),
    "route": N_("Route"),
    "supervise": N_("Supervise"),
    "feed_back": N_("Feed back"),
}
STATES = {"done": N_("Step done"), "current": N_("In progress"), "pending": N_("Not yet")}
SCOPES = {"common": N_("Common to many"), "individual": N_("Individual")}
DIFFICULTIES = {"solvable_now": N_("Solvable now"), "hard": N_("Hard in the near term")}
OPEN = ("new", "routing", "assigned", "on_site", "resolved")
Stage = Annotated[str | None, QueryParameter(name="stage", pattern="^(" + "|".join(STEPS) + ")$")]


class FiveStepsController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*STAFF)

    @get("/")
    async def overview(self, request: AnyRequest, api: NamedDependency[Api], stage: Stage = None) -> Template:
        tickets = (await api.get("/api/dispatch/tickets", status=list(OPEN), limit=200))["items"]
        counts = Counter(t["stage"] for t in tickets)
        shown = [t for t in tickets if stage is None or t["stage"] == stage]
        return page(
            request,
            "five_steps/overview.html",
            tickets=shown,
            counts=counts,
            steps=STEPS,
            chosen=stage,
        )

    @get("/tickets/{ticket_id:uuid}")
    async def ticket(self, request: AnyRequest, api: NamedDependency[Api], ticket_id: FromPath[UUID]) -> Template:
        stages = await api.get(f"{API}/tickets/{ticket_id}")
        ticket = await api.get(f"/api/dispatch/tickets/{ticket_id}")
        return page(
            request,
            "five_steps/ticket.html",
            stages=stages,
            ticket=ticket,
            steps=STEPS,
            states=STATES,
            scopes=SCOPES,
            difficulties=DIFFICULTIES,
        )


class StageSettingController(Controller):
    path = f"{HOME}/settings"
    include_in_schema = False
    guards = signed_in(*ADMINS)

    @get("/")
    async def setting(self, request: AnyRequest, api: NamedDependency[Api], saved: bool = False) -> Template:
        return page(request, "five_steps/settings.html", setting=await api.get(f"{API}/settings"), saved=saved)

    @post("/")
    async def change(self, request: AnyRequest, api: NamedDependency[Api]) -> Redirect:
        form = await read_form(request)
        await api.call("PATCH", f"{API}/settings", json={"notifyEveryStage": "notifyEveryStage" in form})
        return Redirect(f"{HOME}/settings/?saved=true", status_code=303)


CONTROLLERS: list[type[Controller]] = [FiveStepsController, StageSettingController]
