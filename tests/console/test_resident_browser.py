"""The resident's page in a real browser at 390×844, with no account, at the district's own address
(``/console/r/<slug>/``): a request filed with the SMS code read off the development outbox and a kind of help from
the district's catalogue, followed on the phone that filed it and on another one by its number and the phone (查询进度:
a new code), feedback once it is resolved; a wrong code, a number that is not the phone's, the rate limit, an
unknown district, a form without its CSRF token."""

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


def public_categories(platform: RunningPlatform) -> list[dict[str, Any]]:
    listed = httpx.get(f"{platform.gateway}/api/dispatch/public/{district_id(platform)}/categories")
    assert listed.status_code == 200, listed.text
    found: list[dict[str, Any]] = listed.json()
    return found


async def follow_by_phone(page: Any, number: str, phone: str) -> None:
    """查询进度 on a phone that did not file the request: number and phone, then the code sent to that phone."""
    await page.get_by_label("受理编号").fill(number)
    await page.get_by_label("手机号码").fill(phone)
    await page.get_by_role("button", name="获取验证码").click()
    await page.get_by_text(f"验证码已发送至 {masked(phone)}").wait_for()


async def test_a_resident_files_a_request_follows_it_and_gives_feedback(
    platform: RunningPlatform, new_page: Any
) -> None:
    slug, phone, desk = platform.a.slug, new_phone(), token_of(platform, operator(platform))
    title = f"楼道灯坏了 {uuid.uuid4().hex[:4]}"
    kind = public_categories(platform)[0]
    page = await new_page(PHONE)
    await page.goto(f"{platform.gateway}/console/r/{slug}/")
    assert await page.locator(".resident-bar").inner_text() == "龙湾区居民服务"
    assert await axe_violations(page) == []
    await page.get_by_role("link", name="我要求助").click()
    await page.get_by_label("手机号码").fill(phone)
    await page.get_by_role("button", name="获取验证码").click()
    await page.get_by_text(f"验证码已发送至 {masked(phone)}").wait_for()
    code = sms_code(platform, phone)

    # a wrong code, and a kind of help that is not the district's: messages beside the fields, nothing stored
    await page.get_by_label("短信验证码").fill("000000" if code != "000000" else "111111")
    await page.get_by_label("需要什么帮助？").fill(title)
    await page.get_by_label("地址（选填）").fill("瑶溪街道示例小区5幢2单元")
    await page.get_by_label("求助类别（选填）").evaluate(
        "(select, value) => { select.add(new Option('别的区的类别', value)); select.value = value; }", str(uuid.uuid4())
    )
    await page.get_by_role("button", name="提交诉求").click()
    assert await page.locator("#e-categoryId").inner_text() == "请从列表中选择求助类别。"
    assert await page.get_by_label("需要什么帮助？").input_value() == title  # kept
    await page.get_by_label("求助类别（选填）").select_option(label=kind["name"])
    assert await axe_violations(page) == []
    await screenshot(page, "console-resident-request")
    await page.get_by_role("button", name="提交诉求").click()
    assert await page.locator("#e-code").inner_text() == "验证码不正确，请核对短信后重新输入。"
    assert await page.get_by_label("短信验证码").get_attribute("aria-invalid") == "true"
    assert await page.get_by_label("求助类别（选填）").input_value() == kind["id"]  # kept
    listed = httpx.get(f"{platform.gateway}/api/dispatch/tickets", params={"limit": 200}, headers=auth(desk))
    assert title not in listed.text

    await page.get_by_label("短信验证码").fill(code)
    await page.get_by_role("button", name="提交诉求").click()
    number = re.search(r"\d{8}-\d{4,}", await page.locator(".notice").inner_text())
    assert number is not None
    assert await axe_violations(page) == []
    cookies = {c["name"] for c in await page.context.cookies()}
    assert "redcell_follow" in cookies
    assert "redcell_console" not in cookies
    await page.get_by_role("link", name="查看办理进度").click()
    await page.locator("[data-stage=new]").wait_for()
    ticket = ticket_numbered(platform, desk, number.group(0))
    assert ticket is not None
    assert (ticket["channel"], ticket["title"], ticket["categoryId"]) == ("web", title, kind["id"])

    # another phone: 查询进度 by the number and a phone that did not make it gets the same answer as a wrong number
    other = await new_page(PHONE)
    await other.goto(f"{platform.gateway}/console/r/{slug}/")
    await other.get_by_role("link", name="查询进度").click()
    stranger = new_phone()
    await follow_by_phone(other, number.group(0), stranger)
    await other.get_by_label("短信验证码").fill(sms_code(platform, stranger))
    await other.get_by_role("button", name="查询", exact=True).click()
    assert (
        await other.get_by_role("alert").inner_text() == "该手机号码下没有这个受理编号的诉求，请核对后重新获取验证码。"
    )
    assert await other.get_by_label("受理编号").input_value() == number.group(0)
    # the resident's own phone: a wrong code beside its field, then the right one opens the progress page
    await follow_by_phone(other, number.group(0), phone)
    code = sms_code(platform, phone, count=2)
    await other.get_by_label("短信验证码").fill("000000" if code != "000000" else "111111")
    await other.get_by_role("button", name="查询", exact=True).click()
    assert await other.locator("#e-code").inner_text() == "验证码不正确，请核对短信后重新输入。"
    assert await axe_violations(other) == []
    await other.get_by_label("短信验证码").fill(code)
    await other.get_by_role("button", name="查询", exact=True).click()
    await other.locator("[data-stage=new]").wait_for()
    assert await other.get_by_role("heading", name="服务评价").count() == 0  # not resolved yet

    resolve(platform, ticket)
    await page.reload()  # the first phone's follow token was replaced: it is asked for number and phone again
    await page.get_by_label("手机号码").wait_for()
    assert await page.get_by_label("受理编号").input_value() == number.group(0)
    await other.reload()
    await other.locator("[data-stage=resolved]").wait_for()
    await other.get_by_role("button", name="提交评价").click()  # neither satisfied nor not
    assert await other.locator("#e-satisfied").inner_text() == "请选择是否满意。"
    closure = f"{platform.gateway}/api/dispatch/tickets/{ticket['id']}/closure"
    assert httpx.get(closure, headers=auth(desk)).json()["feedback"] == []
    await other.get_by_label("满意", exact=True).check()
    await other.get_by_label("意见建议（选填）").fill("志愿者很耐心")
    assert await axe_violations(other) == []
    await other.get_by_role("button", name="提交评价").click()
    await other.get_by_text("感谢您的评价，已记录。").wait_for()
    assert await other.get_by_role("heading", name="服务评价").count() == 0  # given once
    assert "您的评价已记录" in await other.locator(".timeline").inner_text()
    assert await other.locator("[data-stage=resolved]").inner_text() == "已办结，感谢您的评价"
    assert await axe_violations(other) == []
    await screenshot(other, "console-resident-follow")
    [feedback] = httpx.get(closure, headers=auth(desk)).json()["feedback"]
    assert (feedback["via"], feedback["satisfied"], feedback["comment"]) == ("page", True, "志愿者很耐心")


