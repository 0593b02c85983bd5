"""统计报表 in a real browser: the Yaoxi network roll-up, red-cell coverage, guidance and members without a post of a
Yaoxi-like street made through orgtree's API, each as a chart drawn by the vendored ECharts and a table of the same
figures, and each downloaded as .xlsx that openpyxl reads back. A street admin sees its own street only; another
district's unit is the 404 page; a month outside the calendar is refused beside the field."""

from __future__ import annotations

import io
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from shared.clock import china_today
from tests.console.support import signed_in_client
from tests.console.test_browser import sign_in
from tests.platform.browser import axe_violations, screenshot
from tests.platform.platform import RunningPlatform, auth, new_user

ORGTREE = "/api/orgtree"


@dataclass
class Yaoxi:
    """One street (a village with two grids, a community with one) beside another street, with what each holds."""

    root: dict[str, Any]  # the district's administrative root
    street: dict[str, Any]
    village: dict[str, Any]
    community: dict[str, Any]
    other: dict[str, Any]
    links_min: int  # the district's range: the served member links exactly this many households
    month: str  # when the guided member was contacted, YYYY-MM
    cadres: dict[str, str]  # guiding cadre name -> guided member name (B guides one, D two)
    unposted: list[str]  # members without a post in the street, by grid
    elsewhere: str  # a member without a post in the other street


class Builder:
    def __init__(self, platform: RunningPlatform) -> None:
        self.gateway = platform.gateway
        self.headers = auth(platform.a.token)

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        answer = httpx.request(method, f"{self.gateway}{ORGTREE}{path}", json=body, headers=self.headers)
        assert answer.status_code in {200, 201}, (path, answer.text)
        return answer.json()

    def unit(self, parent: dict[str, Any], level: str, name: str, **extra: Any) -> dict[str, Any]:
        found: dict[str, Any] = self.call(
            "POST", "/nodes", {"parentId": parent["id"], "level": level, "name": name, **extra}
        )
        return found

    def member(self, name: str, branch: dict[str, Any], grid: dict[str, Any] | None, **extra: Any) -> dict[str, Any]:
        body = {"name": name, "branchId": branch["id"], "gridId": grid["id"] if grid else None, **extra}
        found: dict[str, Any] = self.call("POST", "/members", body)
        return found

    def households(self, grid: dict[str, Any], count: int, tag: str) -> list[dict[str, Any]]:
        return [self.call("POST", "/households", {"gridId": grid["id"], "label": f"{tag}{i}号"}) for i in range(count)]


