"""The households a member serves, as the member's page shows them (``redcells/served.html``): the district's
range beside the count, and the households of the member's grid that could be linked next."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from services.console.api import Api

CANDIDATES_SHOWN = 200


@dataclass
class Served:
    households: list[dict[str, Any]]
    low: int  # the district's range of households a member serves
    high: int
    candidates: list[dict[str, Any]] = field(default_factory=list)  # the grid's households not served yet
    grid_id: str | None = None

    @property
    def options(self) -> list[dict[str, str]]:
        """The candidates as a select's options: the label, with the masked head when there is one."""
        return [{"id": h["id"], "name": " · ".join(filter(None, (h["label"], h["headName"])))} for h in self.candidates]

    @property
    def count(self) -> int:
        return len(self.households)

    @property
    def full(self) -> bool:
        return self.count >= self.high

    @property
    def below(self) -> bool:
        return self.count < self.low


async def served_panel(api: Api, member: dict[str, Any]) -> Served:
    households, settings = await asyncio.gather(
        api.get(f"/api/orgtree/members/{member['id']}/households"), api.get("/api/orgtree/settings")
    )
    served = Served(households, settings["householdLinksMin"], settings["householdLinksMax"], grid_id=member["gridId"])
    if member["gridId"]:
        grid = await api.get("/api/orgtree/households", within=member["gridId"], limit=CANDIDATES_SHOWN)
        mine = {h["id"] for h in households}
        served.candidates = [h for h in grid["items"] if h["id"] not in mine]
    return served
