"""困难群体结对 (``/console/vulnerable``, DSP-09/10): the registry of disabled, empty-nest and lonely households of
the user's scope with the missed-visit report, registering a household (orgtree's households of those groups
offered), pairing it with a member volunteer of its grid; the one-touch devices and their alarms (hotline staff);
and the volunteer's own paired households, where they record a visit."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.forms import FormErrors, read_form
from services.console.i18n import N_
from services.console.visits.words import CHANNELS
from services.console.vulnerable.words import (
    ALREADY,
    CATEGORIES,
    DEVICE_TAKEN,
    OPERATORS,
    STAFF,
    VOLUNTEERS,
    refusal,
)
from services.console.web import AnyRequest, NavEntry, page, signed_in
from shared.clock import now

HOME = "/console/vulnerable"
MINE = "/console/vulnerable/me"
DEVICES = "/console/vulnerable/devices"
API = "/api/dispatch/vulnerable"
NAV = [
    NavEntry(HOME, N_("Vulnerable households"), STAFF),
    NavEntry(DEVICES, N_("One-touch devices"), OPERATORS),
    NavEntry(MINE, N_("My paired households"), VOLUNTEERS),
]


def zone(request: AnyRequest) -> ZoneInfo:
    return ZoneInfo(request.app.state.console.time_zone)


async def group_households(api: Api, categories: Iterable[str] = CATEGORIES) -> list[dict[str, Any]]:
    """Orgtree's households of the three groups (or ``categories``) in the user's scope (none where orgtree does not
    let them list)."""
    found: dict[str, dict[str, Any]] = {}
    for category in categories:
        try:
            listed = await api.get("/api/orgtree/households", category=category, limit=200)
        except ApiError as refused:
            if refused.status not in (403, 404):
                raise
            return []
        for item in listed.get("items", []):
            found.setdefault(str(item["id"]), item)
    return list(found.values())


def labelled(rows: list[dict[str, Any]], households: list[dict[str, Any]], key: str = "label") -> list[dict[str, Any]]:
    """Each row's household by orgtree's label (``3号``), else the first characters of its id."""
    labels = {str(h["id"]): h.get("label") or "" for h in households}
    for row in rows:
        row[key] = labels.get(row["householdId"]) or row["householdId"][:8]
    return rows


def shown(request: AnyRequest, template: str, status_code: int = 200, **context: Any) -> Template:
    return page(request, template, status_code, categories=CATEGORIES, channels=CHANNELS, **context)


class VulnerableController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*STAFF)

    @get("/")
    async def registry(self, request: AnyRequest, api: NamedDependency[Api]) -> Template:
        """The registered households and the missed-visit report of the user's scope."""
        rows = await api.get(API, limit=200)
        report = await api.get(f"{API}/missed")
        households = await group_households(api)
        labelled(rows, households)
        labelled([item["registration"] for item in report["items"]], households)
        return shown(request, "vulnerable/registry.html", rows=rows, report=report)

    async def _form(
        self, request: AnyRequest, api: Api, draft: dict[str, Any], errors: FormErrors, status: int = 200
    ) -> Template:
        households = await group_households(api)
        return shown(request, "vulnerable/register.html", status, households=households, draft=draft, errors=errors)

    @get("/new")
    async def new(self, request: AnyRequest, api: NamedDependency[Api]) -> Template:
        return await self._form(request, api, {"categories": []}, FormErrors())

    @post("/")
    async def register(self, request: AnyRequest, api: NamedDependency[Api]) -> Template | Redirect:
        form = await request.form()
        draft = {
            "householdId": str(form.get("householdId") or "").strip(),
            "categories": [str(c) for c in form.getall("categories", [])],
            "note": str(form.get("note") or "").strip(),
        }
        try:
            if not draft["householdId"]:
                raise ApiError(422, "missing", {"householdId": ""})
            made = await api.post(API, draft)
        except ApiError as refused:
            if refused.status == 409:
                return await self._form(request, api, draft, FormErrors(form=ALREADY), 409)
            if refused.status not in (404, 422):
                raise
            return await self._form(request, api, draft, refusal(refused), 422)
        return Redirect(f"{HOME}/{made['id']}", status_code=303)

    async def _registration(
        self, request: AnyRequest, api: Api, registration_id: UUID, errors: FormErrors | None = None, status: int = 200
    ) -> Template:
        row = await api.get(f"{API}/{registration_id}")
        candidates = await api.get(f"{API}/{registration_id}/candidates")
        labelled([row], await group_households(api))
        visits = await api.get("/api/dispatch/visits", householdId=row["householdId"], limit=20)
        return shown(
            request,
            "vulnerable/registration.html",
            status,
            row=row,
            candidates=candidates,
            visits=visits,
            errors=errors or FormErrors(),
        )

    @get("/{registration_id:uuid}")
    async def registration(
        self, request: AnyRequest, api: NamedDependency[Api], registration_id: FromPath[UUID]
    ) -> Template:
        return await self._registration(request, api, registration_id)

    @post("/{registration_id:uuid}/volunteer")
    async def pair(
        self, request: AnyRequest, api: NamedDependency[Api], registration_id: FromPath[UUID]
    ) -> Template | Redirect:
        chosen = (await read_form(request)).get("volunteerId", "").strip()
        try:
            if not chosen:
                raise ApiError(422, "missing", {"volunteerId": ""})
            await api.call("PUT", f"{API}/{registration_id}/volunteer", json={"volunteerId": chosen})
        except ApiError as refused:
            if refused.status != 422:
                raise
            return await self._registration(request, api, registration_id, refusal(refused), 422)
        return Redirect(f"{HOME}/{registration_id}", status_code=303)


