"""Commitments (TRN-09): define -> publish -> fulfil -> evaluate, each step out of order a 409 saying where the
commitment stands, CommitmentPublished written once, bad input a 422 naming the field with nothing stored, and
another district's commitment a 404."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.models import Commitment, Person, ProgressNote
from tests.platform.tokens import TestIssuer
from tests.training.builders import District, attendee, bearer, organiser

COMMITMENTS = "/api/training/commitments"


def admin(issuer: TestIssuer, district: District) -> dict[str, str]:
    return bearer(organiser(issuer, district))


def grid(district: District, name: str = "g1") -> str:
    """A grid in the administrative tree of ``district``'s street (``/<d>/s1/``)."""
    return f"{district.branch_path.removesuffix('b1/')}c1/{name}/"


def group(district: District, **fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "holderKind": "party_group",
        "unitId": str(uuid.uuid4()),
        "unitPath": grid(district),
        "unitName": "瑶溪社区第一网格党小组",
        "period": "2026",
        "title": "每月走访网格内困难家庭",
        "content": "全年每月至少走访一次网格内的困难家庭，记录诉求并跟进办理。",
        "basis": "annual_plan",
    }
    return {**values, **fields}


def own(**fields: Any) -> dict[str, Any]:
    values = {
        "holderKind": "member",
        "period": "2026",
        "title": "为邻居义务修理家电",
        "content": "发挥电工特长，每季度在网格内开展一次义务维修。",
        "basis": "skill",
    }
    return {**values, **fields}


async def member_in(district: District, name: str = "林志红", grid_name: str = "g1") -> Person:
    """A member on the rolls of ``district``'s branch and of one of its grids."""
    person = await district.add_member(name)

    async def place(session: AsyncSession) -> None:
        await session.execute(update(Person).where(Person.id == person.id).values(grid_path=grid(district, grid_name)))

    await district.run(place)
    person.grid_path = grid(district, grid_name)
    return person


async def stored(district: District) -> tuple[int, int]:
    """How many commitments and progress notes the district holds."""

    async def count(session: AsyncSession) -> tuple[int, int]:
        commitments = await session.scalar(select(func.count()).select_from(Commitment))
        notes = await session.scalar(select(func.count()).select_from(ProgressNote))
        return int(commitments or 0), int(notes or 0)

    found: tuple[int, int] = await district.run(count)
    return found


async def published_events(district: District, commitment_id: str) -> list[dict[str, Any]]:
    async def read(session: AsyncSession) -> list[dict[str, Any]]:
        rows = await session.execute(
            text(
                "SELECT payload FROM outbox_message WHERE event = 'training.CommitmentPublished' "
                "AND payload->>'commitment_id' = :c ORDER BY seq"
            ),
            {"c": commitment_id},
        )
        return [dict(row[0]) for row in rows]

    found: list[dict[str, Any]] = await district.run(read)
    return found


