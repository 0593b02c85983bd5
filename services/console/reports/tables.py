"""The four reports over the organisation tree, each read from orgtree's API as the user and laid out as tables:
the Yaoxi network roll-up (ORG-12), red-cell coverage (ORG-08), guidance below the monthly minimum (ORG-09) and
members without a post (ORG-14)."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from services.console.api import Api
from services.console.i18n import N_
from services.console.reports.figures import Line, Say, Table
from services.console.reports.place import Place

REPORTS = "/api/orgtree/reports"
COVERAGE_UNITS = 40  # units under the chosen one whose coverage is read (one API call each)
UNPOSTED_LISTED = 1000  # the API's largest page

CHAIN = (
    ("stationedCadres", N_("Stationed cadres")),
    ("villageCadres", N_("Village cadres")),
    ("redCollarLeaders", N_("Red-collar leaders")),
    ("members", N_("Members")),
    ("households", N_("Households")),
)


@dataclass(frozen=True)
class Choice:
    """What the user chose: the unit (and its place in the tree) and, for the guidance report, the month."""

    place: Place
    month: str
    address: Callable[[str], str]  # this report's page for another unit, the other choices kept


Builder = Callable[[Api, Say, Choice], Awaitable[list[Table]]]


def in_all(say: Say, name: str) -> str:
    return say(N_("%(unit)s in all")) % {"unit": name}


async def network(api: Api, say: Say, choice: Choice) -> list[Table]:
    found = await api.get(f"{REPORTS}/network/{choice.place.unit_id}/children")

    def line(item: dict[str, Any], link: str | None = None) -> Line:
        return Line(item["name"], tuple(item[key] for key, _ in CHAIN), link)

    table = Table(
        title=say(N_("Yaoxi network of %(unit)s")) % {"unit": found["unit"]["name"]},
        headers=(say(N_("Unit")), *(say(label) for _, label in CHAIN)),
        lines=[line(child, choice.address(child["nodeId"])) for child in found["children"]],
        total=line({**found["unit"], "name": in_all(say, found["unit"]["name"])}),
        charted=tuple(range(len(CHAIN))),
        note=say(N_("Only the first units under it are listed.")) if found["moreChildren"] else "",
    )
    return [table]


def _rate(item: dict[str, Any]) -> float | None:
    return float(item["coveragePercent"]) if item["households"] else None


async def coverage(api: Api, say: Say, choice: Choice) -> list[Table]:
    """The unit's coverage and that of each unit under it, then the unit's members outside the range."""
    unit, children = choice.place.unit or {}, choice.place.below[:COVERAGE_UNITS]
    found = await asyncio.gather(
        *(api.get(f"{REPORTS}/red-cell-coverage", within=node["id"]) for node in [unit, *children])
    )
    whole, parts = found[0], found[1:]

    def line(name: str, item: dict[str, Any], link: str | None = None) -> Line:
        cells = (item["households"], item["unservedHouseholds"], _rate(item), item["members"])
        return Line(name, (*cells, item["membersBelowRange"], item["membersOverRange"]), link)

    span = {"low": whole["linksMin"], "high": whole["linksMax"]}
    units = Table(
        title=say(N_("Red-cell coverage of %(unit)s")) % {"unit": unit.get("name", "")},
        headers=(
            say(N_("Unit")),
            say(N_("Households")),
            say(N_("Households not served")),
            say(N_("Coverage (%)")),
            say(N_("Members")),
            say(N_("Members below the range")),
            say(N_("Members over the range")),
        ),
        lines=[line(n["name"], item, choice.address(n["id"])) for n, item in zip(children, parts, strict=True)],
        total=line(in_all(say, unit.get("name", "")), whole),
        charted=(1, 4, 5),
        note=say(N_("Each member serves %(low)d to %(high)d households.")) % span
        + ("" if len(choice.place.below) <= COVERAGE_UNITS else say(N_("Only the first units under it are listed."))),
    )
    below, over = say(N_("Below the range")), say(N_("Over the range"))
    members = Table(
        title=say(N_("Members outside the range")),
        headers=(say(N_("Member")), say(N_("Households served")), say(N_("Outside the range"))),
        lines=[
            Line(m["name"], (m["households"], below if m["households"] < whole["linksMin"] else over))
            for m in whole["outsideRange"]
        ],
        note=say(N_("The first %(shown)d of %(total)d are listed."))
        % {"shown": len(whole["outsideRange"]), "total": whole["membersOutsideRange"]}
        if len(whole["outsideRange"]) < whole["membersOutsideRange"]
        else "",
    )
    return [units, members]


async def guidance(api: Api, say: Say, choice: Choice) -> list[Table]:
    found = await api.get(f"{REPORTS}/guidance", month=choice.month, within=choice.place.unit_id)
    yes, no = say(N_("Yes")), say(N_("No"))
    rules = {"low": found["guidedMin"], "high": found["guidedMax"], "times": found["contactsRequired"]}
    table = Table(
        title=say(N_("Cadres below the guidance minimum, %(month)s")) % {"month": found["month"]},
        headers=(
            say(N_("Cadre")),
            say(N_("Members guided")),
            say(N_("Members contacted too seldom")),
            say(N_("Guides too few or too many")),
        ),
        lines=[
            Line(c["name"], (c["guidedMembers"], c["linksBelowMinimum"], yes if c["outsideRange"] else no))
            for c in found["cadresBelowMinimum"]
        ],
        charted=(0, 1),
        note=say(
            N_("Each cadre guides %(low)d to %(high)d members and contacts each at least %(times)d times a month.")
        )
        % rules,
    )
    return [table]


async def unposted(api: Api, say: Say, choice: Choice) -> list[Table]:
    found = await api.get(f"{REPORTS}/unposted-members", within=choice.place.unit_id, limit=UNPOSTED_LISTED)
    no_grid = say(N_("Not in a grid"))
    per_grid = Counter(m["gridName"] or no_grid for m in found)
    cut = say(N_("Only the first %(shown)d are listed.")) % {"shown": UNPOSTED_LISTED}
    grids = Table(
        title=say(N_("Members without a post, per grid")),
        headers=(say(N_("Grid")), say(N_("Members without a post"))),
        lines=[Line(name, (n,)) for name, n in sorted(per_grid.items(), key=lambda kv: (-kv[1], kv[0]))],
        total=Line(say(N_("All grids")), (len(found),)),
        charted=(0,),
        note=cut if len(found) == UNPOSTED_LISTED else "",
    )
    people = Table(
        title=say(N_("Members without a post")),
        headers=(say(N_("Member")), say(N_("Grid"))),
        lines=[Line(m["name"], (m["gridName"] or no_grid,)) for m in found],
        note=grids.note,
    )
    return [grids, people]
