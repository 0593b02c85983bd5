"""走访 in a real browser against the running platform: a red-cell member, on a phone, records a visit to the
household they serve with a matter that becomes a ticket (a visit in the future is refused beside its field first,
nothing stored), and the staff's 走访情况 of the household's grid no longer lists the link as unvisited."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import jwt
from openpyxl import load_workbook

from tests.console.support import caller_household, token_of, until
from tests.console.test_browser import sign_in
from tests.platform.browser import PHONE, axe_violations, screenshot
from tests.platform.platform import RunningPlatform, auth, new_user


async def figure(page: Any, name: str) -> str:
    text: str = await page.locator(f'[data-figure="{name}"]').inner_text()
    return text.strip()


def member_login(platform: RunningPlatform, member: dict[str, Any], household: dict[str, Any]) -> str:
    """A login for the member (linked in orgtree by the district admin); returns once dispatch knows whom it serves."""
    username = new_user(platform.gateway, platform.a.token, "rc", ["member"])
    token = token_of(platform, username)
    account = jwt.decode(token, options={"verify_signature": False})["sub"]
    linked = httpx.patch(
        f"{platform.gateway}/api/orgtree/members/{member['id']}",
        json={"userId": account},
        headers=auth(platform.a.token),
    )
    assert linked.status_code == 200, linked.text

    def served() -> list[Any] | None:
        answer = httpx.get(f"{platform.gateway}/api/dispatch/visits/households", headers=auth(token))
        ids = [h["householdId"] for h in answer.json()] if answer.status_code == 200 else []
        return ids if household["id"] in ids else None

    until("the member's household in dispatch", served)
    return username


async def test_a_member_records_a_visit_with_a_ticket_and_the_compliance_report_changes(
    platform: RunningPlatform, new_page: Any
) -> None:
    caller = caller_household(platform)
    username = member_login(platform, caller.member, caller.household)
    report_address = f"{platform.gateway}/console/visits?by=grid&unit={caller.grid['id']}"

    staff = await new_page()
    await sign_in(staff, platform, new_user(platform.gateway, platform.a.token, "vs", ["district_admin"]))
    await staff.wait_for_url(re.compile(r"/console/"))
    await staff.goto(report_address)
    await staff.get_by_role("heading", name=re.compile("走访情况")).wait_for()
    assert await figure(staff, "unvisited") == "1"
    assert await staff.locator(f'[data-link="{caller.household["id"]}"]').count() == 1
    assert await axe_violations(staff) == []
    await screenshot(staff, "console-visits-report-before")
    sheet = await staff.request.get(
        f"{platform.gateway}/console/visits/compliance.xlsx?by=grid&unit={caller.grid['id']}"
    )
    assert sheet.ok
    book = load_workbook(io.BytesIO(await sheet.body()), read_only=True)
    per_unit, links = (list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets)
    assert per_unit[0] == ("网格", "联户数", "7天内未走访")
    assert per_unit[1] == (caller.grid["name"], 1, 1)
    assert links[1][0] == caller.household["id"][:8]
    assert links[1][3] == "—"  # never visited

    phone = await new_page(PHONE)
    await sign_in(phone, platform, username)
    await phone.wait_for_url(re.compile(r"/console/"))
    await phone.goto(f"{platform.gateway}/console/visits/me")
    card = phone.locator(f'[data-household="{caller.household["id"]}"]')
    await card.get_by_text("1组9号").wait_for()
    assert "尚未走访" in await card.locator("[data-last-visit]").inner_text()
    assert await axe_violations(phone) == []
    await screenshot(phone, "console-visits-mine")

    await card.get_by_role("link", name="记录走访").click()
    await phone.get_by_label("走访时间").fill("2099-01-01T10:00")
    await phone.get_by_label("走访情况").fill("老人腿脚不便，楼道灯不亮")
    await phone.get_by_label("事项1", exact=True).fill("楼道灯坏了，需要维修")
    await phone.get_by_label("事项1的处理").select_option(label="转为工单")
    await phone.get_by_role("button", name="保存走访记录").click()
    await phone.locator("#e-visitedAt").wait_for()
    assert await phone.locator("#e-visitedAt").inner_text() == "走访时间不能晚于现在。"
    assert await phone.get_by_label("事项1", exact=True).input_value() == "楼道灯坏了，需要维修"  # kept as typed
    assert await axe_violations(phone) == []
    await screenshot(phone, "console-visits-refused")

    an_hour_ago = datetime.now(ZoneInfo("Asia/Shanghai")) - timedelta(hours=1)  # the district's zone
    await phone.get_by_label("走访时间").fill(an_hour_ago.strftime("%Y-%m-%dT%H:%M"))
    await phone.get_by_role("button", name="保存走访记录").click()
    await phone.wait_for_url(re.compile(r"/console/visits/me/visits/[0-9a-f-]{36}$"))
    matter = phone.locator("[data-matter]")
    await matter.get_by_text("楼道灯坏了，需要维修").wait_for()
    assert re.search(r"已转为工单 \S+，由热线派单办理", await matter.inner_text())
    assert await axe_violations(phone) == []
    await screenshot(phone, "console-visits-recorded")

    number = re.search(r"已转为工单 (\S+)，", await matter.inner_text())
    assert number is not None
    await phone.goto(f"{platform.gateway}/console/visits/me")
    assert "最近走访" in await card.locator("[data-last-visit]").inner_text()

    await staff.goto(report_address)  # the link is visited now: the grid counts none left
    await staff.get_by_text("所有联户均已按时走访。").wait_for()
    assert await figure(staff, "unvisited") == "0"
    await screenshot(staff, "console-visits-report-after")
    tickets = httpx.get(
        f"{platform.gateway}/api/dispatch/tickets", params={"limit": 200}, headers=auth(platform.a.token)
    )
    opened = next(t for t in tickets.json()["items"] if t["number"] == number.group(1))
    assert opened["channel"] == "visit"
    assert opened["householdId"] == caller.household["id"]
