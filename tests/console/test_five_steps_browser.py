"""五步工作法 in a real browser against the running platform (DSP-17): the district admin turns on 每步短信告知,
a call taken without a category stands at 分类 on the steps page with 收集 done, and the resident's SMS of the
collection is in the delivery log. The setting is turned off again: the platform's district is shared."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx

from tests.console.support import new_phone, street_with_grid, until
from tests.console.test_browser import sign_in
from tests.platform.browser import axe_violations, screenshot
from tests.platform.platform import RunningPlatform, auth, new_user


async def test_the_steps_of_a_call_and_the_sms_at_every_step(platform: RunningPlatform, new_page: Any) -> None:
    tag = uuid.uuid4().hex[:4]
    place = street_with_grid(platform, f"五步街道{tag}")
    admin = new_user(platform.gateway, platform.a.token, "fs", ["district_admin"])
    token = auth(platform.a.token)

    page = await new_page()
    await sign_in(page, platform, admin)
    await page.wait_for_url(re.compile(r"/console/"))
    await page.goto(f"{platform.gateway}/console/five-steps/settings/")
    try:
        await page.get_by_label(re.compile("每一步都短信告知群众")).check()
        await page.get_by_role("button", name="保存").click()
        await page.get_by_text("已保存。").wait_for()
        assert await axe_violations(page) == []

        body = {
            "channel": "phone",
            "title": f"村道路灯不亮{tag}",
            "gridId": place.grid["id"],
            "callerPhone": new_phone(),
        }
        created = httpx.post(f"{platform.gateway}/api/dispatch/tickets", json=body, headers=token)
        assert created.status_code == 201, created.text
        ticket = created.json()["ticket"]
        await page.goto(f"{platform.gateway}/console/five-steps/tickets/{ticket['id']}")
        await page.get_by_text("当前环节：分类").wait_for()
        steps = page.locator("ol.steps li")
        assert await steps.count() == 5
        assert "收集 · 已完成" in await steps.nth(0).inner_text()
        assert "分类 · 进行中" in await steps.nth(1).inner_text()
        assert "流转 · 未到" in await steps.nth(2).inner_text()
        await page.get_by_text("每一步都已短信告知群众。").wait_for()
        assert await axe_violations(page) == []
        await screenshot(page, "console-five-steps-ticket")

        await page.goto(f"{platform.gateway}/console/five-steps/?stage=classify")
        await page.get_by_role("link", name=ticket["number"]).wait_for()

        def collected() -> list[str] | None:
            log = httpx.get(
                f"{platform.gateway}/api/dispatch/notifications", params={"ticketId": ticket["id"]}, headers=token
            ).json()
            templates = [n["template"] for n in log["items"]]
            return templates if "stage_collected" in templates else None

        assert until("the collection SMS in the delivery log", collected) == ["stage_collected"]
    finally:
        off = httpx.patch(
            f"{platform.gateway}/api/dispatch/stages/settings", json={"notifyEveryStage": False}, headers=token
        )
        assert off.status_code == 200, off.text
