"""平台运营 in a real browser: the platform operator sees the district registry, is refused a taken code in words,
provisions a district with its first administrator, who then signs in; suspends it (its administrator's sign-in is
refused in words) and reactivates it."""

from __future__ import annotations

import re
import uuid
from typing import Any

from gateway.tenants.cli import create_platform_operator_cli
from shared.settings import Settings
from tests.console.test_browser import sign_in
from tests.platform.browser import axe_violations, screenshot
from tests.platform.platform import PASSWORD, RunningPlatform


async def test_the_operator_provisions_suspends_and_reactivates_a_district(
    platform: RunningPlatform, settings: Settings, new_page: Any
) -> None:
    operator = f"ops-{uuid.uuid4().hex[:6]}"
    await create_platform_operator_cli(settings, operator, PASSWORD)
    slug = f"huaining-{uuid.uuid4().hex[:6]}"
    first_admin = f"{slug}-admin"

    page = await new_page()
    await sign_in(page, platform, operator)
    await page.goto(f"{platform.gateway}/console/platform/districts")
    registry = page.get_by_role("row", name=re.compile(platform.a.slug))
    await registry.wait_for()
    assert "正常" in await registry.inner_text()
    assert await axe_violations(page) == []
    await screenshot(page, "console-platform-districts")

    await page.get_by_role("link", name="开通新区").click()
    await page.get_by_label("区名称").fill("怀宁县")
    await page.get_by_label("区代码（小写字母、数字、-）").fill(platform.a.slug)  # taken
    await page.get_by_label("所属地区（市）").fill("安庆市")
    await page.get_by_label("管理员用户名").fill(first_admin)
    await page.get_by_label("管理员初始密码").fill(PASSWORD)
    await page.get_by_role("button", name="开通该区").click()
    assert await page.locator("#e-slug").inner_text() == "已有使用该代码的区。"
    assert await page.get_by_label("区名称").input_value() == "怀宁县"  # kept
    assert await axe_violations(page) == []
    await page.get_by_label("区代码（小写字母、数字、-）").fill(slug)
    await page.get_by_label("管理员初始密码").fill(PASSWORD)
    await page.get_by_role("button", name="开通该区").click()
    await page.get_by_role("status").filter(has_text="已开通该区").wait_for()
    assert await page.get_by_role("heading", name="怀宁县").is_visible()
    await screenshot(page, "console-platform-district")

    newcomer = await new_page()
    await sign_in(newcomer, platform, first_admin)
    await newcomer.wait_for_url(re.compile(r"/console/(?!sign-in)"))
    assert "怀宁县" in await newcomer.locator(".topbar").inner_text()

    await page.get_by_role("button", name="停用该区").click()
    await page.get_by_role("status").filter(has_text="该区已停用，其用户不能登录。").wait_for()
    refused = await new_page()
    await sign_in(refused, platform, first_admin)
    alert = refused.get_by_role("alert")
    await alert.wait_for()
    assert await alert.inner_text() == "该区已停用，暂不能登录。"

    await page.get_by_role("button", name="恢复该区").click()
    await page.get_by_role("status").filter(has_text="该区已恢复使用。").wait_for()
    await sign_in(refused, platform, first_admin)
    await refused.wait_for_url(re.compile(r"/console/(?!sign-in)"))
