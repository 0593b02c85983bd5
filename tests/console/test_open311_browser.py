"""Open311 接入 in a real browser against the running platform: the district admin issues a client's API key (a
name too short first refused beside its field in Chinese, nothing stored), reads the key once, sees the client with
its key's first characters, and revokes it; the key opens the Open311 endpoint until then, and not after."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx

from tests.console.support import new_phone
from tests.console.test_browser import sign_in
from tests.platform.browser import axe_violations, screenshot
from tests.platform.platform import RunningPlatform, auth, new_user

CLIENTS = "/api/dispatch/open311/clients"


def code_sent(platform: RunningPlatform, key: str) -> int:
    """What the Open311 endpoint answers a client with ``key`` asking for a resident's SMS code."""
    return httpx.post(
        f"{platform.gateway}/api/dispatch/open311/v2/verifications.json",
        data={"jurisdiction_id": platform.a.slug, "api_key": key, "phone": new_phone()},
    ).status_code


async def test_the_admin_issues_a_key_reads_it_once_and_revokes_it(platform: RunningPlatform, new_page: Any) -> None:
    name = f"市民通{uuid.uuid4().hex[:4]}"
    admin = new_user(platform.gateway, platform.a.token, "o311", ["district_admin"])
    page = await new_page()
    await sign_in(page, platform, admin)
    await page.wait_for_url(re.compile(r"/console/"))
    await page.get_by_role("link", name="Open311 接入").click()
    await page.get_by_role("heading", name="签发密钥").wait_for()

    await page.get_by_label("接入方名称").fill("市")
    await page.get_by_role("button", name="签发密钥").click()
    await page.get_by_text("请输入接入方名称，2至100个字符。").wait_for()
    assert await page.get_by_label("接入方名称").get_attribute("aria-invalid") == "true"
    listed = httpx.get(f"{platform.gateway}{CLIENTS}", headers=auth(platform.a.token)).json()
    assert "市" not in [c["name"] for c in listed]
    assert await axe_violations(page) == []

    await page.get_by_label("接入方名称").fill(name)
    await page.get_by_label("联系人（选填）").fill("运维 ops@example.cn")
    await page.get_by_role("button", name="签发密钥").click()
    await page.get_by_role("heading", name=f"已为「{name}」签发密钥").wait_for()
    key = (await page.locator("#issued-key").inner_text()).strip()
    assert key.startswith("o311_")
    row = page.get_by_role("row", name=re.compile(name))
    assert key[:12] in await row.inner_text()
    assert "尚未使用" in await row.inner_text()
    assert await axe_violations(page) == []
    await screenshot(page, "console-open311")
    assert code_sent(platform, key) == 200

    await page.goto(f"{platform.gateway}/console/open311/")  # the key is never shown again
    await row.wait_for()
    assert key not in await page.content()
    await row.get_by_role("button", name=f"吊销「{name}」的密钥").click()
    await page.get_by_role("row", name=re.compile(f"{name}.*已于")).wait_for()
    assert code_sent(platform, key) == 403
