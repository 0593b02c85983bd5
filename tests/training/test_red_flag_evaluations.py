"""Red Flag Community evaluations (TRN-14): a community's evaluation walks from self-check and application through
the street's recommendation (or return) and the district's acceptance to the decision; the award is TitleAwarded
with the 红旗社区 title. Each step by its role and scope; a step out of turn is a 409 naming the state; bad input
is a 422 naming the field; another district's or another street's evaluation is a 404."""

from __future__ import annotations

import uuid
from typing import Any

from litestar.testing import AsyncTestClient

from services.training.demo.loader import load_demo
from shared.clock import china_today
from shared.settings import Settings
from tests.platform.tokens import TestIssuer
from tests.training.builders import District, bearer, organiser
from tests.training.ratings_support import outbox

Client = AsyncTestClient[Any]
Cases = list[tuple[dict[str, Any], str]]
API = "/api/training/red-flag-evaluations"
AWARDED = "training.TitleAwarded"


def street_of(district: District) -> str:
    return district.branch_path.rsplit("/", 2)[0] + "/"  # /<district>/s1/


def community(district: District, name: str = "潘北社区") -> dict[str, str]:
    return {"unitId": str(uuid.uuid4()), "unitPath": f"{street_of(district)}c{uuid.uuid4().hex[:6]}/", "unitName": name}


def street_admin(issuer: TestIssuer, district: District, scope: str | None = None) -> str:
    return issuer.token(tenant=district.id, roles=["street_admin"], scope=scope or street_of(district), name="街道")


def cadre(issuer: TestIssuer, district: District, unit_path: str) -> str:
    return issuer.token(tenant=district.id, roles=["community_cadre"], scope=unit_path, name="社区书记")


def fields(answer: Any) -> list[str]:
    return [e["field"] for e in answer.json()["errors"]]


async def opened(client: Client, token: str, unit: dict[str, str], year: str = "2026") -> dict[str, Any]:
    answer = await client.post(API, json={**unit, "year": year}, headers=bearer(token))
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


async def step(client: Client, token: str, evaluation: dict[str, Any], action: str, body: dict[str, Any]) -> Any:
    return await client.post(f"{API}/{evaluation['id']}/{action}", json=body, headers=bearer(token))


async def applied(client: Client, token: str, evaluation: dict[str, Any]) -> None:
    check = {"selfScore": 92.5, "selfCheckNote": "对照六项标准逐项自查"}
    answer = await client.patch(f"{API}/{evaluation['id']}/self-check", json=check, headers=bearer(token))
    assert answer.status_code == 200, answer.text
    answer = await step(client, token, evaluation, "apply", {"applicationNote": "申报2026年度红旗社区"})
    assert (answer.status_code, answer.json()["state"]) == (200, "applied"), answer.text


ACCEPTANCE = {
    "siteVisitNote": "实地查看党群服务中心和四和院",
    "documentReviewNote": "查阅台账12本",
    "interviewsNote": "访谈居民8人、党员5人",
    "acceptanceScore": 93,
}


