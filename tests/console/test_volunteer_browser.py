"""The volunteer's phone page in a real browser at 390×844: an offer arrives without reloading, is accepted, the
address and phone show on the task while the order is theirs (masked in the list), arrival and completion with a
photo filed in documents and listed with the order, points in the time bank;
a declined offer, one whose time runs out, a micro-wish claimed and fulfilled, wrong input beside its field."""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from datetime import UTC, datetime
from typing import Any

import httpx

from tests.console.support import (
    Volunteer,
    caller_household,
    new_ticket,
    offer_to,
    operator,
    signed_in_client,
    token_of,
    volunteer,
)
from tests.console.test_browser import sign_in
from tests.platform.browser import PHONE, axe_violations, screenshot
from tests.platform.platform import RunningPlatform, auth, new_user

ADDRESS = "瑶溪街道示例小区3幢"  # what support.new_ticket records
CALLER = "13800138000"


def png() -> bytes:
    """A real 2×2 PNG, as a phone's camera would hand the page a picture."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + b"\xb3\x26\x1e" * 2 + b"\x00" + b"\xff\xff\xff" * 2)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def photo(name: str = "现场.png") -> dict[str, Any]:
    return {"name": name, "mimeType": "image/png", "buffer": png()}


async def phone_page(new_page: Any, platform: RunningPlatform, who: Volunteer, **options: Any) -> Any:
    page = await new_page(PHONE, **options)
    await sign_in(page, platform, who.username)
    await page.wait_for_url(re.compile(r"/console/volunteer$"))  # the start page of a volunteer
    return page


def get(platform: RunningPlatform, username: str, path: str) -> httpx.Response:
    """A console page as ``username`` sees it, through a plain HTTP client."""
    browser = signed_in_client(platform, username)
    try:
        return browser.get(path)
    finally:
        browser.close()


def task_of(platform: RunningPlatform, who: Volunteer, ticket: dict[str, Any]) -> httpx.Response:
    return httpx.get(f"{platform.gateway}/api/dispatch/tasks/{ticket['id']}", headers=auth(who.token))


async def test_a_volunteer_accepts_an_offer_arrives_and_reports_it_done_with_a_photo(
    platform: RunningPlatform, new_page: Any
) -> None:
    floor = operator(platform)
    who, desk = volunteer(platform), token_of(platform, floor)
    page = await phone_page(new_page, platform, who)
    assert await page.locator("[data-offers-empty]").is_visible()
    assert await axe_violations(page) == []

    # an order dispatched while the page is open appears without reloading, with the time left to answer
    ticket = new_ticket(platform, desk)
    offer = offer_to(platform, desk, ticket, who.provider)
    card = page.locator(f"#offer-{offer['id']}")
    await card.wait_for()
    assert ticket["title"] in await card.inner_text()
    assert ADDRESS not in await card.inner_text()  # masked until the order is theirs
    assert re.search(r"请在 \d+:\d\d 内答复", await card.locator(".countdown").inner_text())
    assert await axe_violations(page) == []
    await screenshot(page, "console-volunteer-offers")

    await card.get_by_role("button", name="签收").click()
    await page.wait_for_url(re.compile(rf"/console/volunteer/tasks/{ticket['id']}$"))
    assert await page.locator("[data-address]").inner_text() == ADDRESS
    call = page.get_by_role("link", name="拨打居民电话")
    assert await call.get_attribute("href") == f"tel:{CALLER}"

    await page.get_by_role("button", name="我已到达现场").click()
    await page.get_by_text("到达时间").wait_for()
    assert task_of(platform, who, ticket).json()["status"] == "on_site"
    assert await axe_violations(page) == []
    await screenshot(page, "console-volunteer-task")
    # the list of my tasks masks the address (it reads nothing in clear); the task itself shows it
    await page.get_by_role("link", name="派单", exact=True).click()
    listed = page.locator(f"a[href='/console/volunteer/tasks/{ticket['id']}']")
    assert ticket["number"] in await listed.inner_text()
    assert ADDRESS not in await listed.inner_text()
    await listed.click()
    await page.locator("[data-address]").wait_for()
    assert await page.locator("[data-address]").inner_text() == ADDRESS

    # wrong service minutes: the message beside the field, nothing stored
    await page.get_by_label("办理情况").fill("更换了楼道灯泡，已能正常照明")
    for wrong, message in (("", "请填写服务时长（分钟）。"), ("-5", "服务时长请填写1到1440之间的整数（分钟）。")):
        await page.get_by_label("服务时长（分钟）").fill(wrong)
        await page.get_by_role("button", name="提交办结").click()
        minutes = page.get_by_label("服务时长（分钟）")
        await page.locator("#e-serviceMinutes").wait_for()
        assert await page.locator("#e-serviceMinutes").inner_text() == message
        assert await minutes.get_attribute("aria-invalid") == "true"
        assert await page.get_by_label("办理情况").input_value() == "更换了楼道灯泡，已能正常照明"  # kept
        assert task_of(platform, who, ticket).json()["status"] == "on_site"

    await page.get_by_label("现场照片").set_input_files(photo())
    await page.get_by_label("服务时长（分钟）").fill("60")
    await page.get_by_role("button", name="提交办结").click()
    await page.wait_for_url(re.compile(r"/console/volunteer/timebank\?resolved="))
    assert await page.locator("[data-balance]").inner_text() == "10"  # ten points an hour
    assert "+10" in await page.locator(".entries").inner_text()
    assert ticket["number"] in await page.locator(".notice").inner_text()
    assert await axe_violations(page) == []
    assert task_of(platform, who, ticket).status_code == 404  # resolved: no longer theirs to see
    resolved = httpx.get(f"{platform.gateway}/api/dispatch/tickets/{ticket['id']}", headers=auth(desk)).json()
    assert (resolved["status"], resolved["resolutionNote"]) == ("resolved", "更换了楼道灯泡，已能正常照明")
    # the photo went to documents (grant, PUT to the presigned URL, confirm); dispatch lists its document id
    evidence = f"{platform.gateway}/api/dispatch/tickets/{ticket['id']}/evidence"
    [kept] = httpx.get(evidence, headers=auth(desk)).json()
    assert (kept["contentType"], kept["sha256"], kept["uploadedByKind"]) == (
        "image/png",
        hashlib.sha256(png()).hexdigest(),
        "provider",
    )
    document = f"{platform.gateway}/api/documents/documents/{kept['documentId']}"
    filed = httpx.get(document, headers=auth(desk)).json()
    assert (filed["typeCode"], filed["subjectKind"], filed["subjectId"]) == ("service_photo", "ticket", ticket["id"])
    link = httpx.get(f"{document}/download", headers=auth(desk)).json()
    assert httpx.get(link["url"]).content == png()  # the presigned link, as documents handed it out
    # and the ticket page shows it to the operator, through a link asked for with the operator's own token
    hotline = signed_in_client(platform, floor)
    try:
        ticket_page = hotline.get(f"/console/tickets/{ticket['id']}").text
        assert f"/console/tickets/{ticket['id']}/photos/{kept['documentId']}" in ticket_page
        assert "现场照片" in ticket_page
        served = hotline.get(f"/console/tickets/{ticket['id']}/photos/{kept['documentId']}", follow_redirects=True)
        assert (served.status_code, served.headers["content-type"], served.content) == (200, "image/png", png())
    finally:
        hotline.close()


async def test_a_declined_offer_needs_a_reason_and_an_unanswered_one_leaves_when_its_time_is_up(
    platform: RunningPlatform, new_page: Any
) -> None:
    who, desk = volunteer(platform), token_of(platform, operator(platform))
    kept = offer_to(platform, desk, new_ticket(platform, desk), who.provider)
    declined_ticket = new_ticket(platform, desk)
    declined = offer_to(platform, desk, declined_ticket, who.provider)
    page = await new_page(PHONE)
    await page.clock.install()  # the page's own clock, moved on below instead of waiting ten minutes
    await sign_in(page, platform, who.username)
    await page.wait_for_url(re.compile(r"/console/volunteer$"))

    card = page.locator(f"#offer-{declined['id']}")
    await card.get_by_text("婉拒", exact=True).click()
    await card.get_by_role("button", name="确认婉拒").click()
    card = page.locator(f"#offer-{declined['id']}")
    assert await card.locator(".error").inner_text() == "请选择婉拒的原因。"
    offers = httpx.get(f"{platform.gateway}/api/dispatch/offers", headers=auth(who.token)).json()
    assert declined["id"] in [o["id"] for o in offers]  # nothing stored
    await card.get_by_label("距离太远，无法及时赶到").check()
    await card.get_by_role("button", name="确认婉拒").click()
    await page.locator(f"#offer-{declined['id']}").wait_for(state="detached")
    history = httpx.get(
        f"{platform.gateway}/api/dispatch/tickets/{declined_ticket['id']}/offers", headers=auth(desk)
    ).json()
    mine = next(o for o in history if o["id"] == declined["id"])
    assert (mine["status"], mine["declineReason"]) == ("declined", "距离太远，无法及时赶到")

    # the time left counts down in the page, and the offer leaves it when the time is up
    seconds = page.locator(f"#offer-{kept['id']} [data-s]")
    before = await seconds.inner_text()
    await page.clock.run_for(2000)
    assert await seconds.inner_text() != before
    expires = datetime.fromisoformat(kept["expiresAt"])
    await page.clock.fast_forward(int((expires - datetime.now(UTC)).total_seconds() * 1000) + 60_000)
    await page.locator(f"#offer-{kept['id']}").wait_for(state="detached")
    assert await page.locator("[data-offers-empty]").is_visible()

    # going off duty from the phone: the hotline asks others first
    await page.get_by_role("button", name="暂停接单").click()
    await page.locator("[data-duty=off]").wait_for()
    mine = httpx.get(f"{platform.gateway}/api/dispatch/providers/me", headers=auth(who.token)).json()
    assert [entry["onDuty"] for entry in mine] == [False]
    await page.get_by_role("button", name="恢复接单").click()
    await page.locator("[data-duty=on]").wait_for()


async def test_a_volunteer_claims_a_micro_wish_and_fulfils_it_with_a_photo(
    platform: RunningPlatform, new_page: Any
) -> None:
    who, admin = volunteer(platform), auth(platform.a.token)
    household = caller_household(platform).household
    body = {"source": "visit", "title": "想要一台收音机", "householdId": household["id"], "beneficiaryName": "王建国"}
    wish = httpx.post(f"{platform.gateway}/api/dispatch/wishes", json=body, headers=admin).json()
    published = httpx.post(f"{platform.gateway}/api/dispatch/wishes/{wish['id']}/publish", headers=admin)
    assert published.status_code == 200, published.text

    page = await phone_page(new_page, platform, who)
    await page.get_by_role("link", name="微心愿").click()
    card = page.locator(f"#wish-{wish['id']}")
    assert "王**" in await card.inner_text()
    await card.get_by_role("button", name="认领这个心愿").click()
    await page.get_by_role("heading", name="我认领的心愿").wait_for()
    card = page.locator(f"#wish-{wish['id']}")
    assert await card.get_by_role("button", name="提交实现").count() == 1
    assert await axe_violations(page) == []

    await card.get_by_role("button", name="提交实现").click()  # neither photo nor note
    card = page.locator(f"#wish-{wish['id']}")
    assert await card.locator(".error").inner_text() == "请上传照片或简要说明心愿的实现情况。"
    stored = httpx.get(f"{platform.gateway}/api/dispatch/wishes/{wish['id']}", headers=admin).json()
    assert (stored["status"], stored["hasEvidence"]) == ("claimed", False)

    await card.get_by_label("心愿实现照片").set_input_files(photo("收音机.png"))
    await card.get_by_label("实现情况").fill("已送到王大爷家中")
    await card.get_by_role("button", name="提交实现").click()
    await page.locator(f"#wish-{wish['id']}").wait_for(state="detached")
    stored = httpx.get(f"{platform.gateway}/api/dispatch/wishes/{wish['id']}", headers=admin).json()
    assert (stored["status"], stored["hasEvidence"], stored["evidenceNote"]) == ("fulfilled", True, "已送到王大爷家中")
    # the photo is filed in documents, about the wish
    document = f"{platform.gateway}/api/documents/documents/{stored['evidenceDocumentId']}"
    filed = httpx.get(document, headers=admin).json()
    assert (filed["typeCode"], filed["subjectKind"], filed["subjectId"]) == ("wish_evidence", "wish", wish["id"])


def test_another_volunteers_task_is_a_404_page_and_an_unlinked_login_is_told_why_no_offer_comes(
    platform: RunningPlatform,
) -> None:
    ours, desk = volunteer(platform), token_of(platform, operator(platform))
    ticket = new_ticket(platform, desk)
    offer = offer_to(platform, desk, ticket, ours.provider)
    accepted = httpx.post(f"{platform.gateway}/api/dispatch/offers/{offer['id']}/accept", headers=auth(ours.token))
    assert accepted.status_code == 200, accepted.text
    for other in (volunteer(platform, "a"), volunteer(platform, "b")):
        page = get(platform, other.username, f"/console/volunteer/tasks/{ticket['id']}")
        assert page.status_code == 404
        assert "未找到" in page.text
        assert ADDRESS not in page.text
        assert CALLER not in page.text
    assert ADDRESS in get(platform, ours.username, f"/console/volunteer/tasks/{ticket['id']}").text
    assert get(platform, operator(platform), "/console/volunteer").status_code == 403  # the volunteers' page
    unlinked = new_user(platform.gateway, platform.a.token, "vol", ["volunteer"])  # no provider entry names it
    for path in ("/console/volunteer", "/console/volunteer/timebank"):
        assert "您的账号尚未关联志愿者档案" in get(platform, unlinked, path).text
