"""红细胞联户 in a real browser against the running platform: a district admin adds a member with a wrong ID number
(said beside the field as it is typed, and again by the server when sent anyway: nothing stored), corrects it;
adds a household with a phone that is not a mobile (refused beside the field), corrects it; sees the household
among those not served in the street's coverage report, links it from the member's page (the district's range
beside the count), and the report then counts it served and lists the member below the range; unlinking puts it
back."""

from __future__ import annotations

import re
import secrets
from typing import Any

from tests.console.test_browser import sign_in
from tests.console.test_people_browser import call, masked_id, resident_id, units, wrong_check_digit
from tests.platform.browser import axe_violations, screenshot
from tests.platform.platform import RunningPlatform, new_user

CHECK_DIGIT_WRONG = "身份证号校验码（最后一位）不正确"


async def figure(page: Any, name: str) -> str:
    text: str = await page.locator(f'[data-figure="{name}"]').inner_text()
    return text.strip()


async def test_an_admin_adds_a_member_and_a_household_links_them_and_the_coverage_changes(
    platform: RunningPlatform, new_page: Any
) -> None:
    place = units(platform, "联户")
    name, number = f"林{place.tag}", resident_id()
    admin = new_user(platform.gateway, platform.a.token, "rc", ["district_admin"])
    page = await new_page()
    await sign_in(page, platform, admin)

    await page.goto(f"{platform.gateway}/console/people/members?unit={place.grid['id']}")
    await page.get_by_role("link", name="新增党员").click()
    await page.get_by_label("按名称查找网格和党组织").fill(f"联户村{place.tag}")
    await page.get_by_role("button", name="查找单位").click()
    await page.get_by_label("党组织", exact=True).select_option(label=f"{place.branch['name']}（党支部）")
    assert await page.get_by_label("网格", exact=True).input_value() == place.grid["id"]  # the list's unit
    await page.get_by_label("姓名").fill(name)
    id_field = page.get_by_label("身份证号")
    await id_field.fill(wrong_check_digit(number))
    assert CHECK_DIGIT_WRONG in await page.locator("#e-idCard").inner_text()  # as the user types
    assert await id_field.get_attribute("aria-invalid") == "true"
    await page.get_by_role("button", name="新增党员").click()  # sent anyway: the server says the same
    await page.locator("#e-idCard").wait_for()
    assert CHECK_DIGIT_WRONG in await page.locator("#e-idCard").inner_text()
    assert await page.get_by_label("姓名").input_value() == name  # what was typed is kept
    assert await axe_violations(page) == []
    await screenshot(page, "console-people-member-refused")
    found = call(platform, platform.a.token, "GET", "/api/orgtree/members", within=place.grid["id"], name=name)
    assert found["items"] == []  # nothing stored
    await id_field.fill(number)
    assert await page.locator("#e-idCard").count() == 0  # right now: the message goes
    await page.get_by_role("button", name="新增党员").click()
    await page.wait_for_url(re.compile(r"/console/people/members/[0-9a-f-]{36}$"))
    await page.get_by_role("heading", name=name, exact=True).wait_for()
    member_page = page.url
    assert masked_id(number) in await page.locator(".facts").inner_text()

    await page.goto(f"{platform.gateway}/console/people/households/new?unit={place.grid['id']}")
    await page.get_by_label("住户称呼").fill("3组12号")
    await page.get_by_label("户主").fill("王建国")
    await page.get_by_label("地址").fill(f"联户村{place.tag}3组12号")
    phone = page.get_by_label("电话")
    await phone.fill("1234567")
    await phone.blur()
    assert "大陆手机号码" in await page.locator("#e-phone").inner_text()
    await page.get_by_role("button", name="新增住户").click()
    await page.locator("#e-phone").wait_for()
    assert "大陆手机号码" in await page.locator("#e-phone").inner_text()
    households = call(platform, platform.a.token, "GET", "/api/orgtree/households", within=place.grid["id"])
    assert households["items"] == []
    await phone.fill(f"139{secrets.randbelow(10**8):08d}")
    await page.get_by_role("button", name="新增住户").click()
    await page.get_by_role("heading", name="3组12号").wait_for()
    assert "王**" in await page.locator(".facts").inner_text()
    assert "尚无党员联系此户" in await page.get_by_role("region", name="联系党员").inner_text()

    await page.goto(f"{platform.gateway}/console/redcells?unit={place.street['id']}")
    await page.get_by_role("heading", name=f"红细胞联户覆盖 · {place.street['name']}").wait_for()
    assert (await figure(page, "unserved"), await figure(page, "coverage")) == ("1", "0.0%")
    unserved = page.get_by_role("region", name=re.compile("无党员联系的住户"))
    await unserved.get_by_role("link", name="3组12号").wait_for()

    await page.goto(member_page)
    served = page.get_by_role("region", name=re.compile("联系住户"))
    rules = call(platform, platform.a.token, "GET", "/api/orgtree/settings")
    low, high = rules["householdLinksMin"], rules["householdLinksMax"]
    assert f"本区每名党员联系 {low} 至 {high} 户；该党员现联系 0 户" in await served.inner_text()
    await served.get_by_label("本网格住户").select_option(label="3组12号 · 王**")
    await served.get_by_role("button", name="建立联系").click()
    await served.get_by_role("link", name="3组12号").wait_for()
    assert "该党员现联系 1 户" in await served.inner_text()
    assert "尚未达到下限" in await served.inner_text()
    assert await axe_violations(page) == []
    await screenshot(page, "console-redcells-member-served")

    await page.goto(f"{platform.gateway}/console/redcells?unit={place.street['id']}")
    await page.get_by_text("每户都有党员联系。").wait_for()
    assert (await figure(page, "unserved"), await figure(page, "coverage")) == ("0", "100.0%")
    outside = page.get_by_role("region", name=re.compile("联系户数超出范围的党员"))
    row = outside.get_by_role("row", name=name)
    assert "低于下限" in await row.inner_text()
    assert await axe_violations(page) == []
    await screenshot(page, "console-redcells-coverage")

    await row.get_by_role("link", name=name).click()
    await page.get_by_role("button", name="不再联系 3组12号").click()
    await page.get_by_text("该党员现联系 0 户").wait_for()
    await page.goto(f"{platform.gateway}/console/redcells?unit={place.street['id']}")
    assert await figure(page, "unserved") == "1"
