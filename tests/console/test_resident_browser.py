"""The resident's page in a real browser at 390×844, with no account: a request filed with the SMS code read off
the development outbox, followed by its number and follow code (on the phone that filed it, and on another one),
feedback once it is resolved; a wrong code, the rate limit, an unknown district, a form without its CSRF token."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx

from tests.console.support import (
    CSRF_FIELD,
    district_id,
    masked,
    new_phone,
    offer_to,
    operator,
    sms_code,
    ticket_numbered,
    token_of,
    volunteer,
)
from tests.platform.browser import PHONE, axe_violations, screenshot
from tests.platform.platform import RunningPlatform, auth


def resolve(platform: RunningPlatform, ticket: dict[str, Any]) -> None:
    """The hotline dispatches the request to a volunteer, who signs for it and reports it done (through the API)."""
    who, desk = volunteer(platform), token_of(platform, operator(platform))
    offer = offer_to(platform, desk, ticket, who.provider)
    for path, body in (
        (f"offers/{offer['id']}/accept", None),
        (f"tickets/{ticket['id']}/resolution", {"note": "已修好"}),
    ):
        done = httpx.post(f"{platform.gateway}/api/dispatch/{path}", json=body, headers=auth(who.token))
        assert done.status_code == 200, done.text


async def test_a_resident_files_a_request_follows_it_and_gives_feedback(
    platform: RunningPlatform, new_page: Any
) -> None:
    district, phone, desk = district_id(platform), new_phone(), token_of(platform, operator(platform))
    title = f"楼道灯坏了 {uuid.uuid4().hex[:4]}"
    page = await new_page(PHONE)
    await page.goto(f"{platform.gateway}/console/r/{district}/")
    assert await axe_violations(page) == []
    await page.get_by_role("link", name="我要求助").click()
    await page.get_by_label("手机号码").fill(phone)
    await page.get_by_role("button", name="获取验证码").click()
    await page.get_by_text(f"验证码已发送至 {masked(phone)}").wait_for()
    code = sms_code(platform, phone)

    # a wrong code: the message beside the field, nothing stored
    await page.get_by_label("短信验证码").fill("000000" if code != "000000" else "111111")
    await page.get_by_label("需要什么帮助？").fill(title)
    await page.get_by_label("地址（选填）").fill("瑶溪街道示例小区5幢2单元")
    assert await axe_violations(page) == []
    await screenshot(page, "console-resident-request")
    await page.get_by_role("button", name="提交诉求").click()
    assert await page.locator("#e-code").inner_text() == "验证码不正确，请核对短信后重新输入。"
    assert await page.get_by_label("短信验证码").get_attribute("aria-invalid") == "true"
    assert await page.get_by_label("需要什么帮助？").input_value() == title  # kept
    listed = httpx.get(f"{platform.gateway}/api/dispatch/tickets", params={"limit": 200}, headers=auth(desk))
    assert title not in listed.text

    await page.get_by_label("短信验证码").fill(code)
    await page.get_by_role("button", name="提交诉求").click()
    status = page.locator(".notice")
    number = re.search(r"\d{8}-\d{4,}", await status.inner_text())
    assert number is not None
    follow_code = await page.locator("[data-follow-token]").inner_text()
    assert await axe_violations(page) == []
    cookies = {c["name"] for c in await page.context.cookies()}
    assert "redcell_follow" in cookies
    assert "redcell_console" not in cookies
    await page.get_by_role("link", name="查看办理进度").click()
    await page.locator("[data-stage=new]").wait_for()
    ticket = ticket_numbered(platform, desk, number.group(0))
    assert ticket is not None
    assert ticket["channel"] == "web"
    assert ticket["title"] == title

    # another phone follows it by its number and follow code
    other = await new_page(PHONE)
    await other.goto(f"{platform.gateway}/console/r/{district}/follow")
    await other.get_by_label("受理编号").fill(number.group(0))
    await other.get_by_label("查询码").fill("not-the-code-" + "x" * 20)
    await other.get_by_role("button", name="查询", exact=True).click()
    assert await other.get_by_role("alert").inner_text() == "受理编号或查询码不正确。"
    assert await axe_violations(other) == []
    await other.get_by_label("查询码").fill(follow_code)
    await other.get_by_role("button", name="查询", exact=True).click()
    await other.locator("[data-stage=new]").wait_for()
    assert await other.get_by_role("heading", name="服务评价").count() == 0  # not resolved yet

    resolve(platform, ticket)
    await page.reload()
    await page.locator("[data-stage=resolved]").wait_for()
    await page.get_by_role("button", name="提交评价").click()  # neither satisfied nor not
    assert await page.locator("#e-satisfied").inner_text() == "请选择是否满意。"
    closure = f"{platform.gateway}/api/dispatch/tickets/{ticket['id']}/closure"
    assert httpx.get(closure, headers=auth(desk)).json()["feedback"] == []
    await page.get_by_label("满意", exact=True).check()
    await page.get_by_label("意见建议（选填）").fill("志愿者很耐心")
    assert await axe_violations(page) == []
    await page.get_by_role("button", name="提交评价").click()
    await page.get_by_text("感谢您的评价，已记录。").wait_for()
    assert await page.get_by_role("heading", name="服务评价").count() == 0  # given once
    assert "您的评价已记录" in await page.locator(".timeline").inner_text()
    assert await page.locator("[data-stage=resolved]").inner_text() == "已办结，感谢您的评价"
    assert await axe_violations(page) == []
    await screenshot(page, "console-resident-follow")
    [feedback] = httpx.get(closure, headers=auth(desk)).json()["feedback"]
    assert (feedback["via"], feedback["satisfied"], feedback["comment"]) == ("page", True, "志愿者很耐心")


async def test_too_many_codes_for_one_phone_get_a_chinese_message(platform: RunningPlatform, new_page: Any) -> None:
    district, phone = district_id(platform), new_phone()
    for _ in range(3):  # the district's limit per phone and hour (REDCELL_DISPATCH__PUBLIC_CODES_PER_HOUR)
        sent = httpx.post(f"{platform.gateway}/api/dispatch/public/{district}/verifications", json={"phone": phone})
        assert sent.status_code == 201, sent.text
    page = await new_page(PHONE)
    await page.goto(f"{platform.gateway}/console/r/{district}/request")
    await page.get_by_label("手机号码").fill(phone)
    await page.get_by_role("button", name="获取验证码").click()
    alert = page.get_by_role("alert")
    assert await alert.inner_text() == "该手机号本小时获取验证码次数已达上限，请稍后再试。"
    await page.get_by_label("手机号码").fill("12345")
    await page.get_by_role("button", name="获取验证码").click()
    assert await page.locator("#e-phone").inner_text() == "请输入11位手机号码。"


def test_an_unknown_district_is_a_404_page_and_forms_need_their_csrf_token(platform: RunningPlatform) -> None:
    with httpx.Client(base_url=platform.gateway) as browser:
        for missing in ("/console/r/no-such-district/", "/console/r/no-such-district/follow/20260101-0001"):
            answer = browser.get(missing)
            assert answer.status_code == 404
            assert "未找到" in answer.text
        form = browser.get(f"/console/r/{uuid.uuid4()}/request")
        token = CSRF_FIELD.search(form.text)
        assert token is not None
        unknown = browser.post(
            form.url.path + "/code", data={"_csrf_token": token.group(1), "phone": new_phone()}
        )  # a district without a hotline
        assert unknown.status_code == 404
        assert "未找到" in unknown.text
        district = district_id(platform)
        refused = httpx.post(f"{platform.gateway}/console/r/{district}/request/code", data={"phone": new_phone()})
        assert refused.status_code == 403
        assert "表单已过期" in refused.text
        assert "redcell_console" not in browser.cookies  # no session for residents
