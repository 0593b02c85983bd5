"""学习培训 in a real browser against the running platform: an organiser schedules a session (wrong input beside
its fields, nothing stored), opens the full-screen check-in screen (its QR code changes each step), a member
checks in on the phone with the code the screen shows (a browser cannot scan: the code is read off the page), the
screen's count goes up, a second check-in is told it was already done, an expired code is refused in Chinese, and
another district's session is the 404 page."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import jwt

from services.training.checkin import codes
from services.training.settings import get_training_settings
from shared.settings import Settings
from tests.console.support import signed_in_client, token_of, until
from tests.console.test_browser import sign_in
from tests.platform.browser import PHONE, axe_violations, screenshot
from tests.platform.platform import PASSWORD, RunningPlatform, auth, new_user

ZONE = ZoneInfo("Asia/Shanghai")
PROGRAMME = "micro_party_lecture"  # 微党课, 1 credit hour by default


@dataclass
class Member:
    """A member of district a in orgtree whose login training knows (GET /api/training/me answers)."""

    username: str
    token: str
    name: str
    person: dict[str, Any]
    committee: str  # the name of the street working committee above the member's branch


def _post(platform: RunningPlatform, path: str, body: dict[str, Any], token: str) -> dict[str, Any]:
    response = httpx.post(f"{platform.gateway}{path}", json=body, headers=auth(token))
    assert response.status_code in {200, 201}, (path, response.text)
    answer: dict[str, Any] = response.json()
    return answer


def member(platform: RunningPlatform, name: str | None = None) -> Member:
    """A member placed in a new branch and grid through orgtree's API, linked to a new login with the member role;
    returns once orgtree's member event has reached training."""
    admin = platform.a.token
    roots = {
        n["tree"]: n for n in httpx.get(f"{platform.gateway}/api/orgtree/nodes", headers=auth(admin)).json()["items"]
    }
    tag = uuid.uuid4().hex[:4]

    def unit(parent: dict[str, Any], level: str, unit_name: str, **extra: Any) -> dict[str, Any]:
        body = {"parentId": parent["id"], "level": level, "name": unit_name, **extra}
        return _post(platform, "/api/orgtree/nodes", body, admin)

    village = unit(unit(roots["administrative"], "street", f"学习街道{tag}"), "village", f"学习村{tag}")
    grid = unit(village, "grid", f"学习村{tag}一网格")
    committee = unit(roots["party"], "street_working_committee", f"学习街道{tag}党工委")
    branch = unit(committee, "branch", f"学习村{tag}党支部", linkedNodeId=village["id"])
    username = new_user(platform.gateway, admin, "member", ["member"])
    token = token_of(platform, username)
    name = name or f"学员{tag}"
    user_id = jwt.decode(token, options={"verify_signature": False})["sub"]
    body = {"name": name, "branchId": branch["id"], "gridId": grid["id"], "userId": user_id}
    _post(platform, "/api/orgtree/members", body, admin)

    def known() -> dict[str, Any] | None:
        answer = httpx.get(f"{platform.gateway}/api/training/me", headers=auth(token))
        return answer.json() if answer.status_code == 200 else None

    return Member(username, token, name, until("the member in training's people", known), committee["name"])


def organiser(platform: RunningPlatform, district: str = "a") -> str:
    admin = platform.a if district == "a" else platform.b
    return new_user(platform.gateway, admin.token, "org", ["district_admin"])


def programme_id(platform: RunningPlatform, token: str, code: str = PROGRAMME) -> str:
    listed = httpx.get(f"{platform.gateway}/api/training/programmes", headers=auth(token)).json()
    return str(next(p["id"] for p in listed if p["code"] == code))


def session_now(platform: RunningPlatform, token: str, title: str) -> dict[str, Any]:
    """A session of the district open for check-in now, scheduled through the API."""
    starts = datetime.now(UTC) - timedelta(minutes=5)
    body = {
        "programmeId": programme_id(platform, token),
        "title": title,
        "place": "瑶溪街道党群服务中心",
        "startsAt": starts.isoformat(),
        "endsAt": (starts + timedelta(hours=2)).isoformat(),
    }
    return _post(platform, "/api/training/sessions", body, token)


