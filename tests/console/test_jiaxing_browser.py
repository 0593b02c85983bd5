"""Jiaxing 96345's pages in a real browser (issue 16, DSP-09/10/11): a district admin registers an empty-nest
household (the missing choice refused beside its field first, nothing stored) and pairs it with the member
volunteer of its grid; registers a one-touch device (a malformed code refused beside its field); sets up a Red
Cube station on the village, puts the volunteer on duty now (an end before the start refused beside its field)
and sees them on duty; and registers a demand at the station's desk as a ticket."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import jwt

from tests.console.support import caller_household, token_of, until
from tests.console.test_browser import sign_in
from tests.platform.browser import PHONE, axe_violations, screenshot
from tests.platform.platform import RunningPlatform, auth, new_user

ZONE = ZoneInfo("Asia/Shanghai")


def local(at: datetime) -> str:
    return at.astimezone(ZONE).strftime("%Y-%m-%dT%H:%M")


async def test_a_district_admin_pairs_a_household_maps_a_device_and_staffs_a_red_cube(
    platform: RunningPlatform, new_page: Any
) -> None:
    gateway, admin = platform.gateway, auth(platform.a.token)
    caller = caller_household(platform)  # a grid with a member (a volunteer in dispatch) and a household
    label = f"空巢{uuid.uuid4().hex[:4]}号"
    lonely = httpx.post(
        f"{gateway}/api/orgtree/households",
        headers=admin,
        json={"gridId": caller.grid["id"], "label": label, "categories": ["empty_nest"]},
    )
    assert lonely.status_code == 201, lonely.text
    household = lonely.json()

    def volunteer() -> dict[str, Any] | None:  # the member reaches dispatch's providers through orgtree's events
        query = {"gridId": caller.grid["id"], "kind": "member_volunteer"}
        listed = httpx.get(f"{gateway}/api/dispatch/providers", params=query, headers=admin).json()["items"]
        return next((p for p in listed if p["memberId"] == caller.member["id"]), None)

    provider = until("the member volunteer in dispatch", volunteer)

    def placed() -> bool:  # the new household reaches dispatch's directory
        devices = {"code": f"PROBE-{uuid.uuid4().hex[:6]}", "householdId": household["id"]}
        return httpx.post(f"{gateway}/api/dispatch/devices", json=devices, headers=admin).status_code == 201

    until("the household in dispatch's directory", placed)

    page = await new_page()
    await sign_in(page, platform, new_user(gateway, platform.a.token, "jx", ["district_admin"]))
    await page.wait_for_url(re.compile(r"/console/"))
    await page.goto(f"{gateway}/console/vulnerable/new")
    await page.get_by_role("heading", name="登记困难户").wait_for()
    await page.get_by_label("空巢老人").check()
    await page.get_by_role("button", name="登记", exact=True).click()
    await page.get_by_text("请选择您管辖范围内的住户。").wait_for()
    assert await axe_violations(page) == []
    assert httpx.get(f"{gateway}/api/dispatch/vulnerable", headers=admin).json() == []  # nothing stored
    await page.get_by_label("住户").select_option(household["id"])
    await page.get_by_role("button", name="登记", exact=True).click()
    await page.get_by_role("heading", name="结对志愿者").wait_for()
    await page.get_by_label("本网格党员志愿者").select_option(provider["id"])
    await page.get_by_role("button", name="结对").click()
    await page.locator("[data-volunteer]").get_by_text("林志红").wait_for()
    await screenshot(page, "console-vulnerable-paired")
    await page.goto(f"{gateway}/console/vulnerable")
    await page.get_by_role("heading", name="困难群体结对").wait_for()
    row = page.locator("[data-registration]").filter(has_text=label)
    assert "空巢老人" in await row.inner_text()
    assert await axe_violations(page) == []

    # the paired volunteer, signed in on a phone, records this week's visit (a visit in the future refused first)
    username = new_user(gateway, platform.a.token, "jxv", ["member", "volunteer"])
    account = jwt.decode(token_of(platform, username), options={"verify_signature": False})["sub"]
    linked = httpx.patch(
        f"{gateway}/api/orgtree/members/{caller.member['id']}", json={"userId": account}, headers=admin
    )
    assert linked.status_code == 200, linked.text
    volunteer_token = auth(token_of(platform, username))
    until(
        "the login in dispatch", lambda: httpx.get(f"{gateway}/api/dispatch/vulnerable", headers=volunteer_token).json()
    )
    phone = await new_page(PHONE)
    await sign_in(phone, platform, username)
    await phone.wait_for_url(re.compile(r"/console/"))
    await phone.goto(f"{gateway}/console/vulnerable/me")
    await phone.get_by_role("heading", name="我的结对户", exact=True).wait_for()
    await phone.get_by_label("走访时间").fill(local(datetime.now(ZONE) + timedelta(days=1)))
    await phone.get_by_role("button", name="记录走访").click()
    await phone.get_by_text("请填写走访日期和时间，不能晚于现在。").wait_for()
    await phone.get_by_label("走访时间").fill(local(datetime.now(ZONE)))
    await phone.get_by_label("走访情况").fill("老人精神不错，帮忙换了灯泡")
    await phone.get_by_role("button", name="记录走访").click()
    await phone.get_by_text("走访记录已保存。").wait_for()
    await phone.locator("[data-last-visit]").get_by_text("最近走访").wait_for()
    assert await axe_violations(phone) == []
    await screenshot(phone, "console-vulnerable-mine")

    await page.goto(f"{gateway}/console/vulnerable/devices")
    await page.get_by_label("设备编号").fill("x")
    await page.get_by_role("button", name="登记该设备").click()
    await page.get_by_text("请填写设备编号：3至64位").wait_for()
    code = f"JX-YJT-{uuid.uuid4().hex[:6]}"
    await page.get_by_label("设备编号").fill(code)
    await page.get_by_label("住户").select_option(household["id"])
    await page.get_by_role("button", name="登记该设备").click()
    await page.locator(f'[data-device="{code}"]').get_by_text(label).wait_for()
    assert await axe_violations(page) == []

    await page.goto(f"{gateway}/console/stations")
    await page.get_by_label("驿站名称").fill("穆河社区红立方")
    await page.get_by_label("单位").select_option(caller.grid["id"])
    await page.get_by_label("特色服务（以、分隔）").fill("翻译服务、便民小修")
    await page.get_by_role("button", name="设立该驿站").click()
    await page.get_by_role("heading", name="穆河社区红立方").wait_for()
    assert await page.locator("[data-services]").inner_text() == "翻译服务、便民小修"
    await page.get_by_text("当前无人值班。").wait_for()
    now = datetime.now(ZONE)
    await page.get_by_label("志愿者", exact=True).select_option(provider["id"])
    await page.get_by_label("值班开始").fill(local(now + timedelta(hours=2)))
    await page.get_by_label("值班结束").fill(local(now - timedelta(hours=1)))
    await page.get_by_role("button", name="添加班次").click()
    await page.get_by_text("值班结束时间须晚于开始时间，且不超过24小时。").wait_for()
    await page.get_by_label("值班开始").fill(local(now - timedelta(hours=1)))
    await page.get_by_label("值班结束").fill(local(now + timedelta(hours=3)))
    await page.get_by_role("button", name="添加班次").click()
    await page.locator("[data-on-duty]").get_by_text("林志红").wait_for()
    await page.get_by_label("诉求内容").fill("想请人翻译外文药品说明书")
    await page.get_by_role("button", name="登记为工单").click()
    await page.get_by_text(re.compile(r"诉求已登记为工单 \d{8}-\d{4}")).wait_for()
    assert await axe_violations(page) == []
    await screenshot(page, "console-station")
