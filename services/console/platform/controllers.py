"""平台运营, the platform operator's: the district registry (status, created), provisioning a district with its
first administrator (the gateway's refusals in words beside the fields), and a district's status (suspend, so its
users cannot sign in, or reactivate). No district's business data: the operator's token carries none."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import PathParameter, QueryParameter
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.forms import FormErrors, read_form
from services.console.i18n import N_
from services.console.web import AnyRequest, NavEntry, page, signed_in

OPERATOR = ("platform_operator",)
HOME = "/console/platform/districts"
Slug = Annotated[str, PathParameter(pattern=r"^[a-z][a-z0-9-]{2,62}$")]
STATUS = {"active": N_("Active"), "suspended": N_("Suspended"), "retired": N_("Retired")}
BY_FIELD = {
    "slug": N_("Use 3 to 63 lower-case letters, digits or -, starting with a letter."),
    "name": N_("Enter the district's name."),
    "parentRegion": N_("Enter up to 200 characters."),
    "adminUsername": N_("Use 3 to 80 letters, digits or . _ @ -"),
    "adminPassword": N_("The password needs at least 10 characters."),
}
# The gateway's words (gateway/tenants/services.py) and the console's.
KNOWN = {
    "taken": N_("This username is taken."),
    "required": N_("Enter the administrator's username."),
    "at least 10 characters": N_("The password needs at least 10 characters."),
}
DONE = {
    "suspended": N_("The district is suspended: its users cannot sign in."),
    "active": N_("The district is active again."),
    "created": N_("The district was provisioned. Its administrator can sign in now."),
}
FIELDS = ("slug", "name", "parentRegion", "adminUsername", "adminPassword")


def _refused(error: ApiError) -> FormErrors:
    if error.status == 409 and not error.fields:  # the slug is in use
        return FormErrors(fields={"slug": N_("A district with this code exists already.")})
    return FormErrors(
        fields={name: KNOWN.get(message, BY_FIELD.get(name, message)) for name, message in error.fields.items()},
        form=None if error.fields else error.detail,
    )


class PlatformController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*OPERATOR)

    @get("/")
    async def districts(self, request: AnyRequest, api: NamedDependency[Api]) -> Template:
        districts = sorted(await api.get("/platform/tenants"), key=lambda d: d.get("createdAt") or "", reverse=True)
        return page(request, "platform/districts.html", districts=districts, status=STATUS)

    @get("/new")
    async def new(self, request: AnyRequest) -> Template:
        return page(request, "platform/new.html", errors=FormErrors(), draft={})

    @post("/new")
    async def provision(self, request: AnyRequest, api: NamedDependency[Api]) -> Template | Redirect:
        form = await read_form(request)
        draft = {name: form.get(name, "").strip() for name in FIELDS}
        errors = FormErrors()
        for name in ("slug", "name", "adminUsername", "adminPassword"):
            if not draft[name]:
                errors.fields[name] = BY_FIELD[name]
        if errors:
            return page(request, "platform/new.html", status_code=422, errors=errors, draft=draft)
        body: dict[str, Any] = {name: value for name, value in draft.items() if value}
        body["adminPassword"] = form.get("adminPassword", "")  # as typed
        try:
            created = await api.post("/platform/tenants", body)
        except ApiError as error:
            if error.status >= 500:
                raise
            draft.pop("adminPassword")
            return page(request, "platform/new.html", status_code=422, errors=_refused(error), draft=draft)
        return Redirect(f"{HOME}/{created['slug']}?done=created", status_code=303)

    @get("/{slug:str}")
    async def district(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        slug: Slug,
        done: Annotated[str | None, QueryParameter(max_length=20)] = None,
    ) -> Template:
        district = await api.get(f"/platform/tenants/{slug}")
        return page(request, "platform/district.html", d=district, status=STATUS, done=DONE.get(done or ""))

    @post("/{slug:str}/status")
    async def status(self, request: AnyRequest, api: NamedDependency[Api], slug: Slug) -> Redirect:
        wanted = "suspended" if (await read_form(request)).get("status") == "suspended" else "active"
        await api.post(f"/platform/tenants/{slug}/status", {"status": wanted})
        return Redirect(f"{HOME}/{slug}?done={wanted}", status_code=303)


CONTROLLERS: list[type[Controller]] = [PlatformController]
NAV: list[NavEntry] = [NavEntry(HOME, N_("Districts"), OPERATOR)]
