"""热线号码 in a real browser against the running platform (DSP-02): the district admin adds a street's number,
a malformed number first refused beside its field in Chinese with nothing stored; the list shows the number with
its owning unit, and a call taken on it is placed at that street."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx

from tests.console.support import street_with_grid
from tests.console.test_browser import sign_in
from tests.platform.browser import axe_violations, screenshot
from tests.platform.platform import RunningPlatform, auth, new_user


async def test_the_admin_publishes_a_7171_number_and_a_call_on_it_goes_to_the_street(
    platform: RunningPlatform, new_page: Any
) -> None:
    tag = uuid.uuid4().hex[:4]
    place = street_with_grid(platform, f"号码街道{tag}")
    number = f"0577{int(tag, 16) % 10000:04d}7171"
    admin = new_user(platform.gateway, platform.a.token, "num", ["district_admin"])

    page = await new_page()
    await sign_in(page, platform, admin)
    await page.wait_for_url(re.compile(r"/console/"))
    await page.goto(f"{platform.gateway}/console/numbers/")
    await page.get_by_role("heading", name="添加号码").wait_for()
    await page.get_by_label("电话号码").fill("71-71")
    await page.get_by_label("所属单位").select_option(value=place.node["id"])
    await page.get_by_role("button", name="添加号码").click()
    await page.get_by_text("请输入5至20位电话号码（可含空格和-）。").wait_for()
    assert await page.get_by_label("电话号码").get_attribute("aria-invalid") == "true"
    listed = httpx.get(f"{platform.gateway}/api/dispatch/numbers", headers=auth(platform.a.token)).json()
    assert all(n["unitId"] != place.node["id"] for n in listed)
    assert await axe_violations(page) == []

    await page.get_by_label("电话号码").fill(number[:4] + "-" + number[4:])
    await page.get_by_label("名称（选填）").fill("街道民生热线")
    await page.get_by_role("button", name="添加号码").click()
    row = page.get_by_role("row", name=re.compile(number))
    await row.wait_for()
    assert place.node["name"] in await row.inner_text()
    assert await axe_violations(page) == []
    await screenshot(page, "console-numbers")

    body = {"channel": "phone", "title": f"路灯不亮{tag}", "dialledNumber": number}
    call = httpx.post(f"{platform.gateway}/api/dispatch/tickets", json=body, headers=auth(platform.a.token))
    assert call.status_code == 201, call.text
    assert call.json()["ticket"]["unitId"] == place.node["id"]
