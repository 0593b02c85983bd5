"""党员考绩墙 in a real browser against the running platform: the district's administrator chooses the public
figures (ticked boxes), a wrong month is refused beside its field, and a grid leader sees their member's month with
only those figures as columns."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from tests.console.support import token_of, until
from tests.console.test_browser import sign_in
from tests.console.test_training_browser import _post, member, organiser, session_now
from tests.platform.browser import axe_violations, screenshot
from tests.platform.platform import RunningPlatform, auth, new_user


async def test_the_wall_shows_the_public_figures_of_the_month_and_refuses_a_wrong_month(
    platform: RunningPlatform, new_page: Any
) -> None:
    admin, attendee = organiser(platform), member(platform)
    token = token_of(platform, admin)
    held = session_now(platform, token, "考绩墙微党课")
    person = attendee.person
    _post(
        platform,
        f"/api/training/sessions/{held['id']}/attendance",
        {"personId": person["id"], "reason": "现场核实"},
        token,
    )

    def credited() -> bool:
        points = httpx.get(f"{platform.gateway}/api/training/people/{person['id']}/points", headers=auth(token))
        return points.json()["total"] == 1

    until("the attendance's point in the ledger", credited)
    month = datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m")
    _post(platform, f"/api/training/reports/monthly/{month}/generate", {}, token)

    page = await new_page()
    await sign_in(page, platform, admin)
    await page.goto(f"{platform.gateway}/console/wall?month={month}")
    await page.get_by_role("heading", name="党员考绩墙", exact=True).wait_for()
    for label in ("完成服务", "服务时长（小时）", "学时"):
        await page.get_by_label(label).uncheck()
    await page.get_by_label("参学次数").check()
    await page.get_by_label("积分").check()
    await page.get_by_role("button", name="保存公开项目").click()
    await page.get_by_role("heading", name="公开项目").wait_for()
    assert await page.get_by_label("参学次数").is_checked()
    assert not await page.get_by_label("完成服务").is_checked()

    await page.get_by_label("月份").fill("2026-13")
    await page.get_by_role("button", name="查看").click()
    await page.locator("#e-month").wait_for()
    assert await page.locator("#e-month").inner_text() == "请填写月份，例如 2026-11。"
    assert await page.get_by_label("月份").input_value() == "2026-13"
    assert await axe_violations(page) == []
    await screenshot(page, "console-wall-month-refused")

    leader = new_user(platform.gateway, platform.a.token, "grid", ["grid_leader"], scope=person["gridPath"])
    other = await new_page()
    await sign_in(other, platform, leader)
    await other.goto(f"{platform.gateway}/console/wall?month={month}")
    row = other.get_by_role("row", name=attendee.name)
    await row.wait_for()
    headers = [text.strip() for text in await other.locator("thead th").all_inner_texts()]
    assert headers == ["党员", "参学次数", "积分"]  # the first ticked orders the wall
    assert [text.strip() for text in await row.locator("td").all_inner_texts()] == [attendee.name, "1", "1"]
    assert await other.get_by_role("heading", name="公开项目").count() == 0  # the choice is the administrator's
    assert await axe_violations(other) == []
    await screenshot(other, "console-wall")
