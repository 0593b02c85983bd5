"""System 8 of issue 16, Shenzhen's member proposal box and delegate ledgers [001/SZ-24, SZ-28], walked through the
gateway: two members of a community file proposals from the box, one of them jointly; the reviewer classifies them; a
seminar is held with the proposers; the joint one is beyond the community and goes to the street, which solves it;
another is solved in the community; the closure-rate report counts what was filed and closed. A delegate studio
records the opinions it collected: one is forwarded to a department and answered, one is still in hand, and the
ledger's dashboard gives the studio's share forwarded and answered. Another district sees none of it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from tests.console.support import caller_household, until
from tests.seeds.conftest import RunningPlatform, auth


def call(platform: RunningPlatform, method: str, path: str, body: Any = None, token: str | None = None) -> Any:
    response = httpx.request(
        method, f"{platform.gateway}/api/dispatch/{path}", json=body, headers=auth(token or platform.a.token)
    )
    assert response.status_code in (200, 201), (path, response.text)
    return response.json()


def test_proposals_are_filed_discussed_escalated_and_closed_and_a_delegate_ledger_is_counted(
    platform: RunningPlatform,
) -> None:
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()  # the district's day
    place = caller_household(platform)  # a street, its village with a grid, a party branch and a member
    second = httpx.post(
        f"{platform.gateway}/api/orgtree/members",
        json={"name": "李春梅", "branchId": place.member["branchId"], "gridId": place.grid["id"]},
        headers=auth(platform.a.token),
    )
    assert second.status_code == 201, second.text
    members = [place.member["id"], second.json()["id"]]
    community = place.grid["parentId"]

    def known() -> list[Any] | None:
        listed = {m["memberId"] for m in call(platform, "GET", "proposals/proposers")}
        return members if set(members) <= listed else None

    until("both members in dispatch", known)  # orgtree's MemberCreated reaches dispatch through its worker
    communities = {c["id"]: c for c in call(platform, "GET", "proposals/communities")}
    assert communities[community]["name"] == place.grid["name"].removesuffix("一网格")

    # 1. filed from the box: one jointly by both members, three by one member
    joint = call(
        platform,
        "POST",
        "proposals",
        {
            "title": "小区东门路灯长期不亮",
            "content": "夜间居民出行不便",
            "proposerMemberIds": members,
            "communityId": community,
        },
    )
    assert (joint["joint"], joint["tier"], joint["status"]) == (True, "community", "filed")
    singles = [
        call(
            platform, "POST", "proposals", {"title": title, "proposerMemberIds": members[:1], "communityId": community}
        )
        for title in ("楼道堆放杂物", "建议增设助餐点", "健身器材损坏")
    ]
    # 2. the reviewer sorts each into a category; 3. a seminar with the proposers
    for proposal, category in zip([joint, *singles], ("facilities", "safety", "livelihood", "facilities"), strict=True):
        call(platform, "POST", f"proposals/{proposal['id']}/classify", {"category": category})
    seminar = {
        "heldOn": today,
        "attendees": ["林志红", "李春梅", "社区书记"],
        "conclusion": "社区无力改造线路，提请街道协调",
    }
    call(platform, "POST", f"proposals/{joint['id']}/seminars", seminar)
    # 4. beyond the community: to the street, which solves it; another is solved in the community
    street = call(platform, "POST", f"proposals/{joint['id']}/escalate", {"reason": "涉及供电线路改造"})
    assert street["tier"] == "street"
    closed = call(platform, "POST", f"proposals/{joint['id']}/close", {"note": "街道协调供电所更换路灯"})
    assert [s["action"] for s in closed["steps"]] == ["filed", "classified", "seminar", "escalated", "closed"]
    call(platform, "POST", f"proposals/{singles[0]['id']}/close", {"note": "社区组织清理杂物"})

    # 5. the closure rate of what was filed today, counted per community
    report = call(platform, "GET", f"proposals/report?from={today}&to={today}&by=community")
    ours = next(u for u in report["units"] if u["unitId"] == community)
    filed, solved = 1 + len(singles), 2
    assert (ours["proposals"], ours["closed"], ours["escalated"]) == (filed, solved, 1)
    assert ours["closureRate"] == round(solved / filed, 4)
    assert report["closedByTier"]["street"] >= 1

    # the delegate studio's ledger: one opinion forwarded and answered, one still in hand
    studio = call(
        platform, "POST", "providers", {"kind": "expert_studio", "name": f"党代表工作室{uuid.uuid4().hex[:4]}"}
    )
    answered, waiting = (
        call(platform, "POST", "ledgers/opinions", {"collectorId": studio["id"], "channel": channel, "summary": text})
        for channel, text in (("visit", "菜市场周边占道经营"), ("line", "公交班次太少"))
    )
    call(platform, "POST", f"ledgers/opinions/{answered['id']}/forward", {"department": "区城管局"})
    done = call(platform, "POST", f"ledgers/opinions/{answered['id']}/answer", {"answer": "已安排每日巡查"})
    assert (done["status"], done["department"]) == ("answered", "区城管局")
    board = call(platform, "GET", f"ledgers/dashboard?from={today}&to={today}")
    mine = next(c for c in board["collectors"] if c["collectorId"] == studio["id"])
    assert (mine["opinions"], mine["forwarded"], mine["answered"]) == (2, 1, 1)
    assert (mine["forwardedRate"], mine["answeredRate"]) == (0.5, 0.5)
    assert call(platform, "GET", f"ledgers/opinions/{waiting['id']}")["status"] == "collected"

    # another district sees neither the proposal nor the opinion
    other = {"Authorization": f"Bearer {platform.b.token}"}
    for path in (f"proposals/{joint['id']}", f"ledgers/opinions/{answered['id']}"):
        assert httpx.get(f"{platform.gateway}/api/dispatch/{path}", headers=other).status_code == 404
