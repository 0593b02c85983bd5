"""The cases under supervision (督办): every unresolved ticket the account may see, by ladder rung and by deadline.

``GET /api/dispatch/tickets`` gives the unresolved stages in one list, each ticket with its grid's name and the
running clock due first (``desk/queue.py`` turns them into rows); the unit answering at a higher rung is named
from orgtree (kept a minute). The API confines a street-scoped account to its street: nothing is filtered here.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from services.console.api import Api
from services.console.desk.queue import CLOCKS as DESK_CLOCKS
from services.console.desk.queue import Lookups, Row, rows
from services.console.i18n import N_
from shared.clock import now

UNRESOLVED = ("new", "routing", "assigned", "on_site")  # what the ladder and the clocks still act on
DUE = {"red": N_("Red warning"), "yellow": N_("Yellow warning"), "soon": N_("Due within 24 hours")}
# The list's running clock may also be the red one (the further period after a yellow warning) or a referral's.
CLOCKS = {**DESK_CLOCKS, "red": N_("to the red warning"), "referral": N_("referral notice due")}
SOON = timedelta(hours=24)
ORG_LEVELS = {
    "grid": N_("Grid"),
    "village": N_("Village or community"),
    "street": N_("Street"),
    "district": N_("District"),
}
PAGE = 200
MAX_PAGES = 5  # beyond 1,000 unresolved cases the board says it counts the newest


@dataclass(frozen=True)
class Case:
    """One unresolved ticket as the board lists it: the desk's row, its rung and the unit answering there."""

    row: Row
    level: int
    unit: str


@dataclass(frozen=True)
class Rung:
    rank: int
    name: str
    org_level: str
    referral: bool  # this rung issues referral notices (抄告单)
    cases: list[Case]

    @property
    def red(self) -> int:
        return sum(1 for case in self.cases if case.row.warning == "red")

    @property
    def yellow(self) -> int:
        return sum(1 for case in self.cases if case.row.warning == "yellow")


@dataclass
class Board:
    rungs: list[Rung]
    due: dict[str, list[Case]] = field(default_factory=dict)
    truncated: bool = False  # there were more unresolved cases than the board reads

    def rung(self, rank: int | None) -> Rung | None:
        """The chosen rung, else the highest one holding cases (the most serious first), else the first."""
        if rank is not None:
            return next((r for r in self.rungs if r.rank == rank), None)
        held = [r for r in self.rungs if r.cases]
        return held[-1] if held else (self.rungs[0] if self.rungs else None)

    def deadline(self, group: str | None) -> str:
        """The chosen deadline group, else the most urgent one holding cases."""
        if group in DUE:
            return group
        return next((g for g in DUE if self.due.get(g)), "red")


def due_group(row: Row, moment: datetime) -> str | None:
    """Red or yellow by the ticket's warning; "soon" when its first running clock ends within a day (or ended and
    the warning is on its way)."""
    if row.warning in ("red", "yellow"):
        return row.warning
    if row.due_at is not None and row.due_at - moment <= SOON:
        return "soon"
    return None


async def unresolved(api: Api) -> tuple[list[dict[str, Any]], bool]:
    """Every unresolved ticket the account may see, newest first, and whether some were left out."""
    found: list[dict[str, Any]] = []
    after = None
    for _ in range(MAX_PAGES):
        page = await api.get("/api/dispatch/tickets", status=list(UNRESOLVED), after=after, limit=PAGE)
        found.extend(page["items"])
        after = page.get("next")
        if not after:
            return found, False
    return found, True


async def cases(api: Api, lookups: Lookups, tickets: list[dict[str, Any]]) -> list[Case]:
    found = await rows(api, lookups, tickets)
    higher = {t["unitId"] for t in tickets if t.get("unitId") and t.get("unitId") != t.get("gridId")}
    units = await lookups.grids(api, higher)
    return [
        Case(
            row=row,
            level=int(t["level"]),
            unit=row.grid if t.get("unitId") == row.grid_id else units.get(t.get("unitId") or "", ""),
        )
        for row, t in zip(found, tickets, strict=True)
    ]


def _urgency(case: Case) -> tuple[int, datetime]:
    marks = {"red": 0, "yellow": 1}
    return marks.get(case.row.warning or "", 2), case.row.due_at or datetime.max.replace(tzinfo=UTC)


async def board(api: Api, lookups: Lookups) -> Board:
    ladder, (tickets, truncated) = await asyncio.gather(api.get("/api/dispatch/ladder"), unresolved(api))
    listed = sorted(await cases(api, lookups, tickets), key=_urgency)
    rungs = [
        Rung(
            rank=int(level["rank"]),
            name=str(level["name"]),
            org_level=str(level["orgLevel"]),
            referral=bool(level["issuesReferral"]),
            cases=[case for case in listed if case.level == int(level["rank"])],
        )
        for level in sorted(ladder, key=lambda level: int(level["rank"]))
    ]
    moment = now()
    due: dict[str, list[Case]] = {group: [] for group in DUE}
    for case in listed:
        group = due_group(case.row, moment)
        if group is not None:
            due[group].append(case)
    return Board(rungs=rungs, due=due, truncated=truncated)
