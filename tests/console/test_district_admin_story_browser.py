"""The district administrator's whole path across the console's areas, as issue 15 tells it: a street, a community
and a grid built through the tree's pages, and a party committee with a branch; a member added on that grid with
a wrong ID number (the message names it, nothing is stored), then corrected; a household added; the street's
coverage report counting it not served, then served once the member's page links them; and a street admin of that
new street who sees it as their whole tree and gets 未找到 for another street's unit."""

from __future__ import annotations

import re
import secrets
import uuid
from typing import Any

from tests.console.support import street
from tests.console.test_browser import sign_in
from tests.console.test_people_browser import call, resident_id, wrong_check_digit
from tests.console.test_redcells_browser import CHECK_DIGIT_WRONG, figure
from tests.console.test_units_browser import add_below
from tests.platform.browser import axe_violations
from tests.platform.platform import RunningPlatform, new_user

UNIT_PAGE = re.compile(r"/console/units/([0-9a-f-]{36})$")


def unit_id(page: Any) -> str:
    found = UNIT_PAGE.search(page.url)
    assert found, page.url
    return found.group(1)


async def test_a_district_admin_builds_a_street_staffs_it_and_its_street_admin_sees_only_it(
    platform: RunningPlatform, new_page: Any
) -> None:
    tag = uuid.uuid4().hex[:4]
    token = platform.a.token
    elsewhere = street(platform, "他处街道")
    roots = {n["tree"]: n for n in call(platform, token, "GET", "/api/orgtree/nodes")["items"]}
    admin = new_user(platform.gateway, token, "story", ["district_admin"])
    page = await new_page()
    await sign_in(page, platform, admin)

    await page.goto(f"{platform.gateway}/console/units/")
    await page.locator(".unit-tree").get_by_role("link", name=roots["administrative"]["name"], exact=True).click()
    await add_below(page, "街道", f"故事街道{tag}")
    street_id = unit_id(page)
    await add_below(page, "社区", f"故事社区{tag}")
    await add_below(page, "网格", f"故事社区{tag}一网格")
    grid_id = unit_id(page)
    await page.goto(f"{platform.gateway}/console/units/{roots['party']['id']}")
    await add_below(page, "街道党工委", f"故事街道{tag}党工委")
    await add_below(page, "党支部", f"故事社区{tag}党支部")

    name, number = f"郑{tag}", resident_id()
    await page.goto(f"{platform.gateway}/console/people/members?unit={grid_id}")
    await page.get_by_role("link", name="新增党员").click()
    await page.get_by_label("按名称查找网格和党组织").fill(f"故事社区{tag}")
    await page.get_by_role("button", name="查找单位").click()
    await page.get_by_label("党组织", exact=True).select_option(label=f"故事社区{tag}党支部（党支部）")
    assert await page.get_by_label("网格", exact=True).input_value() == grid_id
    await page.get_by_label("姓名").fill(name)
    await page.get_by_label("身份证号").fill(wrong_check_digit(number))
    await page.get_by_role("button", name="新增党员").click()
    await page.locator("#e-idCard").wait_for()
    assert CHECK_DIGIT_WRONG in await page.locator("#e-idCard").inner_text()
    assert call(platform, token, "GET", "/api/orgtree/members", within=grid_id, name=name)["items"] == []
    await page.get_by_label("身份证号").fill(number)
    await page.get_by_role("button", name="新增党员").click()
    await page.get_by_role("heading", name=name, exact=True).wait_for()
    member_page = page.url

    await page.goto(f"{platform.gateway}/console/people/households/new?unit={grid_id}")
    await page.get_by_label("住户称呼").fill("5组8号")
    await page.get_by_label("户主").fill("周建华")
    await page.get_by_label("地址").fill(f"故事社区{tag}5组8号")
    await page.get_by_label("电话").fill(f"139{secrets.randbelow(10**8):08d}")
    await page.get_by_role("button", name="新增住户").click()
    await page.get_by_role("heading", name="5组8号").wait_for()

    await page.goto(f"{platform.gateway}/console/redcells?unit={street_id}")
    assert (await figure(page, "unserved"), await figure(page, "coverage")) == ("1", "0.0%")
    await page.goto(member_page)
    served = page.get_by_role("region", name=re.compile("联系住户"))
    await served.get_by_label("本网格住户").select_option(label="5组8号 · 周**")
    await served.get_by_role("button", name="建立联系").click()
    await served.get_by_role("link", name="5组8号").wait_for()
    await page.goto(f"{platform.gateway}/console/redcells?unit={street_id}")
    assert (await figure(page, "unserved"), await figure(page, "coverage")) == ("0", "100.0%")
    assert await axe_violations(page) == []

    path = call(platform, token, "GET", f"/api/orgtree/nodes/{street_id}")["path"]
    keeper = new_user(platform.gateway, token, "story", ["street_admin"], scope=path)
    page = await new_page()
    await sign_in(page, platform, keeper)
    await page.goto(f"{platform.gateway}/console/units/")
    tree = page.locator("ul.unit-tree.root")
    await tree.get_by_role("link", name=f"故事街道{tag}").wait_for()
    assert await tree.locator(":scope > li").count() == 1
    await page.goto(f"{platform.gateway}/console/units/{elsewhere['id']}")
    await page.get_by_role("heading", name="未找到").wait_for()
