"""走访 (``/console/visits``): the member's phone page 我的走访 (the households they serve, each with its last
visit and open mandatory visits; recording a visit with its matters, each a note or a ticket) and the staff's
走访情况 (the weekly compliance report of a unit with its .xlsx, the open and overdue mandatory visits)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID
from zoneinfo import ZoneInfo

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.forms import FormErrors, read_form
from services.console.i18n import N_
from services.console.reports.controllers import say
from services.console.reports.workbook import XLSX
from services.console.visits.sheet import FILE_NAME, compliance_workbook
from services.console.visits.words import (
    ASSIGNED,
    CHANNELS,
    KINDS,
    OUTCOMES,
    UNITS,
    WHEN_MISSING,
    labels_of,
    short,
    visit_refusal,
)
from services.console.web import AnyRequest, NavEntry, page, signed_in
from shared.clock import now
from shared.storage.content import content_disposition

MEMBERS = ("member", "volunteer")
STAFF = ("district_admin", "street_admin", "community_cadre", "grid_leader", "hotline_operator", "hotline_supervisor")
MINE = "/console/visits/me"
REPORT = "/console/visits"
VISITS = "/api/dispatch/visits"
MATTER_ROWS = 3  # matters offered on the form at once; a visit with more is recorded twice
PAGE = 50
SHEET_ROWS = 5000  # the .xlsx lists at most this many unvisited links

NAV = [NavEntry(MINE, N_("My visits"), MEMBERS), NavEntry(REPORT, N_("Visits"), STAFF)]
LABELS: dict[str, Any] = {"channels": CHANNELS, "outcomes": OUTCOMES, "kinds": KINDS, "assigned": ASSIGNED}
Unit = Annotated[UUID | None, QueryParameter(name="unit")]
By = Annotated[str, QueryParameter(name="by", pattern="^(grid|village|street)$")]
Offset = Annotated[int, QueryParameter(name="offset", ge=0)]


def zone(request: AnyRequest) -> ZoneInfo:
    return ZoneInfo(request.app.state.console.time_zone)


async def household_labels(api: Api) -> dict[str, str]:
    """Orgtree's labels of the households the member serves; none for a login orgtree does not know as a member."""
    try:
        return labels_of(await api.get("/api/orgtree/households", limit=500))
    except ApiError as refused:
        if refused.status not in (403, 404):
            raise
        return {}


class MyVisitsController(Controller):
    path = MINE
    include_in_schema = False
    guards = signed_in(*MEMBERS)

    @get("/")
    async def mine(self, request: AnyRequest, api: NamedDependency[Api]) -> Template:
        served = await api.get(f"{VISITS}/households")
        labels = await household_labels(api) if served else {}
        for household in served:
            household["label"] = labels.get(household["householdId"]) or short(household["householdId"])
        return page(request, "visits/mine.html", served=served, labels=LABELS)

    async def _form(
        self, request: AnyRequest, api: Api, household_id: UUID, status: int = 200, **context: Any
    ) -> Template:
        labels = await household_labels(api)
        values = context.pop("values", None) or {
            "visitedAt": now().astimezone(zone(request)).strftime("%Y-%m-%dT%H:%M"),
            "channel": "in_person",
        }
        return page(
            request,
            "visits/record.html",
            status_code=status,
            household_id=str(household_id),
            household_label=labels.get(str(household_id)) or short(str(household_id)),
            rows=range(MATTER_ROWS),
            values=values,
            errors=context.pop("errors", FormErrors()),
            labels=LABELS,
        )

    @get("/households/{household_id:uuid}/visit")
    async def new_visit(self, request: AnyRequest, api: NamedDependency[Api], household_id: FromPath[UUID]) -> Template:
        return await self._form(request, api, household_id)

    @post("/households/{household_id:uuid}/visit")
    async def record(
        self, request: AnyRequest, api: NamedDependency[Api], household_id: FromPath[UUID]
    ) -> Template | Redirect:
        typed = await read_form(request)
        errors = FormErrors()
        visited_at = None
        try:
            visited_at = datetime.fromisoformat(typed.get("visitedAt", "")).replace(tzinfo=zone(request))
        except ValueError:
            errors.fields["visitedAt"] = WHEN_MISSING
        matters = []
        for row in range(MATTER_ROWS):
            summary = typed.get(f"matter-{row}", "").strip()
            if summary:
                # a ticket goes to the desk unclassified: the operators choose its category, as for a call
                matters.append({"summary": summary, "outcome": typed.get(f"outcome-{row}", "note")})
        if errors or visited_at is None:
            return await self._form(request, api, household_id, 422, values=typed, errors=errors)
        body = {
            "householdId": str(household_id),
            "visitedAt": visited_at.isoformat(),
            "channel": typed.get("channel", ""),
            "note": typed.get("note", "").strip(),
            "matters": matters,
        }
        try:
            visit = await api.post(VISITS, body)
        except ApiError as refused:
            if refused.status != 422:
                raise
            return await self._form(request, api, household_id, 422, values=typed, errors=visit_refusal(refused))
        return Redirect(f"{MINE}/visits/{visit['id']}", status_code=303)

    @get("/visits/{visit_id:uuid}")
    async def visit(self, request: AnyRequest, api: NamedDependency[Api], visit_id: FromPath[UUID]) -> Template:
        visit = await api.get(f"{VISITS}/{visit_id}")
        labels = await household_labels(api)
        visit["label"] = labels.get(visit["householdId"]) or short(visit["householdId"])
        return page(request, "visits/visit.html", visit=visit, labels=LABELS)


class VisitReportController(Controller):
    path = REPORT
    include_in_schema = False
    guards = signed_in(*STAFF)

    @get("/")
    async def report(
        self, request: AnyRequest, api: NamedDependency[Api], by: By = "grid", unit: Unit = None, offset: Offset = 0
    ) -> Template:
        params = {"by": by, "unitId": str(unit) if unit else None, "offset": offset, "limit": PAGE}
        compliance = await api.get(f"{VISITS}/compliance", **params)
        overdue = await api.get(f"{VISITS}/tasks", state="overdue", limit=PAGE)
        open_tasks = await api.get(f"{VISITS}/tasks", state="open", limit=PAGE)
        return page(
            request,
            "visits/report.html",
            report=compliance,
            by=by,
            unit=str(unit) if unit else "",
            unit_name=next((u["name"] for u in compliance["units"] if unit and u["unitId"] == str(unit)), None),
            units_by=UNITS,
            overdue=overdue["items"],
            waiting=[t for t in open_tasks["items"] if not t["overdue"]],
            labels=LABELS,
        )

    @get("/compliance.xlsx")
    async def sheet(
        self, request: AnyRequest, api: NamedDependency[Api], by: By = "grid", unit: Unit = None
    ) -> Response[bytes]:
        params = {"by": by, "unitId": str(unit) if unit else None, "limit": 200}
        report = await api.get(f"{VISITS}/compliance", offset=0, **params)
        items = list(report["items"])
        while report.get("nextOffset") is not None and len(items) < SHEET_ROWS:
            report = await api.get(f"{VISITS}/compliance", offset=report["nextOffset"], **params)
            items.extend(report["items"])
        report["items"] = items[:SHEET_ROWS]
        words = say(request)
        stamp = now().astimezone(zone(request)).strftime("%Y%m%d")
        return Response(
            content=compliance_workbook(report, words, zone(request), UNITS[by]),
            media_type=XLSX,
            headers={"content-disposition": content_disposition(f"{words(FILE_NAME)}-{stamp}.xlsx")},
        )


CONTROLLERS = [MyVisitsController, VisitReportController]
