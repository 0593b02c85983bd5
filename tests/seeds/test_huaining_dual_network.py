"""The Huaining dual network (seed 002; 怀宁县 in the demo), end to end through the gateway: a grid's party group
is short of its two instructors until the township sends a cadre and the village branch names one of its own; a
member without office claims a post on the branch's nomination and leaves the "no post yet" report, the claim
kept with its method and date; the township rates the village branch on its year's commitments in training, and
once the rating is published after its notice the branch's star level shows on the unit in orgtree. Another
district sees none of it."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import asyncpg
import httpx

from shared.db.urls import admin_url, database_name, plain_dsn
from shared.settings import Settings
from tests.platform.platform import RunningPlatform, auth
from tests.seeds.story import created, until, village


async def end_notice(settings: Settings, rating_id: str) -> None:
    """The rating's public notice ended a minute ago (time passing, as shared/clock.py says tests do it)."""
    conn = await asyncpg.connect(plain_dsn(admin_url(settings, database_name("training"))))
    try:
        await conn.execute(
            "UPDATE star_rating SET notice_ends_at = now() - interval '1 minute' WHERE id = $1", uuid.UUID(rating_id)
        )
    finally:
        await conn.close()


async def test_instructors_posts_claimed_and_a_star_level_on_the_branch(
    platform: RunningPlatform, settings: Settings
) -> None:
    gateway, admin = platform.gateway, auth(platform.a.token)
    tag = uuid.uuid4().hex[:4]

    def post(path: str, body: dict[str, Any]) -> dict[str, Any]:
        return created(gateway, path, body, admin)

    def get(path: str, headers: dict[str, str] = admin, expect: int = 200, **params: Any) -> Any:
        response = httpx.get(f"{gateway}{path}", params=params, headers=headers)
        assert response.status_code == expect, (path, response.text)
        return response.json()

    where = village(platform, admin, "凉亭")
    group = post(  # the grid's party group (dual-network fusion makes it with the grid where the district has it on)
        "/api/orgtree/nodes",
        {
            "parentId": where.branch["id"],
            "level": "party_group",
            "name": f"{where.grid['name']}党小组",
            "linkedNodeId": where.grid["id"],
        },
    )
    organ = post(
        "/api/orgtree/nodes",
        {"parentId": where.committee["id"], "level": "street_organ_branch", "name": f"凉亭乡{tag}机关支部"},
    )
    cadre = post("/api/orgtree/members", {"name": f"乡镇干部{tag}", "branchId": organ["id"]})
    local = post("/api/orgtree/members", {"name": f"村指导员{tag}", "branchId": where.branch["id"]})
    plain = post(
        "/api/orgtree/members",
        {
            "name": f"无职党员{tag}",
            "branchId": where.branch["id"],
            "gridId": where.grid["id"],
            "flags": ["without_office"],
        },
    )

    # ORG-11: the group lacks both instructors, then has them
    gaps = get("/api/orgtree/instructors/gaps", within=where.village["id"])
    assert sorted((r["groupName"], r["source"], r["shortBy"]) for r in gaps["rows"]) == [
        (group["name"], "community_branch", 1),
        (group["name"], "township", 1),
    ]
    instructors = f"/api/orgtree/nodes/{where.grid['id']}/instructors"
    post(instructors, {"memberId": cadre["id"], "source": "township", "since": "2026-03-01"})
    post(instructors, {"memberId": local["id"], "source": "community_branch", "since": "2026-03-01"})
    assert get("/api/orgtree/instructors/gaps", within=where.village["id"]) == {
        "asOf": gaps["asOf"],
        "groups": 1,
        "groupsLacking": 0,
        "rows": [],
    }
    assert sorted((i["memberName"], i["source"]) for i in get(instructors)["instructors"]) == [
        (f"乡镇干部{tag}", "township"),
        (f"村指导员{tag}", "community_branch"),
    ]

    # ORG-14: the member without office claims a post on the branch's nomination
    report = get("/api/orgtree/reports/unposted-members/by-unit", within=where.committee["id"])
    assert [(u["unitName"], u["withoutOffice"], u["withoutPost"]) for u in report["units"]] == [
        (where.branch["name"], 1, 1)
    ]
    claim = {"postCode": "dispute_mediator", "method": "branch_nomination", "claimedOn": date.today().isoformat()}
    posts = post(f"/api/orgtree/members/{plain['id']}/posts", claim)
    assert [(c["postLabel"], c["method"], c["endedOn"]) for c in posts["claims"]] == [
        ("矛盾纠纷调解员", "branch_nomination", None)
    ]
    report = get("/api/orgtree/reports/unposted-members/by-unit", within=where.committee["id"])
    assert (report["withoutPost"], report["units"][0]["withPost"]) == (0, 1)

    # the township rates the village branch on its year's commitments; published, the star level is on the unit
    template = post(
        "/api/training/rating-templates",
        {
            "name": f"村党组织五好星级 {tag}",
            "subjectKind": "village_branch",
            "criteria": [
                {"code": "commitments", "name": "年度承诺践诺", "maxScore": 60},
                {"code": "services", "name": "服务群众", "maxScore": 40},
            ],
            "levels": [60, 70, 80, 90],
        },
    )
    rating = post(
        "/api/training/ratings",
        {
            "name": f"2026年度村党组织星级评定 {tag}",
            "subjectKind": "village_branch",
            "period": "2026",
            "templateId": template["id"],
            "unitPath": where.committee["path"],
        },
    )
    entry = {
        "unitId": where.branch["id"],
        "unitPath": where.branch["path"],
        "unitName": where.branch["name"],
        "scores": {"commitments": 52, "services": 36},
    }
    post(f"/api/training/ratings/{rating['id']}/entries", entry)
    post(f"/api/training/ratings/{rating['id']}/notice", {})
    await end_notice(settings, rating["id"])
    post(f"/api/training/ratings/{rating['id']}/publish", {})
    honours_path = f"/api/orgtree/nodes/{where.branch['id']}/honours"
    honours = until("the star level in orgtree", lambda: (h := get(honours_path))["starLevel"] and h)
    assert (honours["starLevel"]["level"], honours["starLevel"]["period"]) == (4, "2026")
    assert honours["starLevel"]["subjectKind"] == "village_branch"

    # another district sees none of it
    other = auth(platform.b.token)
    get(instructors, headers=other, expect=404)
    get(f"/api/orgtree/members/{plain['id']}/posts", headers=other, expect=404)
    get(honours_path, headers=other, expect=404)
