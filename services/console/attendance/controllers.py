"""干部考勤 (``/console/attendance``): the villages and communities with cadres and who is on duty there today (and,
for the district admin, the escalation thresholds); a unit's month: who is on duty today, the duty roster (one cadre
per working day, filled in turn or day by day), attendance recorded per cadre and day, leave requests and their
approval, and the report of days present, on leave, absent with the escalation step reached (ORG-25)."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.attendance.words import (
    EDITORS,
    KINDS,
    LEAVE_STATES,
    STATUSES,
    STEPS,
    THRESHOLD,
    WEEKDAYS,
    refusal,
)
from services.console.forms import FormErrors, read_form
from services.console.i18n import N_
from services.console.session import SignedIn
from services.console.web import AnyRequest, NavEntry, page, signed_in
from shared.clock import china_today

HOME = "/console/attendance"
API = "/api/orgtree"
NAV = [NavEntry(HOME, N_("Cadre attendance"), EDITORS)]
Month = Annotated[str, QueryParameter(max_length=7, pattern=r"^(\d{4}-\d{2})?$")]
# each form's fields as the page names them -> as the API does (one page, one id per field)
FORMS = {
    "roster": {"dutyDay": "day", "dutyMember": "memberId"},
    "attendance": {"memberId": "memberId", "day": "day", "status": "status", "note": "note"},
    "leave": {"leaveMember": "memberId", "firstDay": "firstDay", "lastDay": "lastDay", "reason": "reason"},
}
OPTIONAL = {"note"}
LEVELS = ("reminder", "criticism", "fine")


def shifted(month: str, by: int) -> str:
    year, number = (int(part) for part in month.split("-"))
    index = year * 12 + number - 1 + by
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def weekday(day: str) -> str:
    return WEEKDAYS[date.fromisoformat(day).weekday()]


class AttendanceController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*EDITORS)

    async def _home(
        self, request: AnyRequest, api: Api, user: SignedIn, errors: FormErrors, typed: dict[str, str], status: int
    ) -> Template:
        return page(
            request,
            "attendance/units.html",
            status,
            units=await api.get(f"{API}/attendance/units"),
            limits=await api.get(f"{API}/attendance/thresholds"),
            district_admin=user.has_role("district_admin"),
            errors=errors,
            typed=typed,
        )

    @get("/")
    async def units(self, request: AnyRequest, api: NamedDependency[Api], user: NamedDependency[SignedIn]) -> Template:
        return await self._home(request, api, user, FormErrors(), {}, 200)

    @post("/thresholds", guards=signed_in("district_admin"))
    async def thresholds(
        self, request: AnyRequest, api: NamedDependency[Api], user: NamedDependency[SignedIn]
    ) -> Template | Redirect:
        typed = await read_form(request)
        errors = FormErrors(fields={n: THRESHOLD for n in LEVELS if not typed.get(n, "").strip().isdigit()})
        if not errors:
            try:
                body = {n: int(typed[n].strip()) for n in LEVELS}
                await api.call("PUT", f"{API}/attendance/thresholds", json=body)
            except ApiError as refused:
                if refused.status != 422:
                    raise
                errors = refusal(refused, "thresholds", {})
        if errors:
            return await self._home(request, api, user, errors, typed, 422)
        return Redirect(HOME, status_code=303)

    async def _unit(
        self,
        request: AnyRequest,
        api: Api,
        unit_id: UUID,
        month: str,
        *,
        form: str = "",
        draft: dict[str, str] | None = None,
        errors: FormErrors | None = None,
        status: int = 200,
    ) -> Template:
        roster = await api.get(f"{API}/nodes/{unit_id}/duty-roster", **({"month": month} if month else {}))
        month = roster["month"]
        report, leaves = await asyncio.gather(
            api.get(f"{API}/nodes/{unit_id}/cadre-attendance", month=month),
            api.get(f"{API}/nodes/{unit_id}/leave-requests"),
        )
        # the requests awaiting a decision, and those touching the month shown
        leaves = [x for x in leaves if x["state"] == "requested" or x["firstDay"][:7] <= month <= x["lastDay"][:7]]
        for day in roster["days"]:
            day["weekday"] = weekday(day["day"])
        return page(
            request,
            "attendance/unit.html",
            status,
            roster=roster,
            report=report,
            leaves=leaves,
            cadres=[{"id": c["memberId"], "name": c["memberName"]} for c in roster["cadres"]],
            month=month,
            previous=shifted(month, -1),
            following=shifted(month, 1),
            today=china_today().isoformat(),
            statuses=STATUSES,
            steps=STEPS,
            leave_states=LEAVE_STATES,
            kinds=KINDS,
            form=form,
            draft=draft or {},
            errors=errors or FormErrors(),
        )

    @get("/{unit_id:uuid}")
    async def unit(
        self, request: AnyRequest, api: NamedDependency[Api], unit_id: FromPath[UUID], month: Month = ""
    ) -> Template:
        return await self._unit(request, api, unit_id, month)

    def _back(self, unit_id: UUID, month: str) -> Redirect:
        return Redirect(f"{HOME}/{unit_id}" + (f"?month={month}" if month else ""), status_code=303)

    async def _send(self, request: AnyRequest, api: Api, unit_id: UUID, form: str, path: str) -> Template | Redirect:
        """One of the unit's forms sent to orgtree: every field required (a note aside), a refusal beside its field."""
        typed = await read_form(request)
        names = FORMS[form]
        body: dict[str, Any] = {api_name: typed.get(name, "").strip() or None for name, api_name in names.items()}
        month = typed.get("month", "")
        try:
            blank = {name: "" for name, api_name in names.items() if body[api_name] is None and name not in OPTIONAL}
            if blank:
                raise ApiError(422, "missing", {names[n]: "" for n in blank})
            await api.post(path, body)
        except ApiError as refused:
            if refused.status not in (409, 422):
                raise
            errors = refusal(refused, form, {api_name: name for name, api_name in names.items()})
            return await self._unit(
                request, api, unit_id, month, form=form, draft=typed, errors=errors, status=refused.status
            )
        return self._back(unit_id, month)

    async def _remove(self, request: AnyRequest, api: Api, unit_id: UUID, path: str) -> Redirect:
        """A roster entry or attendance record removed, back to the month the page showed."""
        month = (await read_form(request)).get("month", "")
        await api.call("DELETE", path)
        return self._back(unit_id, month)

    @post("/{unit_id:uuid}/roster")
    async def assign(
        self, request: AnyRequest, api: NamedDependency[Api], unit_id: FromPath[UUID]
    ) -> Template | Redirect:
        return await self._send(request, api, unit_id, "roster", f"{API}/nodes/{unit_id}/duty-roster")

    @post("/{unit_id:uuid}/rotation")
    async def rotate(self, request: AnyRequest, api: NamedDependency[Api], unit_id: FromPath[UUID]) -> Redirect:
        month = (await read_form(request)).get("month", "")
        await api.post(f"{API}/nodes/{unit_id}/duty-roster/rotation", {"month": month})
        return self._back(unit_id, month)

    @post("/{unit_id:uuid}/roster/{entry_id:uuid}/free")
    async def free(
        self, request: AnyRequest, api: NamedDependency[Api], unit_id: FromPath[UUID], entry_id: FromPath[UUID]
    ) -> Redirect:
        return await self._remove(request, api, unit_id, f"{API}/duty-roster/{entry_id}")

    @post("/{unit_id:uuid}/attendance")
    async def record(
        self, request: AnyRequest, api: NamedDependency[Api], unit_id: FromPath[UUID]
    ) -> Template | Redirect:
        return await self._send(request, api, unit_id, "attendance", f"{API}/nodes/{unit_id}/cadre-attendance")

    @post("/{unit_id:uuid}/attendance/{record_id:uuid}/withdraw")
    async def withdraw(
        self, request: AnyRequest, api: NamedDependency[Api], unit_id: FromPath[UUID], record_id: FromPath[UUID]
    ) -> Redirect:
        return await self._remove(request, api, unit_id, f"{API}/cadre-attendance/{record_id}")

    @post("/{unit_id:uuid}/leaves")
    async def request_leave(
        self, request: AnyRequest, api: NamedDependency[Api], unit_id: FromPath[UUID]
    ) -> Template | Redirect:
        return await self._send(request, api, unit_id, "leave", f"{API}/nodes/{unit_id}/leave-requests")

    @post("/{unit_id:uuid}/leaves/{leave_id:uuid}/decision")
    async def decide(
        self, request: AnyRequest, api: NamedDependency[Api], unit_id: FromPath[UUID], leave_id: FromPath[UUID]
    ) -> Template | Redirect:
        typed = await read_form(request)
        month = typed.get("month", "")
        try:
            await api.post(f"{API}/leave-requests/{leave_id}/decision", {"decision": typed.get("decision", "")})
        except ApiError as refused:
            if refused.status not in (409, 422):
                raise
            errors = refusal(refused, "decision", {})
            return await self._unit(request, api, unit_id, month, form="decision", errors=errors, status=refused.status)
        return self._back(unit_id, month)


CONTROLLERS = [AttendanceController]
