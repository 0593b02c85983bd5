"""The console over plain HTTP through the gateway: routing, CSRF, the session cookie, pages in Chinese."""

from __future__ import annotations

import httpx

from tests.console.support import CSRF_FIELD, new_ticket, operator, signed_in_client, token_of
from tests.platform.platform import PASSWORD, RunningPlatform


def test_the_gateway_leads_to_the_console(platform: RunningPlatform) -> None:
    for path in ("/", "/console"):
        answer = httpx.get(platform.gateway + path)
        assert answer.status_code == 302
        assert answer.headers["location"] == "/console/"
    page = httpx.get(platform.gateway + "/console/desk")
    assert page.status_code == 303  # not signed in: off to sign in, coming back afterwards
    assert page.headers["location"] == "/console/sign-in?next=%2Fconsole%2Fdesk"


def test_sign_in_page_is_chinese_and_self_contained(platform: RunningPlatform) -> None:
    page = httpx.get(platform.gateway + "/console/sign-in")
    assert page.status_code == 200
    assert '<html lang="zh-CN">' in page.text
    assert "用户名" in page.text
    assert "密码" in page.text
    assert "http://" not in page.text
    assert "https://" not in page.text
    script = httpx.get(platform.gateway + "/console/static/vendor/htmx-2.0.11.min.js")
    assert script.status_code == 200
    assert "htmx" in script.text


def test_a_form_without_the_csrf_token_is_refused(platform: RunningPlatform) -> None:
    username = operator(platform)
    with httpx.Client(base_url=platform.gateway) as client:
        client.get("/console/sign-in")  # the CSRF cookie is set, but the form's token is left out
        refused = client.post("/console/sign-in", data={"username": username, "password": PASSWORD})
        assert refused.status_code == 403
        assert "表单已过期" in refused.text
        assert "redcell_console" not in refused.headers.get("set-cookie", "")
        # htmx sends the header: without it, the same refusal
        signed = signed_in_client(platform, username)
        assert signed.post("/console/sign-out").status_code == 403
        signed.close()


def test_the_session_cookie_is_http_only_same_site_and_scoped_to_the_console(platform: RunningPlatform) -> None:
    client = signed_in_client(platform, operator(platform))
    cookies = [c for c in client.cookies.jar if c.name == "redcell_console"]
    assert len(cookies) == 1
    cookie = cookies[0]
    assert cookie.path == "/console"
    assert cookie.has_nonstandard_attr("HttpOnly")
    assert cookie.get_nonstandard_attr("SameSite", "").lower() == "lax"
    assert not cookie.secure  # this platform runs plain HTTP (REDCELL_CONSOLE__COOKIE_SECURE=false)
    assert len(cookie.value or "") >= 64  # an id, not data: the tokens stay on the server
    assert "ey" not in (cookie.value or "")[:2]
    client.close()


def test_sign_in_gives_a_new_session_id(platform: RunningPlatform) -> None:
    """A session id planted before sign-in is worthless after it (session fixation)."""
    client = httpx.Client(base_url=platform.gateway)
    client.cookies.set("redcell_console", "a" * 64, domain="127.0.0.1", path="/console")
    form = client.get("/console/sign-in")
    token = CSRF_FIELD.search(form.text)
    assert token
    client.post(
        "/console/sign-in", data={"_csrf_token": token.group(1), "username": operator(platform), "password": PASSWORD}
    )
    assert client.cookies.get("redcell_console", path="/console") != "a" * 64
    client.close()


def test_another_districts_ticket_is_the_404_page(platform: RunningPlatform) -> None:
    theirs = new_ticket(platform, token_of(platform, operator(platform, "b")))
    client = signed_in_client(platform, operator(platform, "a"))
    page = client.get(f"/console/tickets/{theirs['id']}")
    assert page.status_code == 404
    assert "未找到" in page.text
    assert "其他区县" in page.text
    assert theirs["title"] not in page.text
    client.close()
