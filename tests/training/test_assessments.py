"""Assessments (TRN-11): the double-hundred indicator sets (organisations: 6 domains × 7 indicator types; members:
5 types) and the district's own; score sheets (a member's semiannual self-evaluation, the group's evaluation and
the branch's assessment) totalled per subject; the year-end democratic poll, anonymous as the duty review's poll.
Bad input is a 422 naming the field; another district's ids are a 404 (or a 422 naming the set)."""

from __future__ import annotations

import uuid
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import inspect as sa_inspect

from services.training.models import AssessmentPollVoter, Person
from tests.platform.tokens import TestIssuer
from tests.training.builders import District, attendee, bearer, organiser

Client = AsyncTestClient[Any]
Cases = list[tuple[dict[str, Any], str]]
API = "/api/training"
MEMBER_SCORES = {"party_spirit": 18, "performance": 17.5, "serving_residents": 19, "law_abiding": 20, "self_image": 18}


def fields(answer: Any) -> list[str]:
    return [e["field"] for e in answer.json()["errors"]]


async def member_set(client: Client, token: str) -> dict[str, Any]:
    sets = (await client.get(f"{API}/assessment-sets", headers=bearer(token))).json()
    found: dict[str, Any] = next(s for s in sets if s["code"] == "double_hundred_member")
    return found


def sheet(set_id: str, person: Person, kind: str = "self", **change: Any) -> dict[str, Any]:
    body = {"setId": set_id, "kind": kind, "period": "2026H1", "subject": {"personId": str(person.id)}}
    return {**body, "scores": MEMBER_SCORES, **change}


