"""组织架构 in a real browser against the running platform: a district admin builds a street, a community under it and
a grid under that through the pages, renames the grid, is told in words that a unit cannot move under its own unit,
moves the community to another street, is refused closing a unit that is not empty, closes the empty street and
finds units by name; the level schema refuses to drop a level in use. A street admin's browser starts at their
street and opens down to the grid, and another street's unit is 未找到."""

from __future__ import annotations

import re
import uuid
from typing import Any

from tests.console.support import signed_in_client, street, village_member
from tests.console.test_browser import sign_in
from tests.platform.browser import axe_violations, screenshot
from tests.platform.platform import RunningPlatform, new_user


async def add_below(page: Any, level: str, name: str) -> None:
    await page.get_by_label("新单位的层级").select_option(label=level)
    await page.get_by_label("新单位名称").fill(name)
    await page.get_by_role("button", name="新增单位").click()
    await page.get_by_role("heading", name=name, level=1).wait_for()


async def move_under(page: Any, search: str, option: str) -> None:
    await page.get_by_role("link", name="移到其他单位之下").click()
    await page.get_by_label("单位名称包含").fill(search)
    await page.get_by_role("button", name="搜索").click()
    await page.get_by_label("新的上级单位", exact=True).select_option(label=option)
    await page.get_by_role("button", name="移动单位").click()


