"""述职评议 and 整改清单 in a real browser: a district admin draws the month's secretaries under a party committee,
enters the questionnaire results and the report (a score sent as words refused beside the field, nothing stored),
asks a question, opens the poll; a member of the branch votes on a phone (a missing grade refused beside its aspect,
then counted once; the tallies withheld while fewer than 3 have voted); the organiser finalises the review report,
lists a problem found at the review (a past deadline refused beside the field) and ticks it off. Pages are
axe-clean; another district's round and review are the 404 page."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
import jwt

from tests.console.support import new_phone, token_of, until, village_member
from tests.console.test_browser import sign_in
from tests.console.test_training_browser import organiser
from tests.platform.browser import PHONE, axe_violations, screenshot
from tests.platform.platform import RunningPlatform, auth, new_user


def training_person(platform: RunningPlatform, token: str, name: str, duty: str | None = None) -> dict[str, Any]:
    """Waits until orgtree's events have brought the member (and, with ``duty``, the posting) to training."""

    def known() -> dict[str, Any] | None:
        listed = httpx.get(f"{platform.gateway}/api/training/people", params={"q": name}, headers=auth(token))
        found = [p for p in listed.json()["items"] if p["name"] == name and (duty is None or duty in p["duties"])]
        return found[0] if found else None

    found: dict[str, Any] = until(f"{name} in training's people", known)
    return found


def voter_in(platform: RunningPlatform, member: dict[str, Any], name: str) -> str:
    """A member of the same branch and grid with a login (the member role); returns the username."""
    username = new_user(platform.gateway, platform.a.token, "voter", ["member"])
    user_id = jwt.decode(token_of(platform, username), options={"verify_signature": False})["sub"]
    body = {"name": name, "branchId": member["branchId"], "gridId": member["gridId"], "userId": user_id}
    made = httpx.post(f"{platform.gateway}/api/orgtree/members", json=body, headers=auth(platform.a.token))
    assert made.status_code == 201, made.text
    return username


