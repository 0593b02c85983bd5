"""红旗社区评定 in a real browser against the running platform: a community's cadre opens the evaluation of their
community for the year, is refused applying before the self-check (said beside the score) and a score that is not
a number, checks and applies; the street's admin recommends it; the district admin records the acceptance (site
visit, documents, interviews), is refused deciding without choosing, then awards the title and recommends the
community to the city, and the steps show who did what."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.console.support import street
from tests.console.test_browser import sign_in
from tests.platform.browser import axe_violations, screenshot
from tests.platform.platform import RunningPlatform, auth, new_user


def community_of(platform: RunningPlatform, street_node: dict[str, Any], name: str) -> dict[str, Any]:
    body = {"parentId": street_node["id"], "level": "community", "name": name}
    made = httpx.post(f"{platform.gateway}/api/orgtree/nodes", json=body, headers=auth(platform.a.token))
    assert made.status_code == 201, made.text
    node: dict[str, Any] = made.json()
    return node


async def test_a_community_applies_the_street_recommends_and_the_district_awards_the_red_flag(
    platform: RunningPlatform, new_page: Any
) -> None:
    home = street(platform, "评定街道")
    name = f"红旗评定社区{uuid.uuid4().hex[:4]}"
    community = community_of(platform, home, name)
    cadre = new_user(platform.gateway, platform.a.token, "flagc", ["community_cadre"], scope=community["path"])
    street_admin = new_user(platform.gateway, platform.a.token, "flags", ["street_admin"], scope=home["path"])
    admin = new_user(platform.gateway, platform.a.token, "flagd", ["district_admin"])

    page = await new_page()
    await sign_in(page, platform, cadre)
    await page.get_by_role("link", name="红旗社区评定").click()
    await page.get_by_role("heading", name="红旗社区评定", level=1).wait_for()
    await page.get_by_label("社区").select_option(label=name)
    await page.get_by_label("年度").fill("2026")
    await page.get_by_role("button", name="创建评定").click()
    await page.get_by_role("heading", name=f"{name} 2026年度红旗社区评定").wait_for()
    assert await page.locator("[data-state]").inner_text() == "自查"
    await page.get_by_role("button", name="向街道申报").click()
    refused = page.locator("#e-selfScore")
    await refused.wait_for()
    assert await refused.inner_text() == "请填写 0 到 100 的分数。"
    assert await page.locator("#e-selfCheckNote").inner_text() == "请填写自查情况。"
    await page.get_by_label("自查得分（0–100）").fill("九十")
    await page.get_by_role("button", name="保存自查").click()
    await page.locator("#e-selfScore").wait_for()
    await page.get_by_label("自查得分（0–100）").fill("92.5")
    await page.get_by_label("自查情况").fill("对照红旗社区六项标准逐项自查，均已达到。")
    await page.get_by_role("button", name="保存自查").click()
    await page.get_by_role("button", name="向街道申报").click()
    await page.get_by_text("已申报，待街道评价").wait_for()
    assert await axe_violations(page) == []
    url = page.url

    street_page = await new_page()
    await sign_in(street_page, platform, street_admin)
    await street_page.goto(url)
    await street_page.get_by_label("街道评分（0–100）").fill("90")
    await street_page.get_by_label("街道意见").fill("班子坚强、服务有特色，同意推荐。")
    await street_page.get_by_role("button", name="推荐至区").click()
    await street_page.get_by_text("街道已推荐").wait_for()

    district = await new_page()
    await sign_in(district, platform, admin)
    await district.goto(url)
    await district.get_by_label("实地察看").fill("察看党群服务中心和两处四和院。")
    await district.get_by_label("资料审核").fill("查阅台账 12 本。")
    await district.get_by_label("走访座谈").fill("走访居民 8 户、座谈党员 5 人。")
    await district.get_by_label("验收得分（0–100）").fill("93")
    await district.get_by_role("button", name="记录验收").click()
    await district.get_by_text("区级已验收").wait_for()
    await district.get_by_role("button", name="作出决定").click()
    decision_refused = district.locator("#e-outcome")
    await decision_refused.wait_for()
    assert await decision_refused.inner_text() == "请选择评定结果。"
    await district.get_by_label("评定结果").select_option(label="命名为红旗社区")
    await district.get_by_label("原因").fill("六项标准全部达到，验收得分 93 分。")
    await district.get_by_label("向市推荐").check()
    await district.get_by_role("button", name="作出决定").click()
    await district.locator("[data-decision]").wait_for()
    assert (await district.locator("[data-state]").inner_text()) == "已命名红旗社区"
    steps = await district.locator("[data-steps] li strong").all_inner_texts()
    assert steps == ["创建评定", "社区申报", "街道推荐", "区级验收", "区级决定"]
    assert await axe_violations(district) == []
    await screenshot(district, "console-evaluation-awarded")
    await district.get_by_role("link", name="红旗社区评定").first.click()
    row = district.get_by_role("row").filter(has_text=name)
    assert "已命名红旗社区 · 已向市推荐" in await row.inner_text()