async def test_an_admin_builds_renames_moves_and_closes_units_and_a_street_sees_its_own(
    platform: RunningPlatform, new_page: Any
) -> None:
    tag = uuid.uuid4().hex[:4]
    token = platform.a.token
    target, elsewhere = street(platform, "移入街道"), street(platform, "别处街道")
    built, community, grid = f"建设街道{tag}", f"建设社区{tag}", f"建设一网格{tag}"
    admin = new_user(platform.gateway, token, "org", ["district_admin"])

    page = await new_page()
    await sign_in(page, platform, admin)
    await page.goto(f"{platform.gateway}/console/units/")
    await page.get_by_role("heading", name="组织架构", level=1).wait_for()
    await page.get_by_role("link", name="党组织架构").wait_for()  # both trees for the district admin
    assert await axe_violations(page) == []
    await page.locator(".unit-tree").get_by_role("link", name="龙湾区", exact=True).click()
    await page.get_by_role("heading", name="龙湾区", level=1).wait_for()
    await add_below(page, "街道", built)
    await add_below(page, "社区", community)
    await add_below(page, "网格", grid)
    crumbs = page.get_by_role("navigation", name="当前位置")
    assert [built, community] == [t for t in await crumbs.get_by_role("link").all_inner_texts() if tag in t]
    await page.get_by_label("新名称").fill(f"建设第一网格{tag}")
    await page.get_by_role("button", name="更改名称").click()
    grid = f"建设第一网格{tag}"
    await page.get_by_role("heading", name=grid, level=1).wait_for()
    counts = page.locator("dl.facts").first
    await counts.get_by_text("红细胞联系数").wait_for()
    assert "网格数\n1" in await counts.inner_text()
    assert await axe_violations(page) == []
    await screenshot(page, "console-units-unit")

    await crumbs.get_by_role("link", name=built).click()  # a street under its own community: refused in words
    await page.get_by_role("heading", name=built, level=1).wait_for()
    await move_under(page, community, f"{community}（社区）")
    refusal = page.get_by_role("alert")
    await refusal.wait_for()
    assert await refusal.inner_text() == "单位不能移到它自己或它的下级单位之下。"
    assert await axe_violations(page) == []
    await screenshot(page, "console-units-move-refused")

    await page.get_by_role("link", name="返回该单位").click()
    await page.locator(".unit-tree").get_by_role("link", name=community).click()
    await page.get_by_role("heading", name=community, level=1).wait_for()
    await move_under(page, target["name"], f"{target['name']}（街道）")
    await page.get_by_role("heading", name=community, level=1).wait_for()
    await crumbs.get_by_role("link", name=target["name"]).wait_for()
    await page.get_by_role("button", name="撤销单位").click()  # it still has its grid
    refusal = page.get_by_role("alert")
    await refusal.wait_for()
    assert "只有空的单位才能撤销" in await refusal.inner_text()

    await page.goto(f"{platform.gateway}/console/units/?q={built}")
    await page.get_by_role("list", name="找到的单位").get_by_role("link", name=built).click()
    await page.get_by_role("heading", name=built, level=1).wait_for()
    assert "下级单位" in await page.locator("#h-below").inner_text()
    await page.get_by_role("button", name="撤销单位").click()
    await page.get_by_role("heading", name="龙湾区", level=1).wait_for()
    assert await page.get_by_role("status").filter(has_text="已撤销").inner_text() == f"{built}已撤销。"
    await page.goto(f"{platform.gateway}/console/units/?q={tag}")
    found = page.get_by_role("list", name="找到的单位")
    assert {community, grid} == set(await found.get_by_role("link").all_inner_texts())

    await page.goto(f"{platform.gateway}/console/units/levels")
    await page.get_by_role("heading", name="层级设置", level=1).wait_for()
    assert await page.get_by_label("第7行：代码").input_value() == "grid"
    await page.get_by_label("第7行：删除").check()
    await page.get_by_role("button", name="保存层级设置").click()
    refusal = page.get_by_role("alert")
    await refusal.wait_for()
    assert re.match(r"^仍有单位使用层级 .*grid.*，请先移动或撤销这些单位。$", await refusal.inner_text())
    assert await axe_violations(page) == []
    await screenshot(page, "console-units-levels")

    keeper = new_user(platform.gateway, token, "org", ["street_admin"], scope=target["path"])
    page = await new_page()
    await sign_in(page, platform, keeper)
    await page.goto(f"{platform.gateway}/console/units/")
    tree = page.locator("ul.unit-tree.root")
    await tree.get_by_role("link", name=target["name"]).wait_for()
    assert await tree.locator(":scope > li").count() == 1  # their street and nothing beside it
    assert await page.get_by_role("link", name="党组织架构").count() == 0
    await tree.locator("summary", has_text=target["name"]).click()
    await tree.get_by_role("link", name=community).wait_for()
    await tree.locator("summary", has_text=community).click()
    await tree.get_by_role("link", name=grid).wait_for()
    assert await axe_violations(page) == []
    await screenshot(page, "console-units")

    await page.goto(f"{platform.gateway}/console/units/{elsewhere['id']}")
    await page.get_by_role("heading", name="未找到").wait_for()
    assert elsewhere["name"] not in await page.content()

    reader = signed_in_client(platform, keeper)  # reads the level schema; only the district admin changes it
    try:
        levels = reader.get("/console/units/levels")
        assert levels.status_code == 200
        assert "村民小组" in levels.text
        assert "保存层级设置" not in levels.text
    finally:
        reader.close()


NEXT_DD = "xpath=following-sibling::dd[1]"  # a term's description


async def test_a_villages_page_names_its_cadres_and_leads_to_them(platform: RunningPlatform, new_page: Any) -> None:
    village, secretary = village_member(platform, "干部", "陈书记", "13912340000", role="secretary")
    admin = new_user(platform.gateway, platform.a.token, "org", ["district_admin"])

    page = await new_page()
    await sign_in(page, platform, admin)
    await page.goto(f"{platform.gateway}/console/units/{village['id']}")
    people = page.locator("section", has=page.get_by_role("heading", name="本单位人员"))
    village_cadres = people.locator("dt").filter(has_text=re.compile("^村干部$")).locator(NEXT_DD)
    assert (await village_cadres.inner_text()).startswith("陈书记 · 党组织书记")
    stationed = people.locator("dt").filter(has_text=re.compile("^驻村干部$")).locator(NEXT_DD)
    assert await stationed.inner_text() == "暂无"
    assert await axe_violations(page) == []
    await screenshot(page, "console-units-village")
    await village_cadres.get_by_role("link", name="陈书记").click()
    await page.get_by_role("heading", name=secretary["name"], level=1).wait_for()