async def test_too_many_codes_for_one_phone_get_a_chinese_message(platform: RunningPlatform, new_page: Any) -> None:
    district, phone = district_id(platform), new_phone()
    for _ in range(3):  # the district's limit per phone and hour (REDCELL_DISPATCH__PUBLIC_CODES_PER_HOUR)
        sent = httpx.post(f"{platform.gateway}/api/dispatch/public/{district}/verifications", json={"phone": phone})
        assert sent.status_code == 201, sent.text
    page = await new_page(PHONE)
    await page.goto(f"{platform.gateway}/console/r/{platform.a.slug}/follow")
    await page.get_by_label("受理编号").fill("20261205-0001")
    await page.get_by_label("手机号码").fill(phone)
    await page.get_by_role("button", name="获取验证码").click()
    alert = page.get_by_role("alert")
    assert await alert.inner_text() == "该手机号本小时获取验证码次数已达上限，请稍后再试。"
    await page.get_by_label("受理编号").fill("12345")
    await page.get_by_label("手机号码").fill("12345")
    await page.get_by_role("button", name="获取验证码").click()
    assert await page.locator("#e-number").inner_text() == "受理编号的格式如 20261205-0007。"
    assert await page.locator("#e-phone").inner_text() == "请输入11位手机号码。"
    assert await axe_violations(page) == []


def test_an_unknown_district_is_a_404_page_and_forms_need_their_csrf_token(platform: RunningPlatform) -> None:
    with httpx.Client(base_url=platform.gateway) as browser:
        for missing in (
            "/console/r/no-such-district/",
            "/console/r/no-such-district/request",
            "/console/r/no-such-district/follow/20260101-0001",
            "/console/r/Not_A_Slug!/",
        ):
            answer = browser.get(missing)
            assert answer.status_code == 404, missing
            assert "未找到" in answer.text
            assert "手机号码" not in answer.text  # no form at all
        by_id = browser.get(f"/console/r/{district_id(platform)}/")  # the district's id works too
        assert by_id.status_code == 200
        assert "居民服务" in by_id.text
        form = browser.get(f"/console/r/{uuid.uuid4()}/request")
        token = CSRF_FIELD.search(form.text)
        assert token is not None
        unknown = browser.post(
            form.url.path + "/code", data={"_csrf_token": token.group(1), "phone": new_phone()}
        )  # a district without a hotline
        assert unknown.status_code == 404
        assert "未找到" in unknown.text
        refused = httpx.post(
            f"{platform.gateway}/console/r/{platform.a.slug}/request/code", data={"phone": new_phone()}
        )
        assert refused.status_code == 403
        assert "表单已过期" in refused.text
        assert "redcell_console" not in browser.cookies  # no session for residents
