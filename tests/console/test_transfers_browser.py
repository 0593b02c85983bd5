"""跨区县转移 in a real browser: 龙湾区's admin offers a member from the member's page to 瓯海区; 瓯海区's admin opens
the incoming offer (the name masked), accepts the member into one of its party branches, and sees the member with
the training carried over from 龙湾区."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.console.support import until
from tests.console.test_browser import sign_in
from tests.platform.browser import axe_violations, screenshot
from tests.platform.platform import RunningPlatform, auth, new_user
from tests.seeds.story import created, village


def _get(platform: RunningPlatform, path: str, token: str, **params: Any) -> Any:
    answer = httpx.get(f"{platform.gateway}{path}", headers=auth(token), params=params)
    return answer.json() if answer.status_code == 200 else None


async def test_an_admin_offers_a_member_and_the_other_district_accepts_them(
    platform: RunningPlatform, new_page: Any
) -> None:
    gateway, tag = platform.gateway, uuid.uuid4().hex[:4]
    sender, receiver = platform.a.token, platform.b.token
    home, there = village(platform, auth(sender), "迁出"), village(platform, auth(receiver), "迁入")
    name = f"郑{tag}（示例）"
    member = created(gateway, "/api/orgtree/members", {"name": name, "branchId": home.branch["id"]}, auth(sender))
    person = until(
        "the member in training", lambda: (_get(platform, "/api/training/people", sender, q=name) or {}).get("items")
    )
    entry = {"personId": person[0]["id"], "category": "visit", "points": 3, "reason": "走访入户（示例）"}
    created(gateway, "/api/training/points", entry, auth(sender))

    page = await new_page()
    await sign_in(page, platform, new_user(gateway, sender, "xfer", ["district_admin"]))
    await page.goto(f"{gateway}/console/people/members/{member['id']}")
    await page.get_by_role("link", name="转往其他区县").click()
    await page.get_by_label("转入区县").select_option(value=platform.b.slug)
    await page.get_by_label("原因").fill("随子女迁居（示例）")
    await page.get_by_label("转移日期").fill("2026-12-01")
    await page.get_by_role("button", name="提出转移").click()
    await page.get_by_text("待转入地接收").first.wait_for()
    assert await axe_violations(page) == []
    await screenshot(page, "console-transfers-offered")
    offer_id = page.url.rsplit("/", 1)[-1]

    # the receiving district decides once the sending district's records are in (events between services)
    until(
        "the member's records at the gateway",
        lambda: (_get(platform, f"/transfers/offers/{offer_id}", receiver) or {}).get("history"),
    )
    other = await new_page()
    await sign_in(other, platform, new_user(gateway, receiver, "xfer", ["district_admin"]))
    await other.goto(f"{gateway}/console/transfers")
    await other.get_by_role("link", name="郑" + "*" * (len(name) - 1)).click()
    await other.get_by_label("按名称查找党支部").fill(there.branch["name"])
    await other.get_by_role("button", name="查找单位").click()
    await other.get_by_label("党支部", exact=True).select_option(value=there.branch["id"])
    await other.get_by_role("button", name="接收该党员").click()
    await other.get_by_role("heading", name=name, exact=True).wait_for()

    carried = "/api/training/transfers/carried-over"
    new_id = _get(platform, f"/transfers/offers/{offer_id}", receiver)["memberId"]
    until(
        "the carried-over training", lambda: (_get(platform, carried, receiver, memberId=new_id) or {}).get("records")
    )
    await other.reload()
    table = other.get_by_role("table").filter(has_text="走访入户（示例）")
    await table.wait_for()
    assert "自龙湾区转入的记录" in await other.locator("#h-carried").inner_text()
    assert await axe_violations(other) == []
    await screenshot(other, "console-transfers-accepted")
    await other.get_by_role("link", name="打开党员页面").click()
    await other.get_by_role("heading", name=name, exact=True).wait_for()
    assert "转入自龙湾区：随子女迁居（示例）" in await other.locator("#transfers").inner_text()
