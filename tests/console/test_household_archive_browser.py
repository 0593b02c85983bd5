"""群众档案 in a real browser against the running platform (DSP-32): the district admin files a household's sheet
(a year of birth that is not a number refused beside its field first, nothing stored), reads it with the member's
name masked and the refresh on record, and finds it in the list of archives."""

from __future__ import annotations

import re
from typing import Any

import httpx

from tests.console.support import caller_household
from tests.console.test_browser import sign_in
from tests.platform.browser import axe_violations, screenshot
from tests.platform.platform import RunningPlatform, auth, new_user


async def test_a_cadre_files_a_household_archive_and_sees_it_masked(platform: RunningPlatform, new_page: Any) -> None:
    caller = caller_household(platform)
    household = caller.household["id"]
    admin = new_user(platform.gateway, platform.a.token, "arch", ["district_admin"])

    page = await new_page()
    await sign_in(page, platform, admin)
    await page.wait_for_url(re.compile(r"/console/"))
    await page.goto(f"{platform.gateway}/console/household-archive/households/{household}")
    await page.get_by_role("heading", name="为该户建档").wait_for()
    await page.get_by_label("经济类型").select_option(value="planting")
    await page.get_by_label("成员1：姓名").fill("陈国强")
    await page.get_by_label("成员1：与户主关系").fill("户主")
    await page.get_by_label("成员1：出生年份").fill("六二年")
    await page.get_by_label("经济来源1", exact=True).select_option(value="crops")
    await page.get_by_label("经济来源1：说明").fill("承包土地4亩，种植香榧")
    await page.get_by_role("button", name="保存更新").click()
    await page.get_by_text("请输入出生年份，如1962。").wait_for()
    assert await page.get_by_label("成员1：出生年份").get_attribute("aria-invalid") == "true"
    stored = httpx.get(
        f"{platform.gateway}/api/dispatch/archives/households/{household}", headers=auth(platform.a.token)
    )
    assert stored.status_code == 404
    assert await axe_violations(page) == []

    await page.get_by_label("成员1：出生年份").fill("1962")
    await page.get_by_role("button", name="保存更新").click()
    await page.get_by_role("heading", name="群众档案户表 · 陈**").wait_for()
    assert "陈国强" not in await page.content()
    history = page.get_by_role("region", name="更新记录")
    assert "建档" in await history.inner_text()
    assert "种植：承包土地4亩，种植香榧" in await page.get_by_role("region", name="主要经济来源").inner_text()
    assert await axe_violations(page) == []
    await screenshot(page, "console-household-archive")

    await page.goto(f"{platform.gateway}/console/household-archive/")
    row = page.get_by_role("row", name=re.compile(r"陈\*\*"))
    await row.first.wait_for()
    assert caller.grid["name"] in await row.first.inner_text()
