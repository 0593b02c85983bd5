"""考核评价 in a real browser against the running platform: a district admin finds a member (who reached training
from orgtree's events), scores them on the five member indicators of the double-hundred set as the branch's
assessment, is refused a score over the indicator's maximum beside that indicator, corrects it and sees the
member's total among the half-year's totals; then opens the member's year-end democratic appraisal, which another
member of the branch, signed in with their own login, grades once."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import jwt

from tests.console.support import new_phone, until, village_member
from tests.console.test_browser import sign_in
from tests.platform.browser import PHONE, axe_violations, screenshot
from tests.platform.platform import RunningPlatform, auth, login, new_user


def people_named(platform: RunningPlatform, name: str) -> list[dict[str, Any]]:
    """Training's people of that name (they arrive from orgtree's events)."""
    answer = httpx.get(f"{platform.gateway}/api/training/people", params={"q": name}, headers=auth(platform.a.token))
    items: list[dict[str, Any]] = answer.json()["items"] if answer.is_success else []
    return items


async def test_an_admin_scores_a_member_and_sees_the_total_for_the_half_year(
    platform: RunningPlatform, new_page: Any
) -> None:
    name = f"考核{uuid.uuid4().hex[:4]}"
    village_member(platform, "考核", name, new_phone())

    until("the member in training", lambda: people_named(platform, name))

    admin = new_user(platform.gateway, platform.a.token, "assess", ["district_admin"])
    page = await new_page()
    await sign_in(page, platform, admin)
    await page.get_by_role("link", name="考核评价").click()
    await page.get_by_role("heading", name="考核评价", level=1).wait_for()
    await page.get_by_label("按姓名查找党员").fill(name)
    await page.get_by_role("button", name="查找", exact=True).click()
    await page.get_by_label("党员", exact=True).select_option(label=name)
    await page.get_by_label("评价类别").select_option(label="支部考核")
    await page.get_by_label("考核期").fill("2026H1")
    for label, score in [
        ("党性修养", "21"),
        ("履职表现", "18"),
        ("服务群众", "19"),
        ("遵纪守法", "20"),
        ("自身形象", "17.5"),
    ]:
        await page.get_by_label(f"{label}（满分 20）").fill(score)
    await page.get_by_role("button", name="保存评分表").click()
    refused = page.locator("#e-score-party_spirit")
    await refused.wait_for()
    assert await refused.inner_text() == "请填写 0 到该项满分之间的分数。"
    assert await page.get_by_label("履职表现（满分 20）").input_value() == "18"
    assert await axe_violations(page) == []
    await page.get_by_label("党性修养（满分 20）").fill("19")
    await page.get_by_role("button", name="保存评分表").click()
    row = page.locator("[data-totals] tr").filter(has_text=name)
    await row.wait_for()
    assert (await row.locator("td").all_inner_texts())[1:] == ["—", "—", "93.5", "—"]
    assert await axe_violations(page) == []
    await screenshot(page, "console-assessments")


async def test_a_branch_member_grades_a_member_once_in_the_year_end_appraisal(
    platform: RunningPlatform, new_page: Any
) -> None:
    name = f"评议对象{uuid.uuid4().hex[:4]}"
    _, subject = village_member(platform, "评议", name, new_phone())
    voter_login = new_user(platform.gateway, platform.a.token, "voter", ["member"])
    voter_id = jwt.decode(login(platform.gateway, voter_login)["accessToken"], options={"verify_signature": False})[
        "sub"
    ]
    voter = f"评议{uuid.uuid4().hex[:4]}"
    made = httpx.post(
        f"{platform.gateway}/api/orgtree/members",
        json={"name": voter, "branchId": subject["branchId"], "userId": voter_id, "phone": new_phone()},
        headers=auth(platform.a.token),
    )
    assert made.status_code == 201, made.text

    def voter_in_training() -> bool:
        answer = httpx.get(
            f"{platform.gateway}/api/training/people", params={"q": voter}, headers=auth(platform.a.token)
        )
        return answer.is_success and any(p.get("userId") == voter_id for p in answer.json()["items"])

    until("the voter's login in training", voter_in_training)
    until("the member appraised in training", lambda: people_named(platform, name))
    admin = new_user(platform.gateway, platform.a.token, "appraise", ["district_admin"])
    page = await new_page()
    await sign_in(page, platform, admin)
    await page.goto(f"{platform.gateway}/console/assessments?q={name}")
    await page.get_by_label("评议对象").select_option(label=name)
    await page.get_by_label("年度", exact=True).fill("2026")
    await page.get_by_role("button", name="开启评议").click()
    poll = page.locator("[data-polls] tr").filter(has_text=name)
    await poll.wait_for()
    assert "—" in await poll.inner_text()  # no counts before 3 have voted

    phone = await new_page(viewport=PHONE)
    await sign_in(phone, platform, voter_login)
    await phone.goto(f"{platform.gateway}/console/democratic-polls")
    ballot = phone.get_by_role("region", name=f"{name} · 2026")
    await ballot.get_by_role("button", name="投票").click()
    await phone.get_by_text("请在四个等次中选择一个。").wait_for()
    ballot = phone.get_by_role("region", name=f"{name} · 2026")
    await ballot.get_by_label("优秀").check()
    await ballot.get_by_role("button", name="投票").click()
    await phone.get_by_role("region", name=f"{name} · 2026").get_by_text("您已投票。").wait_for()
    assert await axe_violations(phone) == []
    await screenshot(phone, "console-democratic-poll-voted")
    await page.reload()
    assert (await page.locator("[data-polls] tr").filter(has_text=name).locator("td").all_inner_texts())[1] == "1"
