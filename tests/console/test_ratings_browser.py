"""星级评定 and 评定公示 in a real browser against the running platform: an organiser reads a round's entries with
their level and inputs and starts its public notice; a member reads the notice board and raises an objection (an
empty one is refused beside its fields, nothing stored); publishing is refused in Chinese while the notice runs
and the objection is unanswered; the organiser answers it (a blank answer refused beside the field), the notice
ends, the rating is published and orgtree records the member's star level; another district's round is the 404
page."""

from __future__ import annotations

import re
import uuid
from typing import Any

import asyncpg
import httpx

from shared.db.urls import admin_url, database_name, plain_dsn
from shared.settings import Settings
from tests.console.support import token_of, until
from tests.console.test_browser import sign_in
from tests.console.test_training_browser import member, organiser
from tests.platform.browser import axe_violations, screenshot
from tests.platform.platform import RunningPlatform, auth


def _call(platform: RunningPlatform, method: str, path: str, token: str, body: Any = None) -> Any:
    response = httpx.request(method, f"{platform.gateway}{path}", json=body, headers=auth(token))
    assert response.status_code in {200, 201}, (path, response.text)
    return response.json()


def scored_round(platform: RunningPlatform, token: str, person: dict[str, Any]) -> dict[str, Any]:
    """A members' round of the district with the member scored 88 of 100 (four stars at 60/70/80/90)."""
    template = _call(
        platform,
        "POST",
        "/api/training/rating-templates",
        token,
        {
            "name": f"党员星级 {uuid.uuid4().hex[:4]}",
            "subjectKind": "member",
            "criteria": [
                {"code": "service", "name": "服务群众", "maxScore": 60},
                {"code": "study", "name": "学习教育", "maxScore": 40},
            ],
            "levels": [60, 70, 80, 90],
        },
    )
    rating = _call(
        platform,
        "POST",
        "/api/training/ratings",
        token,
        {
            "name": f"2026年下半年党员星级评定 {uuid.uuid4().hex[:4]}",
            "subjectKind": "member",
            "period": "2026H2",
            "templateId": template["id"],
            "unitPath": person["branchPath"],
        },
    )
    body = {"personId": person["id"], "scores": {"service": 52, "study": 36}}
    _call(platform, "POST", f"/api/training/ratings/{rating['id']}/entries", token, body)
    return rating


async def end_notice(settings: Settings, rating_id: str) -> None:
    """Let the round's public notice end a minute ago (time passing, as shared/clock.py says tests do it)."""
    conn = await asyncpg.connect(plain_dsn(admin_url(settings, database_name("training"))))
    try:
        await conn.execute(
            "UPDATE star_rating SET notice_ends_at = now() - interval '1 minute' WHERE id = $1", uuid.UUID(rating_id)
        )
    finally:
        await conn.close()


