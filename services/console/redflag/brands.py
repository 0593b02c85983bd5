"""品牌 (``/console/redflag/brands``): "一街一品牌，一社一特色": the streets and communities of the user's scope with
their brands, and a unit's page with its brand's history and the form to set a new one (at most 10 characters;
orgtree counts them as a reader does and refuses a unit of another level in words)."""

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
from services.console.redflag.words import BRAND_NAME, EDITORS, refusal
from services.console.web import AnyRequest, NavEntry, page, signed_in

HOME = "/console/redflag/brands"
NAV = NavEntry(HOME, N_("Brands"), EDITORS)
API = "/api/orgtree"
BRAND_FIELDS = ("name", "description")
Unit = Annotated[str, QueryParameter(max_length=40)]
NOT_BRANDED = N_("Only streets and communities have a brand.")


class BrandsController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*EDITORS)

    @get("/")
    async def brands(self, request: AnyRequest, api: NamedDependency[Api], unit: Unit = "") -> Template:
        chosen = await node_or_none(api, unit)
        listed = await api.get(f"{API}/brands", **({"within": chosen["id"]} if chosen else {}))
        return page(request, "redflag/brands.html", listed=listed, unit=chosen)

    async def _unit_page(
        self, request: AnyRequest, api: Api, unit_id: UUID, *, draft: dict[str, str], errors: FormErrors, status: int
    ) -> Template:
        try:
            found: dict[str, Any] = await api.get(f"{API}/nodes/{unit_id}/brand")
        except ApiError as refused:
            if refused.status != 422:
                raise
            unit = await api.get(f"{API}/nodes/{unit_id}")
            return page(request, "redflag/brand.html", 422, found=None, unit=unit, refused=NOT_BRANDED)
        return page(
            request, "redflag/brand.html", status, found=found, unit=None, refused=None, draft=draft, errors=errors
        )

    @get("/{unit_id:uuid}")
    async def brand(self, request: AnyRequest, api: NamedDependency[Api], unit_id: FromPath[UUID]) -> Template:
        return await self._unit_page(request, api, unit_id, draft={}, errors=FormErrors(), status=200)

    @post("/{unit_id:uuid}")
    async def set_brand(
        self, request: AnyRequest, api: NamedDependency[Api], unit_id: FromPath[UUID]
    ) -> Template | Redirect:
        draft = await read_form(request)
        body = {name: draft.get(name, "").strip() for name in BRAND_FIELDS}
        try:
            if not body["name"]:
                raise ApiError(422, "missing", {"name": ""})
            await api.call("PUT", f"{API}/nodes/{unit_id}/brand", json=body)
        except ApiError as refused:
            if refused.status != 422:
                raise
            errors = refusal(refused, BRAND_FIELDS, {"name": BRAND_NAME})
            return await self._unit_page(request, api, unit_id, draft=draft, errors=errors, status=422)
        return Redirect(f"{HOME}/{unit_id}", status_code=303)
