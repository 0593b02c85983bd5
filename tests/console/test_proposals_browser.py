"""党员提案箱 in a real browser against the running platform: a district admin records a joint proposal from the box
(an empty form is refused beside its fields first, nothing stored), classifies it, records the seminar (a seminar
in the future is refused beside its date), sends it up to the street and closes it; the box's page then counts the
community's proposal as closed."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from tests.console.support import caller_household, until
from tests.console.test_browser import sign_in
from tests.platform.browser import axe_violations, screenshot
from tests.platform.platform import RunningPlatform, auth, new_user


def second_member(platform: RunningPlatform, member: dict[str, Any], grid: dict[str, Any]) -> dict[str, Any]:
    """Another member of the same branch, for a joint proposal."""
    body = {"name": "李春梅", "branchId": member["branchId"], "gridId": grid["id"]}
    made = httpx.post(f"{platform.gateway}/api/orgtree/members", json=body, headers=auth(platform.a.token))
    assert made.status_code == 201, made.text
    answer: dict[str, Any] = made.json()
    return answer


def proposals(platform: RunningPlatform, title: str) -> list[dict[str, Any]]:
    listed = httpx.get(
        f"{platform.gateway}/api/dispatch/proposals", params={"limit": 200}, headers=auth(platform.a.token)
    )
    return [p for p in listed.json()["items"] if p["title"] == title]


async def test_a_joint_proposal_is_recorded_classified_discussed_escalated_and_closed(
    platform: RunningPlatform, new_page: Any
) -> None:
    caller = caller_household(platform)
    other = second_member(platform, caller.member, caller.grid)
    village = caller.grid["parentId"]

    def known() -> list[Any] | None:
        answer = httpx.get(f"{platform.gateway}/api/dispatch/proposals/proposers", headers=auth(platform.a.token))
        ids = {m["memberId"] for m in answer.json()} if answer.status_code == 200 else set()
        return [1] if {caller.member["id"], other["id"]} <= ids else None

    until("both members in dispatch", known)
    title = f"小区东门路灯长期不亮{uuid.uuid4().hex[:4]}"

    page = await new_page()
    await sign_in(page, platform, new_user(platform.gateway, platform.a.token, "pb", ["district_admin"]))
    await page.wait_for_url(re.compile(r"/console/"))
    await page.get_by_role("link", name="党员提案箱").click()
    await page.get_by_role("heading", name="党员提案箱", exact=True).wait_for()
    await page.get_by_role("link", name="登记提案").click()
    await page.get_by_role("button", name="登记提案").click()
    await page.locator("#e-title").wait_for()
    assert await page.locator("#e-title").inner_text() == "请填写提案标题（2 至 200 字）。"
    assert await page.locator("#e-proposerMemberIds").inner_text() == "请选择提案党员（联名提案可选多人）。"
    assert await page.locator("#e-communityId").inner_text() == "请选择提案所涉社区。"
    assert await axe_violations(page) == []
    await screenshot(page, "console-proposals-refused")
    assert proposals(platform, title) == []

    await page.get_by_label("标题").fill(title)
    await page.get_by_label("提案", exact=True).fill("夜间居民出行不便，建议尽快修复")
    # the shared platform's district has many members of these names: each is picked by its own box
    await page.locator(f'input[name=proposers][value="{caller.member["id"]}"]').check()
    await page.locator(f'input[name=proposers][value="{other["id"]}"]').check()
    await page.get_by_label("社区", exact=True).select_option(value=village)
    await page.get_by_role("button", name="登记提案").click()
    await page.wait_for_url(re.compile(r"/console/proposals/[0-9a-f-]{36}$"))
    await page.get_by_role("heading", name=title).wait_for()
    assert "联名" in await page.locator("dl.facts").first.inner_text()
    assert await page.locator("[data-proposal-state]").inner_text() == "待审核"

    await page.get_by_label("类别").select_option(label="公共设施")
    await page.get_by_role("button", name="保存类别").click()
    await page.locator("[data-proposal-state]", has_text="办理中").wait_for()

    await page.get_by_label("座谈日期").fill("2099-01-01")
    await page.get_by_label("参加人员（用逗号分隔）").fill(f"{caller.member['name']}，李春梅，社区书记")
    await page.get_by_label("座谈结论").fill("需街道协调供电部门")
    await page.get_by_role("button", name="保存座谈记录").click()
    await page.locator("#e-heldOn").wait_for()
    assert "不能晚于今天" in await page.locator("#e-heldOn").inner_text()
    assert await page.get_by_label("座谈结论").input_value() == "需街道协调供电部门"  # kept as typed
    await page.get_by_label("座谈日期").fill(datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat())
    await page.get_by_role("button", name="保存座谈记录").click()
    await page.locator("[data-seminar]").get_by_text("需街道协调供电部门").wait_for()

    await page.get_by_label("原因").fill("涉及供电线路改造，社区无力解决")
    await page.get_by_role("button", name="提交街道").click()
    await page.locator("[data-proposal-tier]", has_text="街道").wait_for()
    await page.get_by_label("解决情况").fill("街道协调供电所更换路灯")
    await page.get_by_role("button", name="办结提案").click()
    await page.locator("[data-proposal-state]", has_text="已办结").wait_for()
    assert await axe_violations(page) == []
    await screenshot(page, "console-proposals-closed")

    await page.goto(f"{platform.gateway}/console/proposals")
    row = page.locator(f'[data-unit="{caller.grid["name"].removesuffix("一网格")}"]')
    await row.wait_for()
    cells = await row.locator("td").all_inner_texts()
    assert cells[1:] == ["1", "1", "1", "100.0%"]
    assert await axe_violations(page) == []
    await screenshot(page, "console-proposals-box")
