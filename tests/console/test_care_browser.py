"""党员管理 in a real browser against the running platform: an organiser registers a mobile member's certificate
(empty fields and a second registration refused beside their fields, nothing stored), records the annual review,
opens the overdue reviews and sets the warning days; a warned member's re-education case is concluded after the
party-spirit programme (the early conclusion refused in words) and a grid leader reads it without a form; another
district's certificate and case are the 404 page."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.console.support import signed_in_client, until
from tests.console.test_browser import sign_in
from tests.console.test_training_browser import ZONE, _post, member, organiser, programme_id
from tests.platform.browser import axe_violations, screenshot
from tests.platform.platform import RunningPlatform, auth, new_user

CERTIFICATES = "/api/training/certificates"


def today() -> str:
    return datetime.now(ZONE).date().isoformat()


def certificates_of(platform: RunningPlatform, person_id: str) -> list[dict[str, Any]]:
    listed = httpx.get(f"{platform.gateway}{CERTIFICATES}", params={"limit": 200}, headers=auth(platform.a.token))
    assert listed.status_code == 200, listed.text
    return [c for c in listed.json()["items"] if c["personId"] == person_id]


async def test_an_organiser_registers_a_certificate_and_records_its_review(
    platform: RunningPlatform, new_page: Any
) -> None:
    me = member(platform, f"流动{uuid.uuid4().hex[:4]}")
    number = f"LD{uuid.uuid4().hex[:8]}"
    due = (datetime.now(ZONE).date() + timedelta(days=20)).isoformat()
    username = organiser(platform)
    page = await new_page()
    await sign_in(page, platform, username)
    await page.goto(f"{platform.gateway}/console/care")
    await page.get_by_role("heading", name="党员管理", exact=True).wait_for()
    await page.get_by_role("link", name="登记流动党员证").click()
    await page.get_by_label("按姓名查找党员").fill(me.name)
    await page.get_by_role("button", name="查找").click()
    await page.get_by_role("button", name="登记", exact=True).click()
    assert "请选择持证党员" in await page.locator("#e-personId").inner_text()
    assert "请填写证号" in await page.locator("#e-number").inner_text()
    assert "请填写评议到期日期" in await page.locator("#e-reviewDueOn").inner_text()
    assert await axe_violations(page) == []
    await screenshot(page, "console-care-register-refused")
    assert certificates_of(platform, me.person["id"]) == []  # nothing stored

    await page.get_by_label("党员", exact=True).select_option(label=me.name)
    await page.get_by_label("证号").fill(number)
    await page.get_by_label("发证日期").fill("2025-12-01")
    await page.get_by_label("评议到期日").fill(due)
    await page.get_by_role("button", name="登记", exact=True).click()
    await page.wait_for_url(re.compile(r"/console/care/certificates/[0-9a-f-]{36}$"))
    await page.get_by_role("heading", name=me.name).wait_for()
    assert number in await page.locator(".facts").inner_text()

    await page.get_by_role("button", name="保存评议").click()  # keyboard users reach it the same way
    assert "请选择结果" in await page.locator("#e-outcome").inner_text()
    await page.get_by_label("结果").select_option(label="合格")
    await page.get_by_label("评议日期").fill(today())
    await page.get_by_label("备注").fill("按时参加流入地组织生活")
    await page.get_by_label("备注").press("Tab")
    await page.keyboard.press("Enter")  # the submit button follows the note
    await page.get_by_role("cell", name="按时参加流入地组织生活").wait_for()
    assert "评议合格" in await page.locator(".page-head").inner_text()
    assert await axe_violations(page) == []
    await screenshot(page, "console-care-certificate")

    await page.goto(f"{platform.gateway}/console/care/certificates/new?q={me.name}")
    await page.get_by_label("党员", exact=True).select_option(label=me.name)
    await page.get_by_label("证号").fill(f"{number}X")
    await page.get_by_label("发证日期").fill("2025-12-01")
    await page.get_by_label("评议到期日").fill(due)
    await page.get_by_role("button", name="登记", exact=True).click()
    assert "已登记" in await page.locator("#e-personId").inner_text()  # training's 409 in words
    assert len(certificates_of(platform, me.person["id"])) == 1

    await page.goto(f"{platform.gateway}/console/care")
    await page.get_by_role("link", name=me.name).wait_for()
    assert "瑶溪" in await page.locator("#h-rate").locator("..").inner_text()
    assert await axe_violations(page) == []
    await screenshot(page, "console-care")
    await page.get_by_role("link", name="逾期评议").click()
    await page.get_by_role("heading", name="逾期评议", exact=True).wait_for()
    assert await axe_violations(page) == []

    await page.get_by_role("link", name="提醒天数").click()
    days = page.get_by_label("到期前天数")
    before = await days.input_value()
    await days.fill("0")
    await page.get_by_role("button", name="保存", exact=True).click()
    assert "1 到 180" in await page.locator("#e-reviewWarningDays").inner_text()
    assert await axe_violations(page) == []
    await screenshot(page, "console-care-settings-refused")
    await page.get_by_label("到期前天数").fill(before)
    await page.get_by_role("button", name="保存", exact=True).click()
    await page.get_by_text("已保存。").wait_for()

    [mine] = certificates_of(platform, me.person["id"])
    other = signed_in_client(platform, organiser(platform, "b"))
    try:
        answer = other.get(f"/console/care/certificates/{mine['id']}")
        assert answer.status_code == 404
        assert "未找到" in answer.text
        assert number not in answer.text
    finally:
        other.close()


def warned_case(platform: RunningPlatform, person: dict[str, Any]) -> dict[str, Any]:
    body = {"warnedOn": today(), "reason": "长期不参加组织生活"}
    _post(platform, f"/api/orgtree/members/{person['memberId']}/warnings", body, platform.a.token)

    def opened() -> dict[str, Any] | None:
        listed = httpx.get(
            f"{platform.gateway}/api/training/re-education", params={"limit": 200}, headers=auth(platform.a.token)
        ).json()["items"]
        return next((c for c in listed if c["personId"] == person["id"]), None)

    found: dict[str, Any] = until("the re-education case in training", opened)
    return found


def attended(platform: RunningPlatform, person: dict[str, Any], title: str) -> None:
    token = platform.a.token
    starts = datetime.now(UTC) - timedelta(minutes=5)
    body = {
        "programmeId": programme_id(platform, token, "party_spirit_education"),
        "title": title,
        "place": "瑶溪街道党群服务中心",
        "startsAt": starts.isoformat(),
        "endsAt": (starts + timedelta(hours=2)).isoformat(),
    }
    sitting = _post(platform, "/api/training/sessions", body, token)
    hand = {"personId": person["id"], "reason": "再教育签到"}
    _post(platform, f"/api/training/sessions/{sitting['id']}/attendance", hand, token)


async def test_a_warned_members_case_is_concluded_after_the_programme(platform: RunningPlatform, new_page: Any) -> None:
    me = member(platform, f"受警{uuid.uuid4().hex[:4]}")
    case = warned_case(platform, me.person)
    page = await new_page()
    await sign_in(page, platform, organiser(platform))
    await page.goto(f"{platform.gateway}/console/care/re-education")
    await page.get_by_role("link", name=me.name).click()
    await page.get_by_role("heading", name=me.name).wait_for()
    await page.get_by_role("button", name="作出结论").click()
    assert "请选择结果" in await page.locator("#e-outcome").inner_text()
    assert "备注必填" in await page.locator("#e-note").inner_text()
    await page.get_by_label("结果").select_option(label="合格")
    await page.get_by_label("备注").fill("认识深刻，表现良好")
    await page.get_by_role("button", name="作出结论").click()
    await page.get_by_text("尚未参加党性教育").wait_for()  # training's 409 in words, nothing concluded
    assert await axe_violations(page) == []
    await screenshot(page, "console-care-case-refused")

    title = f"党性再教育{uuid.uuid4().hex[:4]}"
    attended(platform, me.person, title)
    await page.goto(f"{platform.gateway}/console/care/re-education/{case['id']}")
    await page.get_by_role("link", name=title).wait_for()
    await page.get_by_label("结果").select_option(label="合格")
    await page.get_by_label("备注").fill("认识深刻，表现良好")
    await page.get_by_role("button", name="作出结论").click()
    await page.get_by_text("认识深刻，表现良好").wait_for()
    assert "合格" in await page.locator(".page-head").inner_text()
    assert await axe_violations(page) == []
    await screenshot(page, "console-care-case")

    leader = new_user(platform.gateway, platform.a.token, "gl", ["grid_leader"], scope=me.person["gridPath"])
    reader = signed_in_client(platform, leader)
    try:  # a grid leader reads the case and its conclusion, and is offered no form
        answer = reader.get(f"/console/care/re-education/{case['id']}")
        assert answer.status_code == 200
        assert "认识深刻，表现良好" in answer.text
        assert "作出结论" not in answer.text
    finally:
        reader.close()
    other = signed_in_client(platform, organiser(platform, "b"))
    try:
        answer = other.get(f"/console/care/re-education/{case['id']}")
        assert answer.status_code == 404
        assert "未找到" in answer.text
        assert me.name not in answer.text
    finally:
        other.close()
