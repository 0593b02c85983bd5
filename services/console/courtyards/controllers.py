"""四和院 (``/console/courtyards``): Ouhai's Four-Harmony Courtyards [004], each a member household carrying its plaque
and the 5–10 households it links (orgtree's groupings of kind ``four_harmony_courtyard``), listed by village with a
page per courtyard. The cadres' contacts of two a month (ORG-09) are 统计报表's 联系指导
(``/console/reports/guidance``)."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Template

from services.console.api import Api, ApiError
from services.console.i18n import N_
from services.console.web import AnyRequest, NavEntry, page, signed_in

HOME = "/console/courtyards"
GROUPINGS = "/api/orgtree/groupings"
COURTYARD = "four_harmony_courtyard"
READERS = ("district_admin", "street_admin", "community_cadre")
NAV = [
    NavEntry(f"{HOME}/", N_("Four-Harmony Courtyards"), READERS),
]


async def names(api: Api, path: str, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Each of ``ids`` as ``path/<id>`` answers it (one call each, together); one gone from view is left out."""

    async def one(item: str) -> dict[str, Any] | None:
        try:
            found: dict[str, Any] = await api.get(f"{path}/{item}")
        except ApiError as error:
            if error.status != 404:
                raise
            return None
        return found

    found = await asyncio.gather(*(one(i) for i in ids))
    return {i: row for i, row in zip(ids, found, strict=True) if row is not None}


class CourtyardPagesController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*READERS)

    @get("/")
    async def courtyards(
        self, request: AnyRequest, api: NamedDependency[Api], village: Annotated[UUID | None, QueryParameter()] = None
    ) -> Template:
        everything = await api.get(GROUPINGS, kind=COURTYARD)
        villages = await names(api, "/api/orgtree/nodes", sorted({c["anchorId"] for c in everything}))
        shown = [c for c in everything if village is None or c["anchorId"] == str(village)]
        shown.sort(key=lambda c: (villages.get(c["anchorId"], {}).get("name", ""), c["name"]))
        return page(
            request,
            "courtyards/courtyards.html",
            courtyards=shown,
            total=len(everything),
            villages=villages,
            village_options=sorted(
                ({"id": k, "name": v["name"]} for k, v in villages.items()), key=lambda o: str(o["name"])
            ),
            village=str(village) if village else "",
        )

    @get("/{courtyard_id:uuid}")
    async def courtyard(self, request: AnyRequest, api: NamedDependency[Api], courtyard_id: FromPath[UUID]) -> Template:
        courtyard = await api.get(f"{GROUPINGS}/{courtyard_id}")
        hub = courtyard.get("hubHouseholdId")
        linked = [h for h in courtyard["householdIds"] if h != hub]
        households = await names(api, "/api/orgtree/households", ([hub] if hub else []) + linked)
        members = await names(api, "/api/orgtree/members", courtyard["memberIds"])
        village = await names(api, "/api/orgtree/nodes", [courtyard["anchorId"]])
        return page(
            request,
            "courtyards/courtyard.html",
            courtyard=courtyard,
            village=village.get(courtyard["anchorId"]),
            hub=households.get(hub) if hub else None,
            linked=[households[h] for h in linked if h in households],
            members=[members[m] for m in courtyard["memberIds"] if m in members],
            contact=members.get(courtyard.get("contactMemberId") or ""),
        )


CONTROLLERS = [CourtyardPagesController]
