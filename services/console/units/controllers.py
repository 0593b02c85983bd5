"""组织架构 (``/console/units``): both trees as a browser that loads one unit's children when it is opened (a page
at a time), search by name, and a unit's page: breadcrumbs, its counts, its people, its units; for editors the
forms to add a unit below (at a level the district's schema allows there), rename, move (``move.py``) and close
it. orgtree confines a scoped account to its street: its browser starts there and any other unit is 未找到."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.forms import FormErrors, read_form
from services.console.i18n import N_
from services.console.session import SignedIn
from services.console.units.levels import LevelsController
from services.console.units.move import MoveController
from services.console.units.tree import EDITORS, NODES, STAFF, TREES, ancestors, children, levels
from services.console.units.words import refused, said
from services.console.web import AnyRequest, NavEntry, is_fragment, page, signed_in

HOME = "/console/units"
Search = Annotated[str, QueryParameter(max_length=100)]
Tree = Annotated[str, QueryParameter(pattern="^(administrative|party)?$")]
Offset = Annotated[int, QueryParameter(ge=0, le=1_000_000)]
NodeId = FromPath[UUID]


async def grid_leader(api: Api, node_id: str) -> dict[str, Any] | None:
    try:
        found: dict[str, Any] = await api.get(f"/api/orgtree/grids/{node_id}/leader")
    except ApiError as error:
        if error.status == 404:  # no leader appointed
            return None
        raise
    return found


POSTING_KINDS = {"stationed": N_("Stationed cadres"), "village": N_("Village cadres")}
# The roles orgtree's postings name by code (shared/contracts/orgtree.py); a role typed as words is shown as it is.
CADRE_ROLES = {
    "secretary": N_("Party organisation secretary"),
    "deputy_secretary": N_("Deputy party secretary"),
    "director": N_("Village (residents') committee director"),
    "committee_member": N_("Member of the two committees"),
}


class UnitsController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*STAFF)

    @get("/")
    async def browse(self, request: AnyRequest, api: NamedDependency[Api], tree: Tree = "", q: Search = "") -> Template:
        """The top of the user's scope (the two roots, or the user's street) and, when searched, units by name."""
        top, schemas = await asyncio.gather(children(api, None), levels(api))
        trees = [code for code in TREES if any(n["tree"] == code for n in top.items)]
        shown = tree if tree in trees else (trees[0] if trees else "administrative")
        found = await api.get(f"{NODES}/search", q=q.strip(), limit=50) if q.strip() else None
        return page(
            request,
            "units/browse.html",
            items=[n for n in top.items if n["tree"] == shown],
            next_offset=None,
            trees=trees,
            tree=shown,
            tree_names=TREES,
            labels=schemas.labels,
            q=q,
            found=found,
        )

    @get("/{node_id:uuid}/children")
    async def children_page(
        self, request: AnyRequest, api: NamedDependency[Api], node_id: NodeId, offset: Offset = 0
    ) -> Template | Redirect:
        """A page of a unit's children as list items (what opening it in the browser, or 更多, fetches)."""
        if not is_fragment(request):
            return Redirect(f"{HOME}/{node_id}", status_code=303)
        below, schemas = await asyncio.gather(children(api, str(node_id), offset), levels(api))
        return page(
            request,
            "units/children.html",
            items=below.items,
            next_offset=below.next_offset,
            remaining=below.total - (below.next_offset or below.total),
            parent_id=str(node_id),
            labels=schemas.labels,
        )

    @get("/{node_id:uuid}/counts")
    async def counts(self, request: AnyRequest, api: NamedDependency[Api], node_id: NodeId) -> Template:
        """The unit's counts, fetched once its page shows (counting a street's members is the slow part)."""
        counted = await api.get(f"{NODES}/{node_id}/subtree-count")
        return page(request, "units/counts.html", counted=counted, node_id=str(node_id))

    async def _unit(
        self,
        request: AnyRequest,
        api: Api,
        user: SignedIn,
        node_id: UUID,
        *,
        status: int = 200,
        typed: dict[str, str] | None = None,
        **errors: FormErrors,
    ) -> Template:
        crumbs, below, schemas = await asyncio.gather(
            ancestors(api, str(node_id)), children(api, str(node_id)), levels(api)
        )
        node = crumbs[-1]
        is_grid = schemas.is_grid(node["tree"], node["level"])
        leader = await grid_leader(api, node["id"]) if is_grid else None
        is_village = schemas.is_village(node["tree"], node["level"])
        cadres = await api.get("/api/orgtree/cadre-postings", within=node["id"]) if is_village else []
        return page(
            request,
            "units/unit.html",
            status,
            node=node,
            crumbs=crumbs[:-1],
            items=below.items,
            total=below.total,
            next_offset=below.next_offset,
            remaining=below.total - (below.next_offset or below.total),
            parent_id=node["id"],
            labels=schemas.labels,
            tree_names=TREES,
            child_levels=schemas.under(node["tree"], node["level"]),
            is_grid=is_grid,
            leader=leader,
            is_village=is_village,
            cadres=cadres,
            posting_kinds=POSTING_KINDS,
            cadre_roles=CADRE_ROLES,
            may_edit=user.has_role(*EDITORS),
            typed=typed or {},
            add_errors=errors.get("add", FormErrors()),
            rename_errors=errors.get("rename", FormErrors()),
            close_errors=errors.get("close", FormErrors()),
            closed=request.query_params.get("closed", ""),
        )

    @get("/{node_id:uuid}")
    async def unit(
        self, request: AnyRequest, api: NamedDependency[Api], user: NamedDependency[SignedIn], node_id: NodeId
    ) -> Template:
        return await self._unit(request, api, user, node_id)

    @post("/{node_id:uuid}/children", guards=signed_in(*EDITORS))
    async def add(
        self, request: AnyRequest, api: NamedDependency[Api], user: NamedDependency[SignedIn], node_id: NodeId
    ) -> Template | Redirect:
        form = await read_form(request)
        body = {"parentId": str(node_id), "level": form.get("level", ""), "name": form.get("name", "").strip()}
        errors = FormErrors()
        if not body["level"]:
            errors.fields["level"] = N_("Choose a level this unit may have under its parent.")
        if not body["name"]:
            errors.fields["name"] = N_("Enter a name of up to 200 characters.")
        if not errors:
            try:
                made = await api.post(NODES, body)
            except ApiError as refusal:
                if refusal.status not in (409, 422):
                    raise
                errors = refused(refusal)
            else:
                return Redirect(f"{HOME}/{made['id']}", status_code=303)
        return await self._unit(request, api, user, node_id, status=422, typed=form, add=errors)

    @post("/{node_id:uuid}/rename", guards=signed_in(*EDITORS))
    async def rename(
        self, request: AnyRequest, api: NamedDependency[Api], user: NamedDependency[SignedIn], node_id: NodeId
    ) -> Template | Redirect:
        form = await read_form(request)
        name = form.get("newName", "").strip()
        errors = FormErrors(fields={"newName": N_("Enter a name of up to 200 characters.")} if not name else {})
        if not errors:
            try:
                await api.call("PATCH", f"{NODES}/{node_id}", json={"name": name})
            except ApiError as refusal:
                if refusal.status != 422:
                    raise
                errors = refused(refusal, {"name": "newName"})
            else:
                return Redirect(f"{HOME}/{node_id}", status_code=303)
        return await self._unit(request, api, user, node_id, status=422, typed=form, rename=errors)

    @post("/{node_id:uuid}/close", guards=signed_in(*EDITORS))
    async def close(
        self, request: AnyRequest, api: NamedDependency[Api], user: NamedDependency[SignedIn], node_id: NodeId
    ) -> Template | Redirect:
        """Close (remove) an empty unit; then its parent's page says so."""
        node = await api.get(f"{NODES}/{node_id}")
        try:
            await api.call("DELETE", f"{NODES}/{node_id}")
        except ApiError as refusal:
            if refusal.status not in (409, 422):
                raise
            return await self._unit(request, api, user, node_id, status=409, close=FormErrors(form=said(refusal)[0]))
        return Redirect(f"{HOME}/{node['parentId']}?{urlencode({'closed': node['name']})}", status_code=303)


NAV = [NavEntry(HOME, N_("Organisation"), STAFF)]
CONTROLLERS: list[type[Controller]] = [LevelsController, MoveController, UnitsController]
