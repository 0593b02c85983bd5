"""Secretary duty reviews (TRN-12): the month's random draw (the count, no secretary twice in a row, reproducible
from the recorded seed), the review's entries, the anonymous poll (once per voter, not traceable to voters in the
database), finalising; bad input is a 422 naming the field; another district's ids are a 404."""

from __future__ import annotations

import uuid
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.models import DutyReview, Person, PollVoter
from services.training.reviews.aspects import ASPECTS
from services.training.reviews.selection import draw
from tests.platform.tokens import TestIssuer
from tests.training.builders import District, attendee, bearer, organiser

Client = AsyncTestClient[Any]
API = "/api/training"
ALL_GOOD = dict.fromkeys(ASPECTS, "good")


def fields(answer: Any) -> list[str]:
    return [e["field"] for e in answer.json()["errors"]]


async def secretaries(district: District, count: int, *, under: str | None = None) -> list[Person]:
    path = under or district.branch_path
    return [
        await district.add_member(f"书记{i}（示例）", branch_path=f"{path}b{i}/", duties=["secretary"])
        for i in range(count)
    ]


async def draw_round(client: Client, token: str, district: District, month: str = "2026-11", **extra: Any) -> Any:
    body = {"month": month, "unitPath": district.branch_path, "unitName": "瑶溪街道党工委", **extra}
    answer = await client.post(f"{API}/duty-review-rounds", json=body, headers=bearer(token))
    assert answer.status_code == 201, answer.text
    return answer.json()


async def polling_review(client: Client, token: str, district: District) -> str:
    await secretaries(district, 1)
    review_id: str = (await draw_round(client, token, district))["reviews"][0]["id"]
    answer = await client.post(f"{API}/duty-reviews/{review_id}/poll", headers=bearer(token))
    assert answer.status_code == 200, answer.text
    return review_id


