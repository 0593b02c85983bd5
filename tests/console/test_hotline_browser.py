"""热线设置 in a real browser against the running platform: the district admin adds a service category, changes its
dispatch mode and a clock (a clock typed as words is refused beside the field, nothing saved), marks a holiday and
unmarks it, registers a provider (a wrong phone is refused beside the field) and changes its skills, grid and
service; an operator gets the 403 page."""

from __future__ import annotations

import random
import re
import uuid
from typing import Any

import httpx

from tests.console.support import signed_in_client, street_with_grid
from tests.console.test_browser import sign_in
from tests.platform.browser import axe_violations, screenshot
from tests.platform.platform import RunningPlatform, auth, new_user


def category(platform: RunningPlatform, code: str) -> dict[str, Any]:
    listed = httpx.get(f"{platform.gateway}/api/dispatch/catalogue", headers=auth(platform.a.token)).json()
    found: dict[str, Any] = next(c for c in listed if c["code"] == code)
    return found


def marked_days(platform: RunningPlatform) -> list[str]:
    listed = httpx.get(f"{platform.gateway}/api/dispatch/calendar", headers=auth(platform.a.token)).json()
    return [d["day"] for d in listed]


async def test_the_admin_sets_up_the_hotline_and_sees_each_change_saved(
    platform: RunningPlatform, new_page: Any
) -> None:
    tag = uuid.uuid4().hex[:6]
    street_with_grid(platform, f"热线街道{tag}")  # a grid dispatch knows, for the provider to serve
    admin = new_user(platform.gateway, platform.a.token, "hot", ["district_admin"])
    code, name = f"errand_{tag}", f"跑腿服务{tag}"

    page = await new_page()
    await sign_in(page, platform, admin)
    await page.goto(f"{platform.gateway}/console/")
    await page.get_by_role("link", name="热线设置").click()
    await page.get_by_role("heading", name="服务类别").wait_for()
    assert await page.get_by_role("row", name=re.compile("市民生活")).count() == 1

    # a new category (assign mode), then its mode and a clock changed
    await page.get_by_label("类别代码", exact=True).fill(code)
    await page.get_by_label("类别名称", exact=True).fill(name)
    await page.get_by_label("签收时限（分钟）", exact=True).fill("30")
    await page.get_by_role("button", name="新增类别").click()
    await page.get_by_role("heading", name=name).wait_for()
    assert (category(platform, code)["mode"], category(platform, code)["signForMinutes"]) == ("assign", 30)

    await page.get_by_label("派单方式", exact=True).select_option(label="抢单：先接单者承办")
    await page.get_by_label("到场时限（分钟）", exact=True).fill("一小时")
    await page.get_by_role("button", name="保存类别").click()
    message = page.locator("#e-arrivalMinutes")
    await message.wait_for()
    assert await message.inner_text() == "请填写 1 至 525600 的整数分钟数，或留空。"
    assert await page.get_by_label("到场时限（分钟）", exact=True).get_attribute("aria-invalid") == "true"
    assert await page.get_by_label("到场时限（分钟）", exact=True).input_value() == "一小时"  # kept as typed
    assert (category(platform, code)["mode"], category(platform, code)["arrivalMinutes"]) == ("assign", None)
    assert await axe_violations(page) == []
    await screenshot(page, "console-hotline-refused")

    await page.get_by_label("到场时限（分钟）", exact=True).fill("45")
    await page.get_by_role("button", name="保存类别").click()
    await page.get_by_role("status").get_by_text("已保存。").wait_for()
    assert await page.get_by_label("到场时限（分钟）", exact=True).input_value() == "45"
    assert (category(platform, code)["mode"], category(platform, code)["arrivalMinutes"]) == ("claim", 45)
    await page.get_by_role("link", name="服务目录").first.click()
    row = page.get_by_role("row", name=re.compile(name))
    await row.wait_for()
    assert "抢单" in await row.inner_text()
    assert "45 分钟" in await row.inner_text()
    assert await axe_violations(page) == []
    await screenshot(page, "console-hotline")

    # a holiday marked in a month of its own, and unmarked
    day = f"2031-{random.randint(1, 12):02d}-{random.randint(10, 28)}"
    await page.get_by_role("link", name="工作日历").click()
    await page.get_by_role("heading", name="标记日期").wait_for()
    await page.get_by_label("日期", exact=True).fill(day)
    await page.get_by_label("标记为", exact=True).select_option(label="节假日")
    await page.get_by_label("说明（选填），如 国庆节", exact=True).fill(f"测试假日{tag}")
    await page.get_by_role("button", name="标记", exact=True).click()
    marked = page.get_by_role("row", name=re.compile(f"测试假日{tag}"))
    await marked.wait_for()
    assert f"{int(day[5:7])}月{int(day[8:])}日" in await marked.inner_text()
    assert "节假日" in await marked.inner_text()
    assert day in marked_days(platform)
    assert await axe_violations(page) == []
    await screenshot(page, "console-hotline-calendar")
    await page.get_by_role("button", name=f"取消标记 {day}").click()
    await page.get_by_text("本月没有标记的日期，按每周工作日计算。").wait_for()
    assert day not in marked_days(platform)

    # a provider registered (a wrong phone refused beside the field), then its skills, grid and service changed
    team = f"水电维修队{tag}"
    await page.get_by_role("link", name="服务者", exact=True).click()
    await page.get_by_role("link", name="登记服务者").click()
    await page.get_by_label("服务者名称", exact=True).fill(team)
    await page.get_by_label("技能（以逗号分隔）", exact=True).fill("plumbing, electrical")
    await page.get_by_label("接收派单短信的电话", exact=True).fill("12345")
    await page.get_by_role("button", name="登记", exact=True).click()
    await page.locator("#e-phone").wait_for()
    assert await page.locator("#e-phone").inner_text() == "请填写大陆手机号码，或带区号的固定电话。"
    assert await page.get_by_label("服务者名称", exact=True).input_value() == team
    # no phone and no login: routing never offers this provider another test's ticket
    await page.get_by_label("接收派单短信的电话", exact=True).fill("")
    await page.get_by_role("button", name="登记", exact=True).click()
    await page.get_by_role("heading", name=team).wait_for()
    await page.get_by_role("status").get_by_text("已保存。").wait_for()

    await page.get_by_label("技能（以逗号分隔）", exact=True).fill("appliance，plumbing")
    grids = page.get_by_label("服务网格", exact=True).locator("option")
    grid_name = (await grids.nth(1).inner_text()).strip()  # the first grid of the district's tree
    await page.get_by_label("服务网格", exact=True).select_option(label=grid_name)
    await page.get_by_label("在用", exact=True).uncheck()
    await page.get_by_role("button", name="保存服务者").click()
    await page.get_by_role("status").get_by_text("已保存。").wait_for()
    assert await page.get_by_label("在用", exact=True).is_checked() is False
    await page.get_by_role("link", name="服务者", exact=True).first.click()
    await page.get_by_label("在用", exact=True).select_option(label="已停用")
    await page.get_by_role("button", name="筛选").click()
    listed = page.get_by_role("row", name=re.compile(team))
    await listed.wait_for()
    text = await listed.inner_text()
    assert "appliance, plumbing" in text
    assert grid_name in text
    assert "已停用" in text
    assert "专业服务队" in text
    assert await axe_violations(page) == []
    await screenshot(page, "console-hotline-providers")

    operator = signed_in_client(platform, new_user(platform.gateway, platform.a.token, "hot", ["hotline_operator"]))
    try:
        for path in ("/console/hotline/", "/console/hotline/providers", "/console/hotline/calendar"):
            refused = operator.get(path)
            assert refused.status_code == 403, path
            assert "您无权打开此页面" in refused.text
        assert "热线设置" not in operator.get("/console/desk").text
    finally:
        operator.close()
