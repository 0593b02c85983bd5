"""Staffing quotas (ORG-20): the district's rules per level, staff recorded on units, and the compliance report
(required against the staff serving today, the units below quota first; also as .xlsx), within the caller's
scope and district only."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from litestar.testing import AsyncTestClient
from openpyxl import load_workbook

from shared.clock import china_today
from tests.orgtree.builders import Api, Slice, build_slice
from tests.orgtree.conftest import District, bearer
from tests.platform.tokens import TestIssuer

TODAY = china_today()


async def staff(s: Slice, unit: dict[str, Any], serial: int, role: str, **extra: Any) -> dict[str, Any]:
    member = await s.member(serial)
    body = {"memberId": member["id"], "role": role, "since": "2025-01-01", **extra}
    created: dict[str, Any] = await s.admin.post(f"/nodes/{unit['id']}/staff", body)
    return created


def rows_of(report: dict[str, Any]) -> list[tuple[str, str, int, int, bool]]:
    return [(r["unitName"], r["role"], r["required"], r["actual"], r["met"]) for r in report["rows"]]


async def test_compliance_counts_the_staff_serving_today_and_lists_units_below_quota_first(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    community = await s.admin.unit(s.street, "community", "瑶溪社区")
    for serial in (1, 2, 3):
        await staff(s, s.street, serial, "full_time_worker")
    await staff(s, s.street, 4, "full_time_worker", since="2024-01-01", until=(TODAY - timedelta(days=1)).isoformat())
    await staff(s, community, 5, "reserve_cadre")
    await staff(s, community, 6, "reserve_cadre")

    report = await s.admin.get("/staffing/compliance")
    assert rows_of(report) == [  # below quota first, the largest shortfall first
        ("永中街道", "full_time_worker", 4, 0, False),
        ("永中社区", "reserve_cadre", 2, 0, False),
        ("瑶溪街道", "full_time_worker", 4, 3, False),  # the fourth left yesterday
        ("瑶溪社区", "reserve_cadre", 2, 2, True),
    ]
    assert (report["unitsBelow"], report["unitsMet"]) == (3, 1)
    assert report["rows"][2]["shortBy"] == 1
    assert report["rows"][2]["levelLabel"] == "街道"

    fourth = await staff(s, s.street, 7, "full_time_worker")
    assert fourth["current"] is True
    within = await s.admin.get("/staffing/compliance", within=s.street["id"])
    assert rows_of(within) == [("瑶溪街道", "full_time_worker", 4, 4, True), ("瑶溪社区", "reserve_cadre", 2, 2, True)]

    ended = await s.admin.call("PATCH", f"/staff/{fourth['id']}", 200, json={"until": TODAY.isoformat()})
    assert ended["current"] is True  # serves to the end of the day
    listed = await s.admin.get(f"/nodes/{s.street['id']}/staff")
    assert [m["current"] for m in listed].count(True) == 4
    assert len(listed) == 5


async def test_the_compliance_report_downloads_as_a_workbook(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    await staff(s, s.street, 11, "full_time_worker")
    response = await client.get(
        "/api/orgtree/staffing/compliance.xlsx", params={"within": s.street["id"]}, headers=s.admin.headers
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values == [
        ["单位", "层级", "人员类别", "应配", "实配", "缺额", "是否达标"],
        ["瑶溪街道", "街道", "专职党务工作者", 4, 1, 3, "未达标"],
    ]


async def test_the_district_admin_sets_the_rules_and_bad_rules_are_refused_naming_the_field(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    assert (await s.admin.get("/staffing/quotas"))["isDefault"] is True

    async def refused(rule: dict[str, Any]) -> list[str]:
        problem = await s.admin.call("PUT", "/staffing/quotas", 422, json={"rules": [rule]})
        return [e["field"] for e in problem["errors"]]

    assert await refused({"level": "street", "role": "full_time_worker", "minimum": -1}) == ["body.rules[0].minimum"]
    assert await refused({"level": "street", "role": "full_time_worker", "minimum": "4"}) == ["body.rules[0].minimum"]
    assert await refused({"level": "planet", "role": "full_time_worker", "minimum": 4}) == ["body.rules[0].level"]
    assert await refused({"level": "street", "role": "mascot", "minimum": 4}) == ["body.rules[0].role"]
    assert (await s.admin.get("/staffing/quotas"))["isDefault"] is True  # nothing stored

    street_admin = Api(client, bearer(issuer, district_a.id, ["street_admin"], scope=s.street["path"]))
    rules = {"rules": [{"level": "street", "role": "full_time_worker", "minimum": 6}]}
    await street_admin.call("PUT", "/staffing/quotas", 403, json=rules)
    stored = await s.admin.call("PUT", "/staffing/quotas", 200, json=rules)
    assert stored == {"rules": rules["rules"], "isDefault": False}
    report = await street_admin.get("/staffing/compliance")
    assert rows_of(report) == [("瑶溪街道", "full_time_worker", 6, 0, False)]  # communities: no rule now


async def test_bad_staff_records_are_refused_and_other_districts_and_streets_are_404(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    other = await build_slice(client, issuer, district_b)
    member = await s.member(21)
    path = f"/nodes/{s.street['id']}/staff"

    async def field_of(body: dict[str, Any], unit_path: str = path) -> list[str]:
        problem = await s.admin.post(unit_path, {"memberId": member["id"], "since": "2025-01-01", **body}, 422)
        return [e["field"] for e in problem["errors"]]

    assert await field_of({"role": "mascot"}) == ["body.role"]
    assert await field_of({"role": "reserve_cadre", "since": (TODAY + timedelta(days=1)).isoformat()}) == ["body.since"]
    assert await field_of({"role": "reserve_cadre", "until": "2024-12-31"}) == ["body.until"]
    assert await field_of({"role": "reserve_cadre", "since": 20250101}) == ["body.since"]
    assert await field_of({"role": "reserve_cadre"}, f"/nodes/{s.committee['id']}/staff") == ["path.nodeId"]
    assert await s.admin.get(path) == []

    foreign_member = await other.member(22)
    body = {"memberId": foreign_member["id"], "role": "reserve_cadre", "since": "2025-01-01"}
    await s.admin.post(path, body, 404)
    await s.admin.post(f"/nodes/{other.street['id']}/staff", {**body, "memberId": member["id"]}, 404)
    await s.admin.get("/staffing/compliance", 404, within=other.street["id"])

    street_admin = Api(client, bearer(issuer, district_a.id, ["street_admin"], scope=s.street["path"]))
    await street_admin.post(f"/nodes/{s.other_street['id']}/staff", {**body, "memberId": member["id"]}, 404)
    await street_admin.get("/staffing/compliance", 404, within=s.other_street["id"])
    recorded = await street_admin.post(path, {**body, "memberId": member["id"]})
    await s.admin.post(path, {**body, "memberId": member["id"]}, 409)
    outsider = Api(client, bearer(issuer, district_a.id, ["street_admin"], scope=s.other_street["path"]))
    await outsider.call("PATCH", f"/staff/{recorded['id']}", 404, json={"until": TODAY.isoformat()})
