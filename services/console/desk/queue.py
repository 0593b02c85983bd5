"""The desk's queue: the district's tickets with their category, grid, stage and clock, as rows to render.

``GET /api/dispatch/tickets`` filters by the stages, category, grid and warning, and each ticket carries its
grid's name and the clock due first: one call for the whole queue. ``Filters.admits`` decides the same for a
row that arrives on the live stream.
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
CLOCKS = {
    "sign_for": N_("to sign for"),
    "arrival": N_("to arrive"),
    "resolution": N_("to resolve"),
    "red": N_("to the red warning"),  # after a yellow warning, the red clock is the one due first
}
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
    """Category names and unit (node) names by district, kept a minute (they change rarely; pages ask for many)."""

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
        """Names of organisation nodes (grids, villages, streets) by id, asked of orgtree for those not yet known."""
        known = await self._names(api, "nodes", _empty)
        missing = [node for node in ids if node not in known]
        found = await asyncio.gather(*(_node_name(api, node) for node in missing))
        known.update({node: name for node, name in zip(missing, found, strict=True) if name})
        return known


async def _empty() -> dict[str, str]:
    return {}


async def _node_name(api: Api, node_id: str) -> str | None:
    try:
        node = await api.get(f"/api/orgtree/nodes/{node_id}")
    except ApiError:  # a role without the organisation chart sees the node's id only
        return None
    return str(node["name"])


def row(ticket: dict[str, Any], categories: dict[str, str]) -> Row:
    """A ticket of the list as the desk shows it: the list carries the grid's name and the clock due first."""
    clock = ticket.get("clock") or {}
    due = clock.get("dueAt")
    return Row(
        id=ticket["id"],
        number=ticket["number"],
        title=ticket["title"],
        status=ticket["status"],
        category_id=ticket.get("categoryId") or "",
        category=categories.get(ticket.get("categoryId") or "", ""),
        grid_id=ticket.get("gridId") or "",
        grid=ticket.get("gridName") or "",
        warning=ticket.get("warning"),
        clock=clock.get("kind") if ticket["status"] in OPEN else None,
        due_at=datetime.fromisoformat(due) if due and ticket["status"] in OPEN else None,
        created_at=ticket["createdAt"],
    )


async def rows(api: Api, lookups: Lookups, tickets: list[dict[str, Any]]) -> list[Row]:
    categories = await lookups.categories(api)
    return [row(ticket, categories) for ticket in tickets]


async def queue(api: Api, lookups: Lookups, filters: Filters) -> tuple[list[Row], dict[str, str]]:
    """The rows the filters admit, newest first (filtered by dispatch), and the grids among them (the grid
    filter's choices)."""
    statuses = list(OPEN) if filters.stage == "open" else [filters.stage] if filters.stage in STAGES else None
    page = await api.get(
        "/api/dispatch/tickets",
        status=statuses,
        categoryId=filters.category or None,
        gridId=filters.grid or None,
        warning=filters.warning or None,
        limit=PAGE,
    )
    shown = await rows(api, lookups, page["items"])
    grids = {r.grid_id: r.grid or r.grid_id[:8] for r in shown if r.grid_id}
    return shown, grids


async def one_row(api: Api, lookups: Lookups, ticket_id: str) -> Row | None:
    """One ticket's row, for the live queue; None when it is not (or no longer) visible."""
    try:
        ticket = await api.get(f"/api/dispatch/tickets/{ticket_id}")
    except ApiError as refused:
        if refused.status in (403, 404):
            return None
        raise
    return row(ticket, await lookups.categories(api))


LOOKUPS_FOR_PAGES = Lookups()  # one per process, shared by the pages that show category and grid names
