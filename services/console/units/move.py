"""Moving a unit (``/console/units/<id>/move``): the new parent found by name in the same tree, then orgtree judges
the move; its refusals (under itself or one of its own units, a level that may not hang there) are said in words
beside the form."""

from __future__ import annotations

import asyncio
from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.forms import FormErrors, read_form
from services.console.i18n import N_
from services.console.units.tree import EDITORS, NODES, TREES, ancestors, levels
from services.console.units.words import said
from services.console.web import AnyRequest, page, signed_in

Search = Annotated[str, QueryParameter(max_length=100)]
NOT_THERE = N_("A unit of this level cannot hang under the chosen unit.")
CHOOSE = N_("Choose the unit to move it under.")


class MoveController(Controller):
    path = "/console/units/{node_id:uuid}/move"
    include_in_schema = False
    guards = signed_in(*EDITORS)

    async def _form(
        self,
        request: AnyRequest,
        api: Api,
        node_id: UUID,
        q: str,
        *,
        chosen: str = "",
        errors: FormErrors | None = None,
        status: int = 200,
    ) -> Template:
        crumbs, schemas = await asyncio.gather(ancestors(api, str(node_id)), levels(api))
        node = crumbs[-1]
        candidates = []
        if q.strip():
            found = await api.get(f"{NODES}/search", q=q.strip(), limit=50)
            labels = schemas.labels
            candidates = [
                {"id": n["id"], "name": f"{n['name']}（{labels.get(n['level'], n['level'])}）"}
                for n in found
                if n["tree"] == node["tree"] and n["id"] != node["id"]
            ]
        return page(
            request,
            "units/move.html",
            status,
            node=node,
            crumbs=crumbs[:-1],
            labels=schemas.labels,
            tree_names=TREES,
            q=q,
            candidates=candidates,
            chosen=chosen,
            errors=errors or FormErrors(),
        )

    @get("/")
    async def form(
        self, request: AnyRequest, api: NamedDependency[Api], node_id: FromPath[UUID], q: Search = ""
    ) -> Template:
        return await self._form(request, api, node_id, q)

    @post("/")
    async def move(
        self, request: AnyRequest, api: NamedDependency[Api], node_id: FromPath[UUID]
    ) -> Template | Redirect:
        form = await read_form(request)
        parent, q = form.get("newParentId", ""), form.get("q", "")
        if not parent:
            return await self._form(
                request, api, node_id, q, errors=FormErrors(fields={"newParentId": CHOOSE}), status=422
            )
        try:
            await api.post(f"{NODES}/{node_id}/move", {"newParentId": parent})
        except ApiError as refusal:
            if refusal.status not in (404, 409, 422):
                raise
            if refusal.status == 404 or "newParentId" in refusal.fields:
                errors = FormErrors(fields={"newParentId": CHOOSE})
            elif "level" in refusal.fields:
                errors = FormErrors(fields={"newParentId": NOT_THERE})
            else:
                errors = FormErrors(form=said(refusal)[0])
            status = 422 if refusal.status == 404 else refusal.status
            return await self._form(request, api, node_id, q, chosen=parent, errors=errors, status=status)
        return Redirect(f"/console/units/{node_id}", status_code=303)