@pytest.fixture(scope="module")
def yaoxi(platform: RunningPlatform) -> Yaoxi:
    api, tag = Builder(platform), uuid.uuid4().hex[:4]
    roots = {n["tree"]: n for n in api.call("GET", "/nodes")["items"]}
    links_min = api.call("GET", "/settings")["householdLinksMin"]
    street = api.unit(roots["administrative"], "street", f"瑶溪街道{tag}")
    village, community = api.unit(street, "village", f"河头村{tag}"), api.unit(street, "community", f"皇岙社区{tag}")
    grid1, grid2 = api.unit(village, "grid", f"河头一网格{tag}"), api.unit(village, "grid", f"河头二网格{tag}")
    grid3 = api.unit(community, "grid", f"皇岙一网格{tag}")
    other = api.unit(roots["administrative"], "street", f"永中街道{tag}")
    grid4 = api.unit(api.unit(other, "community", f"永中社区{tag}"), "grid", f"永中一网格{tag}")
    committee = api.unit(roots["party"], "street_working_committee", f"瑶溪街道{tag}党工委")
    branch = api.unit(committee, "branch", f"河头村{tag}党支部", linkedNodeId=village["id"])

    def member(name: str, grid: dict[str, Any] | None, **extra: Any) -> dict[str, Any]:
        return api.member(f"{name}{tag}", branch, grid, **extra)

    # the village: 6 members in its grids, 8 households; the community: 2 members, 3 households
    a, b, c = member("甲红领", grid1), member("乙干部", grid1), member("丙党员", grid1)
    u1, u2 = member("丁无职", grid1, flags=["without_office"]), member("戊无职", grid1, flags=["without_office"])
    e = member("己党员", grid2)
    d, u3 = member("庚红领", grid3), member("辛无职", grid3, flags=["without_office"])
    u4 = member("壬无职", grid4, flags=["without_office"])
    member("癸党员", grid4)
    stationed, secretary, director = member("驻村干部", None), member("村书记", None), member("社区主任", None)
    api.call("POST", "/cadre-postings", {"kind": "stationed", "memberId": stationed["id"], "villageId": village["id"]})
    api.call(
        "POST",
        "/cadre-postings",
        {"kind": "village", "memberId": secretary["id"], "villageId": village["id"], "role": "secretary"},
    )
    api.call("POST", "/cadre-postings", {"kind": "village", "memberId": director["id"], "villageId": community["id"]})
    api.call("PUT", f"/grids/{grid1['id']}/leader", {"memberId": a["id"]})
    api.call("PUT", f"/grids/{grid3['id']}/leader", {"memberId": d["id"]})
    served = api.households(grid1, links_min + 1, "河头一组")
    api.households(grid2, 2, "河头二组")
    api.households(grid3, 3, "皇岙")
    api.households(grid4, 1, "永中")
    for household in served[:links_min]:  # a serves exactly the district's minimum; the other members none
        api.call("POST", f"/members/{a['id']}/households", {"householdId": household["id"]})
    today = china_today().isoformat()  # orgtree judges "in the future" by China's day
    once = api.call("POST", "/guidance-links", {"cadreId": b["id"], "memberId": c["id"]})
    api.call("POST", f"/guidance-links/{once['id']}/contacts", {"contactedOn": today, "channel": "visit"})
    for guided in (e, u3):
        api.call("POST", "/guidance-links", {"cadreId": d["id"], "memberId": guided["id"]})
    return Yaoxi(
        roots["administrative"],
        street,
        village,
        community,
        other,
        links_min,
        today[:7],
        {b["name"]: c["name"], d["name"]: e["name"]},
        [u1["name"], u2["name"], u3["name"]],
        u4["name"],
    )


async def table_rows(page: Any, table: str = "#report-table") -> list[list[str]]:
    """The table's lines as the user reads them, the total last: the row's name, then its figures."""
    rows = page.locator(f"{table} tbody tr, {table} tfoot tr")
    return [[cell.strip() for cell in await row.locator("th, td").all_inner_texts()] for row in await rows.all()]


async def chart_drawn(page: Any) -> list[list[Any]]:
    """Waits until ECharts has drawn the chart on its canvas; returns the figures of each series it draws."""
    await page.locator("#report-chart[data-drawn=true] canvas").wait_for()
    drawn: list[list[Any]] = await page.evaluate(
        """() => {
            const holder = document.getElementById("report-chart");
            const canvas = holder.querySelector("canvas");
            const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
            let inked = 0;
            for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) inked++;
            if (inked < 500) return null;  // a blank canvas
            return echarts.getInstanceByDom(holder).getOption().series.map(s => s.data);
        }"""
    )
    return drawn


def series(rows: list[list[str]], cells: Any) -> list[list[int]]:
    """What the chart should draw: for each charted column, the figures of the table's lines in their order."""
    return [[int(row[i]) for row in rows] for i in cells]


