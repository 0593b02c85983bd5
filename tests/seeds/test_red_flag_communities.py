"""The Red Flag Communities (seed 003; XX区 in the demo), end to end through the gateway as XX区's administrator
(``xx-admin``): the demo's district reached the seed's 30 % coverage target in 2020 and missed 2021's 60 %; its
compliance report shows a street short of full-time party workers and a community short of reserve cadres; every
street and community carries its brand, the centres upgraded so far are certified, last year's score sheets are
in. This year's evaluations stand at every step: a street admin recommends the community that applied (another
street's cannot see it), the district accepts and awards it, and the title reaches orgtree, raising the coverage to
60 %; the returned community gets its second reserve cadre and applies again. Another district sees none of it."""

from __future__ import annotations

from typing import Any

import httpx

from gateway.demo import DEMO_DISTRICTS
from gateway.tenants.cli import create_tenant_cli
from services.orgtree.demo.loader import load_demo as load_orgtree_demo
from services.training.demo.loader import load_demo as load_training_demo
from shared.clock import china_today
from shared.settings import Settings
from tests.platform.platform import PASSWORD, RunningPlatform, auth, login, new_user, wait_for_root
from tests.seeds.story import created, until

EVALUATIONS = "/api/training/red-flag-evaluations"
SLUG = "xx-district"


async def load_xx(platform: RunningPlatform, settings: Settings) -> tuple[dict[str, Any], str]:
    """XX区 loaded into the running platform as ``redcell demo load`` loads it: the gateway's district and login,
    then orgtree's tree (which hands its units on), then training's part once training has prepared the district."""
    gateway = platform.gateway
    slug, name, region, username, password = next(d for d in DEMO_DISTRICTS if d[0] == SLUG)
    tenant = await create_tenant_cli(settings, slug, name, region, username, password)
    district: dict[str, Any] = {"id": str(tenant.id), "slug": slug, "name": name}
    token = login(gateway, username, password)["accessToken"]
    wait_for_root(gateway, token)
    await load_orgtree_demo(settings, [district])
    admin = auth(token)
    until("training's catalogue", lambda: httpx.get(f"{gateway}/api/training/programmes", headers=admin).json())
    await load_training_demo(settings, [district])
    return district, token


