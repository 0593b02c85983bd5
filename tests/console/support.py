"""What the console's tests share: operators of the e2e districts, tickets made through the API, signing in."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx

from tests.platform.platform import PASSWORD, RunningPlatform, auth, login, new_user

CSRF_FIELD = re.compile(r'name="_csrf_token" value="([^"]+)"')


def operator(platform: RunningPlatform, district: str = "a") -> str:
    """A new hotline operator of district a or b (a username; the password is PASSWORD)."""
    admin = platform.a if district == "a" else platform.b
    return new_user(platform.gateway, admin.token, "op", ["hotline_operator"])


def categories(platform: RunningPlatform, token: str) -> list[dict[str, Any]]:
    response = httpx.get(f"{platform.gateway}/api/dispatch/catalogue", headers=auth(token))
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


def new_ticket(platform: RunningPlatform, token: str, title: str | None = None, category: int = 0) -> dict[str, Any]:
    """A phoned-in ticket recorded through the API (as the desk's intake will)."""
    body = {
        "channel": "phone",
        "title": title or f"楼道灯不亮 {uuid.uuid4().hex[:6]}",
        "categoryId": categories(platform, token)[category]["id"],
        "callerPhone": "13800138000",
        "address": "瑶溪街道示例小区3幢",
    }
    response = httpx.post(f"{platform.gateway}/api/dispatch/tickets", headers=auth(token), json=body)
    assert response.status_code == 201, response.text
    ticket: dict[str, Any] = response.json()["ticket"]
    return ticket


def token_of(platform: RunningPlatform, username: str) -> str:
    return login(platform.gateway, username)["accessToken"]


def signed_in_client(platform: RunningPlatform, username: str, password: str = PASSWORD) -> httpx.Client:
    """A plain HTTP client signed in to the console through the gateway (cookies kept)."""
    client = httpx.Client(base_url=platform.gateway, follow_redirects=False)
    form = client.get("/console/sign-in")
    token = CSRF_FIELD.search(form.text)
    assert token, form.text
    answer = client.post(
        "/console/sign-in", data={"_csrf_token": token.group(1), "username": username, "password": password}
    )
    assert answer.status_code == 303, answer.text
    return client
