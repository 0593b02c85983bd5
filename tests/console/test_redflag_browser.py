"""红旗社区建设 in a real browser against the running platform: a district admin opens 人员配备 for a street with
three full-time party workers, one short; opens the street's staff from its unit page, is refused recording staff
without a member (said beside the field), records the fourth and sees the street meet its quota; certifies a 7171
point with its sign after a date in the future is refused beside the date; and sets the street's brand from its
staff page, an 11-character name refused beside the field."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.console.support import new_phone, village_member
from tests.console.test_browser import sign_in
from tests.platform.browser import axe_violations, screenshot
from tests.platform.platform import RunningPlatform, auth, new_user


def api_post(platform: RunningPlatform, path: str, body: dict[str, Any]) -> dict[str, Any]:
    made = httpx.post(f"{platform.gateway}/api/orgtree{path}", json=body, headers=auth(platform.a.token))
    assert made.status_code in {200, 201}, (path, made.text)
    answer: dict[str, Any] = made.json()
    return answer


async def test_an_admin_staffs_a_street_to_its_quota_and_certifies_a_7171_point(
    platform: RunningPlatform, new_page: Any
) -> None:
    tag = uuid.uuid4().hex[:4]
    village, first = village_member(platform, "配备", f"配备{tag}甲", new_phone())
    street_id = village["parentId"]
    members = [first] + [
        api_post(platform, "/members", {"name": f"配备{tag}{n}", "branchId": first["branchId"], "phone": new_phone()})
        for n in "乙丙丁"
    ]
    for member in members[:3]:
        body = {"memberId": member["id"], "role": "full_time_worker", "since": "2026-01-05"}
        api_post(platform, f"/nodes/{street_id}/staff", body)
    point = api_post(
        platform, "/venues", {"unitId": village["id"], "kind": "point_7171", "name": f"四和院便民超市{tag}"}
    )["venue"]
    admin = new_user(platform.gateway, platform.a.token, "flag", ["district_admin"])

    page = await new_page()
    await sign_in(page, platform, admin)
    await page.get_by_role("link", name="人员配备").click()
    await page.get_by_role("heading", name="人员配备", level=1).wait_for()
    await page.goto(f"{platform.gateway}/console/redflag/staffing?unit={street_id}")
    row = page.locator("tbody tr").first  # the street's only rule: its full-time party workers
    assert "缺 1 名" in await row.inner_text()
    assert await page.get_by_role("link", name="下载 .xlsx").get_attribute("href") == (
        f"/console/redflag/staffing/compliance.xlsx?unit={street_id}"
    )
    assert await axe_violations(page) == []
    await screenshot(page, "console-redflag-staffing-short")

    await page.goto(f"{platform.gateway}/console/units/{street_id}")  # the unit's page links here too
    await page.get_by_role("link", name="本单位的人员配备、阵地和品牌").click()
    await page.get_by_role("heading", name="的人员配备", level=1).wait_for()
    await page.get_by_label("人员类别").select_option(label="专职党务工作者")
    await page.get_by_role("button", name="登记该党员").click()
    refused = page.locator("#e-memberId")
    await refused.wait_for()
    assert await refused.inner_text() == "请选择您有权查看的党员。"
    await page.get_by_label("按姓名查找党员").fill(f"配备{tag}丁")
    await page.get_by_role("button", name="查找", exact=True).click()
    await page.get_by_label("党员", exact=True).select_option(label=f"配备{tag}丁")
    await page.get_by_label("人员类别").select_option(label="专职党务工作者")
    await page.get_by_role("button", name="登记该党员").click()
    await page.get_by_role("cell", name=f"配备{tag}丁").wait_for()
    assert await page.get_by_role("button", name="今日离任").count() == 4
    assert await axe_violations(page) == []
    await screenshot(page, "console-redflag-unit-staff")

    await page.goto(f"{platform.gateway}/console/redflag/staffing?unit={street_id}")
    met = page.locator("tbody tr").first
    assert (await met.locator("td").all_inner_texts())[3:] == ["4", "4", "已达标"]
    assert await page.locator("[data-figure=below]").inner_text() == "0"

    await page.get_by_role("link", name="阵地与服务点").first.click()
    await page.get_by_role("heading", name="阵地与服务点", level=1).wait_for()
    await page.get_by_label("阵地类型").select_option(label="7171认证服务网点")
    await page.get_by_label("认证状态").select_option(label="未申请")
    await page.get_by_role("button", name="筛选").click()
    await page.get_by_role("link", name=point["name"]).click()
    await page.get_by_role("heading", name=point["name"], level=1).wait_for()
    await page.get_by_label("新的状态").select_option(label="已认证")
    await page.get_by_label("变更日期").fill("2099-01-01")
    await page.get_by_role("button", name="保存变更").click()
    await page.locator("#e-changedOn").wait_for()
    assert "不晚于今天" in await page.locator("#e-changedOn").inner_text()
    assert await page.locator("[data-figure=status]").inner_text() == "未申请"
    await page.get_by_label("变更日期").fill("2026-11-30")
    await page.get_by_label("已悬挂统一的“7171”党群服务网点标识").check()
    await page.get_by_role("button", name="保存变更").click()
    await page.locator("[data-figure=status]", has_text="已认证").wait_for()
    assert await page.locator("[data-figure=signage]").inner_text() == "是"
    history = page.get_by_role("region", name="认证记录").locator("tbody tr")
    assert await history.count() == 1
    assert await axe_violations(page) == []
    await screenshot(page, "console-redflag-venue-certified")

    await page.goto(f"{platform.gateway}/console/redflag/staffing/units/{street_id}")
    await page.get_by_role("link", name="的品牌").click()
    await page.get_by_label("品牌名称（不超过 10 个字）").fill("红色先锋连心桥品牌好了")
    await page.get_by_role("button", name="保存品牌").click()
    await page.locator("#e-name").wait_for()
    assert await page.locator("#e-name").inner_text() == "请输入品牌名称，不超过 10 个字。"
    await page.get_by_label("品牌名称（不超过 10 个字）").fill("红色先锋连心桥品牌好")
    await page.get_by_role("button", name="保存品牌").click()
    await page.locator("[data-figure=brand]", has_text="红色先锋连心桥品牌好").wait_for()
    assert await axe_violations(page) == []
    await screenshot(page, "console-redflag-brand")
