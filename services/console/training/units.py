"""The units an organiser chooses from (a session's organising unit, the unit of a below-target list): the top of
their scope in orgtree (a district admin's two roots, a street admin's street, a cadre's community) and the units
right under it, as orgtree answers with the organiser's own token."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from services.console.api import Api, ApiError
from services.console.i18n import N_

TREES = {"administrative": N_("Administrative units"), "party": N_("Party organisations")}
LIMIT = 200


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    path: str
    tree: str
    depth: int  # 0: the top of the organiser's scope, 1: right under it

    @classmethod
    def of(cls, node: dict[str, Any], depth: int) -> Unit:
        return cls(str(node["id"]), str(node["name"]), str(node["path"]), str(node["tree"]), depth)


async def units(api: Api) -> dict[str, list[Unit]]:
    """By tree (administrative, then party): each top of the organiser's scope followed by its children."""
    tops = (await api.get("/api/orgtree/nodes", limit=50))["items"]
    children = await asyncio.gather(*(api.get("/api/orgtree/nodes", parentId=top["id"], limit=LIMIT) for top in tops))
    found: dict[str, list[Unit]] = {tree: [] for tree in TREES}
    for top, under in zip(tops, children, strict=True):
        found.setdefault(top["tree"], []).append(Unit.of(top, 0))
        found[top["tree"]].extend(Unit.of(node, 1) for node in under["items"])
    return {tree: listed for tree, listed in found.items() if listed}


async def unit(api: Api, unit_id: str) -> dict[str, Any] | None:
    """One unit the organiser may see, or None (not a unit id, or another district's)."""
    try:
        node: dict[str, Any] = await api.get(f"/api/orgtree/nodes/{unit_id}")
    except ApiError as refused:
        if refused.status in (404, 422):
            return None
        raise
    return node
