"""党员认岗 (``/console/structure/posts``): per party unit of the user's scope (or a unit's), its members without
office and how many of them hold no post yet, with those members listed; a member's posts (the one held, every
claim before it) and recording a claim by self-nomination or branch nomination on a date."""

from __future__ import annotations

import asyncio
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
from services.console.structure.words import METHODS, STAFF, refusal
from services.console.web import AnyRequest, NavEntry, page, signed_in
from shared.clock import china_today

HOME = "/console/structure/posts"
NAV = NavEntry(HOME, N_("Posts claimed"), STAFF)
API = "/api/orgtree"
FIELDS = ("postCode", "method", "claimedOn")
Unit = Annotated[str, QueryParameter(max_length=40)]


class PostsController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*STAFF)

    @get("/")
    async def report(self, request: AnyRequest, api: NamedDependency[Api], unit: Unit = "") -> Template:
        chosen = await node_or_none(api, unit)
        within = chosen["id"] if chosen else None
        by_unit, unposted = await asyncio.gather(
            api.get(f"{API}/reports/unposted-members/by-unit", within=within),
            api.get(f"{API}/reports/unposted-members", within=within, limit=200),
        )
        return page(request, "structure/posts.html", report=by_unit, unposted=unposted, unit=chosen)

    async def _member_page(
        self, request: AnyRequest, api: Api, member_id: UUID, *, draft: dict[str, str], errors: FormErrors, status: int
    ) -> Template:
        posts, catalogue = await asyncio.gather(api.get(f"{API}/members/{member_id}/posts"), api.get(f"{API}/posts/"))
        options = [{"id": p["code"], "name": p["label"]} for p in catalogue]
        labels = {p["code"]: p["label"] for p in catalogue}
        return page(
            request,
            "structure/member_posts.html",
            status,
            posts=posts,
            options=options,
            labels=labels,
            methods=METHODS,
            draft=draft,
            errors=errors,
            today=china_today().isoformat(),
        )

    @get("/members/{member_id:uuid}")
    async def member(self, request: AnyRequest, api: NamedDependency[Api], member_id: FromPath[UUID]) -> Template:
        return await self._member_page(request, api, member_id, draft={}, errors=FormErrors(), status=200)

    @post("/members/{member_id:uuid}")
    async def claim(
        self, request: AnyRequest, api: NamedDependency[Api], member_id: FromPath[UUID]
    ) -> Template | Redirect:
        draft = await read_form(request)
        body: dict[str, Any] = {name: draft.get(name, "").strip() for name in FIELDS}
        try:
            missing = {name: "" for name in FIELDS if not body[name]}
            if missing:
                raise ApiError(422, "missing", missing)
            await api.post(f"{API}/members/{member_id}/posts", body)
        except ApiError as refused:
            if refused.status not in (409, 422):
                raise
            errors = refusal(refused, FIELDS)
            return await self._member_page(request, api, member_id, draft=draft, errors=errors, status=refused.status)
        return Redirect(f"{HOME}/members/{member_id}", status_code=303)
