"""Warned members' re-education (TRN-05, EVT-01, EVT-02): orgtree's warning opens one case however often delivered
and enrols the member in the party-spirit education branch's programme; attending one of its sessions puts the
case in education; an organiser concludes it once, and "still unqualified" tells orgtree through the outbox."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import delete, select, text
from sqlalchemy.ext.asyncio import AsyncSession

import services.training.care.actors  # noqa: F401 - registers the handler on the consumer
from services.training.care.calendar import today
from services.training.models import Person, Programme, ReEducationCase
from shared.contracts.orgtree import MemberWarned
from shared.settings import Settings
from tests.platform.tokens import TestIssuer
from tests.training.builders import District, bearer, organiser
from tests.training.points_support import deliver

Client = AsyncTestClient[Any]
CASES = "/api/training/re-education"


def warned(district: District, member_id: uuid.UUID, on: date = date(2026, 11, 20)) -> MemberWarned:
    return MemberWarned(tenant_id=district.id, member_id=member_id, branch_path=district.branch_path, warned_on=on)


async def cases(district: District) -> list[ReEducationCase]:
    async def read(session: AsyncSession) -> list[ReEducationCase]:
        return list(await session.scalars(select(ReEducationCase).order_by(ReEducationCase.opened_at)))

    found: list[ReEducationCase] = await district.run(read)
    return found


async def failures(district: District) -> list[dict[str, Any]]:
    async def read(session: AsyncSession) -> list[dict[str, Any]]:
        rows = await session.execute(
            text("SELECT payload FROM outbox_message WHERE event = 'training.ReEducationFailed' ORDER BY seq")
        )
        return [dict(row[0]) for row in rows]

    found: list[dict[str, Any]] = await district.run(read)
    return found


async def attend(client: Client, headers: dict[str, str], district: District, person: Person, programme: str) -> None:
    sitting = await district.add_session(programme, title="党性再教育：为民服务宗旨")
    answer = await client.post(
        f"/api/training/sessions/{sitting.id}/attendance",
        json={"personId": str(person.id), "reason": "再教育签到"},
        headers=headers,
    )
    assert answer.status_code == 201, answer.text


async def test_a_warning_opens_one_case_however_often_delivered(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    member = await district_a.add_member("钱受警")
    assert member.member_id is not None
    assert await deliver(settings, warned(district_a, member.member_id)) == [True, False, True]
    # a second warning while the case is open belongs to that case
    assert (await deliver(settings, warned(district_a, member.member_id, date(2026, 11, 28))))[0] is True
    [case] = await cases(district_a)
    assert (case.person_id, case.member_id, case.state, case.warned_on) == (
        member.id,
        member.member_id,
        "opened",
        date(2026, 11, 20),
    )
    assert case.programme_id == district_a.programmes["party_spirit_education"]
    listed = await client.get(CASES, headers=bearer(organiser(issuer, district_a)))
    assert listed.status_code == 200, listed.text
    [item] = listed.json()["items"]
    assert (item["personName"], item["state"], item["programmeName"]) == (
        "钱受警",
        "opened",
        "党风党性教育党支部·再教育",
    )


async def test_a_warning_for_a_member_not_known_yet_and_a_catalogue_without_the_programme(
    settings: Settings, district_a: District
) -> None:
    async def withdraw(session: AsyncSession) -> None:  # a district seeded before the programme existed
        await session.execute(delete(Programme).where(Programme.code == "party_spirit_education"))

    await district_a.run(withdraw)
    stranger = uuid.uuid4()
    await deliver(settings, warned(district_a, stranger))
    [case] = await cases(district_a)

    async def read(session: AsyncSession) -> tuple[Person, Programme]:
        person = await session.get(Person, case.person_id)
        programme = await session.get(Programme, case.programme_id)
        assert person is not None
        assert programme is not None
        return person, programme

    person, programme = await district_a.run(read)
    assert (person.member_id, person.branch_path, programme.code) == (
        stranger,
        district_a.branch_path,
        "party_spirit_education",
    )


async def test_attending_the_programme_puts_the_case_in_education_and_it_concludes_once(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    admin = bearer(issuer.token(tenant=district_a.id, roles=["district_admin"], name="组织委员"))
    member = await district_a.add_member("孙受警")
    assert member.member_id is not None
    await deliver(settings, warned(district_a, member.member_id, today()))
    [case] = await cases(district_a)
    early = await client.post(
        f"{CASES}/{case.id}/conclude", json={"outcome": "qualified", "note": "表现良好"}, headers=admin
    )
    assert early.status_code == 409, early.text  # not educated yet
    await attend(client, admin, district_a, member, "micro_party_lecture")  # another programme: does not count
    assert (await client.get(f"{CASES}/{case.id}", headers=admin)).json()["case"]["state"] == "opened"
    await attend(client, admin, district_a, member, "party_spirit_education")

    async def states(state: str) -> list[str]:
        answer = await client.get(CASES, params={"state": state}, headers=admin)
        assert answer.status_code == 200, answer.text
        return [row["id"] for row in answer.json()["items"]]

    assert (await states("in_education"), await states("opened")) == ([str(case.id)], [])
    detail = (await client.get(f"{CASES}/{case.id}", headers=admin)).json()
    assert detail["case"]["state"] == "in_education"
    assert [s["title"] for s in detail["sessions"]] == ["党性再教育：为民服务宗旨"]

    concluded = await client.post(
        f"{CASES}/{case.id}/conclude", json={"outcome": "qualified", "note": "经教育整改，合格"}, headers=admin
    )
    assert concluded.status_code == 200, concluded.text
    body = concluded.json()
    assert (body["state"], body["concludedOn"], body["concludedByName"]) == (
        "qualified",
        today().isoformat(),
        "组织委员",
    )
    again = await client.post(
        f"{CASES}/{case.id}/conclude", json={"outcome": "still_unqualified", "note": "改判"}, headers=admin
    )
    assert again.status_code == 409, again.text
    assert (await states("qualified"), await failures(district_a)) == ([str(case.id)], [])
    # a later warning opens a new case
    await deliver(settings, warned(district_a, member.member_id, date(2027, 1, 5)))
    assert [c.state for c in await cases(district_a)] == ["qualified", "opened"]


async def test_still_unqualified_tells_orgtree_once(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    admin = bearer(organiser(issuer, district_a))
    member = await district_a.add_member("李受警")
    assert member.member_id is not None
    await deliver(settings, warned(district_a, member.member_id, today()))
    [case] = await cases(district_a)
    await attend(client, admin, district_a, member, "party_spirit_education")
    body = {"outcome": "still_unqualified", "note": "仍不合格，转入街道机关支部"}
    assert (await client.post(f"{CASES}/{case.id}/conclude", json=body, headers=admin)).status_code == 200
    assert (await client.post(f"{CASES}/{case.id}/conclude", json=body, headers=admin)).status_code == 409
    [failed] = await failures(district_a)
    assert (failed["case_id"], failed["member_id"], failed["person_id"], failed["concluded_on"]) == (
        str(case.id),
        str(member.member_id),
        str(member.id),
        today().isoformat(),
    )
    [stored] = await cases(district_a)
    assert (stored.state, stored.conclusion_note) == ("still_unqualified", "仍不合格，转入街道机关支部")


async def test_bad_input_is_a_422_another_districts_case_a_404_and_nothing_is_stored(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District, district_b: District
) -> None:
    admin = bearer(organiser(issuer, district_a))
    member = await district_a.add_member("周受警")
    assert member.member_id is not None
    await deliver(settings, warned(district_a, member.member_id, today()))
    [case] = await cases(district_a)
    await attend(client, admin, district_a, member, "party_spirit_education")
    conclude = f"{CASES}/{case.id}/conclude"
    for body, field in (
        ({"outcome": "pardoned", "note": "x"}, "body.outcome"),
        ({"outcome": "qualified"}, "body.note"),
        ({"outcome": "qualified", "note": "  "}, "body.note"),
        ({"outcome": "qualified", "note": "好", "score": 90}, "body.score"),
    ):
        answer = await client.post(conclude, json=body, headers=admin)
        assert answer.status_code == 422, (body, answer.text)
        assert [e["field"] for e in answer.json()["errors"]] == [field], answer.text
    bad_state = await client.get(CASES, params={"state": "closed"}, headers=admin)
    assert (bad_state.status_code, bad_state.json()["errors"][0]["field"]) == (422, "query.state")

    other = bearer(organiser(issuer, district_b))
    body = {"outcome": "still_unqualified", "note": "仍不合格"}
    assert (await client.get(f"{CASES}/{case.id}", headers=other)).status_code == 404
    assert (await client.post(conclude, json=body, headers=other)).status_code == 404
    assert (await client.get(CASES, headers=other)).json()["items"] == []
    elsewhere = district_a.branch_path.replace("/s1/", "/s2/")
    street = bearer(issuer.token(tenant=district_a.id, roles=["street_admin"], scope=elsewhere))
    assert (await client.get(f"{CASES}/{case.id}", headers=street)).status_code == 404
    assert (await client.post(conclude, json=body, headers=street)).status_code == 404
    grid = bearer(issuer.token(tenant=district_a.id, roles=["grid_leader"]))
    assert (await client.get(f"{CASES}/{case.id}", headers=grid)).status_code == 200
    assert (await client.post(conclude, json=body, headers=grid)).status_code == 403
    assert (
        await client.get(CASES, headers=bearer(issuer.token(tenant=district_a.id, roles=["member"])))
    ).status_code == 403
    assert (await client.get(f"{CASES}/{uuid.uuid4()}", headers=admin)).status_code == 404
    [stored] = await cases(district_a)
    assert (stored.state, stored.concluded_at) == ("opened", None)
    assert await failures(district_a) == []


async def test_two_organisers_concluding_at_once_conclude_it_once(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    admin = bearer(organiser(issuer, district_a))
    member = await district_a.add_member("吴受警")
    assert member.member_id is not None
    await deliver(settings, warned(district_a, member.member_id, today()))
    [case] = await cases(district_a)
    await attend(client, admin, district_a, member, "party_spirit_education")
    body = {"outcome": "still_unqualified", "note": "仍不合格"}
    answers = await asyncio.gather(
        *(client.post(f"{CASES}/{case.id}/conclude", json=body, headers=admin) for _ in range(2))
    )
    assert sorted(answer.status_code for answer in answers) == [200, 409]
    assert len(await failures(district_a)) == 1
