"""The organiser's side of 星级评定 in a real browser: a district admin makes a round (a bad period refused beside
the field, nothing stored), scores a member (a score above the criterion's maximum refused beside it, nothing
stored; then the level and inputs shown), is refused in Chinese while the member has an unevaluated commitment
(named), awards a title (bad input beside the fields), edits a criteria template and the notice days (bad input
beside the fields, nothing changed; the form worked by keyboard); another district's round and template are the
404 page."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx

from tests.console.support import token_of
from tests.console.test_browser import sign_in
from tests.console.test_training_browser import member, organiser
from tests.platform.browser import axe_violations, screenshot
from tests.platform.platform import RunningPlatform, auth


def _call(platform: RunningPlatform, method: str, path: str, token: str, body: Any = None) -> Any:
    response = httpx.request(method, f"{platform.gateway}{path}", json=body, headers=auth(token))
    assert response.status_code in {200, 201}, (path, response.text)
    return response.json()


def members_template(platform: RunningPlatform, token: str) -> dict[str, Any]:
    body = {
        "name": f"党员星级标准 {uuid.uuid4().hex[:4]}",
        "subjectKind": "member",
        "criteria": [
            {"code": "service", "name": "服务群众", "maxScore": 60},
            {"code": "study", "name": "学习教育", "maxScore": 40},
        ],
        "levels": [60, 70, 80, 90],
    }
    found: dict[str, Any] = _call(platform, "POST", "/api/training/rating-templates", token, body)
    return found


def rounds_named(platform: RunningPlatform, token: str, name: str) -> list[dict[str, Any]]:
    listed = _call(platform, "GET", "/api/training/ratings?limit=200", token)["items"]
    return [r for r in listed if r["name"] == name]


async def test_an_organiser_makes_a_round_scores_a_member_and_is_refused_while_a_commitment_is_unevaluated(
    platform: RunningPlatform, new_page: Any
) -> None:
    who, attendee = organiser(platform), member(platform)
    token = token_of(platform, who)
    template = members_template(platform, token)
    name = f"2026年下半年党员星级评定 {uuid.uuid4().hex[:4]}"
    page = await new_page()
    await sign_in(page, platform, who)
    await page.get_by_role("link", name="星级评定").first.click()
    await page.get_by_role("link", name="新建评定").click()
    await page.get_by_role("heading", name="新建评定").wait_for()
    assert await axe_violations(page) == []
    await screenshot(page, "console-ratings-new")
    await page.get_by_label("评定名称").fill(name)
    await page.get_by_label("评定对象").select_option("member")
    await page.get_by_label("期间").fill("2026年")
    await page.get_by_label("评定标准").select_option(template["id"])
    await page.get_by_label("评定单位").select_option(label=attendee.committee)
    await page.get_by_role("button", name="新建评定").click()
    await page.locator("#e-period").wait_for()
    assert await page.locator("#e-period").inner_text() == "期间请写成 2026、2026H1 或 2026H2。"
    assert await page.get_by_label("期间").get_attribute("aria-invalid") == "true"
    assert await axe_violations(page) == []
    assert rounds_named(platform, token, name) == []  # nothing stored
    await page.get_by_label("期间").fill("2026H2")
    await page.get_by_role("button", name="新建评定").click()

    # scoring: above the criterion's maximum is refused beside it, nothing stored
    await page.get_by_role("heading", name="评定打分").wait_for()
    (rating,) = rounds_named(platform, token, name)
    assert (rating["state"], rating["noticeDays"]) == ("draft", 5)
    await page.get_by_label("评定党员").select_option(label=attendee.name)
    await page.get_by_label("服务群众（0–60 分）").fill("70")
    await page.get_by_label("学习教育（0–40 分）").fill("36")
    await page.get_by_role("button", name="保存评分").click()
    await page.locator("#e-score-service").wait_for()
    assert "0 至该项满分" in await page.locator("#e-score-service").inner_text()
    assert await axe_violations(page) == []
    entries = f"/api/training/ratings/{rating['id']}/entries"
    assert _call(platform, "GET", entries, token)["items"] == []
    await page.get_by_label("服务群众（0–60 分）").fill("52")
    await page.get_by_role("button", name="保存评分").click()
    scored = page.locator("#scored")
    await scored.wait_for()
    assert await scored.get_attribute("data-level") == "4"
    shown = await scored.inner_text()
    assert attendee.name in shown
    assert "4 星" in shown
    assert "88" in shown  # the total out of 100
    assert await axe_violations(page) == []
    await screenshot(page, "console-ratings-score")

    # the member defines a commitment for 2026 and it is not evaluated: scoring again is refused, naming it
    commitment = {
        "holderKind": "member",
        "period": "2026",
        "title": "每月走访困难群众两户",
        "content": "走访",
        "basis": "post",
    }
    _call(platform, "POST", "/api/training/commitments", attendee.token, commitment)
    await page.get_by_label("评定党员").select_option(label=attendee.name)
    await page.get_by_label("服务群众（0–60 分）").fill("60")
    await page.get_by_label("学习教育（0–40 分）").fill("40")
    await page.get_by_role("button", name="保存评分").click()
    refusal = page.locator("#unevaluated")
    await refusal.wait_for()
    text = await refusal.inner_text()
    assert "尚未评议打分的承诺" in text
    assert "每月走访困难群众两户" in text
    assert await axe_violations(page) == []
    (entry,) = _call(platform, "GET", entries, token)["items"]
    assert entry["level"] == 4  # unchanged


async def test_titles_templates_and_notice_days_refuse_bad_input_beside_the_field(
    platform: RunningPlatform, new_page: Any
) -> None:
    who, attendee = organiser(platform), member(platform)
    token = token_of(platform, who)
    template = members_template(platform, token)
    page = await new_page()
    await sign_in(page, platform, who)
    await page.wait_for_url(re.compile(r"/console/(?!sign-in)"))

    # a title: the member missing, then a bad period, then awarded
    await page.goto(f"{platform.gateway}/console/ratings/awards")
    await page.get_by_role("heading", name="荣誉称号", exact=True).wait_for()
    await page.get_by_label("称号", exact=True).select_option("most_beautiful_red_cell")
    await page.get_by_label("期间").fill("2026")
    await page.get_by_role("button", name="授予称号").click()
    await page.locator("#e-personId").wait_for()
    assert await page.locator("#e-personId").inner_text() == "请选择您负责范围内的党员。"
    await page.get_by_label("党员（党员称号）").select_option(label=attendee.name)
    await page.get_by_label("期间").fill("2026年")
    await page.get_by_role("button", name="授予称号").click()
    await page.locator("#e-period").wait_for()
    assert await axe_violations(page) == []
    mine = f"/api/training/awards?personId={attendee.person['id']}"
    assert _call(platform, "GET", mine, token)["items"] == []  # nothing stored
    await page.get_by_label("期间").fill("2026H2")
    await page.get_by_role("button", name="授予称号").click()
    await page.get_by_text("称号已授予").wait_for()
    assert attendee.name in await page.locator("tbody").first.inner_text()
    await screenshot(page, "console-ratings-awards")

    # a template: a maximum that is not a number and falling thresholds, each beside its field
    await page.get_by_role("link", name="评定标准").click()
    await page.get_by_role("link", name=template["name"]).click()
    await page.get_by_label("第 1 项指标的满分").fill("六十")
    await page.get_by_role("button", name="保存评定标准").click()
    await page.locator("#e-max-0").wait_for()
    assert await page.locator("#e-max-0").inner_text() == "满分须大于 0，最多 1000。"
    assert await axe_violations(page) == []
    await page.get_by_label("第 1 项指标的满分").fill("50")
    await page.get_by_label("3 星分数线").fill("50")
    await page.get_by_role("button", name="保存评定标准").click()
    await page.locator("#e-levels").wait_for()
    await screenshot(page, "console-ratings-template")
    listed = _call(platform, "GET", "/api/training/rating-templates?subjectKind=member", token)
    (stored,) = [t for t in listed if t["id"] == template["id"]]
    assert (stored["criteria"][0]["maxScore"], stored["levels"]) == (60, [60, 70, 80, 90])  # nothing changed
    await page.get_by_label("3 星分数线").fill("70")
    await page.get_by_label("第 3 项指标的代码").fill("discipline")
    await page.get_by_label("第 3 项指标的名称").fill("遵守纪律")
    await page.get_by_label("第 3 项指标的满分").fill("10")
    await page.get_by_role("button", name="保存评定标准").click()
    await page.get_by_text("已保存").wait_for()
    listed = _call(platform, "GET", "/api/training/rating-templates?subjectKind=member", token)
    (stored,) = [t for t in listed if t["id"] == template["id"]]
    assert [c["code"] for c in stored["criteria"]] == ["service", "study", "discipline"]
    assert stored["criteria"][0]["maxScore"] == 50

    # the notice days by keyboard: 0 refused beside the field, then saved with Enter
    days = page.get_by_label("公示天数")
    await days.focus()
    await page.keyboard.press("Control+A")
    await page.keyboard.type("0")
    await page.keyboard.press("Enter")
    await page.locator("#e-noticeDays").wait_for()
    assert await page.locator("#e-noticeDays").inner_text() == "请填写 1 至 60 之间的天数。"
    assert await axe_violations(page) == []
    assert _call(platform, "GET", "/api/training/rating-settings", token)["noticeDays"] == 5
    await screenshot(page, "console-ratings-templates")


async def test_another_districts_round_and_template_are_the_404_page(platform: RunningPlatform, new_page: Any) -> None:
    ours, theirs = organiser(platform, "a"), organiser(platform, "b")
    token = token_of(platform, ours)
    template = members_template(platform, token)
    attendee = member(platform)
    body = {
        "name": f"评定 {uuid.uuid4().hex[:4]}",
        "subjectKind": "member",
        "period": "2026",
        "templateId": template["id"],
        "unitPath": attendee.person["branchPath"],
    }
    rating = _call(platform, "POST", "/api/training/ratings", token, body)
    page = await new_page()
    await sign_in(page, platform, theirs)
    await page.wait_for_url(re.compile(r"/console/(?!sign-in)"))
    for path in (f"/console/ratings/{rating['id']}/score", f"/console/ratings/templates/{template['id']}"):
        response = await page.goto(f"{platform.gateway}{path}")
        assert response is not None
        assert response.status == 404
        await page.get_by_role("heading", name="未找到").wait_for()
    assert await axe_violations(page) == []