async def test_an_organiser_runs_a_duty_review_to_its_report_and_ticks_off_a_rectification_item(
    platform: RunningPlatform, new_page: Any
) -> None:
    who = organiser(platform)
    token = token_of(platform, who)
    tag = uuid.uuid4().hex[:4]
    secretary_name, voter_name = f"述职书记{tag}（示例）", f"测评党员{tag}（示例）"
    _, secretary = village_member(platform, f"述职{tag}", secretary_name, new_phone(), role="secretary")
    voter = voter_in(platform, secretary, voter_name)
    training_person(platform, token, secretary_name, "secretary")
    training_person(platform, token, voter_name)

    page = await new_page()
    await sign_in(page, platform, who)
    await page.get_by_role("link", name="书记述职评议").first.click()
    await page.get_by_role("heading", name="书记述职评议", level=1).wait_for()
    assert await axe_violations(page) == []
    await screenshot(page, "console-reviews-rounds")
    unit = page.get_by_label("从以下组织的支部中抽取")
    option = unit.locator("option", has_text=f"述职{tag}")
    await unit.select_option(value=await option.get_attribute("value"))
    await page.get_by_role("button", name="随机抽取").click()

    # the round: the one secretary on record under the committee is drawn
    await page.get_by_role("heading", name="抽取的书记").wait_for()
    assert await page.get_by_text("从 1 名符合条件的书记中抽取 1 名").count() == 1
    assert await axe_violations(page) == []
    await page.get_by_role("link", name=secretary_name).click()

    # 查 and 述: a score in words is refused beside the field, nothing stored
    await page.get_by_role("heading", name=f"{secretary_name} 的述职评议").wait_for()
    review_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    await page.get_by_label("问卷调查得分（0–100）").fill("八十")
    await page.get_by_label("述职时长（分钟）").fill("9")
    await page.get_by_label("书记述职（8 分钟）").fill("述落实、述创新、述问题（示例）")
    await page.get_by_role("button", name="保存调查结果和述职情况").click()
    await page.locator("#e-questionnaireScore").wait_for()
    assert await page.locator("#e-questionnaireScore").inner_text() == "请填写 0 到 100 的分数。"
    assert await axe_violations(page) == []
    stored = httpx.get(f"{platform.gateway}/api/training/duty-reviews/{review_id}", headers=auth(token)).json()
    assert (stored["questionnaireScore"], stored["reportNote"]) == (None, "")
    await page.get_by_label("问卷调查得分（0–100）").fill("86.5")
    await page.get_by_label("收回问卷份数").fill("40")  # a whole number: sent as one, not as 40.0
    await page.get_by_role("button", name="保存调查结果和述职情况").click()
    await page.get_by_text("述职超过了规定的 8 分钟。").wait_for()
    stored = httpx.get(f"{platform.gateway}/api/training/duty-reviews/{review_id}", headers=auth(token)).json()
    assert (stored["questionnaireScore"], stored["questionnaireCount"]) == (86.5, 40)

    # 问: a challenge and its answer
    await page.get_by_label("提问方式").select_option("challenge")
    await page.get_by_label("提问", exact=True).fill("村集体经济为何连续两年下滑？")
    await page.get_by_label("书记的回答").fill("已制定增收计划（示例）")
    await page.get_by_role("button", name="添加提问").click()
    await page.locator("[data-questions] li", has_text="质问 村集体经济为何连续两年下滑？").wait_for()
    await page.get_by_role("button", name="开始测评").click()
    await page.locator("[data-tallies-withheld]").wait_for()

    # 评: a member of the branch votes on a phone
    phone = await new_page(PHONE)
    await sign_in(phone, platform, voter)
    await phone.goto(f"{platform.gateway}/console/reviews/polls")
    await phone.get_by_role("link", name=f"{secretary_name} 的述职评议").click()
    await phone.get_by_role("button", name="提交测评").wait_for()
    assert await axe_violations(phone) == []
    await screenshot(phone, "console-reviews-ballot")
    for aspect in (
        "抓党建责任落实",
        "抓村级组织班子建设",
        "抓党员队伍建设",
        "抓村（居）务公开和民主管理",
        "开展服务群众工作",
    ):
        await phone.get_by_role("group", name=aspect).get_by_label("好", exact=True).check()
    await phone.get_by_role("group", name="解决基层党建热点难点问题").get_by_label("较好").check()
    await phone.get_by_role("button", name="提交测评").click()  # 推进基层党建创新 left out
    await phone.locator("#e-innovation").wait_for()
    assert await phone.locator("#e-innovation").inner_text() == "请在四个等次中选择一个。"
    assert await axe_violations(phone) == []
    await phone.get_by_role("group", name="推进基层党建创新").get_by_label("一般").check()
    await phone.get_by_role("button", name="提交测评").click()
    await phone.get_by_text("您的投票已计入。系统不记录谁投了哪个等次。").wait_for()

    # the report: tallies, the conclusion, finalised
    await page.reload()
    assert await page.locator("[data-voters]").inner_text() == "1 人已投票"
    withheld = await page.locator("[data-tallies-withheld]").inner_text()  # one voter's grades would show
    assert withheld == "至少 3 人投票后才显示测评结果，以免从中推知个人的投票。"
    assert await page.locator("[data-tallies]").count() == 0
    await page.get_by_role("button", name="点评报告定稿").click()  # no conclusion yet
    await page.locator("#e-conclusion").wait_for()
    assert await page.locator("#e-conclusion").inner_text() == "定稿前请先填写点评意见。"
    await page.get_by_label("综合评价意见").fill("抓党建责任落实较好，集体经济需加强（示例）")
    await page.get_by_role("button", name="点评报告定稿").click()
    await page.locator("[data-state]", has_text="点评报告已定稿").wait_for()
    assert await page.locator("[data-conclusion]").inner_text() == "抓党建责任落实较好，集体经济需加强（示例）"
    assert await axe_violations(page) == []
    await screenshot(page, "console-reviews-report")

    # 整改: a problem found at the review, a past deadline refused, then listed and ticked off
    await page.get_by_role("link", name="把本次评议发现的问题列入整改清单").click()
    await page.get_by_role("heading", name="列入问题").wait_for()
    lead = page.get_by_label("牵头单位")
    await lead.select_option(value=await lead.locator("option", has_text=f"述职{tag}").first.get_attribute("value"))
    problem = f"村集体经济薄弱{tag}（示例）"
    await page.get_by_label("问题", exact=True).fill(problem)
    await page.get_by_label("整改措施", exact=True).fill("制定增收计划，每月调度")
    await page.get_by_label("责任领导").fill("陈书记（示例）")
    await page.get_by_label("整改时限").fill("2020-01-01")
    await page.get_by_role("button", name="列入清单").click()
    await page.locator("#e-deadline").wait_for()
    assert await page.locator("#e-deadline").inner_text() == "请选择今天或以后的整改时限。"
    assert await axe_violations(page) == []
    await page.get_by_label("整改时限").fill("2099-12-31")
    await page.get_by_role("button", name="列入清单").click()
    item = page.locator("tr", has_text=problem)
    await item.wait_for()
    assert await item.get_by_role("link", name=f"来自 {secretary_name} 的述职评议").count() == 1
    assert await axe_violations(page) == []
    await screenshot(page, "console-reviews-rectification")
    # the month's progress (月调度), shown under the measure
    await item.get_by_label("本月进展").fill("已签订物业出租合同")
    await item.get_by_role("button", name="记录本月进展").click()
    item = page.locator("tr", has_text=problem)
    await item.get_by_text("已签订物业出租合同").wait_for()
    await item.get_by_label("办理情况").fill("已落实增收项目")
    await item.get_by_role("button", name="销号").click()
    await page.get_by_role("heading", name="未销号事项").wait_for()
    assert await page.locator("tr", has_text=problem).count() == 0
    await page.get_by_role("link", name="已销号").click()
    await page.locator("tr", has_text=problem).get_by_text("已落实增收项目").wait_for()

    # another district's organiser: the round, the review and the ballot are the 404 page
    other = await new_page()
    await sign_in(other, platform, organiser(platform, "b"))
    await other.wait_for_url(re.compile(r"/console/(?!sign-in)"))
    round_path = f"/console/reviews/rounds/{stored['roundId']}"
    for path in (round_path, f"/console/reviews/rounds/secretaries/{review_id}"):
        response = await other.goto(f"{platform.gateway}{path}")
        assert response is not None
        assert response.status == 404
        await other.get_by_role("heading", name="未找到").wait_for()
