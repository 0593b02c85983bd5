"""The reports the console draws: the network roll-up of a unit and each unit under it, coverage split into members
below and over the range, members without a post named with their grid, and the guidance month's bounds."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from tests.orgtree.builders import Api, build_slice
from tests.orgtree.conftest import District, bearer
from tests.platform.tokens import TestIssuer

CHAIN = ("stationedCadres", "villageCadres", "redCollarLeaders", "members", "households")


def figures(line: dict[str, object]) -> list[object]:
    return [line[k] for k in CHAIN]


async def test_network_breakdown_gives_the_unit_and_each_unit_under_it(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    stationed, village_cadre = await s.member(200, grid=None), await s.member(201, grid=None)
    leader = await s.member(202)
    await s.member(203, grid=s.grid2)
    await s.member(204, grid=s.far_grid)
    for label in ("一户", "二户", "三户"):
        await s.household(label)
    await s.household("永中户", grid=s.far_grid)
    await s.admin.post(
        "/cadre-postings", {"kind": "stationed", "memberId": stationed["id"], "villageId": s.village2["id"]}
    )
    await s.admin.post(
        "/cadre-postings",
        {"kind": "village", "memberId": village_cadre["id"], "villageId": s.village["id"], "role": "secretary"},
    )
    await s.admin.call("PUT", f"/grids/{s.grid['id']}/leader", 200, json={"memberId": leader["id"]})

    breakdown = await s.admin.get(f"/reports/network/{s.street['id']}/children")
    assert (breakdown["unit"]["nodeId"], breakdown["unit"]["name"]) == (s.street["id"], "瑶溪街道")
    assert figures(breakdown["unit"]) == [1, 1, 1, 2, 3]
    assert figures(breakdown["unit"]) == figures(await s.admin.get(f"/reports/network/{s.street['id']}"))
    lines = {line["name"]: (line["level"], figures(line)) for line in breakdown["children"]}
    assert lines == {"上河村": ("village", [0, 1, 1, 2, 3]), "下河村": ("village", [1, 0, 0, 0, 0])}
    assert breakdown["moreChildren"] is False

    district = await s.admin.get(f"/reports/network/{s.root['id']}/children")
    streets = {line["name"]: figures(line) for line in district["children"]}
    assert streets["永中街道"] == [0, 0, 0, 1, 1]
    assert figures(district["unit"]) == [1, 1, 1, 3, 4]
    grid = await s.admin.get(f"/reports/network/{s.grid['id']}/children")
    assert grid["children"] == []

    # a street admin sees its own street's breakdown; another street, another district: not found
    ours = Api(client, bearer(issuer, district_a.id, ["street_admin"], scope=s.street["path"]))
    assert figures((await ours.get(f"/reports/network/{s.street['id']}/children"))["unit"]) == [1, 1, 1, 2, 3]
    await ours.get(f"/reports/network/{s.other_street['id']}/children", expect=404)
    await ours.get(f"/reports/network/{s.root['id']}/children", expect=404)
    b = Api(client, bearer(issuer, district_b.id, ["district_admin"]))
    await b.get(f"/reports/network/{s.street['id']}/children", expect=404)
    member = Api(client, bearer(issuer, district_a.id, ["member"]))
    await member.get(f"/reports/network/{s.street['id']}/children", expect=403)


async def test_coverage_tells_members_below_from_members_over_the_range(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    await s.admin.call("PATCH", "/settings", 200, json={"householdLinksMin": 1, "householdLinksMax": 3})
    busy, idle, fine = await s.member(210), await s.member(211), await s.member(212)
    households = [await s.household(f"覆盖{i}") for i in range(5)]
    for household in households[:3]:
        await s.admin.post(f"/members/{busy['id']}/households", {"householdId": household["id"]})
    await s.admin.post(f"/members/{fine['id']}/households", {"householdId": households[3]["id"]})
    await s.admin.call("PATCH", "/settings", 200, json={"householdLinksMin": 1, "householdLinksMax": 2})

    coverage = await s.admin.get("/reports/red-cell-coverage", within=s.street["id"])
    assert (coverage["members"], coverage["membersBelowRange"], coverage["membersOverRange"]) == (3, 1, 1)
    assert coverage["membersOutsideRange"] == 2
    assert [(m["memberId"], m["households"]) for m in coverage["outsideRange"]] == [(idle["id"], 0), (busy["id"], 3)]
    assert (coverage["households"], coverage["unservedHouseholds"], coverage["coveragePercent"]) == (5, 1, 80.0)


async def test_unposted_members_carry_their_grids_name(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    in_grid = await s.member(220, flags=["without_office"])
    no_grid = await s.member(221, grid=None, flags=["without_office"])
    await s.member(222, flags=["without_office"], postCode="dispute_mediator", postMethod="branch_nomination")
    listed = await s.admin.get("/reports/unposted-members", within=s.committee["id"])  # by branch: both
    assert [(m["memberId"], m["gridId"], m["gridName"]) for m in listed] == [
        (in_grid["id"], s.grid["id"], "上河一组网格"),
        (no_grid["id"], None, None),
    ]
    not_a_number = await s.admin.get("/reports/unposted-members", limit="many", expect=422)
    assert [e["field"] for e in not_a_number["errors"]] == ["query.limit"]


async def test_a_guidance_month_outside_the_calendar_is_a_422_naming_the_month(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    admin = Api(client, bearer(issuer, district_a.id, ["district_admin"]))
    for month in ("0000-01", "9999-12", "1999-12", "2101-01"):
        refused = await admin.get("/reports/guidance", month=month, expect=422)
        assert [e["field"] for e in refused["errors"]] == ["query.month"], month
        assert "2000-01 to 2100-12" in refused["errors"][0]["message"]
    for month in ("2000-01", "2100-12"):
        assert (await admin.get("/reports/guidance", month=month))["month"] == month
