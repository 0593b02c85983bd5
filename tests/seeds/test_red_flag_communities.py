"""The Red Flag Communities (seed 003; 瓯海区 in the demo), end to end through the gateway: a community gets its
structure in orgtree (two reserve cadres meeting its staffing quota, a certified "71" centre with its sign, its
feature brand); its cadre opens the year's evaluation in training, checks and applies; another street's admin
cannot see it, its own street's admin recommends it; the district accepts (site visit, documents, interviews) and
awards the title, which reaches orgtree as an event and shows among the community's honours. Another district sees
none of it."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import httpx

from tests.platform.platform import PASSWORD, RunningPlatform, auth, login, new_user
from tests.seeds.story import created, until

EVALUATIONS = "/api/training/red-flag-evaluations"


def test_a_community_checks_itself_is_recommended_accepted_and_carries_the_red_flag_in_orgtree(
    platform: RunningPlatform,
) -> None:
    gateway, admin = platform.gateway, auth(platform.a.token)
    tag = uuid.uuid4().hex[:4]

    def unit(parent: dict[str, Any], level: str, name: str, **extra: Any) -> dict[str, Any]:
        return created(
            gateway, "/api/orgtree/nodes", {"parentId": parent["id"], "level": level, "name": name, **extra}, admin
        )

    roots = {n["tree"]: n for n in httpx.get(f"{gateway}/api/orgtree/nodes", headers=admin).json()["items"]}
    street = unit(roots["administrative"], "street", f"潘桥街道{tag}")
    community = unit(street, "community", f"潘北社区{tag}")
    committee = unit(roots["party"], "street_working_committee", f"潘桥街道{tag}党工委")
    branch = unit(committee, "branch", f"潘北社区{tag}党委", linkedNodeId=community["id"])

    # orgtree's Red Flag structure: staffing to quota, a certified venue with its sign, the community's feature
    for name in ("陈后备", "林后备"):
        member = created(gateway, "/api/orgtree/members", {"name": f"{name}{tag}", "branchId": branch["id"]}, admin)
        body = {"memberId": member["id"], "role": "reserve_cadre", "since": "2026-01-05"}
        created(gateway, f"/api/orgtree/nodes/{community['id']}/staff", body, admin)
    compliance = httpx.get(
        f"{gateway}/api/orgtree/staffing/compliance", params={"within": community["id"]}, headers=admin
    ).json()
    [quota] = [r for r in compliance["rows"] if r["unitId"] == community["id"]]
    assert (quota["role"], quota["required"], quota["actual"], quota["met"]) == ("reserve_cadre", 2, 2, True)
    venue = created(
        gateway,
        "/api/orgtree/venues",
        {"unitId": community["id"], "kind": "centre_71", "name": f"潘北“71”党群服务中心{tag}", "itemCount": 12},
        admin,
    )["venue"]
    certified = created(
        gateway,
        f"/api/orgtree/venues/{venue['id']}/certification",
        {"status": "certified", "changedOn": date.today().isoformat(), "signage": True},
        admin,
    )
    assert (certified["venue"]["status"], certified["venue"]["signage"]) == ("certified", True)
    brand = httpx.put(
        f"{gateway}/api/orgtree/nodes/{community['id']}/brand",
        json={"name": "红色细胞团", "description": "党员按片联系住户"},
        headers=admin,
    )
    assert brand.status_code == 200, brand.text

    # the evaluation, each step by its own login
    def signed_in(prefix: str, roles: list[str], scope: str | None = None) -> dict[str, str]:
        username = new_user(gateway, platform.a.token, prefix, roles, scope=scope)
        return auth(login(gateway, username, PASSWORD)["accessToken"])

    cadre = signed_in("flagcadre", ["community_cadre"], community["path"])
    street_admin = signed_in("flagstreet", ["street_admin"], street["path"])
    elsewhere = unit(roots["administrative"], "street", f"景山街道{tag}")
    other_street = signed_in("flagother", ["street_admin"], elsewhere["path"])
    year = str(date.today().year)
    subject = {"unitId": community["id"], "unitPath": community["path"], "unitName": community["name"]}
    evaluation = created(gateway, EVALUATIONS, {**subject, "year": year}, cadre)
    one = f"{EVALUATIONS}/{evaluation['id']}"
    checked = httpx.patch(
        f"{gateway}{one}/self-check",
        json={"selfScore": 94, "selfCheckNote": "班子、队伍、阵地、服务、治理五项自查达标"},
        headers=cadre,
    )
    assert checked.status_code == 200, checked.text
    assert created(gateway, f"{one}/apply", {"applicationNote": "申报红旗社区"}, cadre)["state"] == "applied"
    assert (
        httpx.post(
            f"{gateway}{one}/recommend", json={"streetScore": 90, "streetOpinion": "同意"}, headers=cadre
        ).status_code
        == 403
    )
    refused = httpx.post(
        f"{gateway}{one}/recommend", json={"streetScore": 90, "streetOpinion": "同意"}, headers=other_street
    )
    assert refused.status_code == 404
    recommended = created(
        gateway, f"{one}/recommend", {"streetScore": 91, "streetOpinion": "红色细胞团有特色，同意推荐"}, street_admin
    )
    assert recommended["state"] == "recommended"
    early = httpx.post(f"{gateway}{one}/decision", json={"outcome": "award", "reason": "达标"}, headers=admin)
    assert early.status_code == 409
    assert "recommended" in early.json()["detail"]
    acceptance = {
        "siteVisitNote": "察看“71”党群服务中心（已认证挂牌）",
        "documentReviewNote": "查阅台账",
        "interviewsNote": "走访居民、座谈党员",
        "acceptanceScore": 93,
    }
    assert created(gateway, f"{one}/acceptance", acceptance, admin)["state"] == "accepted"
    decision = {"outcome": "award", "reason": "各项标准全部达到", "recommendToCity": True}
    awarded = created(gateway, f"{one}/decision", decision, admin)
    assert (awarded["state"], awarded["recommendedToCity"]) == ("awarded", True)
    assert [s["action"] for s in awarded["steps"]] == ["create", "apply", "recommend", "accept", "decide"]

    # the title crosses to orgtree as TitleAwarded and shows on the community
    def titles() -> list[dict[str, Any]]:
        answer = httpx.get(f"{gateway}/api/orgtree/nodes/{community['id']}/honours", headers=admin)
        assert answer.status_code == 200, answer.text
        found: list[dict[str, Any]] = answer.json()["titles"]
        return found

    [title] = until("the Red Flag title in orgtree", titles)
    assert (title["title"], title["titleName"], title["period"], title["awardId"]) == (
        "red_flag_community",
        "红旗社区",
        year,
        awarded["awardId"],
    )
    other = auth(platform.b.token)
    assert httpx.get(f"{gateway}{one}", headers=other).status_code == 404
    assert httpx.get(f"{gateway}{EVALUATIONS}", headers=other).json()["items"] == []
    assert httpx.get(f"{gateway}/api/orgtree/nodes/{community['id']}/honours", headers=other).status_code == 404
