"""A user's scope as the org tree names it: streets (the administrative root's children) and their communities.

The gateway keeps a scope as an org-tree path only; the names come from orgtree with the administrator's token.
"""

from __future__ import annotations

from typing import Any

from services.console.api import Api

NODES = "/api/orgtree/nodes"


async def streets(api: Api) -> list[dict[str, Any]]:
    roots = [n for n in (await api.get(NODES))["items"] if n["tree"] == "administrative"]
    if not roots:
        return []
    found: list[dict[str, Any]] = (await api.get(NODES, parentId=roots[0]["id"], limit=500))["items"]
    return found


async def communities(api: Api, street_path: str, known: list[dict[str, Any]]) -> list[dict[str, Any]]:
    street = next((s for s in known if s["path"] == street_path), None)
    if street is None:
        return []
    found: list[dict[str, Any]] = (await api.get(NODES, parentId=street["id"], limit=500))["items"]
    return found


class ScopeNames:
    """Paths to names for one page: the streets once, each street's communities when a scope lies below it."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.known: list[dict[str, Any]] | None = None
        self.below: dict[str, list[dict[str, Any]]] = {}

    async def name(self, path: str | None) -> str | None:
        """``None`` for the whole district; ``street / community`` below a street."""
        if not path:
            return None
        if self.known is None:
            self.known = await streets(self.api)
        street = next((s for s in self.known if path.startswith(s["path"])), None)
        if street is None:
            return path
        if street["path"] == path:
            return str(street["name"])
        if street["path"] not in self.below:
            self.below[street["path"]] = await communities(self.api, street["path"], self.known)
        unit = next((c for c in self.below[street["path"]] if path.startswith(c["path"])), None)
        return f"{street['name']} / {unit['name']}{'' if unit['path'] == path else ' / …'}" if unit else street["name"]
