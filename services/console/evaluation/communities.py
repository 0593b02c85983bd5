"""The communities (and villages) an organiser may open an evaluation for: the administrative units of their scope
down to the community level, as orgtree answers with the organiser's own token (a district admin's streets and
their communities, a street admin's communities, a cadre's own community)."""

from __future__ import annotations

import asyncio
from typing import Any

from services.console.api import Api

COMMUNITY_LEVELS = ("community", "village")
LIMIT = 200


async def _children(api: Api, nodes: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    found = await asyncio.gather(*(api.get("/api/orgtree/nodes", parentId=n["id"], limit=LIMIT) for n in nodes))
    return [answer["items"] for answer in found]


async def communities(api: Api) -> list[dict[str, Any]]:
    """{id, name, path, street} of each community under the caller's scope, street by street (three levels)."""
    level = [n for n in (await api.get("/api/orgtree/nodes", limit=50))["items"] if n["tree"] == "administrative"]
    found: list[dict[str, Any]] = []
    parents: dict[str, str] = {}
    for _ in range(3):
        if not level:
            break
        found += [
            {"id": n["id"], "name": n["name"], "path": n["path"], "street": parents.get(n["id"], "")}
            for n in level
            if n["level"] in COMMUNITY_LEVELS
        ]
        above = [n for n in level if n["level"] not in COMMUNITY_LEVELS]
        below = await _children(api, above)
        parents = {child["id"]: parent["name"] for parent, kids in zip(above, below, strict=True) for child in kids}
        level = [child for kids in below for child in kids]
    return found
