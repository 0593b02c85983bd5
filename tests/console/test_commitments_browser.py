"""承诺践诺 in a real browser against the running platform: a street's organiser defines a grid party group's
commitment (wrong input refused beside its field, nothing stored), publishes it, records progress and evaluates it
with a score (out of range refused beside the field); a member defines their own and sees it on the board; another
district's commitment is the 404 page."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx

from tests.console.support import signed_in_client, street_with_grid, token_of
from tests.console.test_browser import sign_in
from tests.console.test_training_browser import member, organiser
from tests.platform.browser import axe_violations, screenshot
from tests.platform.platform import RunningPlatform, auth, new_user

COMMITMENTS = "/api/training/commitments"


def titled(platform: RunningPlatform, token: str, title: str) -> list[dict[str, Any]]:
    listed = httpx.get(f"{platform.gateway}{COMMITMENTS}", params={"limit": 200}, headers=auth(token))
    assert listed.status_code == 200, listed.text
    return [c for c in listed.json()["items"] if c["title"] == title]


async def test_an_organiser_takes_a_party_groups_commitment_through_the_cycle(
    platform: RunningPlatform, new_page: Any
) -> None:
    tag = uuid.uuid4().hex[:4]
    street = street_with_grid(platform, f"承诺街道{tag}")
    grid = street.grid
    username = new_user(platform.gateway, platform.a.token, "cmt", ["street_admin"], scope=street.node["path"])
    title = f"每月走访困难家庭{tag}"
    page = await new_page()
    await sign_in(page, platform, username)
    await page.goto(f"{platform.gateway}/console/commitments")
    await page.get_by_role("heading", name="承诺践诺", exact=True).wait_for()
    await page.get_by_role("link", name="新建承诺").click()

    await page.get_by_label("党小组").select_option(label=grid["name"])
    await page.get_by_label("承诺内容").fill("全年每月至少走访一次网格内的困难家庭。")
    await page.get_by_role("button", name="定诺（保存承诺）").click()
    assert "请填写标题" in await page.locator("#e-title").inner_text()  # beside the empty title
    await page.get_by_label("标题").fill(title)
    await page.get_by_label("年度").fill("2026上半年")
    await page.get_by_role("button", name="定诺（保存承诺）").click()
    assert "请填写年份" in await page.locator("#e-period").inner_text()
    assert await page.get_by_label("标题").input_value() == title  # what was typed stays
    assert await axe_violations(page) == []
    await screenshot(page, "console-commitments-form-refused")
    token = token_of(platform, username)
    assert titled(platform, token, title) == []  # nothing stored

    await page.get_by_label("年度").fill("2026")
    await page.get_by_role("button", name="定诺（保存承诺）").click()
    await page.wait_for_url(re.compile(r"/console/commitments/[0-9a-f-]{36}$"))
    await page.get_by_role("heading", name=title).wait_for()
    assert "已定诺" in await page.locator(".page-head").inner_text()
    await page.get_by_role("button", name="亮诺（公开承诺）").click()
    await page.get_by_text("已亮诺", exact=True).wait_for()

    await page.get_by_role("button", name="记录践诺").click()
    assert "请写明做了什么" in await page.locator("#e-note").inner_text()
    await page.get_by_label("践诺情况").fill("三月走访5户，收集诉求3条")
    await page.get_by_role("button", name="记录践诺").click()
    await page.get_by_text("三月走访5户，收集诉求3条").wait_for()
    assert "践诺中" in await page.locator(".page-head").inner_text()

    await page.get_by_label("评分（0–100）").fill("101")
    await page.get_by_role("button", name="保存评诺").click()
    assert "0 到 100" in await page.locator("#e-score").inner_text()
    assert await axe_violations(page) == []
    [stored] = titled(platform, token, title)
    assert (stored["state"], stored["score"]) == ("fulfilling", None)
    await page.get_by_label("评分（0–100）").fill("88.5")
    await page.get_by_label("评语").fill("按期践诺，群众满意")
    await page.get_by_role("button", name="保存评诺").click()
    await page.get_by_text("已评诺", exact=True).wait_for()
    assert "88.5" in await page.locator(".facts").inner_text()
    assert await axe_violations(page) == []
    await screenshot(page, "console-commitment")

    await page.get_by_role("link", name="全部承诺").click()
    evaluated = page.get_by_role("region", name=re.compile("已评诺"))
    await evaluated.get_by_role("link", name=title).wait_for()
    assert await axe_violations(page) == []
    await screenshot(page, "console-commitments-board")


async def test_a_member_defines_their_own_and_another_district_sees_nothing(
    platform: RunningPlatform, new_page: Any
) -> None:
    me = member(platform)
    title = f"义务维修家电{uuid.uuid4().hex[:4]}"
    page = await new_page()
    await sign_in(page, platform, me.username)
    await page.goto(f"{platform.gateway}/console/commitments/new")
    await page.get_by_label("标题").fill(title)
    await page.get_by_label("承诺内容").fill("发挥电工特长，每季度开展一次义务维修。")
    await page.get_by_role("button", name="定诺（保存承诺）").click()
    assert "请选择承诺的依据" in await page.locator("#e-basis").inner_text()
    await page.get_by_label("依据").select_option(label="个人特长")
    await page.get_by_role("button", name="定诺（保存承诺）").click()
    await page.get_by_role("heading", name=title).wait_for()
    assert me.name in await page.locator(".page-head").inner_text()
    await page.get_by_role("link", name="全部承诺").click()
    await page.get_by_role("region", name=re.compile("已定诺")).get_by_role("link", name=title).wait_for()
    assert await axe_violations(page) == []

    [mine] = titled(platform, me.token, title)
    other = signed_in_client(platform, organiser(platform, "b"))
    try:
        answer = other.get(f"/console/commitments/{mine['id']}")
        assert answer.status_code == 404
        assert "未找到" in answer.text
        assert title not in answer.text
        assert title not in other.get("/console/commitments").text
    finally:
        other.close()
