"""A ticket's page in a real browser: the hotline follows one ticket from its offer to its closure, while the
provider works it through the API and the page moves live."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from tests.console.support import (
    categories,
    dispatch_call,
    escalate,
    new_ticket,
    offer_to,
    operator,
    token_of,
    volunteer,
)
from tests.console.test_browser import sign_in
from tests.platform.browser import axe_violations, screenshot
from tests.platform.platform import RunningPlatform, auth, new_user

CALLER = "13800138000"  # new_ticket's caller


def api_get(platform: RunningPlatform, token: str, path: str) -> Any:
    response = httpx.get(f"{platform.gateway}/api/dispatch/{path}", headers=auth(token))
    assert response.status_code == 200, response.text
    return response.json()


async def open_ticket(page: Any, platform: RunningPlatform, username: str, ticket: dict[str, Any]) -> None:
    await sign_in(page, platform, username)
    await page.wait_for_url(lambda url: "/sign-in" not in url)  # a supervisor has no desk: wherever they land
    await page.goto(f"{platform.gateway}/console/tickets/{ticket['id']}")
    await page.locator(".ticket-page [data-live=on]").wait_for()  # subscribed: nothing committed now is missed


async def test_an_operator_takes_a_ticket_from_its_offer_to_closure_while_the_page_follows_it_live(
    platform: RunningPlatform, new_page: Any
) -> None:
    username = operator(platform)
    token = token_of(platform, username)
    first, second = volunteer(platform), volunteer(platform)
    ticket = new_ticket(platform, token)
    offer_to(platform, token, ticket, first.provider)
    page = await new_page()
    await open_ticket(page, platform, username, ticket)

    header = page.locator("#ticket-header")
    assert ticket["number"] in await header.inner_text()
    assert "派单中" in await header.inner_text()
    assert categories(platform, token)[0]["name"] in await header.inner_text()
    assert "138****8000" in await header.inner_text()
    assert CALLER not in await page.content()  # masked until revealed
    offered = page.locator("#ticket-routing tbody tr", has_text=first.provider["name"])
    assert "话务员指定" in await offered.inner_text()  # why it ranks there
    assert "待答复" in await offered.inner_text()
    assert await axe_violations(page) == []

    # bad input: the API's refusal beside the field, and nothing stored
    await page.get_by_label("升级原因").fill("急")
    await page.get_by_role("button", name="升级到下一层级").click()
    await page.locator("#e-escalate-reason").wait_for()
    assert await page.locator("#e-escalate-reason").inner_text() == "请填写原因（2至500字）。"
    assert await page.get_by_label("升级原因").get_attribute("aria-invalid") == "true"
    assert await page.get_by_label("升级原因").input_value() == "急"  # kept to correct
    assert api_get(platform, token, f"tickets/{ticket['id']}")["level"] == 0
    assert "escalated" not in [row["action"] for row in api_get(platform, token, f"tickets/{ticket['id']}/history")]

    # reassign to another provider
    await page.get_by_label("改派给").select_option(second.provider["id"])
    await page.get_by_role("button", name="派给所选服务者").click()
    await (
        page.locator("#ticket-routing tbody tr", has_text=second.provider["name"]).filter(has_text="待答复").wait_for()
    )
    assert "已撤回" in await offered.inner_text()

    # an extension asked for through the API shows up live, and is refused on the page
    due = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    asked = {"newDueAt": due, "reason": "配件需要从外地调货", "clock": "resolution"}
    dispatch_call(platform, token, f"tickets/{ticket['id']}/extensions", asked)
    extension = page.locator("#ticket-extensions article", has_text="配件需要从外地调货")
    await extension.get_by_label("审批意见（选填）").fill("请先用库存配件")
    await extension.get_by_role("button", name="驳回").click()
    await page.locator("#ticket-extensions article", has_text="已驳回").wait_for()
    [refused] = api_get(platform, token, f"tickets/{ticket['id']}/extensions")
    assert (refused["status"], refused["decisionNote"]) == ("rejected", "请先用库存配件")

    # the provider signs for it, arrives and reports it done through the API: the page follows each step
    volunteer_auth = auth(second.token)
    [offer] = httpx.get(f"{platform.gateway}/api/dispatch/offers", headers=volunteer_auth).json()
    accepted = httpx.post(f"{platform.gateway}/api/dispatch/offers/{offer['id']}/accept", headers=volunteer_auth)
    assert accepted.status_code == 200, accepted.text
    await page.locator("#ticket-header .stage", has_text="已接单").wait_for()
    signed = page.locator("#ticket-timeline li", has_text="服务者签收")
    assert second.provider["name"] in await signed.inner_text()  # who, by name
    arrived = httpx.post(f"{platform.gateway}/api/dispatch/tickets/{ticket['id']}/arrival", headers=volunteer_auth)
    assert arrived.status_code == 200, arrived.text
    await page.locator("#ticket-header .stage", has_text="已到场").wait_for()
    report = {"note": "已更换楼道灯泡", "serviceMinutes": 30}
    done = httpx.post(
        f"{platform.gateway}/api/dispatch/tickets/{ticket['id']}/resolution", json=report, headers=volunteer_auth
    )
    assert done.status_code == 200, done.text
    await page.locator("#ticket-header .stage", has_text="已办结待回访").wait_for()

    # the callback with the resident's satisfaction (taken down by phone), then closure
    await page.get_by_role("radio", name="已接通").check()
    await page.get_by_role("radio", name="满意", exact=True).check()
    await page.get_by_label("群众意见").fill("灯修好了，谢谢")
    await page.get_by_role("button", name="记录回访").click()
    await page.locator("#ticket-closure .awaiting.ready").wait_for()
    await page.get_by_role("button", name="关闭工单").click()
    await page.locator("#ticket-header .stage", has_text="已关闭").wait_for()
    callback = page.locator("#ticket-timeline li", has_text="回访")
    assert username in await callback.first.inner_text()
    feedback = page.locator("#ticket-timeline li", has_text="记录群众反馈")
    assert "电话回访，由话务员记录" in await feedback.inner_text()
    [given] = api_get(platform, token, f"tickets/{ticket['id']}/closure")["feedback"]
    assert (given["satisfied"], given["via"], given["comment"]) == (True, "phone", "灯修好了，谢谢")

    # revealing the number asks why, says it is audited, and shows it only in its answer
    await page.get_by_role("button", name="显示（记入审计）").click()
    await page.locator("#e-reveal-purpose").wait_for()
    assert await page.locator("#e-reveal-purpose").inner_text() == "请填写查看原因（2至500字）。"
    assert CALLER not in await page.content()
    await page.get_by_label("查看原因").fill("回拨群众核实办理结果")
    await page.get_by_role("button", name="显示（记入审计）").click()
    assert await page.locator(".revealed-value").inner_text() == CALLER
    assert "审计" in await page.locator(".revealed").inner_text()
    assert await axe_violations(page) == []
    await screenshot(page, "console-ticket")


async def test_the_hotline_signs_for_a_volunteer_escalates_with_a_referral_notice_and_another_district_sees_nothing(
    platform: RunningPlatform, new_page: Any
) -> None:
    username = operator(platform)
    token = token_of(platform, username)
    helper = volunteer(platform)
    ticket = new_ticket(platform, token)
    offer_to(platform, token, ticket, helper.provider)
    page = await new_page()
    await open_ticket(page, platform, username, ticket)

    await page.get_by_role("button", name=re.compile("代为签收")).click()
    await page.locator("#ticket-header .stage", has_text="已接单").wait_for()
    row = page.locator("#ticket-routing tbody tr", has_text=helper.provider["name"])
    assert "服务者来电，由热线代为签收" in await row.inner_text()
    assert "志愿者来电，话务员代为签收" in await page.locator("#ticket-timeline").inner_text()
    [offer] = api_get(platform, token, f"tickets/{ticket['id']}/offers")
    assert (offer["status"], offer["acceptedOnBehalfBy"] is not None) == ("accepted", True)

    # up the ladder to street supervision, where the case is handed on by referral notice
    for level in (1, 2):
        escalate(platform, token, ticket, level)
    await page.locator("#ticket-escalation", has_text="当前层级：村党员议事会").wait_for()  # live
    await page.get_by_label("升级原因").fill("村里协调不了，提请街道督办")
    await page.get_by_role("button", name="升级到下一层级").click()
    await page.locator("#ticket-escalation", has_text="当前层级：街道红色细胞督办会").wait_for()
    yesterday = (datetime.now(ZoneInfo("Asia/Shanghai")) - timedelta(days=1)).date()
    await page.get_by_label("会议").fill("瑶溪街道红色细胞督办会")
    await page.get_by_label("责任单位").fill("瑶溪街道城管中队")
    await page.get_by_label("责任人").fill("陈队长")
    await page.get_by_label("办结期限").fill(yesterday.isoformat())
    await page.get_by_role("button", name="开具抄告单").click()
    await page.locator("#e-referral-dueOn").wait_for()
    assert await page.locator("#e-referral-dueOn").inner_text() == "请选择办结期限（不早于今天）。"
    assert api_get(platform, token, f"tickets/{ticket['id']}/referrals") == []
    await page.get_by_label("办结期限").fill((yesterday + timedelta(days=8)).isoformat())
    await page.get_by_role("button", name="开具抄告单").click()
    notice = page.locator("#ticket-escalation article.referral")
    await notice.wait_for()
    assert "瑶溪街道城管中队" in await notice.inner_text()
    await notice.get_by_label("责任单位办理情况").fill("已拆除违章搭建并恢复通道")
    await notice.get_by_role("button", name="抄告单办结").click()
    await page.locator("#ticket-escalation article.referral", has_text="已拆除违章搭建并恢复通道").wait_for()
    [referral] = api_get(platform, token, f"tickets/{ticket['id']}/referrals")
    assert referral["closedAt"] is not None

    theirs = new_ticket(platform, token_of(platform, operator(platform, "b")))
    answer = await page.goto(f"{platform.gateway}/console/tickets/{theirs['id']}")
    assert answer.status == 404
    assert await page.locator("h1").inner_text() == "未找到"
    assert theirs["number"] not in await page.content()
    live = await page.request.get(f"{platform.gateway}/console/live/tickets/{theirs['id']}")
    assert live.status == 404


async def test_a_supervisor_reopens_a_ticket_the_resident_rejects_then_waives_the_callback_for_a_listed_reason(
    platform: RunningPlatform, new_page: Any
) -> None:
    supervisor = new_user(platform.gateway, platform.a.token, "sup", ["hotline_supervisor"])
    token = token_of(platform, supervisor)
    helper = volunteer(platform)
    ticket = new_ticket(platform, token)
    offer = offer_to(platform, token, ticket, helper.provider)
    by_volunteer = auth(helper.token)

    def volunteer_post(path: str, body: dict[str, Any] | None = None) -> None:
        response = httpx.post(f"{platform.gateway}/api/dispatch/{path}", json=body, headers=by_volunteer)
        assert response.status_code == 200, response.text

    volunteer_post(f"offers/{offer['id']}/accept")
    volunteer_post(f"tickets/{ticket['id']}/resolution", {"note": "已疏通下水道", "serviceMinutes": 20})
    page = await new_page()
    await open_ticket(page, platform, supervisor, ticket)

    # the resident phones to say it is not done: back to the handler
    await page.get_by_label("群众不满意之处").fill("下水道还是堵")
    await page.get_by_role("button", name="退回承办方重办").click()
    await page.locator("#ticket-header .stage", has_text="已接单").wait_for()
    assert "下水道还是堵" in await page.locator("#ticket-timeline li", has_text="重新办理").inner_text()

    volunteer_post(f"tickets/{ticket['id']}/resolution", {"note": "已更换排水管", "serviceMinutes": 40})
    await page.locator("#ticket-header .stage", has_text="已办结待回访").wait_for()
    # a reason the ticket does not bear out: the API's 409 in words above the form, nothing stored
    await page.get_by_label("原因", exact=True).select_option("unreachable")
    await page.get_by_role("button", name="免回访").click()
    await page.locator("#ticket-closure .alert", has_text="须在办结后先记录3次未接通的回访").wait_for()
    assert api_get(platform, token, f"tickets/{ticket['id']}/closure")["callbacks"] == []
    await page.get_by_label("原因", exact=True).select_option("declined")
    await page.get_by_role("button", name="免回访").click()
    await page.locator("#ticket-closure li", has_text="居民明确表示不需要回访").wait_for()
    # the resident's satisfaction is still needed: closing says what is missing
    await page.get_by_role("button", name="关闭工单").click()
    await page.locator("#ticket-closure .alert", has_text="工单暂不能关闭，还缺：群众满意的反馈").wait_for()
    assert api_get(platform, token, f"tickets/{ticket['id']}")["status"] == "resolved"
