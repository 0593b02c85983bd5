"""热线规则 and 工作日历 (``/console/hotline/settings``, ``/console/hotline/calendar``): the arrival pledge, offer
time-out, duplicate window, red warning, working week and hours, webhook and the pre-service rule; the holidays and
make-up working days of a month, a day marked or unmarked. Clocks already running keep their due times."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.forms import FormErrors, read_form
from services.console.hotline.words import ADMINS, API, BY_FIELD, HOME, WEEKDAYS, checked, clock_time, number, refused
from services.console.web import AnyRequest, page, signed_in

Month = Annotated[str, QueryParameter(name="month", max_length=7)]
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
NUMBERS = ("arrivalLimitMinutes", "offerTimeoutSeconds", "duplicateWindowDays", "redAfterMinutes")


def settings_body(form: dict[str, str], weekdays: list[str]) -> dict[str, Any]:
    body: dict[str, Any] = {name: number(form.get(name)) for name in NUMBERS}
    body["hotlineNumber"] = form.get("hotlineNumber", "").strip()
    body["workingWeekdays"] = [number(day) for day in weekdays]
    body["workStarts"] = clock_time(form.get("workStarts"))
    body["workEnds"] = clock_time(form.get("workEnds"))
    body["webhookUrl"] = form.get("webhookUrl", "").strip() or None
    body["requirePreService"] = checked(form, "requirePreService")
    return body


def as_typed(found: dict[str, Any]) -> dict[str, Any]:
    draft: dict[str, Any] = {name: str(found[name]) for name in NUMBERS}
    draft.update(
        hotlineNumber=found["hotlineNumber"],
        weekdays=[str(day) for day in found["workingWeekdays"]],
        workStarts=found["workStarts"][:5],
        workEnds=found["workEnds"][:5],
        webhookUrl=found["webhookUrl"] or "",
    )
    if found["requirePreService"]:
        draft["requirePreService"] = "on"
    return draft


def month_of(text: str, zone: str) -> date:
    """The month asked for (``2026-10``), else the district's current month."""
    matched = MONTH.match(text)
    if matched and 1 <= int(matched.group(2)) <= 12 and 2000 <= int(matched.group(1)) <= 2100:
        return date(int(matched.group(1)), int(matched.group(2)), 1)
    today = datetime.now(ZoneInfo(zone)).date()
    return today.replace(day=1)


def neighbours(first: date) -> tuple[str, str]:
    before = date(first.year - 1, 12, 1) if first.month == 1 else first.replace(month=first.month - 1)
    after = date(first.year + 1, 1, 1) if first.month == 12 else first.replace(month=first.month + 1)
    return before.strftime("%Y-%m"), after.strftime("%Y-%m")


class SettingsController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*ADMINS)

    async def _settings(
        self,
        request: AnyRequest,
        draft: dict[str, Any],
        errors: FormErrors | None = None,
        saved: bool = False,
    ) -> Template:
        return page(
            request,
            "hotline/settings.html",
            422 if errors else 200,
            tab="settings",
            draft=draft,
            weekdays=WEEKDAYS,
            errors=errors or FormErrors(),
            saved=saved,
        )

    @get("/settings")
    async def settings(self, request: AnyRequest, api: NamedDependency[Api], saved: FromQuery[str] = "") -> Template:
        return await self._settings(request, as_typed(await api.get(f"{API}/settings")), saved=saved == "1")

    @post("/settings")
    async def change(self, request: AnyRequest, api: NamedDependency[Api]) -> Template | Redirect:
        form = await read_form(request)
        weekdays = [str(v) for v in (await request.form()).getall("workingWeekdays", [])]
        try:
            await api.call("PATCH", f"{API}/settings", json=settings_body(form, weekdays))
        except ApiError as refusal:
            if refusal.status != 422:
                raise
            return await self._settings(request, {**form, "weekdays": weekdays}, refused(refusal))
        return Redirect(f"{HOME}/settings?saved=1", status_code=303)

    async def _calendar(
        self,
        request: AnyRequest,
        api: Api,
        month: str,
        typed: dict[str, str] | None = None,
        errors: FormErrors | None = None,
    ) -> Template:
        settings = await api.get(f"{API}/settings")
        first = month_of(month, settings["timezone"])
        key = first.strftime("%Y-%m")
        days = [d for d in await api.get(f"{API}/calendar") if d["day"].startswith(key)]
        before, after = neighbours(first)
        return page(
            request,
            "hotline/calendar.html",
            422 if errors else 200,
            tab="calendar",
            first=first,
            month=key,
            before=before,
            after=after,
            days=[{**d, "date": date.fromisoformat(d["day"])} for d in days],
            weekdays=WEEKDAYS,
            working=[str(day) for day in settings["workingWeekdays"]],
            hours=(settings["workStarts"][:5], settings["workEnds"][:5]),
            draft=typed or {"isWorking": "false"},
            errors=errors or FormErrors(),
        )

    @get("/calendar")
    async def calendar(self, request: AnyRequest, api: NamedDependency[Api], month: Month = "") -> Template:
        return await self._calendar(request, api, month)

    @post("/calendar")
    async def mark(self, request: AnyRequest, api: NamedDependency[Api]) -> Template | Redirect:
        """A holiday or a make-up working day; a day marked before takes the new mark."""
        form = await read_form(request)
        day = form.get("day", "").strip()
        month = form.get("month", "")
        errors = FormErrors()
        try:
            date.fromisoformat(day)
        except ValueError:
            errors.fields["day"] = BY_FIELD["day"]
        if form.get("isWorking") not in ("true", "false"):
            errors.fields["isWorking"] = BY_FIELD["isWorking"]
        if errors:
            return await self._calendar(request, api, month, form, errors)
        body = {"isWorking": form["isWorking"] == "true", "label": form.get("label", "").strip()}
        try:
            await api.call("PUT", f"{API}/calendar/{day}", json=body)
        except ApiError as refusal:
            if refusal.status != 422:
                raise
            return await self._calendar(request, api, month, form, refused(refusal))
        return Redirect(f"{HOME}/calendar?month={day[:7]}", status_code=303)

    @post("/calendar/{day:date}/clear")
    async def clear(self, api: NamedDependency[Api], day: FromPath[date]) -> Redirect:
        """The day follows the working week again."""
        await api.call("DELETE", f"{API}/calendar/{day.isoformat()}")
        return Redirect(f"{HOME}/calendar?month={day.strftime('%Y-%m')}", status_code=303)
