"""服务目录 (``/console/hotline/``): the district's service categories with their assign-or-claim mode and clocks, a
new category, one category's form and its items (added, changed, taken out of use). Dispatch judges every value;
its refusals are shown beside the field."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery, PathParameter
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.forms import FormErrors, read_form
from services.console.hotline.words import ADMINS, API, HANDLING, HOME, MODES, checked, number, refused
from services.console.web import AnyRequest, page, signed_in

Code = Annotated[str, PathParameter(max_length=40, pattern=r"^[a-z][a-z0-9_]*$")]
CLOCKS = ("signForMinutes", "arrivalMinutes", "resolutionMinutes")
BLANK_CATEGORY = {"mode": "assign", "answerWindowMinutes": "10"}


def category_body(form: dict[str, str]) -> dict[str, Any]:
    """A category's fields as dispatch takes them; an empty clock does not run."""
    body: dict[str, Any] = {"name": form.get("name", "").strip(), "mode": form.get("mode", "")}
    body.update({clock: number(form.get(clock)) for clock in CLOCKS})
    body["workingTime"] = checked(form, "workingTime")
    body["answerWindowMinutes"] = number(form.get("answerWindowMinutes"))
    return body


def item_body(form: dict[str, str], name: str = "name") -> dict[str, Any]:
    """An item's fields; on the category's page its name is ``itemName`` (the category's own is ``name``)."""
    return {
        "name": form.get(name, "").strip(),
        "handling": form.get("handling", ""),
        "skill": form.get("skill", "").strip() or None,
    }


def as_typed(category: dict[str, Any]) -> dict[str, str]:
    """A category as its form shows it."""
    draft = {key: "" if category[key] is None else str(category[key]) for key in (*CLOCKS, "answerWindowMinutes")}
    draft.update(name=category["name"], mode=category["mode"])
    if category["workingTime"]:
        draft["workingTime"] = "on"
    return draft


async def found(api: Api, code: str) -> dict[str, Any]:
    """One active category of the district's catalogue; another district's is the same 404 as none."""
    for category in await api.get(f"{API}/catalogue"):
        if category["code"] == code:
            return dict(category)
    raise ApiError(404, "no such service category in this district")


class CatalogueController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*ADMINS)

    async def _catalogue(
        self, request: AnyRequest, api: Api, typed: dict[str, str] | None = None, errors: FormErrors | None = None
    ) -> Template:
        return page(
            request,
            "hotline/catalogue.html",
            422 if errors else 200,
            tab="catalogue",
            categories=await api.get(f"{API}/catalogue"),
            modes=MODES,
            draft=typed or BLANK_CATEGORY,
            errors=errors or FormErrors(),
        )

    @get("/")
    async def catalogue(self, request: AnyRequest, api: NamedDependency[Api]) -> Template:
        return await self._catalogue(request, api)

    @post("/categories")
    async def create(self, request: AnyRequest, api: NamedDependency[Api]) -> Template | Redirect:
        form = await read_form(request)
        code = form.get("code", "").strip()
        try:
            await api.post(f"{API}/catalogue", {"code": code, **category_body(form)})
        except ApiError as refusal:
            if refusal.status not in (409, 422):
                raise
            return await self._catalogue(request, api, form, refused(refusal))
        return Redirect(f"{HOME}/categories/{code}?saved=1", status_code=303)

    async def _category(
        self,
        request: AnyRequest,
        api: Api,
        code: str,
        *,
        typed: dict[str, str] | None = None,
        errors: FormErrors | None = None,
        item_typed: dict[str, str] | None = None,
        item_errors: FormErrors | None = None,
        saved: bool = False,
    ) -> Template:
        category = await found(api, code)
        return page(
            request,
            "hotline/category.html",
            422 if errors or item_errors else 200,
            tab="catalogue",
            c=category,
            modes=MODES,
            handling=HANDLING,
            draft=typed or as_typed(category),
            errors=errors or FormErrors(),
            item=item_typed or {"handling": "on_spot"},
            item_errors=item_errors or FormErrors(),
            saved=saved,
        )

    @get("/categories/{code:str}")
    async def category(
        self, request: AnyRequest, api: NamedDependency[Api], code: Code, saved: FromQuery[str] = ""
    ) -> Template:
        return await self._category(request, api, code, saved=saved == "1")

    @post("/categories/{code:str}")
    async def change(self, request: AnyRequest, api: NamedDependency[Api], code: Code) -> Template | Redirect:
        form = await read_form(request)
        try:
            await api.call("PATCH", f"{API}/catalogue/{code}", json=category_body(form))
        except ApiError as refusal:
            if refusal.status != 422:
                raise
            return await self._category(request, api, code, typed=form, errors=refused(refusal))
        return Redirect(f"{HOME}/categories/{code}?saved=1", status_code=303)

    @post("/categories/{code:str}/items")
    async def add_item(self, request: AnyRequest, api: NamedDependency[Api], code: Code) -> Template | Redirect:
        form = await read_form(request)
        body = {"code": form.get("code", "").strip(), **item_body(form, "itemName")}
        try:
            await api.post(f"{API}/catalogue/{code}/items", body)
        except ApiError as refusal:
            if refusal.status not in (409, 422):
                raise
            errors = refused(refusal)
            errors.fields = {"itemName" if k == "name" else k: v for k, v in errors.fields.items()}
            return await self._category(request, api, code, item_typed=form, item_errors=errors)
        return Redirect(f"{HOME}/categories/{code}#items", status_code=303)

    async def _item(
        self,
        request: AnyRequest,
        api: Api,
        code: str,
        item_code: str,
        *,
        typed: dict[str, str] | None = None,
        errors: FormErrors | None = None,
    ) -> Template:
        category = await found(api, code)
        item = next((i for i in category["items"] if i["code"] == item_code), None)
        if item is None:
            raise ApiError(404, "no such service item in this category")
        draft = typed or {"name": item["name"], "handling": item["handling"], "skill": item["skill"] or ""}
        return page(
            request,
            "hotline/item.html",
            422 if errors else 200,
            tab="catalogue",
            c=category,
            i=item,
            handling=HANDLING,
            draft=draft,
            errors=errors or FormErrors(),
        )

    @get("/categories/{code:str}/items/{item_code:str}")
    async def item(self, request: AnyRequest, api: NamedDependency[Api], code: Code, item_code: Code) -> Template:
        return await self._item(request, api, code, item_code)

    @post("/categories/{code:str}/items/{item_code:str}")
    async def change_item(
        self, request: AnyRequest, api: NamedDependency[Api], code: Code, item_code: Code
    ) -> Template | Redirect:
        form = await read_form(request)
        try:
            await api.call("PATCH", f"{API}/catalogue/{code}/items/{item_code}", json=item_body(form))
        except ApiError as refusal:
            if refusal.status != 422:
                raise
            return await self._item(request, api, code, item_code, typed=form, errors=refused(refusal))
        return Redirect(f"{HOME}/categories/{code}#items", status_code=303)

    @post("/categories/{code:str}/items/{item_code:str}/retire")
    async def retire_item(
        self, request: AnyRequest, api: NamedDependency[Api], code: Code, item_code: Code
    ) -> Redirect:
        """The item leaves the catalogue (tickets that named it keep it)."""
        await api.call("PATCH", f"{API}/catalogue/{code}/items/{item_code}", json={"active": False})
        return Redirect(f"{HOME}/categories/{code}#items", status_code=303)
