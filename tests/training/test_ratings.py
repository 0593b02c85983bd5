"""Star ratings (TRN-08): the district's criteria templates, rounds made from them, and entries whose level is
computed from the weighted scores and shown with their inputs; an entry waits for the subject's commitments of the
year to be evaluated; bad input is a 422 naming the field, with nothing stored."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from litestar.testing import AsyncTestClient

import services.training.tenants.actors  # noqa: F401 - register the handler on the consumer
from services.training.models import AwardTitle, RatingEntry, RatingTemplate, StarRating
from shared.contracts.dispatch import ServiceCompleted
from shared.contracts.tenants import TenantProvisioned
from shared.settings import Settings
from tests.platform.tokens import TestIssuer
from tests.training.builders import District, bearer, organiser
from tests.training.points_support import deliver
from tests.training.ratings_support import (
    API,
    MEMBER_SCORES,
    add_commitment,
    add_points,
    count,
    new_round,
    score,
    template_id,
)

Client = AsyncTestClient[Any]


def fields(answer: Any) -> list[str]:
    return [e["field"] for e in answer.json()["errors"]]


async def test_a_district_starts_with_five_goods_and_four_speaks_templates_it_can_edit(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = organiser(issuer, district_a)
    answer = await client.get(f"{API}/rating-templates", headers=bearer(admin))
    assert answer.status_code == 200
    seeded = {t["code"]: t for t in answer.json()}
    assert set(seeded) == {"five_goods_village_branch", "five_goods_grid_group", "four_speaks_four_haves"}
    members = seeded["four_speaks_four_haves"]
    assert (members["subjectKind"], members["levels"]) == ("member", [60, 70, 80, 90])
    assert next(c["name"] for c in members["criteria"]) == "讲政治、有信念"
    assert [c["name"] for c in seeded["five_goods_grid_group"]["criteria"]][-1] == "群众反映好"
    # a round keeps the criteria it copied when the district edits the template afterwards
    rating = await new_round(client, admin, district_a)
    patch = {"name": "党员星级标准（修订）", "levels": [50, 65, 80, 95]}
    answer = await client.patch(f"{API}/rating-templates/{members['id']}", json=patch, headers=bearer(admin))
    assert answer.status_code == 200, answer.text
    assert (answer.json()["name"], answer.json()["levels"]) == ("党员星级标准（修订）", [50, 65, 80, 95])
    kept = (await client.get(f"{API}/ratings/{rating['id']}", headers=bearer(admin))).json()
    assert (kept["levels"], kept["templateName"]) == ([60, 70, 80, 90], "党员“四讲四有”星级标准")
    settings = await client.get(f"{API}/rating-settings", headers=bearer(admin))
    assert settings.json() == {"noticeDays": 5}
    titles = await client.get(f"{API}/award-titles", headers=bearer(admin))
    assert {t["code"]: t["subjectKind"] for t in titles.json()} == {
        "most_beautiful_red_cell": "member",
        "red_flag_community": "unit",
        "strongest_branch": "unit",
    }


async def test_a_bad_template_is_a_422_naming_the_field_and_only_district_admins_write_them(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = organiser(issuer, district_a)
    good = {
        "name": "网格党小组星级标准",
        "subjectKind": "grid_group",
        "criteria": [
            {"code": "team", "name": "队伍好", "maxScore": 50},
            {"code": "work", "name": "业绩好", "maxScore": 50},
        ],
        "levels": [60, 70, 80, 90],
    }
    await client.get(f"{API}/rating-templates", headers=bearer(admin))  # the defaults
    before = await count(district_a, RatingTemplate)
    cases = [
        ({"subjectKind": "street"}, "body.subjectKind"),
        ({"levels": [60, 80, 70, 90]}, "body.levels"),
        ({"levels": [60, 70, 80]}, "body.levels"),
        ({"criteria": [*good["criteria"], {"code": "team", "name": "重复", "maxScore": 10}]}, "body.criteria[2].code"),
        ({"criteria": [{"code": "team", "name": "队伍好", "maxScore": "50"}]}, "body.criteria[0].maxScore"),
    ]
    for change, field in cases:
        answer = await client.post(f"{API}/rating-templates", json={**good, **change}, headers=bearer(admin))
        assert answer.status_code == 422, (change, answer.text)
        assert field in fields(answer), (change, answer.json())
    street = issuer.token(tenant=district_a.id, roles=["street_admin"], scope=district_a.branch_path)
    assert (await client.post(f"{API}/rating-templates", json=good, headers=bearer(street))).status_code == 403
    assert await count(district_a, RatingTemplate) == before
    made = await client.post(f"{API}/rating-templates", json=good, headers=bearer(admin))
    assert made.status_code == 201, made.text
    assert (made.json()["code"], made.json()["levelNotes"][4]) == (None, "表彰奖励，优先推荐评优")


async def test_a_round_is_made_as_a_draft_with_the_districts_notice_days_and_bad_input_stores_nothing(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = organiser(issuer, district_a)
    answer = await client.put(f"{API}/rating-settings", json={"noticeDays": 7}, headers=bearer(admin))
    assert answer.json() == {"noticeDays": 7}
    rating = await new_round(client, admin, district_a)
    assert (rating["state"], rating["noticeDays"], rating["period"], rating["noticeEndsAt"]) == (
        "draft",
        7,
        "2026H1",
        None,
    )
    assert [c["code"] for c in rating["criteria"]][:1] == ["political_faith"]
    branch = await template_id(client, admin, "five_goods_village_branch")
    member = await template_id(client, admin, "four_speaks_four_haves")
    good = {"name": "2026年度星级评定", "subjectKind": "member", "period": "2026", "templateId": member}
    good["unitPath"] = district_a.branch_path
    cases = [
        ({"subjectKind": "household"}, "body.subjectKind"),
        ({"period": "2026Q3"}, "body.period"),
        ({"period": "2026H3"}, "body.period"),
        ({"period": 2026}, "body.period"),
        ({"noticeDays": "5"}, "body.noticeDays"),
        ({"templateId": branch}, "body.templateId"),
        ({"templateId": str(uuid.uuid4())}, "body.templateId"),
    ]
    for change, field in cases:
        answer = await client.post(f"{API}/ratings", json={**good, **change}, headers=bearer(admin))
        assert answer.status_code == 422, (change, answer.text)
        assert field in fields(answer), (change, answer.json())
    # a street admin rates units under their street only
    street = issuer.token(tenant=district_a.id, roles=["street_admin"], scope=district_a.branch_path)
    answer = await client.post(f"{API}/ratings", json={**good, "unitPath": "/elsewhere/"}, headers=bearer(street))
    assert (answer.status_code, fields(answer)) == (422, ["body.unitPath"])
    assert await count(district_a, StarRating) == 1
    listed = await client.get(f"{API}/ratings", params={"period": "2026H1", "state": "draft"}, headers=bearer(admin))
    assert [r["id"] for r in listed.json()["items"]] == [rating["id"]]
    assert listed.json()["items"][0]["entryCount"] == 0
    bad = await client.get(f"{API}/ratings", params={"period": "H1"}, headers=bearer(admin))
    assert (bad.status_code, fields(bad)) == (422, ["query.period"])


async def test_an_entrys_level_comes_from_the_weighted_scores_and_it_shows_its_inputs(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = organiser(issuer, district_a)
    member = await district_a.add_member("林志红")
    await add_commitment(district_a, member.id, score="88")
    await add_commitment(district_a, member.id, score="91", title="带头参与垃圾分类")
    await add_commitment(district_a, member.id, year="2025")  # another year's, unevaluated: no bar this year
    await add_points(district_a, member.id, 5, datetime(2026, 3, 2, tzinfo=UTC))
    await add_points(district_a, member.id, 15, datetime(2026, 4, 9, tzinfo=UTC), source_kind=ServiceCompleted.NAME)
    await add_points(district_a, member.id, 30, datetime(2026, 8, 1, tzinfo=UTC))  # the second half: not counted
    rating = await new_round(client, admin, district_a)
    answer = await score(client, admin, rating["id"], member.id)
    assert answer.status_code == 201, answer.text
    entry = answer.json()
    # 22 + 20 + 21.5 + 23 of 100: reaches 60, 70 and 80, not 90
    assert (entry["total"], entry["level"], entry["note"]) == ("86.50", 4, "通报表扬")
    assert entry["inputs"] == {
        "commitmentScore": "89.50",
        "points": 20,
        "services": 1,
        "servicePoints": 15,
        "warnings": 0,
    }
    assert (entry["subjectId"], entry["subjectName"], entry["personId"]) == (
        str(member.member_id),
        "林志红",
        str(member.id),
    )
    # scored again in the draft: the entry is replaced, with the organiser's own note
    again = await score(client, admin, rating["id"], member.id, {**MEMBER_SCORES, "dedication_results": 25})
    assert again.status_code == 200
    assert (again.json()["id"], again.json()["level"]) == (entry["id"], 4)
    body = {"personId": str(member.id), "scores": dict.fromkeys(MEMBER_SCORES, 25), "note": "推荐为优秀党员"}
    best = await client.post(f"{API}/ratings/{rating['id']}/entries", json=body, headers=bearer(admin))
    assert (best.json()["level"], best.json()["note"], best.json()["total"]) == (5, "推荐为优秀党员", "100.00")
    entries = await client.get(f"{API}/ratings/{rating['id']}/entries", headers=bearer(admin))
    assert [e["id"] for e in entries.json()["items"]] == [entry["id"]]
    one = await client.get(f"{API}/ratings/{rating['id']}/entries/{entry['id']}", headers=bearer(admin))
    assert one.json()["inputs"]["commitmentScore"] == "89.50"


async def test_a_unit_is_scored_from_its_peoples_figures(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = organiser(issuer, district_a)
    member = await district_a.add_member()
    await add_points(district_a, member.id, 12, datetime(2026, 5, 2, tzinfo=UTC), source_kind=ServiceCompleted.NAME)
    group = uuid.uuid4()
    await add_commitment(district_a, unit_id=group, score="80")
    rating = await new_round(client, admin, district_a, kind="grid_group", period="2026")
    scores = {"leadership": 20, "membership": 18, "mechanisms": 15, "performance": 10, "public_feedback": 7}
    body = {"unitId": str(group), "unitPath": district_a.branch_path, "unitName": "第一网格党小组", "scores": scores}
    answer = await client.post(f"{API}/ratings/{rating['id']}/entries", json=body, headers=bearer(admin))
    assert answer.status_code == 201, answer.text
    entry = answer.json()
    assert (entry["level"], entry["subjectId"], entry["subjectKind"], entry["personId"]) == (
        3,
        str(group),
        "grid_group",
        None,
    )
    assert entry["inputs"] == {
        "commitmentScore": "80.00",
        "points": 12,
        "services": 1,
        "servicePoints": 12,
        "warnings": 0,
    }
    # a unit round takes units only
    wrong = {"personId": str(member.id), "scores": scores}
    answer = await client.post(f"{API}/ratings/{rating['id']}/entries", json=wrong, headers=bearer(admin))
    assert answer.status_code == 422
    assert {"body.personId", "body.unitId", "body.unitPath", "body.unitName"} <= set(fields(answer))


async def test_an_entry_waits_for_the_years_commitments_to_be_evaluated(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = organiser(issuer, district_a)
    member = await district_a.add_member("周海燕")
    open_one = await add_commitment(district_a, member.id, title="每周开展一次政策宣讲")
    await add_commitment(district_a, member.id, score="75")
    rating = await new_round(client, admin, district_a)
    answer = await score(client, admin, rating["id"], member.id)
    assert answer.status_code == 409, answer.text
    assert "每周开展一次政策宣讲" in answer.json()["detail"]
    assert str(open_one.id) in answer.json()["detail"]
    assert answer.json()["errors"] == [{"field": "commitments", "message": str(open_one.id)}]
    assert await count(district_a, RatingEntry) == 0


async def test_bad_scores_are_a_422_naming_the_criterion_with_nothing_stored(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = organiser(issuer, district_a)
    member = await district_a.add_member()
    resident_answer = await client.post(
        f"{API}/people", json={"name": "王秀英", "phone": "13812345678"}, headers=bearer(admin)
    )
    resident = resident_answer.json()["id"]
    elsewhere = await district_a.add_member("李明", branch_path="/other/branch/")
    rating = await new_round(client, admin, district_a)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"scores": {**MEMBER_SCORES, "political_faith": 26}}, "body.scores.political_faith"),
        ({"scores": {**MEMBER_SCORES, "political_faith": "22"}}, "body.scores.political_faith"),
        ({"scores": {**MEMBER_SCORES, "loyalty": 3}}, "body.scores.loyalty"),
        ({"scores": {k: v for k, v in MEMBER_SCORES.items() if k != "morals_conduct"}}, "body.scores.morals_conduct"),
        ({"scores": {**MEMBER_SCORES, "morals_conduct": 20.125}}, "body.scores.morals_conduct"),
        ({"scores": {**MEMBER_SCORES, "morals_conduct": -1}}, "body.scores.morals_conduct"),
        ({"personId": resident}, "body.personId"),
        ({"personId": str(elsewhere.id)}, "body.personId"),
        ({"unitId": str(uuid.uuid4())}, "body.unitId"),
    ]
    for change, field in cases:
        body = {"personId": str(member.id), "scores": MEMBER_SCORES, **change}
        answer = await client.post(f"{API}/ratings/{rating['id']}/entries", json=body, headers=bearer(admin))
        assert answer.status_code == 422, (change, answer.text)
        assert field in str(answer.json()["errors"]), (change, answer.json())
    assert await count(district_a, RatingEntry) == 0
    # a person of no district's record, or a round that is not there: the district's 404
    answer = await score(client, admin, rating["id"], uuid.uuid4())
    assert answer.status_code == 404
    answer = await score(client, admin, str(uuid.uuid4()), member.id)
    assert answer.status_code == 404


async def test_a_new_district_is_provisioned_with_the_rating_defaults_once(
    settings: Settings, district_a: District
) -> None:
    event = TenantProvisioned(tenant_id=district_a.id, slug="yaoxi", name="瑶溪区")
    await deliver(settings, event)
    assert await count(district_a, RatingTemplate) == 3
    assert await count(district_a, AwardTitle) == 3


async def test_another_districts_template_is_404_and_a_bad_patch_is_a_422(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    admin = organiser(issuer, district_a)
    template = await template_id(client, admin, "five_goods_village_branch")
    other = organiser(issuer, district_b)
    answer = await client.patch(f"{API}/rating-templates/{template}", json={"name": "改名"}, headers=bearer(other))
    assert answer.status_code == 404
    body = {
        "name": "借用模板",
        "subjectKind": "village_branch",
        "period": "2026",
        "templateId": template,
        "unitPath": district_b.branch_path,
    }
    answer = await client.post(f"{API}/ratings", json=body, headers=bearer(other))
    assert (answer.status_code, fields(answer)) == (422, ["body.templateId"])
    answer = await client.patch(
        f"{API}/rating-templates/{template}", json={"levels": [90, 80, 70, 60]}, headers=bearer(admin)
    )
    assert (answer.status_code, fields(answer)) == (422, ["body.levels"])
    answer = await client.patch(f"{API}/rating-templates/{template}", json={"name": ""}, headers=bearer(admin))
    assert (answer.status_code, fields(answer)) == (422, ["body.name"])
    kept = await client.get(f"{API}/rating-templates", params={"subjectKind": "village_branch"}, headers=bearer(admin))
    assert [(t["name"], t["levels"]) for t in kept.json()] == [("村党组织“五好”星级标准", [60, 70, 80, 90])]
