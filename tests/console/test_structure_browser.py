"""双网融合 pages in a real browser against the running platform: a district admin finds a grid party group short
of its two instructors, is refused an instructor without a member and a township cadre named as the community's
(said beside the field), assigns the cadre as the township's and sees the group leave the report; records a
member without office claiming a post (a date in the future refused beside it) and sees the claim held now; opens
a village branch's star level from its unit page once training's rating is published; refuses a coverage target
over 100 % beside the field; reads the inactive-member report."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import httpx

from shared.settings import Settings
from tests.console.support import new_phone, until, village_member
from tests.console.test_browser import sign_in
from tests.platform.browser import axe_violations, screenshot
from tests.platform.platform import RunningPlatform, auth, new_user
from tests.seeds.test_huaining_dual_network import end_notice


def api(platform: RunningPlatform, path: str, body: dict[str, Any]) -> dict[str, Any]:
    made = httpx.post(f"{platform.gateway}{path}", json=body, headers=auth(platform.a.token))
    assert made.status_code in {200, 201}, (path, made.text)
    answer: dict[str, Any] = made.json()
    return answer


def published_branch_rating(platform: RunningPlatform, branch: dict[str, Any], committee: dict[str, Any]) -> str:
    """A village-branch round scoring the branch 88 of 100 (four stars); returns its id, on notice."""
    tag = uuid.uuid4().hex[:4]
    criteria = [{"code": "commitments", "name": "年度承诺践诺", "maxScore": 100}]
    template = api(
        platform,
        "/api/training/rating-templates",
        {"name": f"五好星级{tag}", "subjectKind": "village_branch", "criteria": criteria, "levels": [60, 70, 80, 90]},
    )
    rating = api(
        platform,
        "/api/training/ratings",
        {
            "name": f"2026年度星级{tag}",
            "subjectKind": "village_branch",
            "period": "2026",
            "templateId": template["id"],
            "unitPath": committee["path"],
        },
    )
    entry = {
        "unitId": branch["id"],
        "unitPath": branch["path"],
        "unitName": branch["name"],
        "scores": {"commitments": 88},
    }
    api(platform, f"/api/training/ratings/{rating['id']}/entries", entry)
    api(platform, f"/api/training/ratings/{rating['id']}/notice", {})
    return str(rating["id"])


async def test_an_admin_staffs_a_grid_group_records_a_post_claim_and_reads_a_star_level(
    platform: RunningPlatform, new_page: Any, settings: Settings
) -> None:
    tag = uuid.uuid4().hex[:4]
    village, local = village_member(platform, "双网", f"村指导员{tag}", new_phone())
    headers = auth(platform.a.token)
    branch = httpx.get(f"{platform.gateway}/api/orgtree/nodes/{local['branchId']}", headers=headers).json()
    committee = httpx.get(f"{platform.gateway}/api/orgtree/nodes/{branch['parentId']}", headers=headers).json()
    grid = httpx.get(f"{platform.gateway}/api/orgtree/nodes/{local['gridId']}", headers=headers).json()
    body = {
        "parentId": branch["id"],
        "level": "party_group",
        "name": f"{grid['name']}党小组",
        "linkedNodeId": grid["id"],
    }
    api(platform, "/api/orgtree/nodes", body)
    organ = {"parentId": committee["id"], "level": "street_organ_branch", "name": f"双网{tag}机关支部"}
    organ_branch = api(platform, "/api/orgtree/nodes", organ)
    api(platform, "/api/orgtree/members", {"name": f"乡镇干部{tag}", "branchId": organ_branch["id"]})
    plain = api(
        platform,
        "/api/orgtree/members",
        {"name": f"无职党员{tag}", "branchId": branch["id"], "gridId": grid["id"], "flags": ["without_office"]},
    )
    rating_id = published_branch_rating(platform, branch, committee)
    admin = new_user(platform.gateway, platform.a.token, "dual", ["district_admin"])

    page = await new_page()
    await sign_in(page, platform, admin)
    await page.get_by_role("link", name="网格党小组指导员").first.click()
    await page.get_by_role("heading", name="网格党小组指导员", level=1).wait_for()
    await page.goto(f"{platform.gateway}/console/structure/instructors?unit={village['id']}")
    assert await page.locator("[data-figure=lacking]").inner_text() == "1"
    assert await page.locator(f"tr[data-grid='{grid['name']}']").count() == 2  # township and community both short
    assert await axe_violations(page) == []
    await screenshot(page, "console-structure-instructors")

    await page.get_by_role("link", name=grid["name"]).first.click()
    await page.get_by_role("heading", name=f"{grid['name']}党小组的指导员").wait_for()
    await page.get_by_role("button", name="配备该指导员").click()  # no member chosen
    refused = page.locator("#e-memberId")
    await refused.wait_for()
    assert await refused.inner_text() == "请选择属于该指导员来源单位的党员。"
    await page.get_by_label("按姓名查找党员").fill(f"乡镇干部{tag}")
    await page.get_by_role("button", name="查找", exact=True).click()
    await page.get_by_label("党员", exact=True).select_option(label=f"乡镇干部{tag}")
    await page.get_by_label("指导员类别").select_option(
        label="村（社区）指导员"
    )  # a township cadre is not the branch's
    await page.get_by_role("button", name="配备该指导员").click()
    await refused.wait_for()
    assert await refused.inner_text() == "请选择属于该指导员来源单位的党员。"
    assert await axe_violations(page) == []
    await page.get_by_label("指导员类别").select_option(label="乡镇指导员")
    await page.get_by_role("button", name="配备该指导员").click()
    await page.get_by_role("cell", name=f"乡镇干部{tag}").wait_for()
    await screenshot(page, "console-structure-group")
    await page.goto(f"{platform.gateway}/console/structure/instructors?unit={village['id']}")
    assert await page.locator(f"tr[data-grid='{grid['name']}']").count() == 1  # the community's is still short

    await page.goto(f"{platform.gateway}/console/structure/posts?unit={committee['id']}")
    row = page.locator(f"tr[data-unit='{branch['name']}']")
    assert (await row.locator("td").all_inner_texts())[1:] == ["1", "0", "1"]
    await page.get_by_role("link", name=f"无职党员{tag}").click()
    await page.get_by_role("heading", name=f"无职党员{tag}的认岗").wait_for()
    await page.get_by_label("岗位", exact=True).select_option(label="矛盾纠纷调解员")
    await page.get_by_label("认岗方式").select_option(label="支部民主推荐")
    await page.get_by_label("认岗日期").fill((date.today() + timedelta(days=3)).isoformat())
    await page.get_by_role("button", name="登记该认岗").click()
    await page.locator("#e-claimedOn").wait_for()
    assert await page.locator("#e-claimedOn").inner_text() == "请输入认岗日期：不晚于今天，且不早于当前认岗日期。"
    assert await axe_violations(page) == []
    await page.get_by_label("认岗日期").fill(date.today().isoformat())
    await page.get_by_role("button", name="登记该认岗").click()
    await page.get_by_role("cell", name="现任").wait_for()
    assert await page.locator("[data-figure=post]").inner_text() == "矛盾纠纷调解员"
    await screenshot(page, "console-structure-member-posts")
    assert plain["id"] in page.url

    await end_notice(settings, rating_id)
    api(platform, f"/api/training/ratings/{rating_id}/publish", {})
    honours = f"{platform.gateway}/api/orgtree/nodes/{branch['id']}/honours"
    until("the star level in orgtree", lambda: httpx.get(honours, headers=headers).json()["starLevel"])
    await page.goto(f"{platform.gateway}/console/units/{branch['id']}")
    await page.get_by_role("link", name="本单位的星级与称号").click()
    await page.get_by_role("heading", name=f"{branch['name']}的星级与称号").wait_for()
    assert "4 星" in await page.locator("[data-figure=stars]").inner_text()
    assert await axe_violations(page) == []
    await screenshot(page, "console-structure-honours")

    await page.goto(f"{platform.gateway}/console/structure/red-flag")
    await page.get_by_label("目标（%），第1行").fill("120")
    await page.get_by_role("button", name="保存目标").click()
    await page.locator("#e-percent-0").wait_for()
    assert await page.locator("#e-percent-0").inner_text() == "请输入 0 到 100 之间的整数百分比。"
    assert await axe_violations(page) == []
    await page.goto(f"{platform.gateway}/console/structure/inactive?unit={village['id']}")
    await page.get_by_role("heading", name="长期未参加组织生活党员", level=1).wait_for()
    assert await axe_violations(page) == []


async def test_a_cadre_records_a_competitive_election_over_two_rounds_and_reads_the_broadcast_groups(
    platform: RunningPlatform, new_page: Any
) -> None:
    tag = uuid.uuid4().hex[:4]
    village, member = village_member(platform, "选举", f"选举{tag}党员", new_phone())
    api(
        platform,
        "/api/orgtree/members",
        {"name": f"流动{tag}", "branchId": member["branchId"], "classification": "mobile"},
    )
    admin = new_user(platform.gateway, platform.a.token, "vote", ["district_admin"])
    page = await new_page()
    await sign_in(page, platform, admin)
    await page.goto(f"{platform.gateway}/console/structure/units/{member['branchId']}/honours")
    await page.get_by_role("link", name="本单位的选举").click()
    await page.get_by_role("heading", name="的选举", level=1).wait_for()
    await page.get_by_label("选举的组织").select_option(label="支部委员会")
    await page.get_by_label("应选名额").fill("2")
    for i, (name, how) in enumerate((("甲", "个人自荐"), ("乙", "组织推荐"))):
        await page.get_by_label(f"候选人 {i + 1}", exact=True).fill(f"{name}{tag}")
        await page.get_by_label(f"候选人 {i + 1} 的提名方式").select_option(label=how)
    await page.get_by_role("button", name="登记该选举").click()  # two for two seats: not competitive
    await page.locator("#e-candidates").wait_for()
    assert "差额选举" in await page.locator("#e-candidates").inner_text()
    assert await axe_violations(page) == []
    await page.get_by_label("候选人 3", exact=True).fill(f"丙{tag}")
    await page.get_by_label("候选人 3 的提名方式").select_option(label="党员联名推荐")
    await page.get_by_role("button", name="登记该选举").click()
    await page.get_by_role("heading", name="登记第 1 轮").wait_for()
    for name, votes in (("甲", "40"), ("乙", "12"), ("丙", "30")):
        await page.get_by_label(f"{name}{tag}的得票").fill(votes)
    await page.get_by_label(f"甲{tag}当选").check()
    await page.get_by_role("button", name="登记本轮结果").click()
    await page.get_by_role("heading", name="登记第 2 轮").wait_for()
    await page.get_by_label(f"乙{tag}的得票").fill("15")
    await page.get_by_label(f"丙{tag}的得票").fill("37")
    await page.get_by_label(f"丙{tag}当选").check()
    await page.get_by_role("button", name="登记本轮结果").click()
    await page.get_by_role("heading", name="第 2 轮").wait_for()
    assert await page.locator("[data-figure=elected]").inner_text() == "2 / 2"
    assert await page.get_by_role("heading", name="登记第 3 轮").count() == 0
    assert (await page.locator(f"tr[data-candidate='丙{tag}'] td").all_inner_texts())[1:] == [
        "党员联名推荐",
        "第 2 轮当选",
    ]
    assert await axe_violations(page) == []
    await screenshot(page, "console-structure-election")

    await page.goto(f"{platform.gateway}/console/structure/units/{village['id']}/honours")
    await page.get_by_role("link", name="本村（社区）的广播群").click()
    await page.get_by_role("heading", name="的广播群", level=1).wait_for()
    red_cell = page.locator("section", has=page.get_by_role("heading", name="红色细胞群"))
    assert f"选举{tag}党员" in await red_cell.inner_text()
    mobile = page.locator("section", has=page.get_by_role("heading", name="流动党员群"))
    assert f"流动{tag}" in await mobile.inner_text()
    assert f"选举{tag}党员" not in await mobile.inner_text()
    assert await axe_violations(page) == []
