"""Choosing units in the forms: the grids and the party units (those holding membership) found by name.

Which levels are grids and which party levels hold members is the district's own level schema, read from
orgtree; the options are the units the user's scope lets orgtree find."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from services.console.api import Api, ApiError

NODES = "/api/orgtree/nodes"
SEARCH_LIMIT = 50


@dataclass
class UnitChoices:
    """Options for a grid select and a party-unit select: ``[{id, name}]`` as ``calls/fields.html``'s select
    takes them, the name followed by its level."""

    grids: list[dict[str, str]] = field(default_factory=list)
    branches: list[dict[str, str]] = field(default_factory=list)
    searched: bool = False


def option(node: dict[str, Any], labels: dict[str, str]) -> dict[str, str]:
    level = labels.get(node["level"], node["level"])
    return {"id": node["id"], "name": f"{node['name']}（{level}）"}


async def level_kinds(api: Api) -> tuple[dict[str, str], set[str], set[str]]:
    """Level labels of both trees, the grid levels and the party levels that hold membership."""
    administrative, party = await asyncio.gather(
        api.get("/api/orgtree/levels/administrative"), api.get("/api/orgtree/levels/party")
    )
    levels = [*administrative["levels"], *party["levels"]]
    labels = {level["code"]: level["label"] for level in levels}
    grids = {level["code"] for level in administrative["levels"] if level.get("isGrid")}
    branches = {level["code"] for level in party["levels"] if level.get("holdsMembers")}
    return labels, grids, branches


async def node_or_none(api: Api, node_id: str | None) -> dict[str, Any] | None:
    """A unit the user may see, or None (none given, malformed, or outside the user's scope)."""
    if not node_id:
        return None
    try:
        found: dict[str, Any] = await api.get(f"{NODES}/{node_id}")
    except ApiError as error:
        if error.status in (404, 422):
            return None
        raise
    return found


async def unit_choices(api: Api, q: str, *known: str | None) -> UnitChoices:
    """Grids and party units whose name contains ``q``, with the units already chosen (``known`` ids) kept."""
    labels, grid_levels, branch_levels = await level_kinds(api)
    found: list[dict[str, Any]] = []
    if q.strip():
        found = await api.get(f"{NODES}/search", q=q.strip(), limit=SEARCH_LIMIT)
    ids = {node["id"] for node in found}
    for node_id in known:
        if node_id and node_id not in ids:
            node = await node_or_none(api, node_id)
            if node is not None:
                found.insert(0, node)
                ids.add(node["id"])
    choices = UnitChoices(searched=bool(q.strip()))
    for node in found:
        if node["tree"] == "administrative" and node["level"] in grid_levels:
            choices.grids.append(option(node, labels))
        elif node["tree"] == "party" and node["level"] in branch_levels:
            choices.branches.append(option(node, labels))
    return choices


async def unit_names(api: Api, ids: set[str]) -> dict[str, str]:
    """Names of units by id; a unit outside the user's scope (a street's organ branch) is left out."""
    nodes = await asyncio.gather(*(node_or_none(api, node_id) for node_id in sorted(ids)))
    return {node["id"]: node["name"] for node in nodes if node is not None}
