"""Open311 接入 (``/console/open311``), the district admin's: the apps and city portals that file hotline requests
through Open311 GeoReport v2, each with its API key. A new key is shown once, on the page that issued it (never in
an address or a redirect); the list shows each key's first characters, when it was last used, and revokes it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.forms import NOT_ACCEPTED, FormErrors, read_form
from services.console.i18n import N_
from services.console.training.screen import public_base
from services.console.web import AnyRequest, NavEntry, page, signed_in

HOME = "/console/open311"
API = "/api/dispatch/open311/clients"
ADMINS = ("district_admin",)
NAV = [NavEntry(f"{HOME}/", N_("Open311 clients"), ADMINS)]
BY_FIELD = {
    "name": N_("Enter the client's name, 2 to 100 characters."),
    "contact": N_("Enter up to 200 characters."),
}


def refused(error: ApiError) -> FormErrors:
    said = FormErrors.from_api(error)
    said.fields = {name: BY_FIELD.get(name, NOT_ACCEPTED) for name in said.fields}
    if said.form is not None:
        said.form = NOT_ACCEPTED
    return said


class Open311Controller(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*ADMINS)

    async def _list(
        self,
        request: AnyRequest,
        api: Api,
        *,
        draft: dict[str, str] | None = None,
        errors: FormErrors | None = None,
        issued: dict[str, Any] | None = None,
    ) -> Template:
        return page(
            request,
            "open311/clients.html",
            422 if errors else 200,
            clients=await api.get(API),
            draft=draft or {},
            errors=errors or FormErrors(),
            issued=issued,
            endpoint=f"{public_base(request)}/api/dispatch/open311/v2/",
        )

    @get("/")
    async def clients(self, request: AnyRequest, api: NamedDependency[Api]) -> Template:
        return await self._list(request, api)

    @post("/")
    async def issue(self, request: AnyRequest, api: NamedDependency[Api]) -> Template:
        form = await read_form(request)
        body = {"name": form.get("name", "").strip(), "contact": form.get("contact", "").strip()}
        try:
            issued = await api.post(API, body)
        except ApiError as refusal:
            if refusal.status != 422:
                raise
            return await self._list(request, api, draft=form, errors=refused(refusal))
        return await self._list(request, api, issued=issued)  # the key is on this page only

    @post("/{client_id:uuid}/revoke")
    async def revoke(self, api: NamedDependency[Api], client_id: FromPath[UUID]) -> Redirect:
        await api.post(f"{API}/{client_id}/revocation", {})
        return Redirect(f"{HOME}/", status_code=303)


CONTROLLERS: list[type[Controller]] = [Open311Controller]