async def test_a_community_goes_from_self_check_to_the_red_flag_title_with_title_awarded(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    unit = community(district_a)
    mine = cadre(issuer, district_a, unit["unitPath"])
    evaluation = await opened(client, mine, unit)
    assert (evaluation["state"], evaluation["year"], evaluation["unitName"]) == ("self_check", "2026", "潘北社区")
    await applied(client, mine, evaluation)
    street = street_admin(issuer, district_a)
    sent_back = await step(client, street, evaluation, "return", {"reason": "自查材料缺少党员队伍部分"})
    assert (sent_back.status_code, sent_back.json()["state"]) == (200, "returned")
    assert sent_back.json()["returnedReason"] == "自查材料缺少党员队伍部分"
    await applied(client, mine, evaluation)
    answer = await step(client, street, evaluation, "recommend", {"streetScore": 90, "streetOpinion": "同意推荐"})
    assert (answer.status_code, answer.json()["state"], answer.json()["streetScore"]) == (200, "recommended", 90.0)
    district = organiser(issuer, district_a, name="区委组织部")
    answer = await step(client, district, evaluation, "acceptance", ACCEPTANCE)
    assert (answer.status_code, answer.json()["state"]) == (200, "accepted"), answer.text
    assert answer.json()["interviewsNote"] == "访谈居民8人、党员5人"
    decision = {"outcome": "award", "reason": "六项标准全部达到", "recommendToCity": True}
    answer = await step(client, district, evaluation, "decision", decision)
    assert answer.status_code == 200, answer.text
    decided = answer.json()
    assert (decided["state"], decided["recommendedToCity"]) == ("awarded", True)
    assert [s["action"] for s in decided["steps"]] == [
        "create",
        "apply",
        "return",
        "apply",
        "recommend",
        "accept",
        "decide",
    ]
    [event] = await outbox(district_a, AWARDED)
    assert (event["title"], event["title_name"], event["subject_id"], event["period"]) == (
        "red_flag_community",
        "红旗社区",
        unit["unitId"],
        "2026",
    )
    assert (event["subject_kind"], event["subject_path"], event["award_id"]) == (
        "unit",
        unit["unitPath"],
        decided["awardId"],
    )
    awards = await client.get("/api/training/awards", params={"unitId": unit["unitId"]}, headers=bearer(district))
    assert [a["titleName"] for a in awards.json()["items"]] == ["红旗社区"]
    listed = await client.get(API, params={"year": "2026", "state": "awarded"}, headers=bearer(district))
    assert [e["id"] for e in listed.json()["items"]] == [evaluation["id"]]


async def test_a_step_out_of_turn_is_a_409_naming_the_state_and_a_refusal_awards_nothing(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    unit = community(district_a)
    district = organiser(issuer, district_a)
    evaluation = await opened(client, district, unit)
    early = await step(client, district, evaluation, "recommend", {"streetScore": 90, "streetOpinion": "同意"})
    assert early.status_code == 409
    assert "self_check" in early.json()["detail"]
    incomplete = await step(client, district, evaluation, "apply", {})
    assert (incomplete.status_code, fields(incomplete)) == (422, ["body.selfScore", "body.selfCheckNote"])
    await applied(client, district, evaluation)
    again = await step(client, district, evaluation, "apply", {})
    assert again.status_code == 409
    assert "applied" in again.json()["detail"]
    locked = await client.patch(
        f"{API}/{evaluation['id']}/self-check", json={"selfScore": 50}, headers=bearer(district)
    )
    assert locked.status_code == 409
    decide_early = await step(client, district, evaluation, "decision", {"outcome": "refuse", "reason": "x"})
    assert decide_early.status_code == 409
    assert "applied" in decide_early.json()["detail"]
    assert (
        await step(client, district, evaluation, "recommend", {"streetScore": 70, "streetOpinion": "推荐"})
    ).is_success
    assert (await step(client, district, evaluation, "acceptance", ACCEPTANCE)).is_success
    refused = await step(client, district, evaluation, "decision", {"outcome": "refuse", "reason": "群众满意度未达标"})
    assert (refused.status_code, refused.json()["state"], refused.json()["awardId"]) == (200, "refused", None)
    after = await step(client, district, evaluation, "decision", {"outcome": "award", "reason": "再议"})
    assert after.status_code == 409
    assert "refused" in after.json()["detail"]
    assert await outbox(district_a, AWARDED) == []
    duplicate = await client.post(API, json={**unit, "year": "2026"}, headers=bearer(district))
    assert duplicate.status_code == 409


async def test_each_step_is_taken_by_its_role_and_a_street_sees_only_its_communities(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    unit = community(district_a)
    mine = cadre(issuer, district_a, unit["unitPath"])
    evaluation = await opened(client, mine, unit)
    await applied(client, mine, evaluation)
    recommend = {"streetScore": 88, "streetOpinion": "同意推荐"}
    assert (await step(client, mine, evaluation, "recommend", recommend)).status_code == 403
    other_street = street_admin(issuer, district_a, scope=f"/{district_a.id.hex[:8]}/s2/")
    assert (await step(client, other_street, evaluation, "recommend", recommend)).status_code == 404
    assert (await client.get(f"{API}/{evaluation['id']}", headers=bearer(other_street))).status_code == 404
    assert (await client.get(API, headers=bearer(other_street))).json()["items"] == []
    street = street_admin(issuer, district_a)
    assert (await step(client, street, evaluation, "recommend", recommend)).status_code == 200
    assert (await step(client, street, evaluation, "acceptance", ACCEPTANCE)).status_code == 403
    member = issuer.token(tenant=district_a.id, roles=["member"])
    assert (await client.get(API, headers=bearer(member))).status_code == 403
    outside = await client.post(API, json={**community(district_a), "year": "2026"}, headers=bearer(other_street))
    assert (outside.status_code, fields(outside)) == (422, ["body.unitPath"])


async def test_bad_input_is_a_422_naming_the_field_and_another_districts_evaluation_a_404(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    district = organiser(issuer, district_a)
    unit = community(district_a)
    cases_1: Cases = [
        ({"year": "26"}, "body.year"),
        ({"year": 2026}, "body.year"),
        ({"unitId": "panbei"}, "body.unitId"),
        ({"unitPath": "c1"}, "body.unitPath"),
        ({"unitName": " "}, "body.unitName"),
        ({"stars": 5}, "body.stars"),
    ]
    for change, field in cases_1:
        answer = await client.post(API, json={**unit, "year": "2026", **change}, headers=bearer(district))
        assert (answer.status_code, fields(answer)) == (422, [field]), (change, answer.text)
    assert (await client.get(API, headers=bearer(district))).json()["items"] == []
    evaluation = await opened(client, district, unit)
    check = f"{API}/{evaluation['id']}/self-check"
    cases_2: Cases = [({"selfScore": "90"}, "body.selfScore"), ({"selfScore": 101}, "body.selfScore")]
    for body, field in cases_2:
        answer = await client.patch(check, json=body, headers=bearer(district))
        assert (answer.status_code, fields(answer)) == (422, [field])
    await applied(client, district, evaluation)
    cases_3: Cases = [
        ({"streetScore": "90", "streetOpinion": "同意"}, "body.streetScore"),
        ({"streetScore": 90, "streetOpinion": ""}, "body.streetOpinion"),
        ({"streetScore": 90}, "body.streetOpinion"),
    ]
    for body, field in cases_3:
        answer = await step(client, district, evaluation, "recommend", body)
        assert (answer.status_code, fields(answer)) == (422, [field]), answer.text
    assert (
        await step(client, district, evaluation, "recommend", {"streetScore": 90, "streetOpinion": "同意"})
    ).is_success
    answer = await step(client, district, evaluation, "acceptance", {**ACCEPTANCE, "acceptanceScore": "93"})
    assert (answer.status_code, fields(answer)) == (422, ["body.acceptanceScore"])
    assert (await step(client, district, evaluation, "acceptance", ACCEPTANCE)).is_success
    cases_4: Cases = [
        ({"outcome": "maybe", "reason": "x"}, "body.outcome"),
        ({"outcome": "award", "reason": "x", "recommendToCity": "true"}, "body.recommendToCity"),
        ({"outcome": "refuse", "reason": "x", "recommendToCity": True}, "body.recommendToCity"),
    ]
    for body, field in cases_4:
        answer = await step(client, district, evaluation, "decision", body)
        assert (answer.status_code, fields(answer)) == (422, [field]), answer.text
    current = await client.get(f"{API}/{evaluation['id']}", headers=bearer(district))
    assert current.json()["state"] == "accepted"
    unknown = await client.get(API, params={"state": "done"}, headers=bearer(district))
    assert (unknown.status_code, fields(unknown)) == (422, ["query.state"])
    other = organiser(issuer, district_b)
    assert (await client.get(f"{API}/{evaluation['id']}", headers=bearer(other))).status_code == 404
    answer = await step(client, other, evaluation, "decision", {"outcome": "award", "reason": "x"})
    assert answer.status_code == 404
    assert await outbox(district_a, AWARDED) == []


async def test_the_demo_has_evaluations_at_each_step_and_refuses_to_award_a_sample_without_a_unit(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    """XX区's evaluations loaded without orgtree's units (orgtree's demo hands them on): readable and steppable, but
    no title can be awarded to a community orgtree does not know."""
    xx = {"id": str(district_a.id), "slug": "xx-district", "name": "XX区"}
    [first] = await load_demo(settings, [xx])
    [again] = await load_demo(settings, [xx])
    assert "10 Red Flag Community evaluations, 2 open organisational-life bases" in first
    assert "Red Flag" not in again
    assert "bases" not in again
    admin = organiser(issuer, district_a)
    listed = (await client.get(API, headers=bearer(admin))).json()["items"]
    this_year = str(china_today().year)
    states = sorted((e["unitName"], e["year"], e["state"]) for e in listed)
    assert states == sorted(
        [
            ("东风社区（示例）", "2020", "awarded"),
            ("光明社区（示例）", this_year, "applied"),
            ("北苑社区（示例）", "2021", "awarded"),
            ("和平社区（示例）", "2021", "awarded"),
            ("幸福社区（示例）", this_year, "self_check"),
            ("建设社区（示例）", "2020", "awarded"),
            ("文化社区（示例）", this_year, "returned"),
            ("朝阳社区（示例）", this_year, "recommended"),
            ("胜利社区（示例）", this_year, "accepted"),
            ("解放社区（示例）", "2020", "awarded"),
        ]
    )
    returned = next(e for e in listed if e["state"] == "returned")
    shown = (await client.get(f"{API}/{returned['id']}", headers=bearer(admin))).json()
    assert "后备干部仅 1 名" in shown["returnedReason"]
    accepted = next(e for e in listed if e["state"] == "accepted")
    refused = await step(client, admin, accepted, "decision", {"outcome": "award", "reason": "达到标准"})
    assert refused.status_code == 409
    assert "demo sample" in refused.json()["detail"]
    assert await outbox(district_a, AWARDED) == []
    awarded = next(e for e in listed if e["state"] == "awarded")
    shown = (await client.get(f"{API}/{awarded['id']}", headers=bearer(admin))).json()
    assert [s["action"] for s in shown["steps"]] == ["create", "apply", "recommend", "accept", "decide"]
    assert shown["recommendedToCity"] is True
    assert shown["decisionReason"].endswith("（示例）")


async def test_the_demo_scores_the_communities_orgtree_hands_on_and_awards_them_in_orgtree(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    """With orgtree's units (``redcell demo load`` hands them on) the evaluations carry them, so the accepted one
    can be awarded, and each community has last year's "double-hundred" sheets: its own and its street's (幸福社区
    not yet scored by its street)."""
    street = street_of(district_a)
    names = [
        "东风社区",
        "解放社区",
        "和平社区",
        "光明社区",
        "建设社区",
        "胜利社区",
        "文化社区",
        "北苑社区",
        "朝阳社区",
        "幸福社区",
    ]
    units = {f"{n}（示例）": {"id": str(uuid.uuid4()), "path": f"{street}c{k}/"} for k, n in enumerate(names)}
    xx = {"id": str(district_a.id), "slug": "xx-district", "name": "XX区", "units": units}
    [first] = await load_demo(settings, [xx])
    [again] = await load_demo(settings, [xx])
    assert first.endswith("2 open organisational-life bases, 19 score sheets")
    assert "score sheets" not in again
    admin = organiser(issuer, district_a)
    period = str(china_today().year - 1)
    answer = await client.get(
        f"{API.rsplit('/', 1)[0]}/score-sheets/totals", params={"period": period}, headers=bearer(admin)
    )
    totals = {t["subjectName"]: t["totals"] for t in answer.json()}
    assert len(totals) == 10
    assert [name for name, t in totals.items() if t["superior"] is None] == ["幸福社区（示例）"]
    assert totals["东风社区（示例）"]["superior"] > totals["光明社区（示例）"]["superior"]  # a Red Flag Community
    listed = (await client.get(API, params={"state": "accepted"}, headers=bearer(admin))).json()["items"]
    [accepted] = [e for e in listed if e["unitName"] == "胜利社区（示例）"]
    assert accepted["unitId"] == units["胜利社区（示例）"]["id"]
    decided = await step(client, admin, accepted, "decision", {"outcome": "award", "reason": "达到标准"})
    assert (decided.status_code, decided.json()["state"]) == (200, "awarded"), decided.text
    [event] = await outbox(district_a, AWARDED)
    assert event["subject_id"] == accepted["unitId"]