async def test_a_party_groups_commitment_goes_through_the_whole_cycle(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    headers = admin(issuer, district_a)
    defined = await client.post(COMMITMENTS, json=group(district_a), headers=headers)
    assert defined.status_code == 201, defined.text
    c = defined.json()
    assert (c["state"], c["holderKind"], c["holderPath"], c["holderName"]) == (
        "defined",
        "party_group",
        grid(district_a),
        "瑶溪社区第一网格党小组",
    )
    assert (c["letterDocumentId"], c["publishedAt"], c["score"]) == (None, None, None)
    url = f"{COMMITMENTS}/{c['id']}"
    changed = await client.patch(url, json={"title": "每月两次走访困难家庭"}, headers=headers)
    assert (changed.status_code, changed.json()["title"]) == (200, "每月两次走访困难家庭")

    published = await client.post(f"{url}/publish", headers=headers)
    assert (published.status_code, published.json()["state"]) == (200, "published")
    assert published.json()["publishedAt"] is not None
    [event] = await published_events(district_a, c["id"])
    assert (event["holder_kind"], event["holder_id"], event["holder_path"], event["period"], event["title"]) == (
        "party_group",
        c["unitId"],
        grid(district_a),
        "2026",
        "每月两次走访困难家庭",
    )

    for note in ("三月走访5户，收集诉求3条", "四月走访6户，办结诉求2条"):
        progressed = await client.post(f"{url}/progress", json={"note": note}, headers=headers)
        assert (progressed.status_code, progressed.json()["state"]) == (200, "fulfilling"), progressed.text
    evaluated = await client.post(f"{url}/evaluate", json={"score": 87.5, "comment": "按期践诺"}, headers=headers)
    assert evaluated.status_code == 200, evaluated.text
    final = (await client.get(url, headers=headers)).json()
    assert (final["state"], final["score"], final["comment"]) == ("evaluated", 87.5, "按期践诺")
    assert final["evaluatedAt"] is not None
    assert [p["note"] for p in final["progress"]] == ["三月走访5户，收集诉求3条", "四月走访6户，办结诉求2条"]


async def test_a_member_defines_publishes_and_keeps_their_own_and_an_organiser_evaluates_it(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    me = await member_in(district_a)
    mine = bearer(attendee(issuer, district_a, me))
    defined = await client.post(COMMITMENTS, json=own(), headers=mine)
    assert defined.status_code == 201, defined.text
    c = defined.json()
    assert (c["holderKind"], c["personId"], c["holderPath"], c["holderName"]) == (
        "member",
        str(me.id),
        grid(district_a),
        "林志红",
    )
    url = f"{COMMITMENTS}/{c['id']}"
    assert (await client.post(f"{url}/publish", headers=mine)).json()["state"] == "published"
    [event] = await published_events(district_a, c["id"])
    assert (event["holder_kind"], event["holder_id"], event["member_id"]) == ("member", str(me.id), str(me.member_id))
    assert (await client.post(f"{url}/progress", json={"note": "修好王阿姨家的电扇"}, headers=mine)).status_code == 200
    assert (await client.post(f"{url}/evaluate", json={"score": 90}, headers=mine)).status_code == 403
    scored = await client.post(f"{url}/evaluate", json={"score": 90}, headers=admin(issuer, district_a))
    assert (scored.status_code, scored.json()["score"]) == (200, 90.0)
    listed = await client.get(COMMITMENTS, params={"personId": str(me.id)}, headers=mine)
    assert [(i["id"], i["state"]) for i in listed.json()["items"]] == [(c["id"], "evaluated")]


async def test_a_published_commitment_is_evaluated_without_progress_notes(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    headers = admin(issuer, district_a)
    c = (await client.post(COMMITMENTS, json=group(district_a), headers=headers)).json()
    await client.post(f"{COMMITMENTS}/{c['id']}/publish", headers=headers)
    scored = await client.post(f"{COMMITMENTS}/{c['id']}/evaluate", json={"score": 0}, headers=headers)
    assert (scored.status_code, scored.json()["state"], scored.json()["score"]) == (200, "evaluated", 0.0)


async def test_a_step_out_of_order_is_a_409_saying_where_the_commitment_stands(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    headers = admin(issuer, district_a)
    c = (await client.post(COMMITMENTS, json=group(district_a), headers=headers)).json()
    url = f"{COMMITMENTS}/{c['id']}"

    async def refused(method: str, step: str, state: str, **body: Any) -> None:
        answer = await client.request(method, f"{url}{step}", headers=headers, **body)
        assert answer.status_code == 409, (step, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert f"the commitment is {state}" in answer.json()["detail"]

    await refused("POST", "/progress", "defined", json={"note": "提前记录"})
    await refused("POST", "/evaluate", "defined", json={"score": 80})
    await client.post(f"{url}/publish", headers=headers)
    await refused("POST", "/publish", "published")
    await refused("PATCH", "", "published", json={"title": "改"})
    await client.post(f"{url}/evaluate", json={"score": 75}, headers=headers)
    await refused("POST", "/evaluate", "evaluated", json={"score": 99})
    await refused("POST", "/progress", "evaluated", json={"note": "再记一笔"})
    await refused("POST", "/publish", "evaluated")
    after = (await client.get(url, headers=headers)).json()
    assert (after["state"], after["score"], after["progress"]) == ("evaluated", 75.0, [])
    assert len(await published_events(district_a, c["id"])) == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"holderKind": "branch"}, "body.holderKind"),
        ({"period": "2026H1"}, "body.period"),
        ({"period": "26"}, "body.period"),
        ({"period": 2026}, "body.period"),
        ({"basis": "post"}, "body.basis"),
        ({"unitPath": None}, "body.unitPath"),
        ({"unitPath": "street-1"}, "body.unitPath"),
        ({"unitName": "  "}, "body.unitName"),
        ({"title": ""}, "body.title"),
        ({"content": "x" * 2001}, "body.content"),
        ({"personId": str(uuid.uuid4())}, "body.personId"),
        ({"unitId": "g1"}, "body.unitId"),
        ({"letter": "scan.pdf"}, "body.letter"),
    ],
)
async def test_a_bad_commitment_is_a_422_naming_the_field_and_nothing_is_stored(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District, fields: dict[str, Any], field: str
) -> None:
    answer = await client.post(COMMITMENTS, json=group(district_a, **fields), headers=admin(issuer, district_a))
    assert answer.status_code == 422, answer.text
    assert [e["field"] for e in answer.json()["errors"]] == [field]
    assert await stored(district_a) == (0, 0)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"score": 100.5}, "body.score"),
        ({"score": -1}, "body.score"),
        ({"score": 80.125}, "body.score"),
        ({"score": "80"}, "body.score"),
        ({"score": True}, "body.score"),
        ({"comment": "好"}, "body.score"),
        ({"score": 80, "comment": 5}, "body.comment"),
    ],
)
async def test_a_bad_evaluation_is_a_422_naming_the_field_and_the_commitment_stays_unscored(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District, body: dict[str, Any], field: str
) -> None:
    headers = admin(issuer, district_a)
    c = (await client.post(COMMITMENTS, json=group(district_a), headers=headers)).json()
    await client.post(f"{COMMITMENTS}/{c['id']}/publish", headers=headers)
    answer = await client.post(f"{COMMITMENTS}/{c['id']}/evaluate", json=body, headers=headers)
    assert answer.status_code == 422, answer.text
    assert [e["field"] for e in answer.json()["errors"]] == [field]
    after = (await client.get(f"{COMMITMENTS}/{c['id']}", headers=headers)).json()
    assert (after["state"], after["score"], after["evaluatedAt"]) == ("published", None, None)