async def test_a_rating_goes_on_notice_takes_an_objection_and_is_published_after_it_is_answered(
    platform: RunningPlatform, new_page: Any, settings: Settings
) -> None:
    who, attendee = organiser(platform), member(platform)
    token = token_of(platform, who)
    rating = scored_round(platform, token, attendee.person)
    page = await new_page()
    await sign_in(page, platform, who)
    await page.get_by_role("link", name="星级评定").first.click()
    await page.get_by_role("heading", name="星级评定", exact=True).wait_for()
    assert await axe_violations(page) == []
    await screenshot(page, "console-ratings")
    await page.get_by_label("期间").fill("2026年")  # not a period: said beside the filter
    await page.get_by_role("button", name="查看").click()
    await page.locator("#e-period").wait_for()
    assert await page.locator("#e-period").inner_text() == "期间请写成 2026、2026H1 或 2026H2。"
    assert await axe_violations(page) == []
    await page.get_by_label("期间").fill("2026H2")
    await page.get_by_role("button", name="查看").click()
    await page.get_by_role("link", name=rating["name"]).click()
    row = page.locator("tr[id^='entry-']")
    await row.wait_for()
    assert await row.get_attribute("data-level") == "4"
    shown = await row.inner_text()
    assert attendee.name in shown
    assert "4 星" in shown
    await page.get_by_role("button", name="开始公示").click()
    await page.get_by_role("button", name="发布评定").wait_for()
    await page.get_by_role("button", name="发布评定").click()  # the notice runs: refused, said in Chinese
    refusal = page.locator("#refusals")
    await refusal.wait_for()
    assert "公示期至" in await refusal.inner_text()
    assert await axe_violations(page) == []

    # the member reads the board and objects: first with nothing filled in
    phone = await new_page()
    await sign_in(phone, platform, attendee.username)
    await phone.wait_for_url(re.compile(r"/console/(?!sign-in)"))  # signed in, on the member's home page
    await phone.goto(f"{platform.gateway}/console/notices")
    await phone.get_by_role("heading", name="评定公示", exact=True).wait_for()
    assert await axe_violations(phone) == []
    await screenshot(phone, "console-ratings-board")
    await phone.get_by_role("link", name=rating["name"]).click()
    await phone.get_by_role("button", name="提交异议").click()
    await phone.locator("#e-content").wait_for()
    assert await phone.locator("#e-entryId").inner_text() == "请选择您有异议的评定对象。"
    assert await phone.locator("#e-content").inner_text() == "请填写异议内容。"
    assert await phone.get_by_label("异议对象").get_attribute("aria-invalid") == "true"
    assert await axe_violations(phone) == []
    objections = f"/api/training/ratings/{rating['id']}/objections"
    assert _call(platform, "GET", objections, token)["items"] == []  # nothing stored
    await phone.get_by_label("异议对象").select_option(label=attendee.name)
    await phone.get_by_label("异议内容及理由").fill("本人服务次数统计有遗漏，请核实")
    await phone.get_by_role("button", name="提交异议").click()
    await phone.get_by_text("您的异议已提交").wait_for()
    assert "本人服务次数统计有遗漏" in await phone.locator("article").inner_text()
    await screenshot(phone, "console-ratings-notice")

    # publishing now names both reasons; a blank answer is refused beside its field, then answered
    await page.reload()
    await page.get_by_role("button", name="发布评定").click()
    await refusal.wait_for()
    assert "还有 1 条异议未答复" in await refusal.inner_text()
    answer = page.get_by_label("对这条异议的答复")
    await answer.fill("   ")
    await page.get_by_role("button", name="保存答复").click()
    await page.locator("[id^='e-answer-']").wait_for()
    assert await page.locator("[id^='e-answer-']").inner_text() == "请填写答复内容。"
    assert await page.get_by_label("对这条异议的答复").get_attribute("aria-invalid") == "true"
    assert await axe_violations(page) == []
    await screenshot(page, "console-ratings-round")
    await page.get_by_label("对这条异议的答复").fill("已核实，服务次数按积分台账统计，无遗漏")
    await page.get_by_role("button", name="保存答复").click()
    await page.locator("[data-answer]").wait_for()
    await end_notice(settings, rating["id"])
    await page.get_by_role("button", name="发布评定").click()
    await page.get_by_text("评定已发布").wait_for()
    published = _call(platform, "GET", f"/api/training/ratings/{rating['id']}", token)
    assert published["state"] == "published"

    # orgtree records the level on the member (StarRatingPublished through the outbox)
    honours = f"/api/orgtree/members/{attendee.person['memberId']}/honours"

    def recorded() -> dict[str, Any] | None:
        found: dict[str, Any] = _call(platform, "GET", honours, platform.a.token)
        return found if found["starLevel"] else None

    level = until("the star level in orgtree", recorded)["starLevel"]
    assert (level["level"], level["period"]) == (4, "2026H2")


async def test_another_districts_round_is_the_404_page(platform: RunningPlatform, new_page: Any) -> None:
    ours, theirs = organiser(platform, "a"), organiser(platform, "b")
    attendee = member(platform)
    rating = scored_round(platform, token_of(platform, ours), attendee.person)
    page = await new_page()
    await sign_in(page, platform, theirs)
    await page.wait_for_url(re.compile(r"/console/"))
    for path in (f"/console/ratings/{rating['id']}", f"/console/notices/{rating['id']}"):
        response = await page.goto(f"{platform.gateway}{path}")
        assert response is not None
        assert response.status == 404
        await page.get_by_role("heading", name="未找到").wait_for()
    assert await axe_violations(page) == []