async def test_xx_district_evaluates_its_communities_and_the_red_flag_coverage_grows(
    platform: RunningPlatform, settings: Settings
) -> None:
    gateway = platform.gateway
    district, token = await load_xx(platform, settings)
    admin, units = auth(token), district["units"]

    def get(path: str, headers: dict[str, str] = admin, **params: Any) -> Any:
        answer = httpx.get(f"{gateway}{path}", params=params, headers=headers)
        assert answer.status_code == 200, (path, answer.text)
        return answer.json()

    def coverage() -> dict[int, tuple[int, float, int | None, bool | None]]:
        years = get("/api/orgtree/red-flag/coverage")["years"]
        return {y["year"]: (y["holding"], y["percent"], y["target"], y["met"]) for y in years}

    # ORG-21: the seed's targets, 2020 met, 2021 and 2022 not yet
    assert coverage() == {2020: (3, 30.0, 30, True), 2021: (5, 50.0, 60, False), 2022: (5, 50.0, 100, False)}
    # ORG-20: staffing to quota, but for one street and one community
    compliance = get("/api/orgtree/staffing/compliance")["rows"]
    short = {(r["unitName"], r["role"], r["required"], r["actual"]) for r in compliance if not r["met"]}
    assert short == {("北苑街道（示例）", "full_time_worker", 4, 3), ("文化社区（示例）", "reserve_cadre", 2, 1)}
    assert len(compliance) == 3 + 10
    # ORG-23: one brand per street and community, each at most 10 characters
    brands = get("/api/orgtree/brands")
    assert sorted(u["level"] for u in brands) == ["community"] * 10 + ["street"] * 3
    assert all(u["brand"] and len(u["brand"]["name"]) <= 10 for u in brands)
    # ORG-22: the centres upgraded to the standard are certified with their sign
    guangming = units["光明社区（示例）"]
    [centre] = get("/api/orgtree/venues", within=guangming["id"], kind="party_mass_service_centre")
    assert (centre["status"], centre["signage"]) == ("certified", True)
    # ORG-24: 东风社区's branch committee election, five candidates for three seats
    branch = next(n for n in get("/api/orgtree/nodes/search", q="东风社区党委") if n["level"] == "branch")
    [election] = get(f"/api/orgtree/nodes/{branch['id']}/elections")
    assert (election["seats"], len(election["candidates"]), election["complete"]) == (3, 5, True)

    # TRN-11: last year's "double-hundred" sheets, each community's own and its street's (one still to score)
    totals = get("/api/training/score-sheets/totals", period=str(china_today().year - 1))
    assert sorted(t["subjectName"] for t in totals) == sorted(n for n, u in units.items() if u["level"] == "community")
    assert [t["subjectName"] for t in totals if t["totals"]["superior"] is None] == ["幸福社区（示例）"]

    # TRN-14: this year's round stands at every step
    year = str(china_today().year)
    listed = {e["unitName"]: e for e in get(EVALUATIONS, year=year)["items"]}
    assert {name: e["state"] for name, e in listed.items()} == {
        "幸福社区（示例）": "self_check",
        "光明社区（示例）": "applied",
        "朝阳社区（示例）": "recommended",
        "文化社区（示例）": "returned",
        "胜利社区（示例）": "accepted",
    }

    def signed_in(prefix: str, roles: list[str], scope: str) -> dict[str, str]:
        username = new_user(gateway, token, prefix, roles, scope=scope)
        return auth(login(gateway, username, PASSWORD)["accessToken"])

    dongcheng = signed_in("xxstreet", ["street_admin"], units["东城街道（示例）"]["path"])
    xicheng = signed_in("xxother", ["street_admin"], units["西城街道（示例）"]["path"])
    one = f"{EVALUATIONS}/{listed['光明社区（示例）']['id']}"
    opinion = {"streetScore": 89, "streetOpinion": "光明夜校办得实，同意推荐"}
    assert httpx.post(f"{gateway}{one}/recommend", json=opinion, headers=xicheng).status_code == 404
    assert created(gateway, f"{one}/recommend", opinion, dongcheng)["state"] == "recommended"
    acceptance = {
        "siteVisitNote": "察看党群服务中心（已认证挂牌）",
        "documentReviewNote": "查阅“三会一课”台账",
        "interviewsNote": "走访居民、座谈党员",
        "acceptanceScore": 91,
    }
    assert created(gateway, f"{one}/acceptance", acceptance, admin)["state"] == "accepted"
    decision = {"outcome": "award", "reason": "各项标准全部达到", "recommendToCity": True}
    awarded = created(gateway, f"{one}/decision", decision, admin)
    assert [s["action"] for s in awarded["steps"]] == ["create", "apply", "recommend", "accept", "decide"]

    def titles() -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = get(f"/api/orgtree/nodes/{guangming['id']}/honours")["titles"]
        return found

    [title] = until("the Red Flag title in orgtree", titles)
    assert (title["titleName"], title["period"], title["awardId"]) == ("红旗社区", year, awarded["awardId"])
    assert coverage()[int(year)] == (6, 60.0, None, None)

    # the returned community staffs its second reserve cadre and applies again
    wenhua = units["文化社区（示例）"]
    party_branch = next(n for n in get("/api/orgtree/nodes/search", q="文化社区党委") if n["level"] == "branch")
    reserve = created(gateway, "/api/orgtree/members", {"name": "文后备", "branchId": party_branch["id"]}, admin)
    staff = {"memberId": reserve["id"], "role": "reserve_cadre", "since": china_today().isoformat()}
    created(gateway, f"/api/orgtree/nodes/{wenhua['id']}/staff", staff, admin)
    [row] = get("/api/orgtree/staffing/compliance", within=wenhua["id"])["rows"]
    assert (row["actual"], row["met"]) == (2, True)
    cadre = signed_in("xxcadre", ["community_cadre"], wenhua["path"])
    again = f"{EVALUATIONS}/{listed['文化社区（示例）']['id']}"
    check = {"selfScore": 90, "selfCheckNote": "后备干部已配齐两名"}
    assert httpx.patch(f"{gateway}{again}/self-check", json=check, headers=cadre).status_code == 200
    assert created(gateway, f"{again}/apply", {"applicationNote": "补齐后再申报"}, cadre)["state"] == "applied"

    other = auth(platform.a.token)
    assert httpx.get(f"{gateway}{one}", headers=other).status_code == 404
    assert httpx.get(f"{gateway}/api/orgtree/nodes/{guangming['id']}/honours", headers=other).status_code == 404
    theirs = httpx.get(f"{gateway}{EVALUATIONS}", headers=other).json()["items"]
    assert not {e["id"] for e in theirs} & {e["id"] for e in listed.values()}