async def test_the_double_hundred_sets_are_there_and_a_district_adds_its_own(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = organiser(issuer, district_a)
    sets = (await client.get(f"{API}/assessment-sets", headers=bearer(admin))).json()
    organisations = [s for s in sets if s["subjectKind"] == "organisation"]
    assert sorted(s["domain"] for s in organisations) == [
        "community",
        "education",
        "enterprise",
        "health",
        "organs",
        "rural",
    ]
    assert {len(s["indicators"]) for s in organisations} == {7}
    assert {sum(i["maxScore"] for i in s["indicators"]) for s in sets} == {100}
    member = next(s for s in sets if s["subjectKind"] == "member")
    assert [i["name"] for i in member["indicators"]] == ["党性修养", "履职表现", "服务群众", "遵纪守法", "自身形象"]
    own = {
        "code": "double_hundred_street_office",
        "name": "街道机关党支部考核（示例）",
        "subjectKind": "organisation",
        "domain": "organs",
        "indicators": [
            {"code": "duty", "name": "履职", "maxScore": 60},
            {"code": "service", "name": "服务", "maxScore": 40},
        ],
    }
    added = await client.post(f"{API}/assessment-sets", json=own, headers=bearer(admin))
    assert added.status_code == 201, added.text
    assert (await client.post(f"{API}/assessment-sets", json=own, headers=bearer(admin))).status_code == 409
    cases: Cases = [
        ({"domain": None}, "body.domain"),
        ({"subjectKind": "member"}, "body.domain"),
        ({"indicators": []}, "body.indicators"),
        ({"code": "Bad Code"}, "body.code"),
        ({"indicators": [{"code": "duty", "name": "履职", "maxScore": "60"}]}, "body.indicators[0].maxScore"),
        (
            {"indicators": [{"code": "a", "name": "甲", "maxScore": 5}, {"code": "a", "name": "乙", "maxScore": 5}]},
            "body.indicators[1].code",
        ),
    ]
    for change, field in cases:
        answer = await client.post(
            f"{API}/assessment-sets", json={**own, "code": "x_set", **change}, headers=bearer(admin)
        )
        assert (answer.status_code, fields(answer)) == (422, [field]), (change, answer.text)
    street = issuer.token(tenant=district_a.id, roles=["street_admin"], scope=district_a.branch_path)
    assert (await client.post(f"{API}/assessment-sets", json=own, headers=bearer(street))).status_code == 403


async def test_a_members_self_group_and_branch_sheets_are_totalled_per_subject(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = organiser(issuer, district_a, name="支部书记")
    member = await district_a.add_member("林志红")
    other = await district_a.add_member("陈建国")
    scores = (await member_set(client, admin))["id"]
    mine = attendee(issuer, district_a, member)
    answer = await client.post(f"{API}/score-sheets", json=sheet(scores, member), headers=bearer(mine))
    assert answer.status_code == 201, answer.text
    assert (answer.json()["total"], answer.json()["kind"]) == (92.5, "self")
    group = {**MEMBER_SCORES, "performance": 16}
    made = await client.post(
        f"{API}/score-sheets", json=sheet(scores, member, "group", scores=group), headers=bearer(admin)
    )
    assert made.status_code == 201, made.text
    branch = {**MEMBER_SCORES, "serving_residents": 20, "self_image": 17}
    made = await client.post(
        f"{API}/score-sheets", json=sheet(scores, member, "branch", scores=branch), headers=bearer(admin)
    )
    assert made.json()["total"] == 92.5
    again = await client.post(f"{API}/score-sheets", json=sheet(scores, member), headers=bearer(mine))
    assert again.status_code == 409
    not_mine = await client.post(f"{API}/score-sheets", json=sheet(scores, other), headers=bearer(mine))
    assert not_mine.status_code == 404
    group_by_member = await client.post(
        f"{API}/score-sheets", json=sheet(scores, member, "group"), headers=bearer(mine)
    )
    assert group_by_member.status_code == 404
    totals = (await client.get(f"{API}/score-sheets/totals", params={"period": "2026H1"}, headers=bearer(admin))).json()
    assert [(t["subjectName"], t["totals"]) for t in totals] == [
        ("林志红", {"self": 92.5, "group": 91.0, "branch": 92.5})
    ]
    own = (await client.get(f"{API}/score-sheets", headers=bearer(mine))).json()["items"]
    assert sorted(s["kind"] for s in own) == ["branch", "group", "self"]


async def test_bad_sheets_are_a_422_naming_the_field_and_another_districts_ids_are_refused(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    admin = organiser(issuer, district_a)
    member = await district_a.add_member()
    scores = (await member_set(client, admin))["id"]
    cases: Cases = [
        ({"scores": {**MEMBER_SCORES, "law_abiding": 21}}, "body.scores.law_abiding"),
        ({"scores": {**MEMBER_SCORES, "law_abiding": "20"}}, "body.scores.law_abiding"),
        ({"scores": {**MEMBER_SCORES, "law_abiding": True}}, "body.scores.law_abiding"),
        ({"scores": {k: v for k, v in MEMBER_SCORES.items() if k != "self_image"}}, "body.scores.self_image"),
        ({"scores": {**MEMBER_SCORES, "charm": 3}}, "body.scores.charm"),
        ({"kind": "superior"}, "body.kind"),
        ({"kind": "neighbour"}, "body.kind"),
        ({"period": "2026Q1"}, "body.period"),
        ({"setId": str(uuid.uuid4())}, "body.setId"),
        ({"subject": {"unitId": str(uuid.uuid4()), "unitPath": "/x/", "unitName": "支部"}}, "body.subject.personId"),
        ({"note": 5}, "body.note"),
    ]
    for change, field in cases:
        answer = await client.post(
            f"{API}/score-sheets", json={**sheet(scores, member, "branch"), **change}, headers=bearer(admin)
        )
        assert (answer.status_code, fields(answer)[0]) == (422, field), (change, answer.text)
    assert (await client.get(f"{API}/score-sheets", headers=bearer(admin))).json()["items"] == []
    bad = await client.get(f"{API}/score-sheets/totals", params={"period": "H1"}, headers=bearer(admin))
    assert (bad.status_code, fields(bad)) == (422, ["query.period"])
    stranger = organiser(issuer, district_b)
    theirs = (await member_set(client, stranger))["id"]
    answer = await client.post(f"{API}/score-sheets", json=sheet(theirs, member, "branch"), headers=bearer(admin))
    assert (answer.status_code, fields(answer)) == (422, ["body.setId"])
    answer = await client.post(f"{API}/score-sheets", json=sheet(theirs, member, "branch"), headers=bearer(stranger))
    assert answer.status_code == 404  # district a's member, from district b


async def test_the_democratic_poll_counts_once_per_branch_member_and_shows_tallies_from_three(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    admin = organiser(issuer, district_a)
    subject = await district_a.add_member("林志红")
    voters = [await district_a.add_member(f"党员{i}") for i in range(3)]
    elsewhere = await district_a.add_member("外支部党员", branch_path=f"{district_a.branch_path}other/")
    opened = await client.post(
        f"{API}/democratic-polls", json={"personId": str(subject.id), "year": "2026"}, headers=bearer(admin)
    )
    assert opened.status_code == 201, opened.text
    poll = opened.json()
    assert (poll["open"], poll["voters"], poll["tallies"]) == (True, 0, None)
    votes = f"{API}/democratic-polls/{poll['id']}/votes"
    ballots = (
        await client.get(f"{API}/democratic-polls/ballots", headers=bearer(attendee(issuer, district_a, voters[0])))
    ).json()
    assert [b["subjectName"] for b in ballots] == ["林志红"]
    for voter, grade in zip(voters[:2], ("excellent", "qualified"), strict=True):
        answer = await client.post(votes, json={"grade": grade}, headers=bearer(attendee(issuer, district_a, voter)))
        assert (answer.status_code, answer.json()["tallies"]) == (201, None)
    twice = await client.post(
        votes, json={"grade": "excellent"}, headers=bearer(attendee(issuer, district_a, voters[0]))
    )
    assert (twice.status_code, fields(twice)) == (422, ["body.grade"])
    own = await client.post(votes, json={"grade": "excellent"}, headers=bearer(attendee(issuer, district_a, subject)))
    assert own.status_code == 409
    outside = await client.post(
        votes, json={"grade": "excellent"}, headers=bearer(attendee(issuer, district_a, elsewhere))
    )
    assert outside.status_code == 404
    bad = await client.post(votes, json={"grade": "great"}, headers=bearer(attendee(issuer, district_a, voters[2])))
    assert (bad.status_code, fields(bad)) == (422, ["body.grade"])
    third = await client.post(
        votes, json={"grade": "excellent"}, headers=bearer(attendee(issuer, district_a, voters[2]))
    )
    assert third.json()["tallies"] == {"excellent": 2, "qualified": 1, "basically_qualified": 0, "unqualified": 0}
    assert {c.key for c in sa_inspect(AssessmentPollVoter).columns} == {"tenant_id", "poll_id", "voter_id"}
    closed = await client.post(f"{API}/democratic-polls/{poll['id']}/close", headers=bearer(admin))
    assert (closed.status_code, closed.json()["open"], closed.json()["voters"]) == (200, False, 3)
    late = await client.post(
        votes, json={"grade": "qualified"}, headers=bearer(attendee(issuer, district_a, elsewhere))
    )
    assert late.status_code == 404
    duplicate = await client.post(
        f"{API}/democratic-polls", json={"personId": str(subject.id), "year": "2026"}, headers=bearer(admin)
    )
    assert duplicate.status_code == 409
    cases_1: Cases = [
        ({"personId": str(subject.id), "year": 2026}, "body.year"),
        ({"personId": "x", "year": "2026"}, "body.personId"),
    ]
    for body, field in cases_1:
        answer = await client.post(f"{API}/democratic-polls", json=body, headers=bearer(admin))
        assert (answer.status_code, fields(answer)) == (422, [field])
    stranger = organiser(issuer, district_b)
    assert (
        await client.post(f"{API}/democratic-polls/{poll['id']}/close", headers=bearer(stranger))
    ).status_code == 404
    assert (await client.get(f"{API}/democratic-polls", headers=bearer(stranger))).json() == []
    other_person = await client.post(
        f"{API}/democratic-polls", json={"personId": str(subject.id), "year": "2027"}, headers=bearer(stranger)
    )
    assert other_person.status_code == 404
