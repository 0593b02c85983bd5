"""What the console's tests share: operators of the e2e districts, tickets made through the API, signing in."""

from __future__ import annotations

import re
import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import jwt

from shared.db.urls import admin_url, database_name, plain_dsn
from shared.settings import Settings
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


def until(what: str, probe: Callable[[], Any], timeout_s: float = 30) -> Any:
    """Poll ``probe`` until it answers something truthy (events cross processes)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(0.2)
    msg = f"{what} never happened"
    raise TimeoutError(msg)


def new_phone() -> str:
    """A mobile number no other test rings from (a caller's earlier tickets are found by number)."""
    return f"139{secrets.randbelow(10**8):08d}"


def masked(phone: str) -> str:
    return f"{phone[:3]}****{phone[-4:]}"


@dataclass
class Caller:
    """A household of district a with its phone, in a grid, served by a red-cell member with a phone."""

    phone: str
    household: dict[str, Any]
    grid: dict[str, Any]
    member: dict[str, Any]
    member_phone: str


def caller_household(platform: RunningPlatform) -> Caller:
    """Made through orgtree's API as the district admin; returns once dispatch's directory has the household
    (a probe ticket is filed and withdrawn: a ticket naming a household dispatch has not heard of is a 422)."""
    admin = auth(platform.a.token)

    def post(path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = httpx.post(f"{platform.gateway}{path}", json=body, headers=admin)
        assert response.status_code in {200, 201}, (path, response.text)
        answer: dict[str, Any] = response.json()
        return answer

    def unit(parent: dict[str, Any], level: str, name: str, **extra: Any) -> dict[str, Any]:
        return post("/api/orgtree/nodes", {"parentId": parent["id"], "level": level, "name": name, **extra})

    roots = {n["tree"]: n for n in httpx.get(f"{platform.gateway}/api/orgtree/nodes", headers=admin).json()["items"]}
    tag = uuid.uuid4().hex[:4]
    street = unit(roots["administrative"], "street", f"接听街道{tag}")
    village = unit(street, "village", f"来电村{tag}")
    grid = unit(village, "grid", f"来电村{tag}一网格")
    committee = unit(roots["party"], "street_working_committee", f"接听街道{tag}党工委")
    branch = unit(committee, "branch", f"来电村{tag}党支部", linkedNodeId=village["id"])
    phone, member_phone = new_phone(), new_phone()
    serving = {"name": "林志红", "branchId": branch["id"], "gridId": grid["id"], "phone": member_phone}
    member = post("/api/orgtree/members", serving)
    household = post(
        "/api/orgtree/households",
        {"gridId": grid["id"], "label": "1组9号", "headName": "王建国", "address": "来电村1组9号", "phone": phone},
    )
    post(f"/api/orgtree/members/{member['id']}/households", {"householdId": household["id"]})

    def probe() -> dict[str, Any] | None:
        body = {"channel": "phone", "title": "登记探测", "householdId": household["id"]}
        filed = httpx.post(f"{platform.gateway}/api/dispatch/tickets", json=body, headers=admin)
        return filed.json()["ticket"] if filed.status_code == 201 else None

    filed = until("the household in dispatch's directory", probe)
    withdrawn = httpx.post(
        f"{platform.gateway}/api/dispatch/tickets/{filed['id']}/cancel", json={"reason": "测试探测"}, headers=admin
    )
    assert withdrawn.status_code == 200, withdrawn.text
    return Caller(phone, household, grid, member, member_phone)


def titled(platform: RunningPlatform, token: str, title: str) -> list[dict[str, Any]]:
    """The district's newest 200 tickets with this title (how a test sees that nothing was stored)."""
    response = httpx.get(f"{platform.gateway}/api/dispatch/tickets", params={"limit": 200}, headers=auth(token))
    assert response.status_code == 200, response.text
    return [t for t in response.json()["items"] if t["title"] == title]


def ticket_for(platform: RunningPlatform, token: str, caller: Caller, category: dict[str, Any]) -> dict[str, Any]:
    """A call from the caller's household recorded through the API."""
    body = {
        "channel": "phone",
        "title": f"水管漏水 {uuid.uuid4().hex[:4]}",
        "categoryId": category["id"],
        "callerPhone": caller.phone,
        "householdId": caller.household["id"],
    }
    response = httpx.post(f"{platform.gateway}/api/dispatch/tickets", headers=auth(token), json=body)
    assert response.status_code == 201, response.text
    ticket: dict[str, Any] = response.json()["ticket"]
    return ticket


# The volunteer's and the resident's pages (test_volunteer_browser.py, test_resident_browser.py)

CODE_SMS = re.compile(r"验证码为(\d{6})")


@dataclass
class Volunteer:
    """A login with the volunteer role linked to a provider entry, as the hotline registers a skilled resident."""

    username: str
    token: str
    provider: dict[str, Any]


def volunteer(platform: RunningPlatform, district: str = "a") -> Volunteer:
    admin = platform.a if district == "a" else platform.b
    username = new_user(platform.gateway, admin.token, "vol", ["volunteer"])
    token = token_of(platform, username)
    body = {
        "kind": "skilled_resident",
        "name": f"志愿者{uuid.uuid4().hex[:4]}",
        "phone": new_phone(),
        "userId": jwt.decode(token, options={"verify_signature": False})["sub"],
    }
    response = httpx.post(f"{platform.gateway}/api/dispatch/providers", json=body, headers=auth(admin.token))
    assert response.status_code == 201, response.text
    return Volunteer(username, token, response.json())


def offer_to(platform: RunningPlatform, token: str, ticket: dict[str, Any], provider: dict[str, Any]) -> dict[str, Any]:
    """The operator dispatches ``ticket`` to ``provider``: an assign-mode offer, open for the category's window."""
    response = httpx.post(
        f"{platform.gateway}/api/dispatch/tickets/{ticket['id']}/assign",
        json={"providerId": provider["id"]},
        headers=auth(token),
    )
    assert response.status_code == 200, response.text
    offer: dict[str, Any] = response.json()["offers"][0]
    return offer


def district_id(platform: RunningPlatform, district: str = "a") -> str:
    """The district's id, as its administrator's token names it (the public API takes it)."""
    admin = platform.a if district == "a" else platform.b
    tenant: str = jwt.decode(admin.token, options={"verify_signature": False})["tenant"]
    return tenant


def sms_code(platform: RunningPlatform, phone: str, count: int = 1) -> str:
    """The code of the ``count``-th verification SMS sent to ``phone``, read off the development outbox."""

    def codes() -> list[str]:
        sent = httpx.get(f"{platform.gateway}/api/dispatch/dev-outbox", headers=auth(platform.a.token)).json()
        texts = [m["text"] for m in sent if m["template"] == "verification_code" and m["phone"] == masked(phone)]
        return texts if len(texts) >= count else []

    found = CODE_SMS.search(until("the verification SMS", codes)[0])  # newest first
    assert found is not None
    return found.group(1)


def ticket_numbered(platform: RunningPlatform, token: str, number: str) -> dict[str, Any] | None:
    """The district's ticket with that number among the newest 200 (the list has no number filter)."""
    response = httpx.get(f"{platform.gateway}/api/dispatch/tickets", params={"limit": 200}, headers=auth(token))
    assert response.status_code == 200, response.text
    return next((t for t in response.json()["items"] if t["number"] == number), None)


# Supervision (test_supervision_browser.py)


@dataclass
class Street:
    """A street of district a with one village and one grid that dispatch's directory knows."""

    node: dict[str, Any]
    grid: dict[str, Any]


def street_with_grid(platform: RunningPlatform, name: str) -> Street:
    """Made through orgtree's API as the district admin; returns once a ticket may be placed in its grid (a probe
    ticket is filed and withdrawn: a grid dispatch has not heard of is a 422, and withdrawn tickets count nowhere)."""
    admin = auth(platform.a.token)

    def unit(parent: dict[str, Any], level: str, unit_name: str) -> dict[str, Any]:
        body = {"parentId": parent["id"], "level": level, "name": unit_name}
        response = httpx.post(f"{platform.gateway}/api/orgtree/nodes", json=body, headers=admin)
        assert response.status_code == 201, response.text
        made: dict[str, Any] = response.json()
        return made

    nodes = httpx.get(f"{platform.gateway}/api/orgtree/nodes", headers=admin).json()["items"]
    root = next(n for n in nodes if n["tree"] == "administrative")  # the top of the district's tree
    street = unit(root, "street", name)
    grid = unit(unit(street, "village", f"{name}一村"), "grid", f"{name}一村网格")

    def probe() -> dict[str, Any] | None:
        body = {"channel": "phone", "title": "登记探测", "gridId": grid["id"]}
        filed = httpx.post(f"{platform.gateway}/api/dispatch/tickets", json=body, headers=admin)
        return filed.json()["ticket"] if filed.status_code == 201 else None

    filed = until("the grid in dispatch's directory", probe)
    withdrawn = httpx.post(
        f"{platform.gateway}/api/dispatch/tickets/{filed['id']}/cancel", json={"reason": "测试探测"}, headers=admin
    )
    assert withdrawn.status_code == 200, withdrawn.text
    return Street(street, grid)


def dispatch_call(platform: RunningPlatform, token: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    """POST to dispatch's API, asserting it was accepted."""
    response = httpx.post(f"{platform.gateway}/api/dispatch/{path}", json=body, headers=auth(token))
    assert response.status_code in {200, 201}, (path, response.text)
    answer: dict[str, Any] = response.json()
    return answer


def grid_ticket(platform: RunningPlatform, token: str, grid: dict[str, Any], title: str) -> dict[str, Any]:
    """A phoned-in 市民生活 ticket placed in ``grid`` (its resolution clock: one day)."""
    life = next(c for c in categories(platform, token) if c["code"] == "citizen_life")
    body = {"channel": "phone", "title": title, "categoryId": life["id"], "gridId": grid["id"]}
    ticket: dict[str, Any] = dispatch_call(platform, token, "tickets", body)["ticket"]
    return ticket


def escalate(platform: RunningPlatform, token: str, ticket: dict[str, Any], to_level: int) -> dict[str, Any]:
    body = {"toLevel": to_level, "reason": "网格内无法解决，提请上一级督办"}
    return dispatch_call(platform, token, f"tickets/{ticket['id']}/escalations", body)


async def run_out(settings: Settings, ticket: dict[str, Any], kind: str) -> int:
    """Let the ticket's running clock of ``kind`` end a minute ago (time passing, as shared/clock.py says tests do
    it); the platform's scheduler then gives the warning. Returns how many clocks were moved."""
    conn = await asyncpg.connect(plain_dsn(admin_url(settings, database_name("dispatch"))))
    try:
        moved = await conn.execute(
            "UPDATE deadline SET due_at = now() - interval '1 minute' WHERE ticket_id = $1 AND kind = $2 "
            "AND fired_at IS NULL AND cancelled_at IS NULL",
            uuid.UUID(ticket["id"]),
            kind,
        )
    finally:
        await conn.close()
    return int(moved.split()[-1])


def warned(platform: RunningPlatform, token: str, ticket: dict[str, Any], warning: str) -> dict[str, Any]:
    """The ticket once the scheduler has given it ``warning``."""

    def probe() -> dict[str, Any] | None:
        seen: dict[str, Any] = httpx.get(
            f"{platform.gateway}/api/dispatch/tickets/{ticket['id']}", headers=auth(token)
        ).json()
        return seen if seen["warning"] == warning else None

    found: dict[str, Any] = until(f"the {warning} warning", probe)
    return found


def street(platform: RunningPlatform, name: str, district: str = "a") -> dict[str, Any]:
    """A street under the district's administrative root, made as its admin."""
    admin = auth((platform.a if district == "a" else platform.b).token)
    nodes = httpx.get(f"{platform.gateway}/api/orgtree/nodes", headers=admin).json()["items"]
    root = next(n for n in nodes if n["tree"] == "administrative")
    body = {"parentId": root["id"], "level": "street", "name": f"{name}{uuid.uuid4().hex[:4]}"}
    made = httpx.post(f"{platform.gateway}/api/orgtree/nodes", json=body, headers=admin)
    assert made.status_code == 201, made.text
    node: dict[str, Any] = made.json()
    return node


def village_member(
    platform: RunningPlatform, place: str, name: str, phone: str, *, role: str | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A village (in a new street) with a grid and a party branch, and a member of that branch living in the grid,
    made through orgtree's API as district a's admin; with ``role``, the member is posted as its village cadre."""
    admin = auth(platform.a.token)

    def post(path: str, body: dict[str, Any]) -> dict[str, Any]:
        made = httpx.post(f"{platform.gateway}{path}", json=body, headers=admin)
        assert made.status_code in {200, 201}, (path, made.text)
        answer: dict[str, Any] = made.json()
        return answer

    roots = {n["tree"]: n for n in httpx.get(f"{platform.gateway}/api/orgtree/nodes", headers=admin).json()["items"]}
    tag = uuid.uuid4().hex[:4]
    village = post(
        "/api/orgtree/nodes",
        {"parentId": street(platform, f"{place}街道")["id"], "level": "village", "name": f"{place}村{tag}"},
    )
    grid = post("/api/orgtree/nodes", {"parentId": village["id"], "level": "grid", "name": f"{place}村{tag}网格"})
    committee = post(
        "/api/orgtree/nodes",
        {"parentId": roots["party"]["id"], "level": "street_working_committee", "name": f"{place}{tag}党工委"},
    )
    branch = post(
        "/api/orgtree/nodes",
        {
            "parentId": committee["id"],
            "level": "branch",
            "name": f"{place}村{tag}党支部",
            "linkedNodeId": village["id"],
        },
    )
    member = post(
        "/api/orgtree/members", {"name": name, "branchId": branch["id"], "gridId": grid["id"], "phone": phone}
    )
    if role is not None:
        post(
            "/api/orgtree/cadre-postings",
            {"kind": "village", "memberId": member["id"], "villageId": village["id"], "role": role},
        )
    return village, member
