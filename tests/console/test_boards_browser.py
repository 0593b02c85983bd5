"""公开栏 in a real browser against the running platform: a street admin publishes a public document of their
street on the three-affairs board (an internal one is refused in words, nothing posted), residents read it on the
public page without signing in (its public fields only), it is withdrawn with a reason and leaves the public page,
the log shows both; another street's admin finds the publication 未找到."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx

from tests.console.boards_support import boards_ready, filed
from tests.console.support import signed_in_client, street
from tests.console.test_browser import sign_in
from tests.platform.browser import axe_violations, screenshot
from tests.platform.platform import RunningPlatform, auth, new_user


async def test_a_street_admin_publishes_and_withdraws_and_residents_read_only_public_fields(
    platform: RunningPlatform, new_page: Any
) -> None:
    tag = uuid.uuid4().hex[:4]
    ours, theirs = street(platform, "公开街道"), street(platform, "别的街道")
    admin = platform.a.token
    boards_ready(platform, admin)
    policy = filed(
        platform,
        admin,
        "policy",
        f"村务公开制度{tag}",
        ours,
        fields={"title": "村务公开制度（2026年版）", "secret": "内部备注"},
    )
    minutes = filed(platform, admin, "minutes", f"支委会纪要{tag}", ours)
    username = new_user(platform.gateway, admin, "brd", ["street_admin"], scope=ours["path"])

    page = await new_page()
    await sign_in(page, platform, username)
    await page.goto(f"{platform.gateway}/console/boards")
    await page.get_by_role("heading", name="公开栏", exact=True).wait_for()
    await page.get_by_role("link", name="三务公开栏").click()
    await page.get_by_role("heading", name="三务公开栏").wait_for()
    await page.get_by_role("link", name="发布文件").click()

    await page.get_by_label("文件", exact=True).select_option(label=f"{minutes['title']} · {ours['name']}")
    await page.get_by_role("button", name="发布", exact=True).click()
    await page.get_by_role("alert").wait_for()
    assert "此类文件不对外公开" in await page.get_by_role("alert").inner_text()
    assert await axe_violations(page) == []
    await screenshot(page, "console-boards-refused")
    listed = httpx.get(f"{platform.gateway}/api/documents/boards/three_affairs/publications", headers=auth(admin))
    assert [p for p in listed.json()["items"] if p["documentId"] == minutes["id"]] == []  # nothing posted

    await page.get_by_label("文件", exact=True).select_option(label=f"{policy['title']} · {ours['name']}")
    await page.get_by_label("公示说明（选填）").fill("请群众监督")
    await page.get_by_role("button", name="发布", exact=True).click()
    await page.wait_for_url(re.compile(r"/console/boards/publications/[0-9a-f-]{36}$"))
    await page.get_by_role("heading", name=policy["title"]).wait_for()
    assert "公示中" in await page.locator(".page-head").inner_text()
    publication = page.url.rsplit("/", 1)[-1]
    assert await axe_violations(page) == []
    await screenshot(page, "console-boards-publication")

    await page.get_by_role("link", name="三务公开栏").first.click()
    row = page.get_by_role("row", name=re.compile(policy["title"]))
    await row.wait_for()
    assert "公示中" in await row.inner_text()
    assert await axe_violations(page) == []
    await screenshot(page, "console-boards")

    public = await new_page()  # a resident: no account, no sign-in
    await public.goto(f"{platform.gateway}/console/r/{platform.a.slug}/boards")
    await public.get_by_role("link", name="三务公开栏").click()
    await public.get_by_role("heading", name=policy["title"]).wait_for()
    shown = await public.locator("body").inner_text()
    assert "请群众监督" in shown
    assert "村务公开制度（2026年版）" in shown  # the type's public field
    assert ours["name"] in shown
    assert "内部备注" not in shown
    assert "secret" not in shown
    assert minutes["title"] not in shown
    assert await axe_violations(public) == []
    await screenshot(public, "console-boards-public")

    with httpx.Client(base_url=platform.gateway) as anyone:  # the file by a short-lived link; unknown boards: 404
        board = f"/console/r/{platform.a.slug}/boards/three_affairs"
        link = anyone.get(f"{board}/{publication}/file")
        assert link.status_code == 303
        assert anyone.get(link.headers["location"]).content.startswith(b"%PDF")
        assert "未找到" in anyone.get(f"/console/r/{platform.a.slug}/boards/no_such_board").text
        assert anyone.get("/console/r/no-such-district/boards").status_code == 404

    await page.goto(f"{platform.gateway}/console/boards/publications/{publication}")
    await page.get_by_role("button", name="撤下").click()
    assert "请写明原因" in await page.locator("#e-reason").inner_text()
    await page.get_by_label("撤下原因").fill("内容已过期")
    await page.get_by_role("button", name="撤下").click()
    await page.get_by_text("内容已过期").wait_for()
    assert "已撤回" in await page.locator(".page-head").inner_text()
    await public.reload()
    await public.get_by_text("这块公开栏目前没有公示内容。").wait_for()

    await page.goto(f"{platform.gateway}/console/boards/three_affairs/log")
    entries = page.get_by_role("row", name=re.compile(policy["title"]))
    await entries.nth(1).wait_for()
    assert "内容已过期" in await entries.first.inner_text()  # newest first: the withdrawal
    assert await axe_violations(page) == []
    await screenshot(page, "console-boards-log")

    other = signed_in_client(platform, new_user(platform.gateway, admin, "brd", ["street_admin"], scope=theirs["path"]))
    try:
        answer = other.get(f"/console/boards/publications/{publication}")
        assert answer.status_code == 404
        assert "未找到" in answer.text
        assert policy["title"] not in answer.text
        assert policy["title"] not in other.get("/console/boards/three_affairs").text
    finally:
        other.close()
