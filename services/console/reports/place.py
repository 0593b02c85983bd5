"""Which unit a report covers, as the address says (``?unit=<id>``): its breadcrumbs from the top the user may see,
and the units directly under it to choose from. Without a unit a report covers the user's whole scope, or, where it
needs one unit, the top of the user's administrative tree. Another district's unit is the API's 404, shown as such."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from services.console.api import Api

NODES = "/api/orgtree/nodes"
CHOICES = 500  # the API's page; a unit with more children lists its first 500 here, in path order


@dataclass(frozen=True)
class Place:
    unit: dict[str, Any] | None  # None: the user's whole scope
    trail: list[dict[str, Any]]  # from the top the user sees down to ``unit``
    below: list[dict[str, Any]]  # the units one may go down into

    @property
    def unit_id(self) -> str | None:
        return self.unit["id"] if self.unit else None

    @property
    def name(self) -> str:
        return self.unit["name"] if self.unit else ""


async def tops(api: Api) -> list[dict[str, Any]]:
    """The units at the top of the user's scope: both roots for a district user, the scope's unit otherwise."""
    found: list[dict[str, Any]] = (await api.get(NODES, limit=CHOICES))["items"]
    return found


async def place(api: Api, unit: UUID | None, *, needs_unit: bool) -> Place:
    if unit is None:
        top = await tops(api)
        if not needs_unit:
            return Place(None, [], top)
        administrative = [n for n in top if n["tree"] == "administrative"] or top
        if not administrative:  # a district whose tree is not there yet
            return Place(None, [], [])
        unit = UUID(administrative[0]["id"])
    trail, children = await asyncio.gather(
        api.get(f"{NODES}/{unit}/ancestors"), api.get(NODES, parentId=str(unit), limit=CHOICES)
    )
    return Place(trail[-1], trail, children["items"])
