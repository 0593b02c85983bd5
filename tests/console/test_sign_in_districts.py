"""Signing in to a district in the browser: a login of several districts chooses one by its name (with one
one-time code, where the account has codes), and every role's top bar names its district."""

from __future__ import annotations

import re
import uuid
from typing import Any

from gateway.tenants.cli import create_district_user_cli
from shared.settings import Settings
from tests.console.test_browser import admin_with_codes, sign_in
from tests.platform.browser import axe_violations, screenshot
from tests.platform.platform import PASSWORD, RunningPlatform, new_user

SIGNED_IN = re.compile(r"/console/(?!sign-in)")


async def test_a_choice_is_needed_and_the_district_is_chosen_by_its_name(
    platform: RunningPlatform, settings: Settings, new_page: Any
) -> None:
    username = f"city-op-{uuid.uuid4().hex[:8]}"
    await create_district_user_cli(
        settings, username, PASSWORD, ["hotline_operator"], [platform.a.slug, platform.b.slug]
    )
    page = await new_page()
    await sign_in(page, platform, username)
    assert "您的账号服务于多个区县" in await page.locator("main").inner_text()
    assert await page.get_by_role("group", name="区县").count() == 1
    assert await page.get_by_role("radio").count() == 2
    assert await axe_violations(page) == []
    await screenshot(page, "console-sign-in-district")

    await page.get_by_role("button", name="继续").click()  # nothing chosen: said beside the choice
    assert await page.locator("#e-district").inner_text() == "请选择区县。"
    assert await page.get_by_label("瓯海区").get_attribute("aria-invalid") == "true"

    await page.get_by_label("瓯海区").focus()  # the keyboard alone: focus, select, send
    await page.keyboard.press("Space")
    await page.keyboard.press("Enter")
    await page.wait_for_url(re.compile(r"/console/desk$"))
    assert "瓯海区" in await page.locator(".topbar").inner_text()


async def test_an_account_with_codes_and_two_districts_signs_in_with_one_code(
    platform: RunningPlatform, settings: Settings, new_page: Any
) -> None:
    admin, totp = admin_with_codes(platform, "totp2")
    await create_district_user_cli(settings, admin, PASSWORD, ["district_admin"], [platform.b.slug])  # a second

    page = await new_page()
    await sign_in(page, platform, admin)
    await page.get_by_label("动态验证码").fill(totp.now())
    await page.get_by_role("button", name="继续").click()
    await page.get_by_label("瓯海区").check()  # no second code asked: the one given is spent
    assert await page.get_by_label("动态验证码").count() == 0
    await page.get_by_role("button", name="继续").click()
    await page.wait_for_url(SIGNED_IN)
    assert "瓯海区" in await page.locator(".topbar").inner_text()


async def test_a_volunteers_top_bar_names_the_district(platform: RunningPlatform, new_page: Any) -> None:
    volunteer = new_user(platform.gateway, platform.a.token, "vol-bar", ["volunteer"])  # cannot read org units
    page = await new_page()
    await sign_in(page, platform, volunteer)
    await page.wait_for_url(SIGNED_IN)
    assert "龙湾区" in await page.locator(".topbar").inner_text()
