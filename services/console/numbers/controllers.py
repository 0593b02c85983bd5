"""热线号码 (``/console/numbers``), the district admin's: the district's published numbers, each owned by a unit
(区、镇街、村社: Ouhai's lines ending in 7171 [004]), a call on which the desk places at that unit (DSP-02). A number
is added, moved to another unit, relabelled or taken out of service; dispatch's refusals show beside the field."""

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
from services.console.web import AnyRequest, NavEntry, page, signed_in

HOME = "/console/numbers"
API = "/api/dispatch/numbers"
ADMINS = ("district_admin",)
NAV = [NavEntry(f"{HOME}/", N_("Hotline numbers"), ADMINS)]
LEVELS = {
    "district": N_("District"),
    "street": N_("Town or street"),
    "town": N_("Town or street"),
    "village": N_("Village or community"),
    "community": N_("Village or community"),
    "grid": N_("Grid"),
}
BY_FIELD = {
    "number": N_("Enter a telephone number of 5 to 20 digits (spaces and - are allowed)."),
    "unitId": N_("Choose a unit of this district."),
    "label": N_("Enter up to 60 characters."),
}
TAKEN = N_("This number is already listed in this district.")


def refused(error: ApiError) -> FormErrors:
    """Dispatch's refusal in words beside the field it names; a number already listed above the form."""
    if error.status == 409:
        return FormErrors(fields={"number": TAKEN})
    said = FormErrors.from_api(error)
    said.fields = {name: BY_FIELD.get(name, NOT_ACCEPTED) for name in said.fields}
    if said.form is not None:
        said.form = NOT_ACCEPTED
    return said


def unit_options(units: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Units as choices, indented by their depth in the tree (grids left out: numbers belong to units above)."""
    indent = "\u3000"  # an ideographic space per level below the district
    return [
        {"id": u["id"], "name": indent * (u["path"].count("/") - 2) + u["name"]} for u in units if u["level"] != "grid"
    ]


class NumbersController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*ADMINS)

    async def _list(
        self, request: AnyRequest, api: Api, draft: dict[str, str] | None = None, errors: FormErrors | None = None
    ) -> Template:
        numbers = await api.get(API)
        units = unit_options(await api.get(f"{API}/units"))
        return page(
            request,
            "numbers/numbers.html",
            422 if errors else 200,
            numbers=numbers,
            units=units,
            levels=LEVELS,
            draft=draft or {},
            errors=errors or FormErrors(),
        )

    @get("/")
    async def numbers(self, request: AnyRequest, api: NamedDependency[Api]) -> Template:
        return await self._list(request, api)

    @post("/")
    async def add(self, request: AnyRequest, api: NamedDependency[Api]) -> Template | Redirect:
        form = await read_form(request)
        body = {
            "number": form.get("number", "").strip(),
            "unitId": form.get("unitId", ""),
            "label": form.get("label", "").strip(),
            "synthetic": "synthetic" in form,
        }
        try:
            await api.post(API, body)
        except ApiError as refusal:
            if refusal.status not in (409, 422):
                raise
            return await self._list(request, api, form, refused(refusal))
        return Redirect(f"{HOME}/", status_code=303)

    async def _number(self, api: Api, number_id: UUID) -> dict[str, Any]:
        for number in await api.get(API):
            if number["id"] == str(number_id):
                return dict(number)
        raise ApiError(404, "no such hotline number in this district")

    async def _edit(
        self,
        request: AnyRequest,
        api: Api,
        number_id: UUID,
        draft: dict[str, Any] | None = None,
        errors: FormErrors | None = None,
    ) -> Template:
        number = await self._number(api, number_id)
        units = unit_options(await api.get(f"{API}/units"))
        draft = draft or {
            "unitId": number["unitId"],
            "label": number["label"],
            "synthetic": number["synthetic"],
            "active": number["active"],
        }
        return page(
            request,
            "numbers/number.html",
            422 if errors else 200,
            number=number,
            units=units,
            levels=LEVELS,
            draft=draft,
            errors=errors or FormErrors(),
        )

    @get("/{number_id:uuid}")
    async def number(self, request: AnyRequest, api: NamedDependency[Api], number_id: FromPath[UUID]) -> Template:
        return await self._edit(request, api, number_id)

    @post("/{number_id:uuid}")
    async def change(
        self, request: AnyRequest, api: NamedDependency[Api], number_id: FromPath[UUID]
    ) -> Template | Redirect:
        form = await read_form(request)
        body = {
            "unitId": form.get("unitId", ""),
            "label": form.get("label", "").strip(),
            "synthetic": "synthetic" in form,
            "active": "active" in form,
        }
        try:
            await api.call("PATCH", f"{API}/{number_id}", json=body)
        except ApiError as refusal:
            if refusal.status != 422:
                raise
            draft = {**form, "synthetic": "synthetic" in form, "active": "active" in form}
            return await self._edit(request, api, number_id, draft, refused(refusal))
        return Redirect(f"{HOME}/", status_code=303)


CONTROLLERS: list[type[Controller]] = [NumbersController]
