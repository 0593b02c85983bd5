"""党代表工作室台账 and 群众评议 in a real browser against the running platform: a district admin records an opinion a
studio collected (an empty form is refused beside its fields first, nothing stored), forwards it to a department
(a date in the future is refused beside it), records the answer, the feedback and the delegate's evaluation, and the
dashboard counts the studio's opinion as forwarded and answered; the served person's scores of a volunteer's order
appear in the requester scores per department and in its .xlsx."""

from __future__ import annotations

import io
import re
import uuid
from typing import Any

import httpx
from openpyxl import load_workbook

from tests.console.support import new_ticket, offer_to, operator, token_of, volunteer
from tests.console.test_browser import sign_in
from tests.platform.browser import axe_violations, screenshot
from tests.platform.platform import RunningPlatform, auth, new_user

SCORES = {"satisfied": True, "handlerScore": 5, "stationScore": 4, "processScore": 4, "resultScore": 3}


def scored_order(platform: RunningPlatform) -> str:
    """A volunteer's order resolved and scored by the served person (taken down by the desk); the volunteer's name."""
    desk = token_of(platform, operator(platform))
    ticket, who = new_ticket(platform, desk), volunteer(platform)
    offer = offer_to(platform, desk, ticket, who.provider)
    for path, body, token in (
        (f"offers/{offer['id']}/accept", None, who.token),
        (f"tickets/{ticket['id']}/resolution", {"note": "已修好"}, who.token),
        (f"tickets/{ticket['id']}/feedback", {**SCORES, "via": "phone"}, desk),
    ):
        done = httpx.post(f"{platform.gateway}/api/dispatch/{path}", json=body, headers=auth(token))
        assert done.status_code in (200, 201), done.text
    name: str = who.provider["name"]
    return name


async def test_an_opinion_goes_through_the_ledger_and_scores_are_counted_per_department(
    platform: RunningPlatform, new_page: Any
) -> None:
    studio_name = f"福华社区党代表工作室{uuid.uuid4().hex[:4]}"
    made = httpx.post(
        f"{platform.gateway}/api/dispatch/providers",
        json={"kind": "expert_studio", "name": studio_name},
        headers=auth(platform.a.token),
    )
    assert made.status_code == 201, made.text
    studio = made.json()
    handler = scored_order(platform)
    summary = f"菜市场周边占道经营{uuid.uuid4().hex[:4]}"

    page = await new_page()
    await sign_in(page, platform, new_user(platform.gateway, platform.a.token, "lg", ["district_admin"]))
    await page.wait_for_url(re.compile(r"/console/"))
    await page.get_by_role("link", name="党代表工作室台账").click()
    await page.get_by_role("heading", name="党代表工作室台账", exact=True).wait_for()
    await page.get_by_role("link", name="登记社情民意").click()
    await page.get_by_role("button", name="登记意见").click()
    await page.locator("#e-collectorId").wait_for()
    assert await page.locator("#e-collectorId").inner_text() == "请选择收集该意见的党代表或工作室。"
    assert await page.locator("#e-summary").inner_text() == "请用 2 至 200 字概括意见。"
    assert await axe_violations(page) == []
    await screenshot(page, "console-ledgers-refused")
    listed = httpx.get(f"{platform.gateway}/api/dispatch/ledgers/opinions", headers=auth(platform.a.token))
    assert all(o["summary"] != summary for o in listed.json()["items"])

    await page.get_by_label("党代表或工作室").select_option(value=studio["id"])
    await page.get_by_label("收集方式").select_option(label="一访（走访）")
    await page.get_by_label("意见", exact=True).fill(summary)
    await page.get_by_role("button", name="登记意见").click()
    await page.wait_for_url(re.compile(r"/console/ledgers/opinions/[0-9a-f-]{36}$"))
    state = page.locator("[data-opinion-state]")
    assert await state.inner_text() == "已收集"

    await page.get_by_label("承办部门").fill("区城管局")
    await page.get_by_label("日期", exact=True).fill("2099-01-01")
    await page.get_by_role("button", name="保存").click()
    await page.locator("#e-on").wait_for()
    assert await page.locator("#e-on").inner_text() == "请填写日期：不能晚于今天，也不能早于上一环节。"
    assert await page.get_by_label("承办部门").input_value() == "区城管局"  # kept as typed
    await page.get_by_label("日期", exact=True).fill("")
    await page.get_by_role("button", name="保存").click()
    await page.locator("[data-opinion-state]", has_text="已转交").wait_for()
    await page.get_by_label("答复", exact=True).fill("已安排执法队每日巡查")
    await page.get_by_role("button", name="保存").click()
    await page.locator("[data-opinion-state]", has_text="已答复").wait_for()
    await page.get_by_label("向群众反馈").fill("已电话告知反映人")
    await page.get_by_role("button", name="保存").click()
    await page.locator("[data-opinion-state]", has_text="已反馈").wait_for()
    await page.get_by_label("党代表评价", exact=True).select_option(label="满意")
    await page.get_by_role("button", name="保存").click()
    await page.locator("[data-opinion-state]", has_text="已评价").wait_for()
    assert await axe_violations(page) == []
    await screenshot(page, "console-ledgers-evaluated")

    await page.get_by_role("link", name="党代表工作室台账").first.click()
    row = page.locator(f'[data-collector="{studio_name}"]')
    await row.wait_for()
    assert await row.locator("td").all_inner_texts() == [studio_name, "1", "1 (100.0%)", "1 (100.0%)", "1"]
    assert await axe_violations(page) == []
    await screenshot(page, "console-ledgers-dashboard")

    await page.get_by_role("link", name="群众评议").click()
    line = page.locator(f'[data-department="{handler}"]')
    await line.wait_for()
    assert await line.locator("td").all_inner_texts() == [handler, "1", "1", "5.00", "4.00", "4.00", "3.00", "4.00"]
    assert await axe_violations(page) == []
    await screenshot(page, "console-ledgers-scores")
    link = await page.get_by_role("link", name="下载 .xlsx").get_attribute("href")
    assert link is not None
    sheet = await page.request.get(f"{platform.gateway}{link}")
    assert sheet.ok
    rows = list(load_workbook(io.BytesIO(await sheet.body()), read_only=True).worksheets[0].iter_rows(values_only=True))
    assert rows[0] == ("承办部门", "评分件数", "满意", "承办人", "工作室或站点", "办理过程", "办理结果", "综合")
    assert (handler, 1, 1, 5.0, 4.0, 4.0, 3.0, 4.0) in rows
    assert rows[-1][0] == "合计"
