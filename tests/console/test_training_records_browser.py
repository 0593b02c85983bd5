"""学习培训's records in a real browser: an organiser checks a member in by hand (found by name, a reason required
beside its field, nothing stored without it), opens the member's hours and points from the attendance, finds the
member on the below-target list of the year and downloads it as .xlsx; the member reads 我的学习 on the phone; a
member checks in with the keyboard alone; another district's person is the 404 page."""

from __future__ import annotations

import io
import re
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from openpyxl import load_workbook

from tests.console.support import signed_in_client, token_of
from tests.console.test_browser import sign_in
from tests.console.test_training_browser import member, organiser, session_now
from tests.platform.browser import PHONE, axe_violations, screenshot
from tests.platform.platform import RunningPlatform, auth, new_user


async def test_an_organiser_checks_a_member_in_by_hand_and_follows_their_hours_to_the_below_target_list(
    platform: RunningPlatform, new_page: Any
) -> None:
    who, attendee = organiser(platform), member(platform, f"林{uuid.uuid4().hex[:3]}红")
    token = token_of(platform, who)
    session = session_now(platform, token, f"三会一课 {uuid.uuid4().hex[:4]}")
    page = await new_page()
    await sign_in(page, platform, who)
    await page.goto(f"{platform.gateway}/console/training/sessions/{session['id']}")

    # found by the start of the name as the organiser types; no reason: refused beside the field, nothing stored
    await page.get_by_label("按姓名查找人员").fill(attendee.name[:2])
    choice = page.get_by_role("radio", name=re.compile(attendee.name))
    await choice.check()
    await page.get_by_role("button", name="确认手工签到").click()
    await page.locator("#e-reason").wait_for()
    assert await page.locator("#e-reason").inner_text() == "请填写原因（2到200字）。"
    assert await page.get_by_role("radio", name=re.compile(attendee.name)).is_checked()  # kept
    listed = httpx.get(f"{platform.gateway}/api/training/sessions/{session['id']}/attendance", headers=auth(token))
    assert listed.json()["items"] == []
    assert await axe_violations(page) == []

    await page.get_by_label("原因").fill("手机没电，现场核实本人后代为签到")
    await page.get_by_role("button", name="确认手工签到").click()
    await page.get_by_text(f"已为 {attendee.name} 签到。").wait_for()
    row = page.locator(f"#attendance-{attendee.person['id']}")
    assert "手工签到" in await row.inner_text()
    assert "手机没电，现场核实本人后代为签到" in await row.inner_text()
    assert await axe_violations(page) == []
    await screenshot(page, "console-training-session-attendance")

    # the member's record: this session's credit hour counts; the member rule is not met yet
    await row.get_by_role("link", name=attendee.name).click()
    await page.get_by_role("heading", name=attendee.name, exact=True).wait_for()
    assert await page.locator("[data-credit-hours]").inner_text() == "1"  # 微党课: the programme's hour
    assert "还差 31" in await page.locator("[data-rule=member_hours]").inner_text()
    assert await axe_violations(page) == []
    await screenshot(page, "console-training-person")

    # the year's below-target list of the member's street names the member with what is missing
    await page.get_by_role("link", name="未达标名单").click()
    await page.get_by_role("heading", name="未达标名单").wait_for()
    await page.get_by_label("单位").select_option(label=f"　{attendee.committee}")
    await page.get_by_role("button", name="查看").click()
    listed_row = page.locator(f"#below-{attendee.person['id']}")
    await listed_row.wait_for()
    assert "党员年度学时：已完成 1 / 要求 32，还差 31" in await listed_row.inner_text()
    assert await page.locator("[data-total]").inner_text() == "未达标 1 人"
    assert await axe_violations(page) == []
    await screenshot(page, "console-training-below-target")
    async with page.expect_download() as download_info:
        await page.get_by_role("link", name="下载 Excel（.xlsx）").click()
    download = await download_info.value
    assert download.suggested_filename == f"未达标人员-{datetime.now(UTC).year}.xlsx"
    sheet = load_workbook(io.BytesIO(Path(await download.path()).read_bytes()), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "姓名"
    assert [r[0] for r in rows[1:]] == [attendee.name]  # the street's list, as on the page


async def test_a_member_reads_my_learning_on_the_phone_and_checks_in_with_the_keyboard(
    platform: RunningPlatform, new_page: Any
) -> None:
    who, attendee = organiser(platform), member(platform)
    token = token_of(platform, who)
    session = session_now(platform, token, f"微党课 {uuid.uuid4().hex[:4]}")
    code = httpx.get(f"{platform.gateway}/api/training/sessions/{session['id']}/checkin-code", headers=auth(token))
    phone = await new_page(PHONE)
    await sign_in(phone, platform, attendee.username)
    await phone.wait_for_url(re.compile(r"/console/"))
    await phone.goto(f"{platform.gateway}{code.json()['checkinPath']}")
    await phone.get_by_role("button", name="确认签到").wait_for()
    await phone.keyboard.press("Tab")  # from the button (it has the focus on arrival) on to the next thing ...
    await phone.keyboard.press("Shift+Tab")  # ... and back: the button is reachable by keyboard
    await phone.keyboard.press("Enter")
    await phone.locator("[data-result=ok]").wait_for()

    await phone.get_by_role("link", name="我的学习").click()
    await phone.get_by_role("heading", name="我的学习", exact=True).wait_for()
    assert await phone.locator("[data-credit-hours]").inner_text() == "1"
    assert await phone.locator("[data-rule=member_hours]").count() == 1
    assert await axe_violations(phone) == []
    await screenshot(phone, "console-training-my-learning")


def test_another_districts_person_is_a_404_page_and_an_unlinked_login_is_told_what_to_do(
    platform: RunningPlatform,
) -> None:
    attendee, theirs = member(platform), organiser(platform, "b")
    other = signed_in_client(platform, theirs)
    try:
        answer = other.get(f"/console/training/people/{attendee.person['id']}")
        assert answer.status_code == 404
        assert "未找到" in answer.text
        assert attendee.name not in answer.text
    finally:
        other.close()
    unlinked = new_user(platform.gateway, platform.a.token, "member", ["member"])
    phone = signed_in_client(platform, unlinked)
    try:
        for path in ("/console/training/me", "/console/training/checkin?c=x"):
            assert "您的账号尚未关联培训档案中的党员" in phone.get(path).text, path
    finally:
        phone.close()
