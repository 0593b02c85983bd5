"""What the unit pages read from orgtree: the district's levels, a page of a unit's children, breadcrumbs.

Nothing here loads a subtree: the browser asks for one unit's children at a time (a page of ``PAGE`` with the
total), each child carrying how many units hang under it, so a district of 50,000 units opens as fast as a
small one."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from services.console.api import Api
from services.console.i18n import N_

NODES = "/api/orgtree/nodes"
LEVELS = "/api/orgtree/levels"
PAGE = 50
TREES = {"administrative": N_("Administrative tree"), "party": N_("Party tree")}
STAFF = ("district_admin", "street_admin", "community_cadre", "grid_leader")
EDITORS = ("district_admin", "street_admin", "community_cadre")
SCHEMA_EDITORS = ("district_admin",)


@dataclass(frozen=True)
class Levels:
    """Both trees' level schemas: each level's label, and which levels may hang under which."""

    schemas: dict[str, list[dict[str, Any]]]

    @property
    def labels(self) -> dict[str, str]:
        return {level["code"]: level["label"] for levels in self.schemas.values() for level in levels}

    def under(self, tree: str, parent_level: str) -> list[dict[str, str]]:
        """The levels the schema allows under a unit of ``parent_level``, as select options."""
        allowed = (lv for lv in self.schemas.get(tree, []) if parent_level in lv["parents"])
        return [{"id": lv["code"], "name": lv["label"]} for lv in allowed]

    def is_grid(self, tree: str, level: str) -> bool:
        return any(lv["code"] == level and lv["isGrid"] for lv in self.schemas.get(tree, []))

    def is_village(self, tree: str, level: str) -> bool:
        return any(lv["code"] == level and lv["isVillage"] for lv in self.schemas.get(tree, []))


_KEPT_S = 60.0
_kept: dict[str, tuple[float, Levels]] = {}  # by district: every expand and page needs them; they change rarely


async def levels(api: Api) -> Levels:
    """The district's level schemas, kept a minute in this process (a change made here is seen at once: forget)."""
    district = api.user.district or ""
    held = _kept.get(district)
    if held and held[0] > time.monotonic():
        return held[1]
    answers = await asyncio.gather(*(api.get(f"{LEVELS}/{tree}") for tree in TREES))
    found = Levels({answer["tree"]: answer["levels"] for answer in answers})
    _kept[district] = (time.monotonic() + _KEPT_S, found)
    return found


def forget(api: Api) -> None:
    """After the district's schema was changed: read it again next time."""
    _kept.pop(api.user.district or "", None)


@dataclass(frozen=True)
class Children:
    """One page of a unit's children, and where the next page starts (None: this was the last)."""

    items: list[dict[str, Any]]
    total: int
    next_offset: int | None


async def children(api: Api, parent_id: str | None, offset: int = 0) -> Children:
    """A page of the units under ``parent_id`` (None: the top of the user's scope: both roots, or their street)."""
    answer = await api.get(NODES, parentId=parent_id, limit=PAGE, offset=offset)
    following = offset + len(answer["items"])
    return Children(answer["items"], answer["total"], following if following < answer["total"] else None)


async def ancestors(api: Api, node_id: str) -> list[dict[str, Any]]:
    """Breadcrumbs from the top the user may see down to the unit itself."""
    found: list[dict[str, Any]] = await api.get(f"{NODES}/{node_id}/ancestors")
    return found
