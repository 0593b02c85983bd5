"""Closure through the real gateway: users named by their administrator appear by name in a ticket's history,
a plain operator cannot waive a callback, a hotline supervisor can for a listed reason, and the ticket closes."""

from __future__ import annotations

import uuid

import httpx

from tests.e2e.test_dispatch_flow import until
from tests.platform.platform import PASSWORD, RunningPlatform, auth, login


def named_user(gateway: str, admin_token: str, role: str, display_name: str) -> dict[str, str]:
    """A user of the admin's district with a display name; returns their login's headers."""
    username = f"{role.rsplit('_', maxsplit=1)[-1]}-{uuid.uuid4().hex[:8]}"
    body = {"username": username, "password": PASSWORD, "roles": [role], "displayName": display_name}
    added = httpx.post(f"{gateway}/admin/users", headers=auth(admin_token), json=body)
    assert added.status_code == 201, added.text
    assert added.json()["displayName"] == display_name
    return auth(login(gateway, username, PASSWORD)["accessToken"])


def test_a_named_desk_closes_a_case_with_a_supervisors_waiver(platform: RunningPlatform) -> None:
    gateway, admin = platform.gateway, auth(platform.a.token)
    desk = named_user(gateway, platform.a.token, "hotline_operator", "王丽")
    chief = named_user(gateway, platform.a.token, "hotline_supervisor", "赵敏")
    assert httpx.get(f"{gateway}/auth/me", headers=chief).json()["name"] == "赵敏"
    until(
        "the hotline's setup", lambda: httpx.get(f"{gateway}/api/dispatch/catalogue", headers=desk).status_code == 200
    )

    created = httpx.post(
        f"{gateway}/api/dispatch/tickets", json={"channel": "phone", "title": "小区路灯不亮"}, headers=desk
    )
    assert created.status_code == 201, created.text
    ticket = created.json()["ticket"]["id"]
    base = f"{gateway}/api/dispatch/tickets/{ticket}"
    climbed = httpx.post(f"{base}/escalations", json={"toLevel": 1, "reason": "网格无法处理"}, headers=admin)
    assert climbed.status_code == 200, climbed.text  # the village meeting owns it now
    resolved = httpx.post(f"{base}/resolution", json={"note": "已协调物业更换灯泡"}, headers=admin)
    assert resolved.status_code == 200, resolved.text
    feedback = httpx.post(f"{base}/feedback", json={"satisfied": True, "via": "phone"}, headers=desk)
    assert feedback.status_code == 201, feedback.text
    assert (feedback.json()["via"], feedback.json()["takenByName"]) == ("phone", "王丽")

    reasons = httpx.get(f"{gateway}/api/dispatch/closure/waiver-reasons", headers=desk).json()
    declined = next(r for r in reasons if r["code"] == "declined")
    waiver = {"waived": True, "waiverReason": declined["code"], "note": "居民表示不必回电"}
    assert httpx.post(f"{base}/callback", json=waiver, headers=desk).status_code == 403
    waived = httpx.post(f"{base}/callback", json=waiver, headers=chief)
    assert waived.status_code == 201, waived.text
    assert (waived.json()["waiverReasonLabel"], waived.json()["byName"]) == (declined["label"], "赵敏")
    closed = httpx.post(f"{base}/close", headers=desk)
    assert closed.status_code == 200, closed.text

    names = {h["action"]: h["actorName"] for h in httpx.get(f"{base}/history", headers=desk).json()}
    assert (names["created"], names["feedback"], names["callback_waived"], names["closed"]) == (
        "王丽",
        "王丽",
        "赵敏",
        "王丽",
    )
    other = auth(platform.b.token)
    assert httpx.get(f"{base}/history", headers=other).status_code == 404
