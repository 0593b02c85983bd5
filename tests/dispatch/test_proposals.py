"""The member proposal box (DSP-29): members file proposals alone or jointly about their community; the reviewer
sorts each into a category; a seminar is held; what the community cannot solve climbs to the street and then the
district, one tier at a time; the closure rate per community and period is counted from what was filed."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from shared.clock import china_today
from tests.dispatch.builders import District, bearer, staff
from tests.platform.tokens import TestIssuer

Client = AsyncTestClient[Any]
BOX = "/api/dispatch/proposals"


def fields(response: Any) -> list[str]:
    return [error["field"] for error in response.json().get("errors", [])]


async def members(district: District, *names: str) -> list[str]:
    """Members of the district as dispatch knows them (member volunteers from orgtree's events)."""
    ids = []
    for name in names:
        member = uuid.uuid4()
        await district.add_provider(member_id=member, name=name, grid=district.grids[0])
        ids.append(str(member))
    return ids


def proposal_body(district: District, proposers: object, **overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "title": "小区东门路灯长期不亮",
        "content": "夜间居民出行不便，建议尽快修复并增设照明",
        "proposerMemberIds": proposers,
        "communityId": str(district.village),
    }
    body.update(overrides)
    return body


async def filed(client: Client, headers: dict[str, str], body: dict[str, object]) -> dict[str, Any]:
    response = await client.post(BOX, json=body, headers=headers)
    assert response.status_code == 201, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def test_a_joint_proposal_is_sorted_discussed_escalated_and_closed(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = staff(issuer, district_a)
    proposers = await members(district_a, "王志强", "李春梅")
    proposal = await filed(client, admin, proposal_body(district_a, proposers))
    assert proposal["joint"] is True
    assert proposal["proposerNames"] == ["王志强", "李春梅"]
    assert (proposal["communityName"], proposal["streetName"]) == ("瑶溪村", "状元街道")
    assert (proposal["status"], proposal["tier"]) == ("filed", "community")

    early = await client.post(f"{BOX}/{proposal['id']}/escalate", json={"reason": "社区无力解决"}, headers=admin)
    assert early.status_code == 409  # the reviewer sorts it first

    sorted_ = await client.post(f"{BOX}/{proposal['id']}/classify", json={"category": "facilities"}, headers=admin)
    assert sorted_.status_code == 200, sorted_.text
    assert sorted_.json()["status"] == "classified"
    seminar = {
        "heldOn": china_today().isoformat(),
        "attendees": ["王志强", "李春梅", "社区书记"],
        "conclusion": "需街道协调供电部门",
    }
    held = await client.post(f"{BOX}/{proposal['id']}/seminars", json=seminar, headers=admin)
    assert held.status_code == 201, held.text
    assert held.json()["seminars"][0]["attendees"] == ["王志强", "李春梅", "社区书记"]

    up = await client.post(f"{BOX}/{proposal['id']}/escalate", json={"reason": "涉及供电线路改造"}, headers=admin)
    assert up.status_code == 200, up.text
    assert up.json()["tier"] == "street"
    up = await client.post(f"{BOX}/{proposal['id']}/escalate", json={"reason": "长期未解决，经街道报区"}, headers=admin)
    assert up.json()["tier"] == "district"
    top = await client.post(f"{BOX}/{proposal['id']}/escalate", json={"reason": "再上一级"}, headers=admin)
    assert top.status_code == 409

    closed = await client.post(f"{BOX}/{proposal['id']}/close", json={"note": "区城管局已更换路灯"}, headers=admin)
    assert closed.status_code == 200, closed.text
    seen = (await client.get(f"{BOX}/{proposal['id']}", headers=admin)).json()
    assert seen["status"] == "closed"
    assert [s["action"] for s in seen["steps"]] == [
        "filed",
        "classified",
        "seminar",
        "escalated",
        "escalated",
        "closed",
    ]
    assert [s["tier"] for s in seen["steps"]][-1] == "district"
    again = await client.post(f"{BOX}/{proposal['id']}/close", json={"note": "再次办结"}, headers=admin)
    assert again.status_code == 409


async def test_the_closure_rate_is_counted_per_community_from_what_was_filed(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = staff(issuer, district_a)
    (member,) = await members(district_a, "陈建华")
    start = china_today() - timedelta(days=20)
    ids = []
    for k in range(7):
        body = proposal_body(
            district_a, [member], title=f"提案第{k + 1}号", filedOn=(start + timedelta(days=k)).isoformat()
        )
        ids.append((await filed(client, admin, body))["id"])
    for proposal_id in ids[:5]:
        await client.post(f"{BOX}/{proposal_id}/classify", json={"category": "environment"}, headers=admin)
    for proposal_id in ids[:3]:
        closed = await client.post(f"{BOX}/{proposal_id}/close", json={"note": "社区已解决"}, headers=admin)
        assert closed.status_code == 200, closed.text
    escalated = await client.post(f"{BOX}/{ids[3]}/escalate", json={"reason": "需街道协调"}, headers=admin)
    assert escalated.status_code == 200
    closed = await client.post(f"{BOX}/{ids[3]}/close", json={"note": "街道协调解决"}, headers=admin)
    assert closed.status_code == 200

    period = {"from": start.isoformat(), "to": china_today().isoformat()}
    report = (await client.get(f"{BOX}/report", params=period, headers=admin)).json()
    assert (report["total"]["proposals"], report["total"]["closed"]) == (7, 4)
    assert report["total"]["closureRate"] == round(4 / 7, 4)
    assert report["closedByTier"] == {"community": 3, "street": 1, "district": 0}
    (village,) = report["units"]
    assert (village["name"], village["escalated"]) == ("瑶溪村", 1)
    by_street = (await client.get(f"{BOX}/report", params=period | {"by": "street"}, headers=admin)).json()
    assert by_street["units"][0]["name"] == "状元街道"
    # a period that leaves out the first two filed
    later = {"from": (start + timedelta(days=2)).isoformat(), "to": china_today().isoformat()}
    assert (await client.get(f"{BOX}/report", params=later, headers=admin)).json()["total"]["proposals"] == 5


async def test_bad_proposals_are_refused_naming_the_field_and_nothing_is_stored(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = staff(issuer, district_a)
    proposers = await members(district_a, "赵一鸣")
    tomorrow = (china_today() + timedelta(days=1)).isoformat()
    cases: list[tuple[dict[str, object], str]] = [
        (proposal_body(district_a, proposers, title=""), "title"),
        (proposal_body(district_a, proposers, title=12), "title"),
        (proposal_body(district_a, []), "proposerMemberIds"),
        (proposal_body(district_a, "王志强"), "proposerMemberIds"),
        (proposal_body(district_a, proposers * 2), "proposerMemberIds"),
        (proposal_body(district_a, proposers, communityId="瑶溪村"), "communityId"),
        (proposal_body(district_a, proposers, filedOn=tomorrow), "filedOn"),
        (proposal_body(district_a, proposers, filedOn="last week"), "filedOn"),
        (proposal_body(district_a, proposers, urgent="true"), "urgent"),
    ]
    for body, field in cases:
        response = await client.post(BOX, json=body, headers=admin)
        assert response.status_code == 422, (field, response.text)
        assert f"body.{field}" in fields(response) or field in response.text, (field, response.text)
    # a street is no community; an unknown member is not found
    street = await client.post(
        BOX, json=proposal_body(district_a, proposers, communityId=str(district_a.street)), headers=admin
    )
    assert street.status_code == 404
    stranger = await client.post(BOX, json=proposal_body(district_a, [str(uuid.uuid4())]), headers=admin)
    assert stranger.status_code == 404

    async def count(session: AsyncSession) -> int:
        return int(await session.scalar(text("SELECT count(*) FROM proposal")) or 0)

    assert await district_a.run(count) == 0

    proposal = await filed(client, admin, proposal_body(district_a, proposers))
    steps: list[tuple[str, dict[str, object], str]] = [
        ("classify", {"category": "weather"}, "body.category"),
        ("classify", {"category": 3}, "body.category"),
        ("seminars", {"heldOn": china_today().isoformat(), "attendees": [], "conclusion": "已座谈"}, "body.attendees"),
        ("seminars", {"heldOn": tomorrow, "attendees": ["赵一鸣"], "conclusion": "已座谈"}, "body.heldOn"),
        ("seminars", {"heldOn": "2020-01-01", "attendees": ["赵一鸣"], "conclusion": "已座谈"}, "body.heldOn"),
        ("escalate", {"reason": ""}, "body.reason"),
        ("close", {"note": "x", "closedOn": tomorrow}, "body.note"),
    ]
    for action, body, field in steps:
        response = await client.post(f"{BOX}/{proposal['id']}/{action}", json=body, headers=admin)
        assert response.status_code == 422, (action, response.text)
        assert field in fields(response), (action, response.text)
    unsorted = await client.post(f"{BOX}/{proposal['id']}/close", json={"note": "已解决"}, headers=admin)
    assert unsorted.status_code == 409
    seen = (await client.get(f"{BOX}/{proposal['id']}", headers=admin)).json()
    assert (seen["status"], seen["category"], seen["seminars"]) == ("filed", None, [])
    for query, name in (
        ({"from": "yesterday", "to": "2026-12-01"}, "query.from"),
        ({"to": "2026-12-01"}, "query.from"),
        ({"from": "2026-12-02", "to": "2026-12-01"}, "query.from"),
        ({"from": "2026-12-01", "to": "2026-12-02", "by": "planet"}, "query.by"),
    ):
        response = await client.get(f"{BOX}/report", params=query, headers=admin)
        assert response.status_code == 422, response.text
        assert name in fields(response)
    assert (await client.get(f"{BOX}?status=lost", headers=admin)).status_code == 422
    assert (await client.get(f"{BOX}?limit=many", headers=admin)).status_code == 422


async def test_another_districts_proposal_and_community_are_404(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    admin = staff(issuer, district_a)
    proposers = await members(district_a, "孙丽华")
    proposal = await filed(client, admin, proposal_body(district_a, proposers))
    other = staff(issuer, district_b)
    assert (await client.get(f"{BOX}/{proposal['id']}", headers=other)).status_code == 404
    seminar = {"heldOn": date.today().isoformat(), "attendees": ["孙丽华"], "conclusion": "座谈"}
    actions = (("classify", {"category": "other"}), ("escalate", {"reason": "上报街道"}), ("close", {"note": "已解决"}))
    for action, body in (*actions, ("seminars", seminar)):
        response = await client.post(f"{BOX}/{proposal['id']}/{action}", json=body, headers=other)
        assert response.status_code == 404, (action, response.text)
    foreign = await client.post(BOX, json=proposal_body(district_a, proposers), headers=other)
    assert foreign.status_code == 404
    assert (await client.get(BOX, headers=other)).json()["total"] == 0
    # the choices the form offers are the district's own
    ours = {c["id"] for c in (await client.get(f"{BOX}/communities", headers=admin)).json()}
    assert ours == {str(district_a.village)}
    assert str(district_a.village) not in {
        c["id"] for c in (await client.get(f"{BOX}/communities", headers=other)).json()
    }
    assert proposers[0] in {m["memberId"] for m in (await client.get(f"{BOX}/proposers", headers=admin)).json()}
    assert (await client.get(f"{BOX}/proposers", headers=other)).json() == []
    # a grid leader of the district sees no community's proposals above their grid
    leader = bearer(
        issuer, district_a.id, ["grid_leader"], scope=district_a.grid_paths[district_a.grids[0]], user_id=uuid.uuid4()
    )
    assert (await client.get(f"{BOX}/{proposal['id']}", headers=leader)).status_code == 404
    # a volunteer is no reviewer
    volunteer = bearer(issuer, district_a.id, ["volunteer"], user_id=uuid.uuid4())
    assert (await client.get(BOX, headers=volunteer)).status_code == 403
