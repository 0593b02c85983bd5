"""Taking a call in a real browser: the caller's number → the caller's card → the new ticket → the desk; the
possible duplicates offered before anything is stored, then saved anyway or added to the earlier ticket; the
Chinese message beside a field with nothing stored; the keyboard."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
from playwright.async_api import expect

from tests.console.support import (
    caller_household,
    categories,
    masked,
    new_phone,
    operator,
    ticket_for,
    titled,
    token_of,
)
from tests.console.test_browser import sign_in
from tests.platform.browser import axe_violations, screenshot
from tests.platform.platform import PASSWORD, RunningPlatform, auth

TICKET_PAGE = re.compile(r"/console/tickets/([0-9a-f-]{36})$")
PHONE_WRONG = "号码格式不对：请输入11位手机号码，或带区号的固定电话号码。"


def api_get(platform: RunningPlatform, token: str, path: str, **params: Any) -> Any:
    response = httpx.get(f"{platform.gateway}{path}", headers=auth(token), params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def look_up(page: Any, phone: str) -> None:
    await page.get_by_label("来电号码").fill(phone)
    await page.get_by_role("button", name="查询来电人").click()


async def test_a_call_is_taken_from_the_number_to_a_saved_ticket_that_shows_on_the_desk(
    platform: RunningPlatform, new_page: Any
) -> None:
    username = operator(platform)
    token = token_of(platform, username)
    caller = caller_household(platform)
    category = next(c for c in categories(platform, token) if c["items"])
    item = category["items"][0]
    page = await new_page()
    await sign_in(page, platform, username)
    await page.wait_for_url(re.compile(r"/console/desk$"))
    await page.get_by_role("main").get_by_role("link", name="接听来电").click()
    await page.wait_for_url(re.compile(r"/console/calls$"))
    assert await page.locator("nav [aria-current=page]").inner_text() == "接听来电"

    await look_up(page, caller.phone)
    card = page.locator(".caller-card")
    await card.wait_for()
    shown = await card.inner_text()
    assert masked(caller.phone) in shown
    assert "1组9号" in shown
    assert "王**" in shown  # the head of the household, masked as orgtree answers
    assert caller.grid["name"] in shown
    assert "林志红" in shown
    assert masked(caller.member_phone) in shown
    assert "此号码此前没有工单" in shown
    # the typed number is in its form field and nowhere else on the page
    html = await page.content()
    assert html.count(caller.phone) == 1
    assert await page.get_by_label("来电号码").input_value() == caller.phone
    assert caller.member_phone not in html
    assert await axe_violations(page) == []
    await screenshot(page, "console-call-card")

    # the household found is the place unless the operator picks another
    household = page.get_by_role("radio", name=re.compile("住户 1组9号"))
    assert await household.is_checked()
    await page.get_by_label("类别").select_option(category["id"])
    await page.locator(f"#f-itemId option[value='{item['id']}']").wait_for(state="attached")  # the items follow
    await page.get_by_label("事项").select_option(item["id"])
    await page.get_by_label("紧急程度").select_option("urgent")
    title = f"水管漏水 {uuid.uuid4().hex[:4]}"
    await page.get_by_label("标题").fill(title)
    await page.get_by_label("诉求内容").fill("厨房水管接头漏水，请尽快上门。")
    await page.get_by_label("来电人姓名").fill("王建国")
    assert await axe_violations(page) == []
    await screenshot(page, "console-call-form")
    await page.get_by_role("button", name="保存工单").click()

    await page.wait_for_url(TICKET_PAGE)
    found = TICKET_PAGE.search(page.url)
    assert found
    ticket = api_get(platform, token, f"/api/dispatch/tickets/{found.group(1)}")
    assert ticket["title"] == title
    assert (ticket["channel"], ticket["priority"]) == ("phone", "urgent")
    assert (ticket["categoryId"], ticket["itemId"]) == (category["id"], item["id"])
    assert (ticket["householdId"], ticket["gridId"]) == (caller.household["id"], caller.grid["id"])
    assert ticket["callerPhone"] == masked(caller.phone)
    assert ticket["callerName"] == "王**"

    await page.goto(f"{platform.gateway}/console/desk")
    row = page.locator(f"#ticket-{ticket['id']}")
    await row.wait_for()
    assert title in await row.inner_text()


async def save_expecting_the_offer(page: Any) -> Any:
    """Press save; the possible duplicates are offered in its place, with the focus on them."""
    await page.get_by_role("button", name="保存工单").click()
    offer = page.locator("#offer")
    await offer.wait_for()
    assert await page.evaluate("() => document.activeElement.id") == "offer"
    return offer


async def test_a_repeated_call_is_offered_its_duplicates_before_anything_is_saved(
    platform: RunningPlatform, new_page: Any
) -> None:
    username = operator(platform)
    token = token_of(platform, username)
    caller = caller_household(platform)
    category = categories(platform, token)[0]
    first = ticket_for(platform, token, caller, category)
    page = await new_page()
    await sign_in(page, platform, username)
    await page.wait_for_url(re.compile(r"/console/desk$"))
    await page.goto(f"{platform.gateway}/console/calls")
    await look_up(page, caller.phone)

    # the caller's open ticket is on the card, with its category, and named above the form
    earlier = page.locator(".caller-card tr", has=page.get_by_role("link", name=first["number"]))
    assert category["name"] in await earlier.inner_text()
    assert first["number"] in await page.locator(".notice").inner_text()
    await page.get_by_label("类别").select_option(category["id"])
    title = f"水管又漏了 {uuid.uuid4().hex[:4]}"
    await page.get_by_label("标题").fill(title)
    await page.get_by_label("诉求内容").fill("还是厨房那个接头，今天又开始滴水。")

    offer = await save_expecting_the_offer(page)
    offered = offer.locator(f"#duplicate-{first['id']}")
    text = await offered.inner_text()
    for shown in (first["number"], first["title"], category["name"], "同一住户", "同一来电人"):
        assert shown in text
    assert titled(platform, token, title) == []  # nothing is stored while the operator chooses
    opened = offered.get_by_role("link", name=f"打开 {first['number']}")
    assert await opened.get_attribute("href") == f"/console/tickets/{first['id']}"
    assert await opened.get_attribute("target") == "_blank"  # the form stays in this tab
    assert await page.get_by_label("诉求内容").input_value() == "还是厨房那个接头，今天又开始滴水。"
    assert await axe_violations(page) == []
    await screenshot(page, "console-call-duplicates")

    await offer.get_by_role("button", name="仍然新建").click()  # saved anyway: exactly one new ticket
    await page.wait_for_url(TICKET_PAGE)
    found = TICKET_PAGE.search(page.url)
    assert found
    [saved] = titled(platform, token, title)
    assert saved["id"] == found.group(1) != first["id"]
    assert (saved["householdId"], saved["categoryId"]) == (caller.household["id"], category["id"])

    # the next call about it is added to the first ticket instead: nothing is created, nothing merged
    await page.goto(f"{platform.gateway}/console/calls")
    await look_up(page, caller.phone)
    await page.get_by_label("类别").select_option(category["id"])
    again = f"第三次来电 {uuid.uuid4().hex[:4]}"
    await page.get_by_label("标题").fill(again)
    offer = await save_expecting_the_offer(page)
    assert await offer.locator(f"#duplicate-{saved['id']}").count() == 1  # both open tickets are offered
    await offer.get_by_role("button", name=f"补充到此工单 {first['number']}").click()
    await page.wait_for_url(re.compile(rf"/console/tickets/{first['id']}$"))
    assert titled(platform, token, again) == []
    history = api_get(platform, token, f"/api/dispatch/tickets/{first['id']}/history")
    assert "absorbed" not in [row["action"] for row in history]
    [note] = [row for row in history if row["action"] == "noted"]  # what the caller said is kept on it
    assert again in note["reason"]
    for ticket in (first, saved):
        assert api_get(platform, token, f"/api/dispatch/tickets/{ticket['id']}")["status"] not in (
            "merged",
            "cancelled",
        )


async def test_bad_input_is_named_beside_its_field_in_chinese_and_nothing_is_stored(
    platform: RunningPlatform, new_page: Any
) -> None:
    username = operator(platform)
    token = token_of(platform, username)
    page = await new_page()
    await sign_in(page, platform, username)
    await page.wait_for_url(re.compile(r"/console/desk$"))
    await page.goto(f"{platform.gateway}/console/calls")

    await look_up(page, "1380013")  # too short for a mobile, no area code for a landline
    phone = page.get_by_label("来电号码")
    assert await phone.get_attribute("aria-invalid") == "true"
    assert await page.locator("#e-phone").inner_text() == PHONE_WRONG
    assert await phone.input_value() == "1380013"

    number = new_phone()  # nobody's household: the card says so
    await look_up(page, number)
    assert "组织架构中没有登记这个号码的住户" in await page.locator(".caller-card").inner_text()
    category = categories(platform, token)[0]
    await page.get_by_label("类别").select_option(category["id"])
    await page.get_by_role("button", name="保存工单").click()  # no title
    title = page.get_by_label("标题")
    assert await title.get_attribute("aria-invalid") == "true"
    assert await page.locator("#e-title").inner_text() == "请填写标题（不超过200字）。"
    assert await title.evaluate("element => element === document.activeElement")  # the focus is on it
    assert await page.get_by_label("类别").input_value() == category["id"]  # what was chosen stays

    wanted = f"楼道灯不亮 {uuid.uuid4().hex[:4]}"
    await title.fill(wanted)
    await page.get_by_label("来电号码").fill("1380013800")
    await page.get_by_role("button", name="保存工单").click()
    assert await page.locator("#e-callerPhone").inner_text() == PHONE_WRONG
    assert await page.locator("#e-title").count() == 0
    assert "组织架构中没有登记这个号码的住户" in await page.locator(".caller-card").inner_text()  # the card stays

    await page.get_by_label("来电号码").fill(number)
    unknown = str(uuid.uuid4())  # a category that is not in the district's catalogue
    await page.locator("#f-categoryId").evaluate(
        "(select, value) => { select.options[select.selectedIndex].value = value; }", unknown
    )
    await page.get_by_role("button", name="保存工单").click()
    assert await page.get_by_label("类别").get_attribute("aria-invalid") == "true"
    assert await page.locator("#e-categoryId").inner_text() == "本区服务目录中没有这个类别，请重新选择。"
    assert await axe_violations(page) == []

    assert titled(platform, token, wanted) == []
    looked = httpx.post(f"{platform.gateway}/api/dispatch/callers/lookup", json={"phone": number}, headers=auth(token))
    assert looked.json()["earlierTickets"] == []


async def tab_to(page: Any, element_id: str, most: int = 40) -> None:
    """Press Tab until the element has the focus (as a keyboard user reaches it)."""
    for _ in range(most):
        if await page.evaluate("() => document.activeElement && document.activeElement.id") == element_id:
            return
        await page.keyboard.press("Tab")
    msg = f"#{element_id} is not reachable with the Tab key"
    raise AssertionError(msg)


async def test_the_whole_call_is_taken_from_the_keyboard(platform: RunningPlatform, new_page: Any) -> None:
    username = operator(platform)
    token = token_of(platform, username)
    caller = caller_household(platform)
    page = await new_page()
    await page.goto(f"{platform.gateway}/console/sign-in")
    await expect(page.locator("#f-username")).to_be_focused()  # the page puts the focus there
    await page.keyboard.type(username)
    await page.keyboard.press("Tab")
    await page.keyboard.type(PASSWORD)
    await page.keyboard.press("Enter")
    await page.wait_for_url(re.compile(r"/console/desk$"))

    for _ in range(40):  # Tab to the desk's button (or the navigation's entry) and follow it
        await page.keyboard.press("Tab")
        focused = await page.evaluate("() => document.activeElement.textContent.trim()")
        if focused == "接听来电":
            break
    await page.keyboard.press("Enter")
    await page.wait_for_url(re.compile(r"/console/calls$"))
    await expect(page.locator("#f-phone")).to_be_focused()  # the number field has the focus
    await page.keyboard.type(caller.phone)
    await page.keyboard.press("Enter")
    await page.locator(".caller-card").wait_for()

    # the category has the focus; the arrow picks one and the items follow
    assert await page.evaluate("() => document.activeElement.id") == "f-categoryId"
    await page.keyboard.press("ArrowDown")
    await page.locator("#f-itemId option:not([value=''])").first.wait_for(state="attached")
    await page.keyboard.press("Tab")
    assert await page.evaluate("() => document.activeElement.id") == "f-itemId"
    await page.keyboard.press("ArrowDown")
    await tab_to(page, "f-title")
    title = f"门锁坏了 {uuid.uuid4().hex[:4]}"
    await page.keyboard.type(title)
    await page.keyboard.press("Enter")

    await page.wait_for_url(TICKET_PAGE)
    [saved] = titled(platform, token, title)
    assert saved["categoryId"] is not None
    assert saved["itemId"] is not None
    assert saved["householdId"] == caller.household["id"]
