"""开放式组织生活基地 in a real browser against the running platform: a district admin registers orgtree's base venue
with its capacity (a capacity that is not a number refused beside it), adds an activity to its menu (too short a
length refused beside it), books it for a party organisation (more people than the base holds refused beside the
number), is told that attendance waits for the activity to start, and cancels the booking."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import httpx

from tests.console.support import street
from tests.console.test_browser import sign_in
from tests.platform.browser import axe_violations, screenshot
from tests.platform.platform import RunningPlatform, auth, new_user


def orgtree_post(platform: RunningPlatform, path: str, body: dict[str, Any]) -> dict[str, Any]:
    made = httpx.post(f"{platform.gateway}/api/orgtree{path}", json=body, headers=auth(platform.a.token))
    assert made.status_code in {200, 201}, (path, made.text)
    answer: dict[str, Any] = made.json()
    return answer


async def test_an_admin_registers_a_base_fills_its_menu_and_books_it_for_a_branch(
    platform: RunningPlatform, new_page: Any
) -> None:
    tag = uuid.uuid4().hex[:4]
    home = street(platform, "基地街道")
    venue = f"红色展馆基地{tag}"
    orgtree_post(platform, "/venues", {"unitId": home["id"], "kind": "open_org_life_base", "name": venue})
    roots = httpx.get(f"{platform.gateway}/api/orgtree/nodes", headers=auth(platform.a.token)).json()["items"]
    party = next(n for n in roots if n["tree"] == "party")
    committee = f"基地{tag}党工委"
    orgtree_post(platform, "/nodes", {"parentId": party["id"], "level": "street_working_committee", "name": committee})
    admin = new_user(platform.gateway, platform.a.token, "bases", ["district_admin"])

    page = await new_page()
    await sign_in(page, platform, admin)
    await page.get_by_role("link", name="开放式组织生活基地").click()
    await page.get_by_role("heading", name="开放式组织生活基地", level=1).wait_for()
    await page.get_by_label("组织架构中的基地场所").select_option(label=venue)
    await page.get_by_label("可容纳人数").fill("四十")
    await page.get_by_role("button", name="登记基地").click()
    refused = page.locator("#e-capacity")
    await refused.wait_for()
    assert await refused.inner_text() == "请输入可容纳人数（整数）。"
    await page.get_by_label("可容纳人数").fill("40")
    await page.get_by_role("button", name="登记基地").click()
    await page.get_by_role("heading", name=venue, level=1).wait_for()

    await page.get_by_label("活动", exact=True).fill("重温入党誓词")
    await page.get_by_label("时长（分钟）").fill("5")
    await page.get_by_role("button", name="加入菜单").click()
    await page.locator("#e-minutes").wait_for()
    assert await page.locator("#e-minutes").inner_text() == "请输入时长（分钟），15 到 1440。"
    await page.get_by_label("时长（分钟）").fill("90")
    await page.get_by_role("button", name="加入菜单").click()
    await page.locator("[data-menu]").get_by_text("重温入党誓词").wait_for()

    branch = page.get_by_label("支部", exact=True)
    await branch.select_option(value=await branch.locator("option", has_text=committee).first.get_attribute("value"))
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    await page.get_by_label("开始时间").fill(f"{tomorrow}T14:00")
    await page.get_by_label("参加人数").fill("50")
    await page.get_by_role("button", name="预约", exact=True).click()
    await page.locator("#e-expected").wait_for()
    assert await page.locator("#e-expected").inner_text() == "请输入参加人数，不超过基地可容纳人数。"
    branch = page.get_by_label("支部", exact=True)
    await branch.select_option(value=await branch.locator("option", has_text=committee).first.get_attribute("value"))
    await page.get_by_label("开始时间").fill(f"{tomorrow}T14:00")
    await page.get_by_label("参加人数").fill("30")
    await page.get_by_role("button", name="预约", exact=True).click()
    row = page.locator("[data-bookings] tbody tr").first
    await row.get_by_text("已预约").wait_for()
    assert committee in await row.inner_text()
    assert await axe_violations(page) == []
    await screenshot(page, "console-bases-booked")
    await row.get_by_label("实到人数").fill("28")
    await row.get_by_role("button", name="登记到场").click()
    await page.get_by_text("活动开始后才能登记到场，已取消的预约不能登记。").wait_for()
    await page.locator("[data-bookings] tbody tr").first.get_by_role("button", name="取消预约").click()
    await page.locator("[data-bookings] tbody tr").first.get_by_text("已取消").wait_for()