async def test_a_round_draws_the_district_count_and_not_last_months_secretaries_again(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = organiser(issuer, district_a)
    people = await secretaries(district_a, 8)
    await district_a.add_member("普通党员", branch_path=f"{district_a.branch_path}b0/")  # no duty: never drawn
    settings = await client.get(f"{API}/duty-review-settings", headers=bearer(admin))
    assert settings.json() == {"monthlyCount": 5}
    october = await draw_round(client, admin, district_a, "2026-10")
    drawn = {r["personId"] for r in october["reviews"]}
    assert len(drawn) == 5
    assert drawn <= {str(p.id) for p in people}
    # reproducible: the recorded seed and candidates give the same five
    again = draw([uuid.UUID(c) for c in october["candidateIds"]], october["seed"], october["requested"])
    assert {str(i) for i in again} == drawn
    # November: the five of October are left out, so the three others are all that can be drawn
    november = await draw_round(client, admin, district_a, "2026-11")
    assert set(november["excludedIds"]) == drawn
    assert {r["personId"] for r in november["reviews"]} == {str(p.id) for p in people} - drawn
    assert november["requested"] == 5
    assert len(november["reviews"]) == 3
    # the district's count
    answer = await client.put(f"{API}/duty-review-settings", json={"monthlyCount": 2}, headers=bearer(admin))
    assert answer.json() == {"monthlyCount": 2}
    december = await draw_round(client, admin, district_a, "2026-12")
    assert len(december["reviews"]) == 2
    assert not {r["personId"] for r in december["reviews"]} & {r["personId"] for r in november["reviews"]}
    # one round per unit and month
    body = {"month": "2026-12", "unitPath": district_a.branch_path, "unitName": "瑶溪街道党工委"}
    assert (await client.post(f"{API}/duty-review-rounds", json=body, headers=bearer(admin))).status_code == 409


async def test_bad_round_input_is_a_422_naming_the_field(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = organiser(issuer, district_a)
    street = issuer.token(tenant=district_a.id, roles=["street_admin"], scope=district_a.branch_path)
    base = {"month": "2026-11", "unitPath": district_a.branch_path, "unitName": "瑶溪街道党工委"}
    cases = [
        (admin, {**base, "month": "2026-13"}, "body.month"),
        (admin, {**base, "count": "5"}, "body.count"),
        (admin, {**base, "count": 0}, "body.count"),
        (admin, base, "body.unitPath"),  # no secretary on record under it
        (street, {**base, "unitPath": "/elsewhere/"}, "body.unitPath"),
    ]
    for token, body, field in cases:
        answer = await client.post(f"{API}/duty-review-rounds", json=body, headers=bearer(token))
        assert answer.status_code == 422, (body, answer.text)
        assert field in fields(answer), answer.text
    answer = await client.put(f"{API}/duty-review-settings", json={"monthlyCount": "5"}, headers=bearer(admin))
    assert answer.status_code == 422
    assert fields(answer) == ["body.monthlyCount"]
    # a street admin may not change the district's count
    answer = await client.put(f"{API}/duty-review-settings", json={"monthlyCount": 3}, headers=bearer(street))
    assert answer.status_code == 403


async def test_an_organiser_runs_a_review_to_its_report_and_the_secretary_reads_it(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = organiser(issuer, district_a, name="区委组织部王科长")
    secretary = (await secretaries(district_a, 1))[0]
    review_id = (await draw_round(client, admin, district_a))["reviews"][0]["id"]
    patch = {
        "questionnaireScore": 86.5,
        "questionnaireCount": 40,
        "reportNote": "述落实、述创新、述问题",
        "reportSeconds": 500,
    }
    answer = await client.patch(f"{API}/duty-reviews/{review_id}", json=patch, headers=bearer(admin))
    assert answer.status_code == 200, answer.text
    assert (answer.json()["questionnaireScore"], answer.json()["overTime"]) == (86.5, True)
    question = {"kind": "challenge", "question": "村集体经济为何连续两年下滑？", "answer": "已制定增收计划"}
    answer = await client.post(f"{API}/duty-reviews/{review_id}/questions", json=question, headers=bearer(admin))
    assert answer.status_code == 201, answer.text
    assert (answer.json()["position"], answer.json()["askedByName"]) == (1, "区委组织部王科长")
    # finalising needs a conclusion
    answer = await client.post(f"{API}/duty-reviews/{review_id}/finalise", headers=bearer(admin))
    assert answer.status_code == 422
    assert fields(answer) == ["body.conclusion"]
    await client.patch(
        f"{API}/duty-reviews/{review_id}", json={"conclusion": "较好，需抓集体经济"}, headers=bearer(admin)
    )
    answer = await client.post(f"{API}/duty-reviews/{review_id}/finalise", headers=bearer(admin))
    assert answer.status_code == 200, answer.text
    assert (answer.json()["state"], answer.json()["finalisedByName"]) == ("finalised", "区委组织部王科长")
    # nothing changes after
    answer = await client.patch(f"{API}/duty-reviews/{review_id}", json={"conclusion": "改"}, headers=bearer(admin))
    assert answer.status_code == 409
    # the secretary reads their own review; another member does not
    mine = await client.get(f"{API}/duty-reviews/mine", headers=bearer(attendee(issuer, district_a, secretary)))
    assert [r["id"] for r in mine.json()] == [review_id]
    own = await client.get(f"{API}/duty-reviews/{review_id}", headers=bearer(attendee(issuer, district_a, secretary)))
    assert own.status_code == 200
    assert own.json()["questions"][0]["kind"] == "challenge"
    other = await district_a.add_member("其他党员")
    answer = await client.get(f"{API}/duty-reviews/{review_id}", headers=bearer(attendee(issuer, district_a, other)))
    assert answer.status_code == 404
    answer = await client.patch(
        f"{API}/duty-reviews/{review_id}",
        json={"conclusion": "x"},
        headers=bearer(attendee(issuer, district_a, secretary)),
    )
    assert answer.status_code == 403


async def test_bad_review_input_is_a_422_naming_the_field(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = organiser(issuer, district_a)
    await secretaries(district_a, 1)
    review_id = (await draw_round(client, admin, district_a))["reviews"][0]["id"]
    for body, field in [
        ({"questionnaireScore": "90"}, "body.questionnaireScore"),
        ({"questionnaireScore": 101}, "body.questionnaireScore"),
        ({"reportSeconds": "480"}, "body.reportSeconds"),
        ({"mood": "good"}, "body.mood"),
    ]:
        answer = await client.patch(f"{API}/duty-reviews/{review_id}", json=body, headers=bearer(admin))
        assert answer.status_code == 422, answer.text
        assert fields(answer) == [field], answer.text
    answer = await client.post(
        f"{API}/duty-reviews/{review_id}/questions", json={"kind": "shout", "question": "?"}, headers=bearer(admin)
    )
    assert answer.status_code == 422
    assert fields(answer) == ["body.kind"]


async def test_members_vote_once_and_the_database_cannot_tell_who_gave_which_grade(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = organiser(issuer, district_a)
    review_id = await polling_review(client, admin, district_a)
    voters = [await district_a.add_member(f"党员{i}") for i in range(3)]
    ballots = [ALL_GOOD, {**ALL_GOOD, "innovation": "poor"}, {**ALL_GOOD, "innovation": "fairly_good"}]
    for voter, grades in zip(voters, ballots, strict=True):
        token = attendee(issuer, district_a, voter)
        polls = (await client.get(f"{API}/duty-polls", headers=bearer(token))).json()
        assert [(p["reviewId"], p["voted"]) for p in polls] == [(review_id, False)]
        answer = await client.post(
            f"{API}/duty-reviews/{review_id}/poll/votes", json={"grades": grades}, headers=bearer(token)
        )
        assert answer.status_code == 201, answer.text
        assert answer.json()["voted"] is True
        review = (await client.get(f"{API}/duty-reviews/{review_id}", headers=bearer(admin))).json()
        shown = review["voters"] >= 3  # one or two voters' grades could be read off the tallies: none until three
        assert (review["voters"], bool(review["tallies"])) == (voters.index(voter) + 1, shown)
    # a second vote is refused and changes nothing
    token = attendee(issuer, district_a, voters[1])
    answer = await client.post(
        f"{API}/duty-reviews/{review_id}/poll/votes", json={"grades": ALL_GOOD}, headers=bearer(token)
    )
    assert answer.status_code == 422
    assert fields(answer) == ["body.grades"]
    review = (await client.get(f"{API}/duty-reviews/{review_id}", headers=bearer(admin))).json()
    assert review["voters"] == 3
    innovation = next(t for t in review["tallies"] if t["aspect"] == "innovation")
    assert (innovation["good"], innovation["fairlyGood"], innovation["average"], innovation["poor"]) == (1, 1, 0, 1)
    assert next(t for t in review["tallies"] if t["aspect"] == "responsibility")["good"] == 3

    async def stored(session: AsyncSession) -> tuple[set[str], set[str], int, list[Any], set[str]]:
        columns = "SELECT column_name FROM information_schema.columns WHERE table_name = :table"
        voter_columns = set(await session.scalars(text(columns), {"table": "duty_poll_voter"}))
        tally_columns = set(await session.scalars(text(columns), {"table": "duty_poll_tally"}))
        rows = (await session.execute(text("SELECT * FROM duty_poll_tally WHERE votes > 0"))).mappings().all()
        registered = await session.scalar(select(func.count()).select_from(PollVoter))
        # the transaction that last wrote each counter: one for all 28, so it does not tell what the last voter chose
        writers = set(await session.scalars(text("SELECT xmin::text FROM duty_poll_tally")))
        return voter_columns, tally_columns, int(registered or 0), [dict(r) for r in rows], writers

    voter_columns, tally_columns, registered, counters, writers = await district_a.run(stored)
    assert len(writers) == 1
    # the register holds who voted and nothing of what or when; the counters hold what and nothing of who or when
    assert voter_columns == {"tenant_id", "review_id", "voter_id"}
    assert tally_columns == {"tenant_id", "review_id", "aspect", "grade", "votes"}
    assert registered == 3
    voter_ids = {str(v.user_id) for v in voters}
    assert not any(str(value) in voter_ids for row in counters for value in row.values())
    # the secretary does not vote in their own poll, and a grade must be one of the four
    secretary = await district_a.run(
        lambda s: s.scalar(select(Person).join(DutyReview, DutyReview.person_id == Person.id))
    )
    answer = await client.post(
        f"{API}/duty-reviews/{review_id}/poll/votes",
        json={"grades": ALL_GOOD},
        headers=bearer(attendee(issuer, district_a, secretary)),
    )
    assert answer.status_code == 409


async def test_a_bad_ballot_is_a_422_naming_the_aspect_and_nothing_is_counted(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = organiser(issuer, district_a)
    review_id = await polling_review(client, admin, district_a)
    token = attendee(issuer, district_a, await district_a.add_member("党员甲"))
    cases = [
        ({"grades": {**ALL_GOOD, "innovation": "excellent"}}, ["body.grades.innovation"]),
        ({"grades": {**ALL_GOOD, "innovation": 1}}, ["body.grades.innovation"]),
        ({"grades": {k: v for k, v in ALL_GOOD.items() if k != "responsibility"}}, ["body.grades.responsibility"]),
        ({"grades": {**ALL_GOOD, "charm": "good"}}, ["body.grades.charm"]),
        ({"grades": "good"}, ["body.grades"]),
    ]
    for body, expected in cases:
        answer = await client.post(f"{API}/duty-reviews/{review_id}/poll/votes", json=body, headers=bearer(token))
        assert answer.status_code == 422, answer.text
        assert fields(answer) == expected, answer.text
    review = (await client.get(f"{API}/duty-reviews/{review_id}", headers=bearer(admin))).json()
    assert (review["voters"], review["tallies"]) == (0, [])
    # once finalised the poll is closed
    await client.patch(f"{API}/duty-reviews/{review_id}", json={"conclusion": "好"}, headers=bearer(admin))
    await client.post(f"{API}/duty-reviews/{review_id}/finalise", headers=bearer(admin))
    answer = await client.post(
        f"{API}/duty-reviews/{review_id}/poll/votes", json={"grades": ALL_GOOD}, headers=bearer(token)
    )
    assert answer.status_code == 409


async def test_another_districts_rounds_reviews_and_polls_are_a_404(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    review_id = await polling_review(client, organiser(issuer, district_a), district_a)
    round_id = (await client.get(f"{API}/duty-review-rounds", headers=bearer(organiser(issuer, district_a)))).json()[
        "items"
    ][0]["id"]
    other = organiser(issuer, district_b)
    member_b = attendee(issuer, district_b, await district_b.add_member("乙区党员"))
    assert (await client.get(f"{API}/duty-review-rounds/{round_id}", headers=bearer(other))).status_code == 404
    assert (await client.get(f"{API}/duty-reviews/{review_id}", headers=bearer(other))).status_code == 404
    answer = await client.patch(f"{API}/duty-reviews/{review_id}", json={"conclusion": "x"}, headers=bearer(other))
    assert answer.status_code == 404
    assert (await client.get(f"{API}/duty-reviews/{review_id}/poll", headers=bearer(member_b))).status_code == 404
    answer = await client.post(
        f"{API}/duty-reviews/{review_id}/poll/votes", json={"grades": ALL_GOOD}, headers=bearer(member_b)
    )
    assert answer.status_code == 404
    assert (await client.get(f"{API}/duty-review-rounds", headers=bearer(other))).json()["items"] == []
    # a street admin of another street of the same district does not see the round either
    street = issuer.token(tenant=district_a.id, roles=["street_admin"], scope="/elsewhere/")
    assert (await client.get(f"{API}/duty-review-rounds/{round_id}", headers=bearer(street))).status_code == 404