def sessions_titled(platform: RunningPlatform, token: str, title: str) -> list[dict[str, Any]]:
    """The district's sessions (from yesterday on) with this title: how a test sees that nothing was stored."""
    since = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    listed = httpx.get(
        f"{platform.gateway}/api/training/sessions", params={"from": since, "limit": 200}, headers=auth(token)
    )
    assert listed.status_code == 200, listed.text
    return [s for s in listed.json()["items"] if s["title"] == title]


def local(moment: datetime) -> str:
    """A moment as a ``datetime-local`` field takes it, in the district's zone."""
    return moment.astimezone(ZONE).strftime("%Y-%m-%dT%H:%M")


def expired_code(settings: Settings, platform: RunningPlatform, session_id: str) -> str:
    """The code the session's screen showed a minute ago, signed as the platform signs (the same master key)."""
    tenant = uuid.UUID(jwt.decode(platform.a.token, options={"verify_signature": False})["tenant"])
    key = codes.code_key(settings.master_key_bytes())
    step_s = get_training_settings().checkin_code_step_s
    return codes.issue(
        key, tenant, uuid.UUID(session_id), codes.step_at(datetime.now(UTC) - timedelta(minutes=1), step_s)
    )


async def schedule_through_the_form(page: Any, title: str) -> None:
    """The new-session form: first with the end before the start and too many hours (refused beside both
    fields), then corrected."""
    await page.get_by_role("link", name="培训项目").click()
    await page.get_by_role("heading", name="理论学习").wait_for()  # the catalogue, by category
    assert await axe_violations(page) == []
    await screenshot(page, "console-training-programmes")
    await page.get_by_role("link", name="为“三会一课”安排场次").click()
    hours = page.get_by_label("学时")
    assert await hours.input_value() == "2"  # the programme's credit hours
    await page.get_by_label("培训项目").select_option(label="微党课")
    await page.wait_for_function("document.getElementById('f-creditHours').value === '1'")  # now this one's
    await page.get_by_label("标题").fill(title)
    await page.get_by_label("地点").fill("瑶溪街道党群服务中心三楼")
    starts = datetime.now(UTC) + timedelta(minutes=10)
    await page.get_by_label("开始时间").fill(local(starts))
    await page.get_by_label("结束时间").fill(local(starts - timedelta(hours=1)))
    await hours.fill("30")
    await page.get_by_role("button", name="保存场次").click()
    await page.locator("#e-endsAt").wait_for()
    assert await page.locator("#e-endsAt").inner_text() == "结束时间须晚于开始时间。"
    assert await page.locator("#e-creditHours").inner_text() == "学时须大于0且不超过24，最多一位小数（如1.5）。"
    assert await page.get_by_label("结束时间").get_attribute("aria-invalid") == "true"
    assert await page.get_by_label("标题").input_value() == title  # kept
    assert await axe_violations(page) == []
    await screenshot(page, "console-training-session-form")
    await page.get_by_label("结束时间").fill(local(starts + timedelta(hours=2)))
    await page.get_by_label("学时").fill("2")
    await page.get_by_role("button", name="保存场次").click()


