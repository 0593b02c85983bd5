"""失联党员归队 in a real browser against the running platform: the district admin goes down the ledger to a
village's branch, records a member who lost contact (a missing choice is refused beside the field in Chinese),
records a search and the finding, and regroups the member by location into the estate's branch; the case shows
each step, the ledger counts the member as regrouped by location, and its .xlsx downloads."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx

from tests.console.test_browser import sign_in
from tests.e2e.test_dispatch_flow import created
from tests.platform.browser import axe_violations, screenshot
from tests.platform.platform import RunningPlatform, auth, new_user


async def test_a_lost_member_is_recorded_found_and_regrouped_from_the_ledger(
    platform: RunningPlatform, new_page: Any
) -> None:
    gateway, token, tag = platform.gateway, platform.a.token, uuid.uuid4().hex[:4]
    admin_headers = auth(token)
    roots = {n["tree"]: n for n in httpx.get(f"{gateway}/api/orgtree/nodes", headers=admin_headers).json()["items"]}

    def unit(parent: dict[str, Any], level: str, name: str) -> dict[str, Any]:
        return created(
            gateway, "/api/orgtree/nodes", {"parentId": parent["id"], "level": level, "name": name}, admin_headers
        )

    committee = unit(roots["party"], "street_working_committee", f"归队街道{tag}党工委")
    branch = unit(committee, "branch", f"归队村{tag}党支部")
    estate = unit(committee, "branch", f"归队小区{tag}党支部")
    member = created(
        gateway,
        "/api/orgtree/members",
        {"name": f"林国平{tag}", "branchId": branch["id"], "joinedOn": "1999-07-01"},
        admin_headers,
    )
    admin = new_user(gateway, token, "lost", ["district_admin"])

    page = await new_page()
    await sign_in(page, platform, admin)
    await page.goto(f"{gateway}/console/lost-members?within={committee['id']}")
    await page.get_by_role("link", name=branch["name"]).click()
    await page.get_by_role("heading", name="登记失联党员").wait_for()
    await page.get_by_role("button", name="登记", exact=True).click()
    assert "请选择失联的党员。" in await page.locator("#e-memberId").inner_text()
    assert await axe_violations(page) == []
    await page.get_by_label("党员", exact=True).select_option(label=member["name"])
    await page.get_by_label("失联原因").select_option(label="原单位关闭或改制")
    await page.get_by_label("失联起始日期").fill("2018-06-01")
    await page.get_by_role("button", name="登记", exact=True).click()

    await page.get_by_role("heading", name=member["name"]).wait_for()
    assert "查找中" in await page.locator("[data-case-state]").inner_text()
    await page.get_by_label("查找方式").select_option(label="进关闭企业查党员名册")
    await page.get_by_role("button", name="保存查找记录").click()
    await page.get_by_role("row", name=re.compile("进关闭企业查党员名册")).wait_for()
    await page.get_by_label("查找方式").select_option(label="党员找组织")
    await page.get_by_role("button", name="记为已找到").click()
    await page.get_by_role("button", name="归队", exact=True).wait_for()
    assert await axe_violations(page) == []
    await page.get_by_role("button", name="归队", exact=True).click()
    assert "请选择归队方式。" in await page.locator("#e-way").inner_text()
    await page.get_by_label("归队方式", exact=True).select_option(label="按地域归队")
    await page.get_by_label("支部", exact=True).select_option(label=estate["name"])
    await page.get_by_role("button", name="归队", exact=True).click()
    state = page.locator("[data-case-state]")
    await page.get_by_role("row", name=re.compile("已归队")).wait_for()
    assert "按地域归队" in await state.inner_text()
    await screenshot(page, "console-lost-member-case")
    moved = httpx.get(f"{gateway}/api/orgtree/members/{member['id']}", headers=admin_headers).json()
    assert (moved["branchId"], moved["flags"]) == (estate["id"], [])

    await page.locator("main").get_by_role("link", name="失联党员归队").click()
    line = page.locator("tfoot tr")
    await line.wait_for()
    assert re.sub(r"\s+", " ", await line.inner_text()).split(" ")[-8:] == ["1", "1", "1", "0", "0", "0", "0", "0"]
    assert await axe_violations(page) == []
    async with page.expect_download() as download:
        await page.get_by_role("link", name="下载 .xlsx").click()
    assert (await download.value).suggested_filename.endswith(".xlsx")

    station = {"unitId": committee["id"], "kind": "sunshine_station", "name": f"归队街道{tag}阳光驿站（示例）"}
    created(
        gateway, "/api/orgtree/venues", station | {"services": ["reading_room", "membership_transfer"]}, admin_headers
    )
    await page.goto(f"{gateway}/console/lost-members/stations")
    row = page.locator(f"tr[data-station='{station['name']}']")
    await row.wait_for()
    assert "组织关系转接、党员书屋" in await row.inner_text()
    assert await axe_violations(page) == []
