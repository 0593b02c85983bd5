"""Ouhai's four-season programmes and Four-Harmony Courtyards in a real browser against the running platform: a
district admin opens a year's summer programme (夏送清凉), opens a free herbal-tea point with the village's member on
duty (a closing time before the opening time is refused beside the field, nothing stored), records an activity and
reads both in the report by street; then finds a courtyard with its member household and linked household, and the
month's guidance report (统计报表's 联系指导) listing a cadre who contacted their member once, below the two a month."""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Any

import httpx

from tests.console.support import caller_household, until
from tests.console.test_browser import sign_in
from tests.platform.browser import axe_violations, screenshot
from tests.platform.platform import RunningPlatform, auth, new_user

YEAR = 2030  # a year of its own: the programmes are one per district, year and season


def api(platform: RunningPlatform, method: str, path: str, body: Any = None) -> Any:
    response = httpx.request(method, f"{platform.gateway}{path}", json=body, headers=auth(platform.a.token))
    assert response.status_code < 300, (path, response.text)
    return response.json()


async def test_a_summer_tea_point_a_courtyard_and_the_cadre_contacts(platform: RunningPlatform, new_page: Any) -> None:
    caller = caller_household(platform)
    village, member = caller.grid["parentId"], caller.member
    until(
        "the member in dispatch",
        lambda: any(m["name"] == member["name"] for m in api(platform, "GET", "/api/dispatch/campaigns/members")),
    )
    tag = uuid.uuid4().hex[:4]
    hub = api(
        platform,
        "POST",
        "/api/orgtree/households",
        {"gridId": caller.grid["id"], "label": f"党员户{tag}", "isMemberHub": True, "plaque": "party_member_home"},
    )
    courtyard = api(
        platform,
        "POST",
        "/api/orgtree/groupings",
        {
            "kind": "four_harmony_courtyard",
            "name": f"来电村四和院{tag}",
            "anchorId": village,
            "hubHouseholdId": hub["id"],
            "contactMemberId": member["id"],
        },
    )
    for entry in ({"householdId": hub["id"]}, {"householdId": caller.household["id"]}, {"memberId": member["id"]}):
        api(platform, "POST", f"/api/orgtree/groupings/{courtyard['id']}/entries", entry)
    cadre = api(platform, "POST", "/api/orgtree/members", {"name": f"街道干部{tag}", "branchId": member["branchId"]})
    link = api(platform, "POST", "/api/orgtree/guidance-links", {"cadreId": cadre["id"], "memberId": member["id"]})
    today = date.today()
    api(
        platform,
        "POST",
        f"/api/orgtree/guidance-links/{link['id']}/contacts",
        {"contactedOn": today.isoformat(), "channel": "visit"},
    )

    page = await new_page()
    await sign_in(page, platform, new_user(platform.gateway, platform.a.token, "sj", ["district_admin"]))
    await page.wait_for_url(re.compile(r"/console/"))

    # the year's programmes: open the summer's
    await page.goto(f"{platform.gateway}/console/seasons/?year={YEAR}")
    await page.get_by_role("heading", name="四季服务", exact=True).wait_for()
    await page.get_by_label("季节").select_option(label="夏送清凉")
    await page.get_by_role("button", name="开设项目").click()
    await page.wait_for_url(re.compile(r"/console/seasons/[0-9a-f-]{36}$"))
    await page.get_by_role("heading", name=f"夏送清凉 · {YEAR}").wait_for()

    # a tea point: closing before opening is refused beside the field, then it opens
    await page.get_by_label("地点").fill(f"来电村文化礼堂门口{tag}")
    await page.get_by_label("凉茶点所在村（社区）或街道").select_option(value=village)
    await page.get_by_label("开放日期自").fill(f"{YEAR}-07-11")
    await page.get_by_label("开放日期至").fill(f"{YEAR}-08-31")
    await page.get_by_label("每日开放").fill("08:00")
    await page.get_by_label("每日结束").fill("07:00")
    await page.get_by_label("值守党员").select_option(label=member["name"])
    await page.get_by_label("凉茶杯数").fill("300")
    await page.get_by_role("button", name="设立凉茶点").click()
    await page.locator("#e-point-closesAt").wait_for()
    assert await page.locator("#e-point-closesAt").inner_text() == "请输入晚于开放时间的结束时间。"
    assert await page.locator("[data-point]").count() == 0
    await page.get_by_label("每日结束").fill("17:00")
    await page.get_by_role("button", name="设立凉茶点").click()
    await page.locator("[data-point]").first.wait_for()
    assert member["name"] in await page.locator("[data-point]").first.inner_text()

    await page.get_by_label("活动日期").fill(f"{YEAR}-07-20")
    await page.get_by_label("村（社区）或街道", exact=True).select_option(value=village)
    await page.get_by_label("活动内容").fill("为环卫工人送清凉")
    await page.get_by_label("参与党员").fill("6")
    await page.get_by_role("button", name="记录活动").click()
    await page.locator("[data-figure=activities]").filter(has_text="1").wait_for()
    street = page.locator("[data-street]")
    assert re.sub(r"\s+", " ", await street.inner_text()).split(" ")[1:5] == ["1", "6", "0", "1"]
    assert await page.locator("[data-figure=tea-points]").inner_text() == "1"
    assert await axe_violations(page) == []
    await screenshot(page, "console-seasons-summer")

    # the courtyard with its member household and linked household
    await page.goto(f"{platform.gateway}/console/courtyards/?village={village}")
    await page.get_by_role("link", name=f"来电村四和院{tag}").click()
    await page.locator("[data-figure=hub]").filter(has_text=f"党员户{tag}").wait_for()
    assert "1组9号" in await page.get_by_role("table").inner_text()
    assert await axe_violations(page) == []
    await screenshot(page, "console-courtyard")

    # the cadre who contacted their member once this month is below the two a month, in 统计报表's 联系指导
    await page.goto(f"{platform.gateway}/console/reports/guidance?month={today:%Y-%m}")
    row = page.locator("#report-table tbody tr").filter(has_text=f"街道干部{tag}")
    await row.wait_for()
    assert [cell.strip() for cell in await row.locator("th, td").all_inner_texts()][1:3] == ["1", "1"]
    assert await axe_violations(page) == []
    await screenshot(page, "console-courtyard-contacts")
