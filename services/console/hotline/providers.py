"""服务者 (``/console/hotline/providers``): the district's providers (member volunteers from the organisation tree,
and the teams, studios, firms and skilled residents the hotline registers), filtered by kind, grid and whether in
service; registering one; changing one's skills, grid, phone, duty and whether in service (standing one down
withdraws its open orders). Phones are shown masked, as dispatch answers them."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.calls.card import district_grids
from services.console.forms import FormErrors, read_form
from services.console.hotline.words import ADMINS, API, FEE_MODES, HOME, KINDS, REGISTERED, checked, refused
from services.console.web import AnyRequest, page, signed_in

Choice = Annotated[str, QueryParameter(max_length=40)]
Cursor = Annotated[str, QueryParameter(max_length=60)]
ACTIVE = {"true": True, "false": False}


def skills_of(text: str) -> list[str]:
    """``plumbing, electrical`` (or with 、 and ，) as a list, as typed."""
    for comma in ("，", "、"):
        text = text.replace(comma, ",")
    return [skill.strip() for skill in text.split(",") if skill.strip()]


def provider_form(form: dict[str, str]) -> dict[str, Any]:
    """The registry fields every provider form has, as dispatch takes them."""
    return {
        "name": form.get("name", "").strip(),
        "skills": skills_of(form.get("skills", "")),
        "gridId": form.get("gridId") or None,
        "cardNumber": form.get("cardNumber", "").strip() or None,
        "insured": checked(form, "insured"),
        "feeMode": form.get("feeMode") or None,
        "onDuty": checked(form, "onDuty"),
    }


def as_typed(provider: dict[str, Any]) -> dict[str, str]:
    draft = {
        "name": provider["name"],
        "skills": ", ".join(provider["skills"]),
        "gridId": provider["gridId"] or "",
        "cardNumber": provider["cardNumber"] or "",
        "feeMode": provider["feeMode"] or "",
    }
    draft.update({flag: "on" for flag in ("insured", "onDuty", "active") if provider[flag]})
    return draft


def changed(provider: dict[str, Any], form: dict[str, str]) -> dict[str, Any]:
    """Only what the form changes: a member volunteer's name and grid follow orgtree and are never sent back."""
    typed = {**provider_form(form), "active": checked(form, "active")}
    if provider["kind"] == "member_volunteer":
        del typed["name"], typed["gridId"]
    body = {key: value for key, value in typed.items() if value != provider[key]}
    if body.get("skills") is not None and sorted(set(body["skills"])) == provider["skills"]:
        del body["skills"]
    phone = form.get("phone", "").strip()
    if phone:
        body["phone"] = phone
    return body


async def catalogue_skills(api: Api) -> list[str]:
    """The skills the catalogue's items ask for: what a provider's skills are matched against."""
    return sorted({i["skill"] for c in await api.get(f"{API}/catalogue") for i in c["items"] if i["skill"]})


class ProvidersController(Controller):
    path = f"{HOME}/providers"
    include_in_schema = False
    guards = signed_in(*ADMINS)

    @get("/")
    async def providers(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        *,
        kind: Choice = "",
        active: Choice = "",
        grid: Annotated[str, QueryParameter(name="gridId", max_length=40)] = "",
        after: Cursor = "",
    ) -> Template:
        kind = kind if kind in KINDS else ""
        active = active if active in ACTIVE else ""
        grids = await district_grids(api)
        grid = grid if any(g["id"] == grid for g in grids) else ""
        listed = await api.get(
            f"{API}/providers", kind=kind or None, active=active or None, gridId=grid or None, after=after or None
        )
        filters = {"kind": kind, "active": active, "gridId": grid}
        return page(
            request,
            "hotline/providers.html",
            tab="providers",
            providers=listed["items"],
            more=listed.get("next"),
            filters=filters,
            query="&".join(f"{k}={v}" for k, v in filters.items() if v),
            kinds=KINDS,
            grids=grids,
            grid_names={g["id"]: g["name"] for g in grids},
        )

    async def _form(
        self,
        request: AnyRequest,
        api: Api,
        *,
        provider: dict[str, Any] | None,
        draft: dict[str, str],
        errors: FormErrors | None = None,
        saved: bool = False,
    ) -> Template:
        return page(
            request,
            "hotline/provider.html",
            422 if errors else 200,
            tab="providers",
            p=provider,
            kinds=KINDS,
            registered=REGISTERED,
            fee_modes=FEE_MODES,
            grids=await district_grids(api),
            skills=await catalogue_skills(api),
            draft=draft,
            errors=errors or FormErrors(),
            saved=saved,
        )

    @get("/new")
    async def new(self, request: AnyRequest, api: NamedDependency[Api]) -> Template:
        return await self._form(request, api, provider=None, draft={"kind": "professional_team", "onDuty": "on"})

    @post("/new")
    async def register(self, request: AnyRequest, api: NamedDependency[Api]) -> Template | Redirect:
        form = await read_form(request)
        body = {"kind": form.get("kind", ""), **provider_form(form), "phone": form.get("phone", "").strip() or None}
        try:
            made = await api.post(f"{API}/providers", body)
        except ApiError as refusal:
            if refusal.status != 422:
                raise
            return await self._form(request, api, provider=None, draft=form, errors=refused(refusal))
        return Redirect(f"{HOME}/providers/{made['id']}?saved=1", status_code=303)

    @get("/{provider_id:uuid}")
    async def provider(self, request: AnyRequest, api: NamedDependency[Api], provider_id: FromPath[UUID]) -> Template:
        found = await api.get(f"{API}/providers/{provider_id}")
        saved = request.query_params.get("saved") == "1"
        return await self._form(request, api, provider=found, draft=as_typed(found), saved=saved)

    @post("/{provider_id:uuid}")
    async def change(
        self, request: AnyRequest, api: NamedDependency[Api], provider_id: FromPath[UUID]
    ) -> Template | Redirect:
        form = await read_form(request)
        found = await api.get(f"{API}/providers/{provider_id}")
        body = changed(found, form)
        if body:
            try:
                await api.call("PATCH", f"{API}/providers/{provider_id}", json=body)
            except ApiError as refusal:
                if refusal.status != 422:
                    raise
                return await self._form(request, api, provider=found, draft=form, errors=refused(refusal))
        return Redirect(f"{HOME}/providers/{provider_id}?saved=1", status_code=303)
