"""Yaoxi's campaign days, village micro-fund and meeting agendas in a real browser against the running platform:
a district admin sees the district's rhythm (a 31st is refused beside the day), records the mass-service day (a
day that is not the 25th is refused beside its date first) and puts the village's member on its roster with the
people served; books a donation and pays for a micro-wish (a payment beyond the balance is refused beside the
amount, nothing booked); records the village's issue meeting, whose agenda lists the case escalated to it, and
applies the meeting's resolution to that case."""

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


def api(platform: RunningPlatform, method: str, path: str, body: Any = None) -> Any:
    response = httpx.request(method, f"{platform.gateway}{path}", json=body, headers=auth(platform.a.token))
    assert response.status_code < 300, (path, response.text)
    return response.json()


async def test_a_campaign_day_the_micro_fund_and_a_meeting_agenda(platform: RunningPlatform, new_page: Any) -> None:
    caller = caller_household(platform)
    village = caller.grid["parentId"]
    until(
        "the member in dispatch",
        lambda: any(
            m["name"] == caller.member["name"] for m in api(platform, "GET", "/api/dispatch/campaigns/members")
        ),
    )
    tag = uuid.uuid4().hex[:4]
    wish = api(
        platform,
        "POST",
        "/api/dispatch/wishes",
        {"source": "visit", "title": f"助行器{tag}", "valueYuan": "150", "householdId": caller.household["id"]},
    )
    ticket = api(
        platform,
        "POST",
        "/api/dispatch/tickets",
        {"channel": "phone", "title": f"村口路灯不亮{tag}", "householdId": caller.household["id"]},
    )["ticket"]
    api(platform, "POST", f"/api/dispatch/tickets/{ticket['id']}/escalations", {"toLevel": 1, "reason": "网格无法解决"})

    page = await new_page()
    await sign_in(page, platform, new_user(platform.gateway, platform.a.token, "yx", ["district_admin"]))
    await page.wait_for_url(re.compile(r"/console/"))

    # the mass-service day, on the 25th only
    await page.goto(f"{platform.gateway}/console/campaigns")
    await page.get_by_role("heading", name="活动日", exact=True).wait_for()
    year = date.today().year
    assert await page.get_by_label("每月集中服务日").input_value() == "25"
    await page.get_by_label("每月集中服务日").fill("31")  # every month has no 31st: refused, nothing changed
    await page.get_by_role("button", name="保存安排").click()
    await page.locator("#e-massServiceDay").wait_for()
    assert await page.locator("#e-massServiceDay").inner_text() == "请填写 1 至 28 之间的日期。"
    await page.get_by_label("活动日类型").select_option(label="集中服务日")
    await page.get_by_label("举办日期", exact=True).fill(f"{year}-12-24")
    await page.get_by_label("村（社区）或街道").select_option(value=village)
    await page.get_by_role("button", name="登记活动日").click()
    await page.locator("#e-heldOn").wait_for()
    assert await page.locator("#e-heldOn").inner_text() == "请填写本区该类活动日所在的日期。"
    assert await axe_violations(page) == []
    await page.get_by_label("举办日期", exact=True).fill(f"{year}-12-25")
    await page.get_by_role("button", name="登记活动日").click()
    await page.wait_for_url(re.compile(r"/console/campaigns/[0-9a-f-]{36}$"))
    await page.get_by_label("开始时间").fill("09:00")
    await page.get_by_label("党员", exact=True).select_option(label=caller.member["name"])
    await page.get_by_label("岗位").select_option(label="村支部党员")
    await page.get_by_label("红马甲姓名").fill(f"红马甲·{caller.member['name']}")
    await page.get_by_label("服务事项").fill("政策宣讲、代办医保")
    await page.get_by_label("服务群众人数", exact=True).fill("15")
    await page.get_by_role("button", name="加入排班表").click()
    await page.locator("[data-duty]").first.wait_for()
    assert await page.locator("[data-figure=served]").inner_text() == "15"
    assert await axe_violations(page) == []
    await screenshot(page, "console-campaigns-day")

    # the micro-fund: a donation, a payment beyond the balance refused, then one within it
    await page.goto(f"{platform.gateway}/console/fund/{village}")
    await page.get_by_label("金额（元）").first.fill("200")
    await page.get_by_label("爱心人士").fill(f"林先生（示例）{tag}")
    await page.get_by_role("button", name="登记捐款").click()
    await page.locator("[data-figure=balance]").filter(has_text="¥200.00").wait_for()
    await page.get_by_label("金额（元）").last.fill("250")
    await page.get_by_label("支出用途").fill("购置助行器")
    await page.get_by_label("微心愿", exact=True).select_option(value=wish["id"])
    await page.get_by_role("button", name="支出", exact=True).click()
    await page.locator("#e-amount").wait_for()
    assert await page.locator("#e-amount").inner_text() == "超出基金余额，请查看上方余额。"
    assert await page.locator("[data-figure=balance]").inner_text() == "¥200.00"
    await page.get_by_label("金额（元）").last.fill("150")
    await page.get_by_role("button", name="支出", exact=True).click()
    await page.locator("[data-figure=balance]").filter(has_text="¥50.00").wait_for()
    assert f"助行器{tag}" in await page.locator("[data-entry]").first.inner_text()
    assert await axe_violations(page) == []
    await screenshot(page, "console-fund-ledger")

    # the village's issue meeting takes up the escalated case and resolves it
    await page.goto(f"{platform.gateway}/console/agendas")
    await page.get_by_label("会议", exact=True).select_option(value="issue_meeting")
    await page.get_by_label("村（社区）或街道").select_option(value=village)
    await page.get_by_role("button", name="登记会议").click()
    await page.wait_for_url(re.compile(r"/console/agendas/[0-9a-f-]{36}$"))
    row = page.locator(f"[data-case='{ticket['number']}']")
    await row.wait_for()
    await page.get_by_label(f"{ticket['number']} 的处理结果").select_option(label="已解决")
    await row.get_by_label("会议决定").fill("村委已更换路灯")
    await page.get_by_role("button", name="提交处理结果").click()
    await row.filter(has_text="村委已更换路灯").wait_for()
    assert await axe_violations(page) == []
    await screenshot(page, "console-agendas-meeting")
    assert api(platform, "GET", f"/api/dispatch/tickets/{ticket['id']}")["status"] == "resolved"
