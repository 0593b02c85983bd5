"""用户与权限 and 审计日志, the district administrator's: the district's users with their roles and scope (a street
or community, by name), adding one, changing roles and scope, locking and unlocking, resetting a one-time code;
the audit log of every service merged, filterable, with who revealed which personal field and why."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Annotated, Any
from uuid import UUID
from zoneinfo import ZoneInfo

from litestar import Controller, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import PathParameter, QueryParameter
from litestar.response import Redirect, Template

from services.console.admin.audit import merged_page
from services.console.admin.code import NAV as CODE_NAV
from services.console.admin.code import OwnCodeController
from services.console.admin.scopes import ScopeNames, communities, streets
from services.console.admin.words import (
    ACTIONS,
    AUDIT_SOURCES,
    BY_FIELD,
    FIELDS,
    REFUSALS,
    ROLES,
    SERVICES,
    SUBJECTS,
)
from services.console.api import Api, ApiError
from services.console.forms import FormErrors
from services.console.i18n import N_
from services.console.web import AnyRequest, NavEntry, current_user, is_fragment, page, signed_in

ADMIN = ("district_admin",)
USERS = "/console/admin/users"
AUDIT = "/console/admin/audit"
UserId = Annotated[UUID, PathParameter()]
Filter = Annotated[str | None, QueryParameter(max_length=120)]
Day = Annotated[str | None, QueryParameter(max_length=10, pattern=r"^(\d{4}-\d{2}-\d{2})?$")]
DONE = {
    "added": N_("The user was added."),
    "changed": N_("The roles and scope were saved. They apply from the user's next sign-in or renewal."),
    "locked": N_("The user is locked and cannot sign in."),
    "unlocked": N_("The user is unlocked."),
    "reset": N_("The one-time code was reset. The user signs in with the password and enrols again."),
}


def refused(error: ApiError) -> FormErrors:
    errors = FormErrors.from_api(error, REFUSALS)
    errors.fields = {
        name: REFUSALS.get(error.fields[name], BY_FIELD.get(name, message)) for name, message in errors.fields.items()
    }
    return errors


def _scope(form: dict[str, str]) -> str | None:
    return form.get("community") or form.get("street") or None


def _roles(form: list[tuple[str, str]]) -> list[str]:
    return [value for name, value in form if name == "roles" and value in ROLES]


async def _all_fields(request: AnyRequest) -> tuple[dict[str, str], list[tuple[str, str]]]:
    posted = await request.form()
    pairs = [(k, str(v)) for k, v in posted.multi_items() if k != "_csrf_token"]
    return dict(pairs), pairs


class UsersController(Controller):
    path = USERS
    include_in_schema = False
    guards = signed_in(*ADMIN)

    @get("/")
    async def users(self, request: AnyRequest, api: NamedDependency[Api], done: Filter = None) -> Template:
        users = await api.get("/admin/users")
        names = ScopeNames(api)
        for user in users:
            user["scopeName"] = await names.name(user["scope"])
        return page(request, "admin/users.html", users=users, roles=ROLES, done=DONE.get(done or ""))

    async def _form(
        self, request: AnyRequest, api: Api, errors: FormErrors, draft: dict[str, Any], status: int = 200
    ) -> Template:
        known = await streets(api)
        below = await communities(api, draft.get("street", ""), known) if draft.get("street") else []
        return page(
            request,
            "admin/user_new.html",
            status_code=status,
            errors=errors,
            draft=draft,
            roles=ROLES,
            streets=known,
            communities=below,
        )

    @get("/new")
    async def new(self, request: AnyRequest, api: NamedDependency[Api]) -> Template:
        return await self._form(request, api, FormErrors(), {"roles": []})

    @get("/communities")
    async def community_choice(self, request: AnyRequest, api: NamedDependency[Api], street: Filter = None) -> Template:
        """The community select for the street chosen (htmx)."""
        below = await communities(api, street or "", await streets(api)) if street else []
        return page(request, "admin/communities.html", communities=below, chosen="")

    @post("/new")
    async def add(self, request: AnyRequest, api: NamedDependency[Api]) -> Template | Redirect:
        form, pairs = await _all_fields(request)
        draft: dict[str, Any] = {**form, "roles": _roles(pairs)}
        errors = FormErrors()
        if not draft["roles"]:
            errors.fields["roles"] = BY_FIELD["roles"]
        if errors:
            return await self._form(request, api, errors, draft, 422)
        body: dict[str, Any] = {
            "username": form.get("username", "").strip(),
            "password": form.get("password", ""),
            "roles": draft["roles"],
        }
        if form.get("displayName", "").strip():
            body["displayName"] = form["displayName"].strip()
        if _scope(form):
            body["scope"] = _scope(form)
        try:
            added = await api.post("/admin/users", body)
        except ApiError as error:
            if error.status >= 500:
                raise
            return await self._form(request, api, refused(error), draft, 422)
        return Redirect(f"{USERS}/{added['userId']}?done=added", status_code=303)

    async def _user(
        self, request: AnyRequest, api: Api, user_id: UUID, errors: FormErrors, done: str | None, status: int = 200
    ) -> Template:
        user = await api.get(f"/admin/users/{user_id}")
        known = await streets(api)
        street = next((s["path"] for s in known if user["scope"] and user["scope"].startswith(s["path"])), "")
        below = await communities(api, street, known) if street else []
        community = next((c["path"] for c in below if c["path"] == user["scope"]), "")
        return page(
            request,
            "admin/user.html",
            status_code=status,
            u=user,
            scope_name=await ScopeNames(api).name(user["scope"]),
            roles=ROLES,
            streets=known,
            communities=below,
            street=street,
            community=community,
            errors=errors,
            done=DONE.get(done or ""),
            yourself=user["username"] == getattr(current_user(request), "username", None),
        )

    @get("/{user_id:uuid}")
    async def user(
        self, request: AnyRequest, api: NamedDependency[Api], user_id: UserId, done: Filter = None
    ) -> Template:
        return await self._user(request, api, user_id, FormErrors(), done)

    @post("/{user_id:uuid}")
    async def change(self, request: AnyRequest, api: NamedDependency[Api], user_id: UserId) -> Template | Redirect:
        form, pairs = await _all_fields(request)
        roles = _roles(pairs)
        if not roles:
            return await self._user(request, api, user_id, FormErrors(fields={"roles": BY_FIELD["roles"]}), None, 422)
        body: dict[str, Any] = {"roles": roles, "scope": _scope(form)}
        if form.get("displayName", "").strip():
            body["displayName"] = form["displayName"].strip()
        return await self._act(request, api, user_id, "PATCH", "", body, "changed")

    @post("/{user_id:uuid}/lock")
    async def lock(self, request: AnyRequest, api: NamedDependency[Api], user_id: UserId) -> Template | Redirect:
        return await self._act(request, api, user_id, "POST", "/lock", None, "locked")

    @post("/{user_id:uuid}/unlock")
    async def unlock(self, request: AnyRequest, api: NamedDependency[Api], user_id: UserId) -> Template | Redirect:
        return await self._act(request, api, user_id, "POST", "/unlock", None, "unlocked")

    @post("/{user_id:uuid}/totp-reset")
    async def reset(self, request: AnyRequest, api: NamedDependency[Api], user_id: UserId) -> Template | Redirect:
        return await self._act(request, api, user_id, "POST", "/totp/reset", None, "reset")

    async def _act(
        self, request: AnyRequest, api: Api, user_id: UUID, method: str, tail: str, body: Any, done: str
    ) -> Template | Redirect:
        try:
            await api.call(method, f"/admin/users/{user_id}{tail}", json=body)
        except ApiError as error:
            if error.status >= 500 or error.status == 404:
                raise
            return await self._user(request, api, user_id, refused(error), None, 422)
        return Redirect(f"{USERS}/{user_id}?done={done}", status_code=303)


def _moment(day: str | None, zone: str, *, end: bool = False) -> str | None:
    """A day of the district's calendar as the instant it starts (or the next day starts, for ``end``)."""
    if not day:
        return None
    start = datetime.combine(datetime.fromisoformat(day).date(), time(), ZoneInfo(zone))
    return (start + timedelta(days=1) if end else start).isoformat()


