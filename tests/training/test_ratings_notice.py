"""The public notice (公示) of a star rating: every signed-in user of the district reads the board and may object
during the notice; the rating cannot be published before its notice ends or while an objection is unanswered, and
publishing sends StarRatingPublished once per entry, once. The notice's end is moved in the database."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timedelta
from typing import Any

from litestar.testing import AsyncTestClient

from services.training.models import RatingObjection
from tests.platform.tokens import TestIssuer
from tests.training.builders import District, bearer, organiser
from tests.training.ratings_support import API, count, end_notice, new_round, outbox, score

Client = AsyncTestClient[Any]
PUBLISHED = "training.StarRatingPublished"


def resident(issuer: TestIssuer, district: District) -> str:
    return issuer.token(tenant=district.id, roles=["resident"])


async def noticed(client: Client, issuer: TestIssuer, district: District) -> tuple[dict[str, Any], list[Any]]:
    """A member round with two scored members, put on notice."""
    admin = organiser(issuer, district)
    rating = await new_round(client, admin, district)
    entries = []
    for name in ("林志红", "周海燕"):
        member = await district.add_member(name)
        answer = await score(client, admin, rating["id"], member.id)
        assert answer.status_code == 201, answer.text
        entries.append(answer.json())
    answer = await client.post(f"{API}/ratings/{rating['id']}/notice", json={}, headers=bearer(admin))
    assert answer.status_code == 200, answer.text
    return answer.json(), entries


async def test_a_draft_goes_on_notice_for_the_districts_days_and_then_takes_no_more_entries(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = organiser(issuer, district_a)
    empty = await new_round(client, admin, district_a)
    answer = await client.post(f"{API}/ratings/{empty['id']}/notice", headers=bearer(admin))
    assert answer.status_code == 409
    assert "no entries" in answer.json()["detail"]
    rating, _ = await noticed(client, issuer, district_a)
    starts = datetime.fromisoformat(rating["noticeStartsAt"])
    assert (rating["state"], datetime.fromisoformat(rating["noticeEndsAt"]) - starts) == (
        "in_notice",
        timedelta(days=5),
    )
    late = await score(client, admin, rating["id"], (await district_a.add_member("李明")).id)
    assert late.status_code == 409
    again = await client.post(f"{API}/ratings/{rating['id']}/notice", headers=bearer(admin))
    assert again.status_code == 409


async def test_everyone_signed_in_reads_the_board_but_not_a_draft(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    rating, entries = await noticed(client, issuer, district_a)
    draft = await new_round(client, organiser(issuer, district_a), district_a)
    board = await client.get(f"{API}/notices", headers=bearer(resident(issuer, district_a)))
    assert board.status_code == 200, board.text
    [shown] = board.json()["items"]
    assert (shown["id"], shown["state"], shown["noticeEndsAt"]) == (rating["id"], "in_notice", rating["noticeEndsAt"])
    assert {e["subjectName"] for e in shown["entries"]} == {"林志红", "周海燕"}
    assert shown["entries"][0]["level"] == entries[0]["level"]
    one = await client.get(f"{API}/notices/{rating['id']}", headers=bearer(resident(issuer, district_a)))
    assert one.json()["entries"][0]["id"] in {e["id"] for e in entries}
    assert (
        await client.get(f"{API}/notices/{draft['id']}", headers=bearer(resident(issuer, district_a)))
    ).status_code == 404
    # the organisers' own reads stay theirs
    assert (
        await client.get(f"{API}/ratings/{rating['id']}", headers=bearer(resident(issuer, district_a)))
    ).status_code == 403


async def test_objections_are_raised_during_the_notice_only_and_answered_by_organisers(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = organiser(issuer, district_a)
    rating, entries = await noticed(client, issuer, district_a)
    someone = resident(issuer, district_a)
    body = {"entryId": entries[0]["id"], "content": "该同志上半年未参加组织生活，评四星不妥"}
    raised = await client.post(f"{API}/ratings/{rating['id']}/objections", json=body, headers=bearer(someone))
    assert raised.status_code == 201, raised.text
    objection = raised.json()
    assert (objection["entryId"], objection["answer"], objection["raisedByName"]) == (entries[0]["id"], None, None)
    mine = await client.get(f"{API}/ratings/{rating['id']}/objections", headers=bearer(someone))
    assert [o["id"] for o in mine.json()["items"]] == [objection["id"]]
    other = resident(issuer, district_a)
    assert (await client.get(f"{API}/ratings/{rating['id']}/objections", headers=bearer(other))).json()["items"] == []
    counted = await client.get(f"{API}/notices/{rating['id']}", headers=bearer(other))
    assert {e["id"]: e["objections"] for e in counted.json()["entries"]} == {entries[0]["id"]: 1, entries[1]["id"]: 0}
    # bad input: 422 naming the field; an entry of no round of this district: 404
    for change, field in [
        ({"content": " "}, "body.content"),
        ({"entryId": 5}, "body.entryId"),
        ({"extra": 1}, "extra"),
    ]:
        answer = await client.post(
            f"{API}/ratings/{rating['id']}/objections", json={**body, **change}, headers=bearer(someone)
        )
        assert answer.status_code == 422, (change, answer.text)
        assert field in str(answer.json()["errors"])
    stray = {**body, "entryId": str(uuid.uuid4())}
    assert (
        await client.post(f"{API}/ratings/{rating['id']}/objections", json=stray, headers=bearer(someone))
    ).status_code == 404
    # answering is the organisers'; an answer is required text; once only
    url = f"{API}/objections/{objection['id']}/answer"
    assert (await client.post(url, json={"answer": "已核实"}, headers=bearer(someone))).status_code == 403
    assert (await client.post(url, json={"answer": ""}, headers=bearer(admin))).status_code == 422
    answered = await client.post(url, json={"answer": "经核实，该同志因病请假，已按规定补学"}, headers=bearer(admin))
    assert answered.status_code == 200, answered.text
    assert answered.json()["answeredAt"] is not None
    assert (await client.post(url, json={"answer": "再答"}, headers=bearer(admin))).status_code == 409
    listed = await client.get(f"{API}/ratings/{rating['id']}/objections", headers=bearer(admin))
    assert listed.json()["items"][0]["answer"] == "经核实，该同志因病请假，已按规定补学"
    # the notice's days pass: no more objections, and nothing stored
    await end_notice(district_a, rating["id"])
    late = await client.post(f"{API}/ratings/{rating['id']}/objections", json=body, headers=bearer(someone))
    assert late.status_code == 409
    assert "ended" in late.json()["detail"]
    assert await count(district_a, RatingObjection) == 1


async def test_a_rating_is_published_only_after_its_notice_with_every_objection_answered_and_only_once(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = organiser(issuer, district_a)
    draft = await new_round(client, admin, district_a)
    assert (await client.post(f"{API}/ratings/{draft['id']}/publish", headers=bearer(admin))).status_code == 409
    rating, entries = await noticed(client, issuer, district_a)
    publish = f"{API}/ratings/{rating['id']}/publish"
    early = await client.post(publish, headers=bearer(admin))
    assert early.status_code == 409
    assert f"its public notice runs until {rating['noticeEndsAt']}" in early.json()["detail"]
    body = {"entryId": entries[1]["id"], "content": "评分依据未公开"}
    raised = await client.post(
        f"{API}/ratings/{rating['id']}/objections", json=body, headers=bearer(resident(issuer, district_a))
    )
    objection = raised.json()["id"]
    await end_notice(district_a, rating["id"])
    unanswered = await client.post(publish, headers=bearer(admin))
    assert unanswered.status_code == 409
    assert "1 objection(s) are unanswered" in unanswered.json()["detail"]
    assert {"field": "objections", "message": objection} in unanswered.json()["errors"]
    assert "notice runs until" not in unanswered.json()["detail"]
    assert await outbox(district_a, PUBLISHED) == []
    listed = await client.get(f"{API}/ratings/{rating['id']}", headers=bearer(admin))
    assert (listed.json()["state"], listed.json()["openObjections"]) == ("in_notice", 1)
    answer = {"answer": "评分细则已在党群服务中心公示栏张贴"}
    await client.post(f"{API}/objections/{objection}/answer", json=answer, headers=bearer(admin))
    done = await client.post(publish, headers=bearer(admin))
    assert done.status_code == 200, done.text
    assert (done.json()["state"], done.json()["openObjections"]) == ("published", 0)
    events = await outbox(district_a, PUBLISHED)
    assert sorted(e["entry_id"] for e in events) == sorted(e["id"] for e in entries)
    first = events[0]
    entry = next(e for e in entries if e["id"] == first["entry_id"])
    assert (first["rating_id"], first["subject_kind"], first["period"]) == (rating["id"], "member", "2026H1")
    assert (first["subject_id"], first["level"], first["note"]) == (entry["subjectId"], entry["level"], entry["note"])
    # publishing twice is a 409 and no second set of events
    again = await client.post(publish, headers=bearer(admin))
    assert again.status_code == 409
    assert "published at" in again.json()["detail"]
    assert len(await outbox(district_a, PUBLISHED)) == 2
    board = await client.get(f"{API}/notices", headers=bearer(resident(issuer, district_a)))
    assert [(n["id"], n["state"]) for n in board.json()["items"]] == [(rating["id"], "published")]
    late = await client.post(f"{API}/objections/{objection}/answer", json=answer, headers=bearer(admin))
    assert late.status_code == 409


async def test_another_districts_rating_entry_and_objection_are_404(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    rating, entries = await noticed(client, issuer, district_a)
    raised = await client.post(
        f"{API}/ratings/{rating['id']}/objections",
        json={"entryId": entries[0]["id"], "content": "有异议"},
        headers=bearer(resident(issuer, district_a)),
    )
    objection = raised.json()["id"]
    other = organiser(issuer, district_b)
    rid = rating["id"]
    for url in (
        f"{API}/ratings/{rid}",
        f"{API}/ratings/{rid}/entries",
        f"{API}/ratings/{rid}/entries/{entries[0]['id']}",
        f"{API}/ratings/{rid}/objections",
        f"{API}/notices/{rid}",
    ):
        assert (await client.get(url, headers=bearer(other))).status_code == 404, url
    for url, body in (
        (f"{API}/ratings/{rid}/notice", None),
        (f"{API}/ratings/{rid}/publish", None),
        (f"{API}/ratings/{rid}/objections", {"entryId": entries[0]["id"], "content": "有异议"}),
        (f"{API}/objections/{objection}/answer", {"answer": "已答复"}),
    ):
        assert (await client.post(url, json=body, headers=bearer(other))).status_code == 404, url
    # B's own round cannot take A's entry id for an objection
    b_rating, _ = await noticed(client, issuer, district_b)
    crossed = {"entryId": entries[0]["id"], "content": "有异议"}
    answer = await client.post(f"{API}/ratings/{b_rating['id']}/objections", json=crossed, headers=bearer(other))
    assert answer.status_code == 404
    assert [n["id"] for n in (await client.get(f"{API}/notices", headers=bearer(other))).json()["items"]] == [
        b_rating["id"]
    ]
    # an organiser outside the round's unit does not see it either
    street = issuer.token(tenant=district_a.id, roles=["street_admin"], scope="/elsewhere/")
    assert (await client.get(f"{API}/ratings/{rid}", headers=bearer(street))).status_code == 404
    answer = await client.post(f"{API}/objections/{objection}/answer", json={"answer": "x"}, headers=bearer(street))
    assert answer.status_code == 404


async def test_two_organisers_publishing_at_once_send_the_events_once(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    rating, entries = await noticed(client, issuer, district_a)
    await end_notice(district_a, rating["id"])
    publish = f"{API}/ratings/{rating['id']}/publish"
    answers = await asyncio.gather(
        client.post(publish, headers=bearer(organiser(issuer, district_a))),
        client.post(publish, headers=bearer(organiser(issuer, district_a))),
    )
    assert sorted(a.status_code for a in answers) == [200, 409]
    assert sorted(e["entry_id"] for e in await outbox(district_a, PUBLISHED)) == sorted(e["id"] for e in entries)
