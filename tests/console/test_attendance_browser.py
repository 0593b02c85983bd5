"""干部考勤 in a real browser against the running platform: a district admin finds a village's cadres on the list,
opens its November, fills the duty roster in turn, records one cadre 脱岗 (the report shows him at 提醒教育), is
refused recording the other on leave without an approved leave (said beside the field), reports her leave, approves
it, records her day as leave, and withdraws his absence recorded in error."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.console.support import new_phone, village_member
from tests.console.test_browser import sign_in
from tests.platform.browser import axe_violations, screenshot
from tests.platform.platform import RunningPlatform, auth, new_user


def cadre(platform: RunningPlatform, village: dict[str, Any], member: dict[str, Any]) -> None:
    body = {"kind": "village", "memberId": member["id"], "villageId": village["id"], "since": "2026-01-05"}
    made = httpx.post(f"{platform.gateway}/api/orgtree/cadre-postings", json=body, headers=auth(platform.a.token))
    assert made.status_code == 201, made.text


async def test_an_admin_keeps_a_villages_roster_attendance_and_leave(platform: RunningPlatform, new_page: Any) -> None:
    tag = uuid.uuid4().hex[:4]
    village, first = village_member(platform, "考勤", f"考勤{tag}甲", new_phone())
    second = httpx.post(
        f"{platform.gateway}/api/orgtree/members",
        json={"name": f"考勤{tag}乙", "branchId": first["branchId"], "phone": new_phone()},
        headers=auth(platform.a.token),
    ).json()
    cadre(platform, village, first)
    cadre(platform, village, second)
    admin = new_user(platform.gateway, platform.a.token, "attend", ["district_admin"])

    page = await new_page()
    await sign_in(page, platform, admin)
    await page.get_by_role("link", name="干部考勤").click()
    await page.get_by_role("heading", name="干部考勤", level=1).wait_for()
    row = page.locator("tr", has=page.get_by_role("link", name=village["name"]))
    assert (await row.locator("td").all_inner_texts())[1:] == ["2", "未安排值班"]

    await page.goto(f"{platform.gateway}/console/attendance/{village['id']}?month=2026-11")
    await page.get_by_role("button", name="空缺日期按顺序轮流排班").click()
    await page.locator("[data-day='2026-11-30']", has_text="考勤").wait_for()
    on_duty = await page.locator("[data-day] td:nth-child(3)").all_inner_texts()
    assert len(on_duty) == 21
    assert "—" not in on_duty

    await page.get_by_label("干部", exact=True).select_option(label=f"考勤{tag}甲")
    await page.get_by_label("日期", exact=True).fill("2026-11-03")
    await page.get_by_label("出勤情况").select_option(label="脱岗")
    await page.get_by_role("button", name="记录", exact=True).click()
    step = page.locator(f"[data-cadre='考勤{tag}甲'] [data-step]")
    await step.wait_for()
    assert await step.inner_text() == "提醒教育"

    await page.get_by_label("干部", exact=True).select_option(label=f"考勤{tag}乙")
    await page.get_by_label("日期", exact=True).fill("2026-11-04")
    await page.get_by_label("出勤情况").select_option(label="请假")
    await page.get_by_role("button", name="记录", exact=True).click()
    refused = page.locator("#e-status")
    await refused.wait_for()
    assert await refused.inner_text() == "这一天没有已批准的请假，请先批准该干部的请假申请。"

    await page.get_by_label("请假干部").select_option(label=f"考勤{tag}乙")
    await page.get_by_label("开始日期").fill("2026-11-04")
    await page.get_by_label("结束日期").fill("2026-11-05")
    await page.get_by_label("原因").fill("陪同家人就医")
    await page.get_by_role("button", name="提交请假").click()
    leave = page.locator(f"[data-leave='考勤{tag}乙 2026-11-04']")
    await leave.get_by_role("button", name="批准").click()
    await leave.get_by_role("cell", name="已批准").wait_for()

    await page.get_by_label("干部", exact=True).select_option(label=f"考勤{tag}乙")
    await page.get_by_label("日期", exact=True).fill("2026-11-04")
    await page.get_by_label("出勤情况").select_option(label="请假")
    await page.get_by_role("button", name="记录", exact=True).click()
    await page.locator(f"[data-record='考勤{tag}乙 2026-11-04']").wait_for()
    cells = await page.locator(f"[data-cadre='考勤{tag}乙'] td").all_inner_texts()
    assert cells[2:] == ["0", "1", "0", "无"]
    # a record made in error is withdrawn: 甲's absence goes, and with it the reminder
    await page.locator(f"[data-record='考勤{tag}甲 2026-11-03']").get_by_role("button", name="撤销记录").click()
    await page.locator(f"[data-cadre='考勤{tag}甲'] [data-step='none']").wait_for()
    assert await axe_violations(page) == []
    await screenshot(page, "console-attendance-unit")