class DeviceController(Controller):
    path = DEVICES
    include_in_schema = False
    guards = signed_in(*OPERATORS)

    async def _devices(
        self, request: AnyRequest, api: Api, draft: dict[str, str], errors: FormErrors, status: int = 200
    ) -> Template:
        devices = await api.get("/api/dispatch/devices", limit=200)
        alarms = await api.get("/api/dispatch/devices/alarms", limit=20)
        households = await group_households(api)
        labelled([d for d in devices if d["householdId"]], households, "household")
        labelled(alarms, households, "household")
        return shown(
            request,
            "vulnerable/devices.html",
            status,
            devices=devices,
            alarms=alarms,
            households=households,
            draft=draft,
            errors=errors,
        )

    @get("/")
    async def devices(self, request: AnyRequest, api: NamedDependency[Api]) -> Template:
        return await self._devices(request, api, {}, FormErrors())

    @post("/")
    async def register(self, request: AnyRequest, api: NamedDependency[Api]) -> Template | Redirect:
        draft = {k: v.strip() for k, v in (await read_form(request)).items()}
        body: dict[str, Any] = {"code": draft.get("code", ""), "label": draft.get("label", "")}
        if draft.get("householdId"):
            body["householdId"] = draft["householdId"]
        try:
            await api.post("/api/dispatch/devices", body)
        except ApiError as refused:
            if refused.status == 409:
                return await self._devices(request, api, draft, FormErrors(fields={"code": DEVICE_TAKEN}), 409)
            if refused.status not in (404, 422):
                raise
            return await self._devices(request, api, draft, refusal(refused), 422)
        return Redirect(DEVICES, status_code=303)


class MyPairedController(Controller):
    """The volunteer's phone page: the households paired with them, and recording a visit to one."""

    path = MINE
    include_in_schema = False
    guards = signed_in(*VOLUNTEERS)

    async def _mine(
        self,
        request: AnyRequest,
        api: Api,
        errors: FormErrors | None = None,
        status: int = 200,
        draft: dict[str, str] | None = None,
        recorded: bool = False,
    ) -> Template:
        rows = await api.get(API, limit=200)
        for row in rows:
            row["label"] = row["householdId"][:8]
        local = now().astimezone(zone(request)).strftime("%Y-%m-%dT%H:%M")
        return shown(
            request,
            "vulnerable/mine.html",
            status,
            rows=rows,
            errors=errors or FormErrors(),
            draft=draft or {"visitedAt": local, "channel": "in_person"},
            recorded=recorded,
        )

    @get("/")
    async def mine(self, request: AnyRequest, api: NamedDependency[Api], recorded: str = "") -> Template:
        return await self._mine(request, api, recorded=recorded == "1")

    @post("/{registration_id:uuid}/visits")
    async def record(
        self, request: AnyRequest, api: NamedDependency[Api], registration_id: FromPath[UUID]
    ) -> Template | Redirect:
        draft = await read_form(request)
        draft["registrationId"] = str(registration_id)
        try:
            visited = datetime.fromisoformat(draft.get("visitedAt", "")).replace(tzinfo=zone(request))
        except ValueError:
            return await self._mine(request, api, refusal(ApiError(422, "", {"visitedAt": ""})), 422, draft)
        body = {"visitedAt": visited.isoformat(), "channel": draft.get("channel", ""), "note": draft.get("note", "")}
        try:
            await api.post(f"{API}/{registration_id}/visits", body)
        except ApiError as refused:
            if refused.status != 422:
                raise
            return await self._mine(request, api, refusal(refused), 422, draft)
        return Redirect(f"{MINE}?recorded=1", status_code=303)


CONTROLLERS = [VulnerableController, DeviceController, MyPairedController]