async def test_an_organiser_schedules_a_session_and_a_member_checks_in_from_the_screen(
    platform: RunningPlatform, new_page: Any, settings: Settings
) -> None:
    who, attendee = organiser(platform), member(platform)
    token = token_of(platform, who)
    title = f"微党课：身边的红色细胞 {uuid.uuid4().hex[:4]}"
    page = await new_page()
    await sign_in(page, platform, who)
    await page.get_by_role("link", name="学习培训").click()
    await page.get_by_role("heading", name="培训场次").wait_for()
    assert await axe_violations(page) == []

    await schedule_through_the_form(page, title)
    await page.wait_for_url(re.compile(r"/console/training/sessions/[0-9a-f-]+$"))
    [stored] = sessions_titled(platform, token, title)  # once: the refused attempt stored nothing
    assert (stored["creditHours"], stored["place"]) == (2, "瑶溪街道党群服务中心三楼")
    assert await page.get_by_role("heading", name=title).is_visible()
    await screenshot(page, "console-training-session")
    await page.get_by_role("link", name="培训场次", exact=True).first.click()  # the list: upcoming first
    row = page.locator(f"#session-{stored['id']}")
    assert "瑶溪街道党群服务中心三楼" in await row.inner_text()
    assert await axe_violations(page) == []
    await screenshot(page, "console-training-sessions")
    await row.get_by_role("link", name=title).click()

    # the organiser's screen: a big QR code of the phone page's address, a new code each step
    await page.get_by_role("link", name="打开签到屏幕").click()
    screen = page.locator("#tr-code")
    await screen.locator("svg").wait_for()
    url = await screen.get_attribute("data-url")
    first = await screen.get_attribute("data-code")
    assert url == f"{platform.gateway}/console/training/checkin?c={first}"
    assert await page.locator("[data-count]").inner_text() == "0"
    assert await axe_violations(page) == []
    await screenshot(page, "console-training-screen")
    await page.wait_for_function(
        f"document.getElementById('tr-code').dataset.code !== '{first}'", timeout=25_000
    )  # the code changes with the step (10 s here)

    # the member opens the screen's address on the phone: sign in first, then back to confirm
    phone = await new_page(PHONE)
    shown = await page.locator("#tr-code").get_attribute("data-url")
    await phone.goto(shown)
    await phone.wait_for_url(re.compile(r"/console/sign-in\?next="))
    await phone.get_by_label("用户名").fill(attendee.username)
    await phone.get_by_label("密码").fill(PASSWORD)
    await phone.get_by_role("button", name="登录").click()
    await phone.wait_for_url(re.compile(r"/console/training/checkin\?c="))
    assert await phone.get_by_role("heading", name=f"{attendee.name}，确认签到吗？").is_visible()
    assert await axe_violations(phone) == []
    await screenshot(phone, "console-training-checkin-confirm")
    await phone.get_by_role("button", name="确认签到").click()
    result = phone.locator("[data-result]")
    await result.wait_for()
    assert await result.get_attribute("data-result") == "ok"
    assert "签到成功" in await result.inner_text()
    assert await phone.locator("[data-session-title]").inner_text() == title
    assert await phone.locator("[data-credit-hours]").inner_text() == "2 学时"
    assert await axe_violations(phone) == []
    await screenshot(phone, "console-training-checkin")

    # the screen's count follows without reloading
    await page.wait_for_function("document.querySelector('[data-count]').textContent === '1'", timeout=25_000)

    # a second scan: already checked in, nothing more recorded
    await phone.goto(await page.locator("#tr-code").get_attribute("data-url"))
    await phone.get_by_role("button", name="确认签到").click()
    await result.wait_for()
    assert await result.get_attribute("data-result") == "already"
    assert "您已签到过" in await result.inner_text()
    attendance = httpx.get(
        f"{platform.gateway}/api/training/sessions/{stored['id']}/attendance", headers=auth(token)
    ).json()
    assert [a["personName"] for a in attendance["items"]] == [attendee.name]

    # a photo of an old screen: the code has expired, said in Chinese, nothing recorded
    await phone.goto(f"{platform.gateway}/console/training/checkin?c={expired_code(settings, platform, stored['id'])}")
    await phone.get_by_role("button", name="确认签到").click()
    await result.wait_for()
    assert await result.get_attribute("data-result") == "refused"
    assert "二维码已过期，请重新扫描组织者屏幕上的二维码。" in await result.inner_text()
    assert await axe_violations(phone) == []
    await screenshot(phone, "console-training-checkin-expired")


def test_opening_the_check_in_link_checks_nobody_in_and_another_districts_session_is_a_404_page(
    platform: RunningPlatform,
) -> None:
    ours, theirs = organiser(platform, "a"), organiser(platform, "b")
    attendee = member(platform)
    token = token_of(platform, ours)
    session = session_now(platform, token, f"三会一课 {uuid.uuid4().hex[:4]}")
    code = httpx.get(f"{platform.gateway}/api/training/sessions/{session['id']}/checkin-code", headers=auth(token))
    phone = signed_in_client(platform, attendee.username)
    try:
        confirm = phone.get(f"/console/training/checkin?c={code.json()['code']}")
        assert (confirm.status_code, "确认签到" in confirm.text) == (200, True)
    finally:
        phone.close()
    listed = httpx.get(f"{platform.gateway}/api/training/sessions/{session['id']}/attendance", headers=auth(token))
    assert listed.json()["items"] == []  # a GET (a link preview, a prefetch) recorded nothing

    other = signed_in_client(platform, theirs)
    try:
        for path in ("", "/screen", "/screen/code"):
            answer = other.get(f"/console/training/sessions/{session['id']}{path}")
            assert answer.status_code == 404, path
            assert "未找到" in answer.text
            assert session["title"] not in answer.text
    finally:
        other.close()
