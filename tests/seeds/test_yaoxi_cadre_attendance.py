"""Yaoxi's cadre attendance (seed 000, 龙湾区; ORG-25), end to end through the gateway: the street's admin puts one
cadre on duty each working day of a village's month ("每个工作日有1名村干部坐班", a second on the same day refused),
files a cadre's leave (村干部外出报告(请假)制度) and approves it, records who was at their post, and the month's
report counts each cadre's days and gives the step reached by absences without approved leave at the seed's
thresholds, 1 → 提醒教育, 2 → 通报批评, 3 → 罚款 ([001/FX], fixture 88). Another district sees none of it."""

from __future__ import annotations

from typing import Any

import httpx

from tests.platform.platform import RunningPlatform, auth, login, new_user
from tests.seeds.story import created, village

MONTH = "2026-11"  # 21 working days


def test_a_villages_roster_leave_and_absences_escalate_to_a_fine(platform: RunningPlatform) -> None:
    gateway, admin = platform.gateway, auth(platform.a.token)
    where = village(platform, admin, "瑶溪考勤")
    cadres = []
    for name, kind in (("金晓东（示例）", "village"), ("陈丽娜（示例）", "village"), ("王建国（示例）", "stationed")):
        member = created(gateway, "/api/orgtree/members", {"name": name, "branchId": where.branch["id"]}, admin)
        posting = {"kind": kind, "memberId": member["id"], "villageId": where.village["id"], "since": "2026-01-05"}
        created(gateway, "/api/orgtree/cadre-postings", posting, admin)
        cadres.append(member)
    often, once, away = cadres
    username = new_user(gateway, platform.a.token, "yaoxi-street", ["street_admin"], scope=where.street["path"])
    street = auth(login(gateway, username)["accessToken"])
    unit = f"/api/orgtree/nodes/{where.village['id']}"

    def call(method: str, path: str, expect: int, body: Any = None, headers: dict[str, str] = street) -> Any:
        response = httpx.request(method, f"{gateway}{path}", json=body, headers=headers)
        assert response.status_code == expect, (path, response.text)
        return response.json() if response.content else None

    roster = created(gateway, f"{unit}/duty-roster/rotation", {"month": MONTH}, street)
    assert len(roster["days"]) == 21
    assert all(d["memberName"] for d in roster["days"])
    assert {d["memberName"] for d in roster["days"]} == {c["name"] for c in cadres}
    call("POST", f"{unit}/duty-roster", 409, {"day": "2026-11-02", "memberId": often["id"]})

    leave = created(
        gateway,
        f"{unit}/leave-requests",
        {"memberId": away["id"], "firstDay": "2026-11-09", "lastDay": "2026-11-10", "reason": "外出培训（示例）"},
        street,
    )
    assert (
        created(gateway, f"/api/orgtree/leave-requests/{leave['id']}/decision", {"decision": "approved"}, street)[
            "state"
        ]
        == "approved"
    )

    def record(member: dict[str, Any], day: str, status: str) -> None:
        body = {"memberId": member["id"], "day": f"2026-11-{day}", "status": status}
        created(gateway, f"{unit}/cadre-attendance", body, street)

    for day, status in (("02", "present"), ("03", "absent"), ("04", "absent"), ("05", "absent")):
        record(often, day, status)
    record(once, "02", "present")
    record(once, "03", "absent")
    record(away, "09", "on_leave")
    record(away, "10", "on_leave")
    call("POST", f"{unit}/cadre-attendance", 422, {"memberId": away["id"], "day": "2026-11-11", "status": "on_leave"})

    report = call("GET", f"{unit}/cadre-attendance?month={MONTH}", 200)
    limits = report["thresholds"]
    assert (limits["reminder"], limits["criticism"], limits["fine"], limits["period"]) == (1, 2, 3, "month")
    assert [(c["memberName"], c["present"], c["onLeave"], c["absent"], c["step"]) for c in report["cadres"]] == [
        ("金晓东（示例）", 1, 0, 3, "fine"),
        ("陈丽娜（示例）", 1, 0, 1, "reminder"),
        ("王建国（示例）", 0, 2, 0, "none"),
    ]

    outsider = auth(platform.b.token)
    call("GET", f"{unit}/duty-roster", 404, headers=outsider)
    call("GET", f"{unit}/cadre-attendance", 404, headers=outsider)
    call("POST", f"/api/orgtree/leave-requests/{leave['id']}/decision", 404, {"decision": "refused"}, outsider)