async def download(page: Any) -> list[list[list[Any]]]:
    """Clicks the page's download link; every sheet of the workbook as rows of values."""
    async with page.expect_download() as info:
        await page.get_by_role("link", name="下载 Excel（.xlsx）").click()
    got = await info.value
    assert got.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(Path(await got.path()).read_bytes()), read_only=True)
    return [[list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets]


async def test_the_four_reports_draw_a_chart_list_the_figures_and_download_them(
    platform: RunningPlatform, yaoxi: Yaoxi, new_page: Any
) -> None:
    admin = new_user(platform.gateway, platform.a.token, "rep", ["district_admin"])
    page = await new_page()
    await sign_in(page, platform, admin)
    await page.wait_for_url(re.compile(r"/console/"))
    await page.get_by_role("link", name="统计报表").click()
    await page.get_by_role("heading", name="统计报表").wait_for()

    # the network roll-up: the district at first, then the street chosen in the unit list
    await page.get_by_label("单位", exact=True).select_option(label=f"　{yaoxi.street['name']}")
    await page.get_by_role("button", name="查看报表").click()
    await page.wait_for_url(re.compile(f"unit={yaoxi.street['id']}"))
    village, community, street = yaoxi.village["name"], yaoxi.community["name"], yaoxi.street["name"]
    assert await page.get_by_role("heading", name=f"{street}瑶溪网络汇总").count() == 1
    homes = yaoxi.links_min + 3  # the village's households: the served ones, one more in grid 1, two in grid 2
    rows = await table_rows(page)  # the units in the tree's order, the street's total last
    units = [[village, "1", "1", "1", "6", str(homes)], [community, "0", "1", "1", "2", "3"]]
    assert sorted(rows[:-1]) == sorted(units)
    assert rows[-1] == [f"{street}合计", "1", "2", "2", "8", str(homes + 3)]
    headers = await page.locator("#report-table thead th").all_inner_texts()
    assert headers == ["单位", "驻村干部", "村干部", "红领队长", "党员", "住户"]
    assert await chart_drawn(page) == series(rows[:-1], range(1, 6))
    assert await axe_violations(page) == []
    await screenshot(page, "console-reports-network")
    [sheet] = await download(page)
    assert sheet == [headers, *([row[0], *map(int, row[1:])] for row in rows)]
    await page.get_by_role("link", name=village).click()  # down to the village: its two grids
    await page.locator(".crumbs [aria-current=page]", has_text=village).wait_for()
    assert [row[0] for row in await table_rows(page)][-1] == f"{village}合计"
    assert len(await table_rows(page)) == 3

    # red-cell coverage of the street, per unit, and the members outside the range
    await page.goto(f"{platform.gateway}/console/reports/coverage?unit={yaoxi.street['id']}")
    served = yaoxi.links_min
    rows = await table_rows(page)
    assert sorted(rows[:-1]) == sorted(
        [
            [village, str(homes), "3", f"{round(100 * served / homes, 1):.1f}", "6", "5", "0"],
            [community, "3", "3", "0.0", "2", "2", "0"],
        ]
    )
    assert rows[-1] == [
        f"{street}合计",
        str(homes + 3),
        "6",
        f"{round(100 * served / (homes + 3), 1):.1f}",
        "8",
        "7",
        "0",
    ]
    assert await chart_drawn(page) == series(rows[:-1], (2, 5, 6))
    below = await table_rows(page, "#report-table-1")
    assert len(below) == 7
    assert all(row[1:] == ["0", "低于下限"] for row in below)
    assert await axe_violations(page) == []
    await screenshot(page, "console-reports-coverage")
    units, members = await download(page)
    assert units[0][:3] == ["单位", "住户", "无党员联系的住户"]
    assert [row[:3] for row in units if row[0] == f"{street}合计"] == [[f"{street}合计", homes + 3, 6]]
    assert str(units[-1][0]).startswith(f"每名党员联系 {yaoxi.links_min}–")  # the range, under the figures
    assert sorted(row[0] for row in members[1:]) == sorted(row[0] for row in below)

    # guidance this month: both cadres guide too few, and contacted too seldom
    await page.get_by_role("link", name="联系指导").click()  # the whole scope, this month: then the street's
    await page.get_by_label("单位", exact=True).select_option(label=f"　{yaoxi.root['name']}")
    await page.get_by_role("button", name="查看报表").click()
    await page.get_by_label("单位", exact=True).select_option(label=f"　{street}")
    await page.get_by_label("月份").fill(yaoxi.month)
    await page.get_by_role("button", name="查看报表").click()
    await page.wait_for_url(re.compile(f"unit={yaoxi.street['id']}&month={yaoxi.month}"))
    once, twice = yaoxi.cadres  # one guides a member contacted once, the other two members never contacted
    rows = await table_rows(page)
    assert sorted(rows) == sorted([[once, "1", "1", "是"], [twice, "2", "2", "是"]])
    in_order = [int(row[1]) for row in rows]  # the chart keeps the table's order
    assert await chart_drawn(page) == [in_order, in_order]
    assert await axe_violations(page) == []
    await screenshot(page, "console-reports-guidance")
    [sheet] = await download(page)
    assert sheet[1:-1] == [[row[0], int(row[1]), int(row[2]), row[3]] for row in rows]
    assert str(sheet[-1][0]).startswith("每名干部指导")  # the rules, under the figures

    # members without a post in the street, per grid and by name; the other street's is not among them
    await page.goto(f"{platform.gateway}/console/reports/unposted?unit={yaoxi.street['id']}")
    per_grid = await table_rows(page)
    assert [row[1] for row in per_grid] == ["2", "1", "3"]
    assert await chart_drawn(page) == [[2, 1]]
    listed = [row[0] for row in await table_rows(page, "#report-table-1")]
    assert sorted(listed) == sorted(yaoxi.unposted)
    assert yaoxi.elsewhere not in listed
    assert await axe_violations(page) == []
    await screenshot(page, "console-reports-unposted")
    grids, people = await download(page)
    assert [row[1] for row in grids[1:]] == [2, 1, 3]
    assert sorted(row[0] for row in people[1:]) == sorted(yaoxi.unposted)


async def test_a_street_admin_sees_its_street_and_a_wrong_month_is_refused_beside_the_field(
    platform: RunningPlatform, yaoxi: Yaoxi, new_page: Any
) -> None:
    street_admin = new_user(platform.gateway, platform.a.token, "rep", ["street_admin"], scope=yaoxi.street["path"])
    page = await new_page()
    await sign_in(page, platform, street_admin)
    await page.wait_for_url(re.compile(r"/console/"))
    await page.goto(f"{platform.gateway}/console/reports")
    rows = await table_rows(page)  # the street itself, with no way up to the district
    assert sorted(row[0] for row in rows[:-1]) == sorted([yaoxi.village["name"], yaoxi.community["name"]])
    assert rows[-1] == [f"{yaoxi.street['name']}合计", "1", "2", "2", "8", str(yaoxi.links_min + 6)]
    assert await page.locator(".crumbs a").count() == 0
    assert await chart_drawn(page) == series(rows[:-1], range(1, 6))

    await page.goto(f"{platform.gateway}/console/reports/unposted")  # the whole scope: the street
    listed = [row[0] for row in await table_rows(page, "#report-table-1")]
    assert sorted(listed) == sorted(yaoxi.unposted)

    await page.goto(f"{platform.gateway}/console/reports/guidance?unit={yaoxi.street['id']}&month=0000-01")
    month = page.get_by_label("月份")
    assert await month.get_attribute("aria-invalid") == "true"
    assert await page.locator("#e-month").inner_text() == "请选择 2000年1月至2100年12月之间的月份。"
    assert await page.get_by_role("link", name="下载 Excel（.xlsx）").count() == 0
    assert await axe_violations(page) == []
    await screenshot(page, "console-reports-month-refused")

    # another street, and another district's unit, are not found (the same page as a unit that does not exist)
    client = signed_in_client(platform, street_admin)
    theirs = httpx.get(f"{platform.gateway}{ORGTREE}/nodes", headers=auth(platform.b.token)).json()["items"][0]
    for address in (
        f"/console/reports/network?unit={yaoxi.other['id']}",
        f"/console/reports/coverage.xlsx?unit={yaoxi.other['id']}",
        f"/console/reports/network?unit={theirs['id']}",
        f"/console/reports/guidance?unit={theirs['id']}",
    ):
        answer = client.get(address)
        assert answer.status_code == 404, address
        assert "未找到" in answer.text
    await page.goto(f"{platform.gateway}/console/reports/network?unit={theirs['id']}")
    await page.get_by_role("heading", name="未找到").wait_for()
