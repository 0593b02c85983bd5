"""The compliance report as an .xlsx (``reports/workbook.py``): the units' counts, then the unvisited links."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from services.console.i18n import N_
from services.console.reports.figures import Line, Say, Table
from services.console.reports.workbook import workbook

PER_UNIT, NOT_VISITED = N_("Links per unit"), N_("Links not visited")
LINKS, UNVISITED_IN, TOTAL = N_("Red-cell links"), N_("Not visited in %(days)d days"), N_("Total")
HOUSEHOLD, MEMBER, GRID, LAST_VISIT = N_("Household"), N_("Member"), N_("Grid"), N_("Last visit")
FILE_NAME = N_("Visits")


def compliance_workbook(report: dict[str, Any], words: Say, zone: ZoneInfo, unit_word: str) -> bytes:
    def when(value: str | None) -> str:
        return datetime.fromisoformat(value).astimezone(zone).strftime("%Y-%m-%d %H:%M") if value else "—"

    units = Table(
        title=words(PER_UNIT),
        headers=(words(unit_word), words(LINKS), words(UNVISITED_IN) % {"days": report["days"]}),
        lines=[Line(u["name"] or "—", (u["links"], u["unvisited"])) for u in report["units"]],
        total=Line(words(TOTAL), (report["total"]["links"], report["total"]["unvisited"])),
    )
    rows = [
        (item["householdId"][:8], item["memberName"] or "—", item["gridName"] or "—", when(item["lastVisitedAt"]))
        for item in report["items"]
    ]
    links = Table(
        title=words(NOT_VISITED),
        headers=(words(HOUSEHOLD), words(MEMBER), words(GRID), words(LAST_VISIT)),
        lines=[Line(row[0], row[1:]) for row in rows],
    )
    return workbook([units, links])
