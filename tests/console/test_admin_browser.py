"""用户与权限 and 审计日志 in a real browser: the district admin adds a user scoped to a street, changes their role,
locks them (their sign-in is refused in words), unlocks them (they sign in); a member's phone revealed through the
API shows in the audit log filtered by action, with its purpose; the platform's pages are not the admin's."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

import httpx
import pyotp

from tests.console.support import street, village_member
from tests.console.test_browser import sign_in
from tests.platform.browser import axe_violations, screenshot
from tests.platform.platform import RunningPlatform, auth, login, new_user


async def test_the_admin_adds_changes_locks_and_unlocks_a_street_user(platform: RunningPlatform, new_page: Any) -> None:
    ours = street(platform, "用户街道")
    admin = new_user(platform.gateway, platform.a.token, "uadm", ["district_admin"])
    username = f"wl-{uuid.uuid4().hex[:6]}"

    page = await new_page()
    await sign_in(page, platform, admin)
    await page.goto(f"{platform.gateway}/console/admin/users")
    await page.get_by_role("heading", name="本区用户").wait_for()
    await page.get_by_role("link", name="添加用户").click()
    await page.get_by_label("用户名").fill(username)
    await page.get_by_label("显示名称").fill("王丽")
    await page.get_by_label("初始密码").fill("short")
    await page.get_by_label("网格长").check()
    await page.get_by_label("街道（管理范围）").select_option(label=ours["name"])
    await page.get_by_role("button", name="添加该用户").click()
    assert await page.locator("#e-password").inner_text() == "密码至少需要10个字符。"
    assert await page.get_by_label("街道（管理范围）").input_value() == ours["path"]  # kept as chosen
    assert await axe_violations(page) == []
    await page.get_by_label("初始密码").fill("correct-horse-battery-staple")
    await page.get_by_role("button", name="添加该用户").click()
    await page.get_by_role("status").filter(has_text="已添加该用户。").wait_for()
    assert ours["name"] in await page.locator(".page-head").inner_text()
    assert await page.get_by_label("网格长").is_checked()

    await page.get_by_label("网格长").uncheck()
    await page.get_by_label("街道管理员").check()
    await page.get_by_role("button", name="保存角色与范围").click()
    await page.get_by_role("status").filter(has_text="角色和范围已保存").wait_for()
    assert await page.get_by_label("街道管理员").is_checked()
    assert not await page.get_by_label("网格长").is_checked()

    await page.get_by_role("button", name="锁定", exact=True).click()
    await page.get_by_role("status").filter(has_text="该用户已锁定，不能登录。").wait_for()
    assert await axe_violations(page) == []
    await screenshot(page, "console-admin-user")

    locked_out = await new_page()
    await sign_in(locked_out, platform, username)
    refusal = locked_out.get_by_role("alert")
    await refusal.wait_for()
    assert await refusal.inner_text() == "该账号已被锁定，请联系本区管理员解锁。"

    await page.get_by_role("button", name="解锁").click()
    await page.get_by_role("status").filter(has_text="该用户已解锁。").wait_for()
    await sign_in(locked_out, platform, username)
    await locked_out.wait_for_url(re.compile(r"/console/(?!sign-in)"))

    await page.get_by_role("link", name="用户与权限").first.click()
    row = page.get_by_role("row", name=re.compile(username))  # display names repeat (another test's users)
    await row.wait_for()
    assert "街道管理员" in await row.inner_text()
    assert ours["name"] in await row.inner_text()
    assert "正常" in await row.inner_text()
    await screenshot(page, "console-admin-users")


async def test_a_revealed_phone_shows_in_the_audit_log_with_its_purpose(
    platform: RunningPlatform, new_page: Any
) -> None:
    _, member = village_member(platform, "审计", "周晓梅", f"139{uuid.uuid4().int % 10**8:08d}")
    purpose = f"核实联系方式{uuid.uuid4().hex[:4]}"
    revealed = httpx.post(
        f"{platform.gateway}/api/orgtree/members/{member['id']}/reveal",
        json={"field": "phone", "purpose": purpose},
        headers=auth(platform.a.token),
    )
    assert revealed.status_code == 200, revealed.text
    # each service's own log, as the API answers it: the district's only, for its administrators only
    reveals = {"action": "personal_data.revealed", "subjectId": member["id"]}
    ours = httpx.get(f"{platform.gateway}/api/orgtree/audit", params=reveals, headers=auth(platform.a.token))
    assert [(e["purpose"], e["detail"]) for e in ours.json()["items"]] == [(purpose, {"field": "member.phone"})]
    theirs = httpx.get(f"{platform.gateway}/api/orgtree/audit", params=reveals, headers=auth(platform.b.token))
    assert theirs.json() == {"items": [], "next": None}
    grid_leader = login(platform.gateway, new_user(platform.gateway, platform.a.token, "gl", ["grid_leader"]))
    for service in ("orgtree", "dispatch", "training", "documents"):
        path = f"{platform.gateway}/api/{service}/audit"
        assert httpx.get(path, headers=auth(platform.a.token), params={"limit": 1}).status_code == 200, service
        assert httpx.get(path, headers=auth(grid_leader["accessToken"])).status_code == 403, service
        refused = httpx.get(path, headers=auth(platform.a.token), params={"limit": "lots"})
        assert refused.status_code == 422, service
        assert "limit" in refused.text
    admin = new_user(platform.gateway, platform.a.token, "audadm", ["district_admin"])

    page = await new_page()
    await sign_in(page, platform, admin)
    await page.goto(f"{platform.gateway}/console/admin/audit")
    await page.get_by_role("heading", name="记录（最新在前）").wait_for()
    await page.get_by_label("操作", exact=True).select_option(label="查看个人信息")
    await page.get_by_role("button", name="筛选").click()
    row = page.get_by_role("row", name=re.compile(purpose))
    await row.wait_for()
    text = await row.inner_text()
    assert "查看个人信息" in text
    assert "字段：电话" in text
    assert member["id"] in text
    assert "组织与党员" in text
    assert all("查看个人信息" in r for r in await page.locator("#events tr:not(#more)").all_inner_texts())
    assert await axe_violations(page) == []
    await screenshot(page, "console-admin-audit")

    # the administrator's own one-time code: the QR drawn by the server, its key typed into an app
    await page.goto(f"{platform.gateway}/console/admin/my-code")
    await page.get_by_role("button", name="设置动态验证码").click()
    await page.locator(".tr-qr svg").wait_for()
    key = (await page.locator("code").inner_text()).replace(" ", "")
    assert await axe_violations(page) == []
    await screenshot(page, "console-admin-my-code")
    app = pyotp.TOTP(key)
    wrong = next(
        c for c in ("000000", "111111") if c not in {app.now(), app.at(time.time() - 30), app.at(time.time() + 30)}
    )
    await page.get_by_label("应用显示的验证码").fill(wrong)
    await page.get_by_role("button", name="确认").click()
    assert await page.locator("#e-otp").inner_text() == "验证码不正确，请输入应用当前显示的验证码。"
    await page.get_by_label("应用显示的验证码").fill(app.now())
    await page.get_by_role("button", name="确认").click()
    await page.get_by_role("status").filter(has_text="动态验证码已设置").wait_for()
    users = httpx.get(f"{platform.gateway}/admin/users", headers=auth(platform.a.token)).json()
    assert next(u for u in users if u["username"] == admin)["totpEnrolled"] is True

    await page.goto(f"{platform.gateway}/console/platform/districts")
    await page.get_by_role("heading", name="您无权打开此页面").wait_for()
