"""升级阶梯 (``/console/hotline/ladder``): the district's escalation ladder, grid first, each rung with the unit level
that answers there, its resolution limit and whether it issues referral notices; a rung's name and limit changed.
The rungs themselves and their levels stay as dispatch seeded them: cases in flight stand on them."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import PathParameter
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.forms import FormErrors, read_form
from services.console.hotline.words import ADMINS, API, HOME, ORG_LEVELS, number, refused
from services.console.web import AnyRequest, page, signed_in

Rank = Annotated[int, PathParameter(ge=0, le=20)]


async def rung(api: Api, rank: int) -> dict[str, Any]:
    for level in await api.get(f"{API}/ladder"):
        if level["rank"] == rank:
            return dict(level)
    raise ApiError(404, "no such ladder level in this district")


class LadderController(Controller):
    path = f"{HOME}/ladder"
    include_in_schema = False
    guards = signed_in(*ADMINS)

    @get("/")
    async def ladder(self, request: AnyRequest, api: NamedDependency[Api]) -> Template:
        levels = await api.get(f"{API}/ladder")
        return page(request, "hotline/ladder.html", tab="ladder", levels=levels, org_levels=ORG_LEVELS)

    async def _rung(
        self,
        request: AnyRequest,
        api: Api,
        rank: int,
        typed: dict[str, str] | None = None,
        errors: FormErrors | None = None,
    ) -> Template:
        level = await rung(api, rank)
        limit = level["resolutionMinutes"]
        draft = typed or {"name": level["name"], "resolutionMinutes": "" if limit is None else str(limit)}
        return page(
            request,
            "hotline/rung.html",
            422 if errors else 200,
            tab="ladder",
            level=level,
            org_levels=ORG_LEVELS,
            draft=draft,
            errors=errors or FormErrors(),
        )

    @get("/{rank:int}")
    async def level(self, request: AnyRequest, api: NamedDependency[Api], rank: Rank) -> Template:
        return await self._rung(request, api, rank)

    @post("/{rank:int}")
    async def change(self, request: AnyRequest, api: NamedDependency[Api], rank: Rank) -> Template | Redirect:
        form = await read_form(request)
        body = {"name": form.get("name", "").strip(), "resolutionMinutes": number(form.get("resolutionMinutes"))}
        try:
            await api.call("PATCH", f"{API}/ladder/{rank}", json=body)
        except ApiError as refusal:
            if refusal.status != 422:
                raise
            return await self._rung(request, api, rank, typed=form, errors=refused(refusal))
        return Redirect(f"{HOME}/ladder", status_code=303)