class AuditController(Controller):
    path = AUDIT
    include_in_schema = False
    guards = signed_in(*ADMIN)

    @get("/")
    async def log(
        self,
        request: AnyRequest,
        state: State,
        api: NamedDependency[Api],
        service: Filter = None,
        actor: Filter = None,
        action: Filter = None,
        subject: Filter = None,
        since: Day = None,
        until: Day = None,
        cursor: Annotated[str | None, QueryParameter(max_length=2000)] = None,
    ) -> Template:
        users = {u["userId"]: u for u in await api.get("/admin/users")}
        chosen = [service] if service in AUDIT_SOURCES else list(AUDIT_SOURCES)
        zone = state.console.time_zone
        filters = {
            "actor": actor or None,
            "action": action or None,
            "subjectId": (subject or "").strip() or None,
            "since": _moment(since, zone),
            "until": _moment(until, zone, end=True),
        }
        merged = await merged_page(api, chosen, filters, cursor, 50)
        values = {
            "service": service or "",
            "actor": actor or "",
            "action": action or "",
            "subject": subject or "",
            "since": since or "",
            "until": until or "",
        }
        context: dict[str, Any] = {
            "rows": merged.rows,
            "next": merged.next,
            "values": values,
            "users": users,
            "services": SERVICES,
            "actions": ACTIONS,
            "subjects": SUBJECTS,
            "fields": FIELDS,
        }
        if is_fragment(request):
            return page(request, "admin/audit_rows.html", **context)
        return page(request, "admin/audit.html", **context)


CONTROLLERS: list[type[Controller]] = [UsersController, AuditController, OwnCodeController]
NAV: list[NavEntry] = [
    NavEntry(USERS, N_("Users and roles"), ADMIN),
    NavEntry(AUDIT, N_("Audit log"), ADMIN),
    CODE_NAV,
]
