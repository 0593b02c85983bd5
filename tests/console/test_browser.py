"""The console in a real browser (Chromium driven by Playwright) against the running platform."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pyotp
from playwright.async_api import expect

from tests.console.support import categories, new_ticket, operator, token_of
from tests.platform.browser import axe_violations, screenshot
from tests.platform.platform import PASSWORD, RunningPlatform, auth, new_user


async def sign_in(page: Any, platform: RunningPlatform, username: str, password: str = PASSWORD) -> None:
    await page.goto(f"{platform.gateway}/console/sign-in")
    await page.get_by_label("用户名").fill(username)
    await page.get_by_label("密码").fill(password)
    await page.get_by_role("button", name="登录").click()


async def test_sign_in_refuses_a_wrong_password_beside_the_field_then_opens_the_desk(
    platform: RunningPlatform, new_page: Any
) -> None:
    username = operator(platform)
    page = await new_page()
    await page.goto(f"{platform.gateway}/console/desk")  # not signed in: sign in first, then back here
    assert await axe_violations(page) == []
    await screenshot(page, "console-sign-in")
    await page.get_by_label("用户名").fill(username)
    await page.get_by_label("密码").fill("not-the-password")
    await page.get_by_role("button", name="登录").click()
    password = page.get_by_label("密码")
    assert await password.get_attribute("aria-invalid") == "true"
    assert await page.locator("#e-password").inner_text() == "用户名或密码不正确。"
    assert await page.get_by_label("用户名").input_value() == username  # kept; the password is not
    await password.fill(PASSWORD)
    await page.get_by_role("button", name="登录").click()
    await page.wait_for_url(re.compile(r"/console/desk$"))
    assert await page.locator("h1").inner_text() == "热线工作台"
    assert username in await page.locator(".topbar").inner_text()
    assert "龙湾区" in await page.locator(".topbar").inner_text()


async def test_the_sign_in_form_works_from_the_keyboard_alone(platform: RunningPlatform, new_page: Any) -> None:
    username = operator(platform)
    page = await new_page()
    await page.goto(f"{platform.gateway}/console/sign-in")
    await expect(page.locator("#f-username")).to_be_focused()  # the page puts the focus there
    await page.keyboard.type(username)
    await page.keyboard.press("Tab")
    await page.keyboard.type(PASSWORD)
    await page.keyboard.press("Enter")
    await page.wait_for_url(re.compile(r"/console/desk$"))


def admin_with_codes(platform: RunningPlatform, prefix: str) -> tuple[str, Any]:
    """A new district administrator of district a whose login asks for one-time codes, with its code generator."""
    admin = new_user(platform.gateway, platform.a.token, prefix, ["district_admin"])
    token = token_of(platform, admin)
    enrolled = httpx.post(f"{platform.gateway}/auth/totp/enroll", headers=auth(token))
    totp = pyotp.parse_uri(enrolled.json()["provisioningUri"])
    confirmed = httpx.post(f"{platform.gateway}/auth/totp/confirm", headers=auth(token), json={"otp": totp.now()})
    assert confirmed.status_code == 204, confirmed.text
    return admin, totp


async def test_an_account_with_one_time_codes_is_asked_for_its_code(platform: RunningPlatform, new_page: Any) -> None:
    admin, totp = admin_with_codes(platform, "totp")
    page = await new_page()
    await sign_in(page, platform, admin)
    code = page.get_by_label("动态验证码")
    await code.fill("000000" if totp.now() != "000000" else "111111")
    await page.get_by_role("button", name="继续").click()
    assert "验证码不正确" in await page.locator("#e-otp").inner_text()
    await page.get_by_label("动态验证码").fill(totp.now())
    await page.get_by_role("button", name="继续").click()
    await page.wait_for_url(re.compile(r"/console/desk$"))


async def test_the_desk_shows_the_queue_live_and_filters_it(platform: RunningPlatform, new_page: Any) -> None:
    username = operator(platform)
    token = token_of(platform, username)
    first = new_ticket(platform, token, category=0)
    page = await new_page()
    await sign_in(page, platform, username)
    await page.wait_for_url(re.compile(r"/console/desk$"))
    row = page.locator(f"#ticket-{first['id']}")
    assert first["number"] in await row.inner_text()
    assert categories(platform, token)[0]["name"] in await row.inner_text()
    assert await axe_violations(page) == []

    # a call taken while the desk is open appears without reloading
    await page.locator("#queue [data-live=on]").wait_for()
    second = new_ticket(platform, token, category=1)
    live = page.locator(f"#ticket-{second['id']}")
    await live.wait_for()
    assert second["title"] in await live.inner_text()
    await screenshot(page, "console-desk")

    # filtering by category keeps the other category's ticket out, and the address says so
    wanted = categories(platform, token)[1]
    await page.get_by_label("类别").select_option(wanted["id"])
    await page.locator(f"#ticket-{first['id']}").wait_for(state="detached")
    assert f"category={wanted['id']}" in page.url
    assert await page.locator(f"#ticket-{second['id']}").count() == 1

    await page.get_by_role("button", name="退出登录").click()
    await page.wait_for_url(re.compile(r"/console/sign-in$"))
    await page.goto(f"{platform.gateway}/console/desk")
    await page.wait_for_url(re.compile(r"/console/sign-in\?next="))


async def test_another_districts_operator_sees_none_of_it(platform: RunningPlatform, new_page: Any) -> None:
    ours, theirs = operator(platform, "a"), operator(platform, "b")
    hidden = new_ticket(platform, token_of(platform, ours))
    page = await new_page()
    await sign_in(page, platform, theirs)
    await page.wait_for_url(re.compile(r"/console/desk$"))
    assert hidden["number"] not in await page.content()
    await page.locator("#queue [data-live=on]").wait_for()
    later = new_ticket(platform, token_of(platform, ours))  # while their desk is open
    own = new_ticket(platform, token_of(platform, theirs))
    await page.locator(f"#ticket-{own['id']}").wait_for()  # their own new call arrives live...
    content = await page.content()
    assert hidden["number"] not in content
    assert later["number"] not in content