async def test_bad_progress_and_changes_are_422s_and_change_nothing(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    headers = admin(issuer, district_a)
    c = (await client.post(COMMITMENTS, json=group(district_a), headers=headers)).json()
    url = f"{COMMITMENTS}/{c['id']}"
    for change, field in (({"period": "2026-11"}, "body.period"), ({"basis": "skill"}, "body.basis")):
        answer = await client.patch(url, json={"title": "新标题", **change}, headers=headers)
        assert (answer.status_code, [e["field"] for e in answer.json()["errors"]]) == (422, [field])
    await client.post(f"{url}/publish", headers=headers)
    for note in ({"note": ""}, {"note": 12}, {}):
        answer = await client.post(f"{url}/progress", json=note, headers=headers)
        assert (answer.status_code, answer.json()["errors"][0]["field"]) == (422, "body.note")
    after = (await client.get(url, headers=headers)).json()
    assert (after["title"], after["state"], after["progress"]) == (c["title"], "published", [])


async def test_another_districts_commitment_is_a_404_and_stays_as_it_was(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    c = (await client.post(COMMITMENTS, json=group(district_a), headers=admin(issuer, district_a))).json()
    url = f"{COMMITMENTS}/{c['id']}"
    theirs = admin(issuer, district_b)
    for method, step, body in (
        ("GET", "", None),
        ("PATCH", "", {"title": "改"}),
        ("POST", "/publish", None),
        ("POST", "/progress", {"note": "记一笔"}),
        ("POST", "/evaluate", {"score": 60}),
    ):
        answer = await client.request(method, f"{url}{step}", json=body, headers=theirs)
        assert answer.status_code == 404, (method, step, answer.text)
    assert (await client.get(COMMITMENTS, headers=theirs)).json()["items"] == []
    kept = (await client.get(url, headers=admin(issuer, district_a))).json()
    assert (kept["state"], kept["title"]) == ("defined", c["title"])
    assert await published_events(district_a, c["id"]) == []


async def test_two_publishes_at_once_publish_once(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    headers = admin(issuer, district_a)
    c = (await client.post(COMMITMENTS, json=group(district_a), headers=headers)).json()
    url = f"{COMMITMENTS}/{c['id']}/publish"
    answers = await asyncio.gather(client.post(url, headers=headers), client.post(url, headers=headers))
    assert sorted(a.status_code for a in answers) == [200, 409]
    assert len(await published_events(district_a, c["id"])) == 1
