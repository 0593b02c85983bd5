"""The desk's queue: the district's tickets with their category, grid, stage and clock, as rows to render.

``GET /api/dispatch/tickets`` filters by one status and a grid; the open stages, the category and the warning
are filtered here over the newest 200 (see the README's "what the APIs do not give yet"). The list carries no
clock, so each open ticket's deadlines are read beside it, all at once.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from services.console.api import Api, ApiError
from services.console.i18n import N_

STAGES = {
    "new": N_("New"),
    "routing": N_("Offering"),
    "assigned": N_("Assigned"),
    "on_site": N_("On site"),
    "resolved": N_("Resolved, awaiting callback"),
    "closed": N_("Closed"),
    "cancelled": N_("Cancelled"),
    "merged": N_("Merged"),
}
OPEN = ("new", "routing", "assigned", "on_site", "resolved")  # what the desk still has to act on
WARNINGS = {"yellow": N_("Yellow warning"), "red": N_("Red warning")}
CLOCKS = {"sign_for": N_("to sign for"), "arrival": N_("to arrive"), "resolution": N_("to resolve")}
PAGE = 200
_LOOKUP_S = 60.0


@dataclass(frozen=True)
class Filters:
    stage: str = "open"  # "open", "all" or one stage
    category: str = ""
    grid: str = ""
    warning: str = ""  # "", "yellow", "red", "any"

    @classmethod
    def read(cls, stage: str | None, category: str | None, grid: str | None, warning: str | None) -> Filters:
        return cls(
            stage=stage if stage in (*STAGES, "all") else "open",
            category=category or "",
            grid=grid or "",
            warning=warning if warning in ("yellow", "red", "any") else "",
        )

    def query(self) -> str:
        shown = {k: v for k, v in vars(self).items() if v and not (k == "stage" and v == "open")}
        return urlencode(shown)

    def admits(self, row: Row) -> bool:
        if self.stage == "open" and row.status not in OPEN:
            return False
        if self.stage not in ("open", "all") and row.status != self.stage:
            return False
        if self.category and row.category_id != self.category:
            return False
        if self.grid and row.grid_id != self.grid:
            return False
        if self.warning == "any":
            return row.warning is not None
        return not self.warning or row.warning == self.warning


@dataclass(frozen=True)
class Row:
    id: str
    number: str
    title: str
    status: str
    category_id: str
    category: str
    grid_id: str
    grid: str
    warning: str | None
    clock: str | None  # the kind of the running clock that is due first
    due_at: datetime | None
    created_at: str

    @property
    def minutes_left(self) -> int | None:
        if self.due_at is None:
            return None
        return int((self.due_at - datetime.now(UTC)).total_seconds() // 60)


class Lookups:
    """Category and grid names by district, kept a minute (they change rarely; a page asks for many)."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str], tuple[float, dict[str, str]]] = {}

    async def _names(self, api: Api, kind: str, load: Any) -> dict[str, str]:
        key = (api.user.district or "", kind)
        held = self._cache.get(key)
        if held and held[0] > time.monotonic():
            return held[1]
        names: dict[str, str] = await load()
        self._cache[key] = (time.monotonic() + _LOOKUP_S, names)
        return names

    async def categories(self, api: Api) -> dict[str, str]:
        async def load() -> dict[str, str]:
            return {c["id"]: c["name"] for c in await api.get("/api/dispatch/catalogue")}

        return await self._names(api, "categories", load)

    async def grids(self, api: Api, ids: set[str]) -> dict[str, str]:
        known = await self._names(api, "grids", _empty)
        missing = [grid for grid in ids if grid not in known]
        found = await asyncio.gather(*(_node_name(api, grid) for grid in missing))
        known.update({grid: name for grid, name in zip(missing, found, strict=True) if name})
        return known


async def _empty() -> dict[str, str]:
    return {}


async def _node_name(api: Api, node_id: str) -> str | None:
    try:
        node = await api.get(f"/api/orgtree/nodes/{node_id}")
    except ApiError:  # a role without the organisation chart sees the grid's id only
        return None
    return str(node["name"])


async def _clock(api: Api, ticket: dict[str, Any]) -> tuple[str | None, datetime | None]:
    if ticket["status"] not in OPEN:
        return None, None
    deadlines = await api.get(f"/api/dispatch/tickets/{ticket['id']}/deadlines")
    running = [d for d in deadlines if d["state"] == "running" and d["kind"] in CLOCKS]
    if not running:
        return None, None
    first = min(running, key=lambda d: d["dueAt"])
    return first["kind"], datetime.fromisoformat(first["dueAt"])


async def rows(api: Api, lookups: Lookups, tickets: list[dict[str, Any]]) -> list[Row]:
    categories, clocks = await asyncio.gather(
        lookups.categories(api), asyncio.gather(*(_clock(api, t) for t in tickets))
    )
    grids = await lookups.grids(api, {t["gridId"] for t in tickets if t.get("gridId")})
    return [
        Row(
            id=t["id"],
            number=t["number"],
            title=t["title"],
            status=t["status"],
            category_id=t.get("categoryId") or "",
            category=categories.get(t.get("categoryId") or "", ""),
            grid_id=t.get("gridId") or "",
            grid=grids.get(t.get("gridId") or "", ""),
            warning=t.get("warning"),
            clock=clock,
            due_at=due,
            created_at=t["createdAt"],
        )
        for t, (clock, due) in zip(tickets, clocks, strict=True)
    ]


async def queue(api: Api, lookups: Lookups, filters: Filters) -> tuple[list[Row], dict[str, str]]:
    """The rows the filters admit, newest first, and the grids of the stage's tickets (the grid filter's choices)."""
    status = filters.stage if filters.stage in STAGES else None
    page = await api.get("/api/dispatch/tickets", status=status, gridId=None, limit=PAGE)
    tickets = [t for t in page["items"] if filters.stage != "open" or t["status"] in OPEN]
    everything = await rows(api, lookups, tickets)
    grids = {row.grid_id: row.grid or row.grid_id[:8] for row in everything if row.grid_id}
    return [row for row in everything if filters.admits(row)], grids


async def one_row(api: Api, lookups: Lookups, ticket_id: str) -> Row | None:
    """One ticket's row, for the live queue; None when it is not (or no longer) visible."""
    try:
        ticket = await api.get(f"/api/dispatch/tickets/{ticket_id}")
    except ApiError as refused:
        if refused.status in (403, 404):
            return None
        raise
    return (await rows(api, lookups, [ticket]))[0]


LOOKUPS_FOR_PAGES = Lookups()  # one per process, shared by the pages that show category and grid names
