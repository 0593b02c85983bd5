"""Who sees and keeps which commitments: organisers within their scope, a member their own and the published ones
of their grid or branch; the board's filters; and what star ratings read (services/training/commitments/
evaluations.py): the holders still without a score, and each holder's mean score."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.commitments import evaluations
from tests.platform.tokens import TestIssuer
from tests.training.builders import District, attendee, bearer
from tests.training.test_commitments import COMMITMENTS, admin, grid, group, member_in, own


def scoped(issuer: TestIssuer, district: District, role: str, scope: str) -> dict[str, str]:
    return bearer(issuer.token(tenant=district.id, roles=[role], scope=scope))


def other_street(district: District) -> str:
    return f"/{district.id.hex[:8]}/s2/"


async def define(client: AsyncTestClient[Any], headers: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    answer = await client.post(COMMITMENTS, json=body, headers=headers)
    assert answer.status_code == 201, answer.text
    found: dict[str, Any] = answer.json()
    return found


async def test_an_organiser_is_confined_to_their_scope(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    street = district_a.branch_path.removesuffix("b1/")
    elsewhere = f"{other_street(district_a)}c9/g9/"
    mine = await define(client, admin(issuer, district_a), group(district_a))
    theirs = await define(client, admin(issuer, district_a), group(district_a, unitPath=elsewhere, unitName="九网格"))
    for role in ("street_admin", "community_cadre"):
        headers = scoped(issuer, district_a, role, street)
        listed = await client.get(COMMITMENTS, headers=headers)
        assert [i["id"] for i in listed.json()["items"]] == [mine["id"]]
        assert (await client.get(f"{COMMITMENTS}/{theirs['id']}", headers=headers)).status_code == 404
        outside = await client.post(COMMITMENTS, json=group(district_a, unitPath=elsewhere), headers=headers)
        assert (outside.status_code, outside.json()["errors"][0]["field"]) == (422, "body.unitPath")
    headers = scoped(issuer, district_a, "street_admin", street)
    assert (await client.post(f"{COMMITMENTS}/{theirs['id']}/publish", headers=headers)).status_code == 404
    assert (await client.post(f"{COMMITMENTS}/{mine['id']}/publish", headers=headers)).status_code == 200
    leader = scoped(issuer, district_a, "grid_leader", grid(district_a))
    assert [i["id"] for i in (await client.get(COMMITMENTS, headers=leader)).json()["items"]] == [mine["id"]]
    read_only = await client.post(f"{COMMITMENTS}/{mine['id']}/progress", json={"note": "记一笔"}, headers=leader)
    assert read_only.status_code == 403
    assert (await client.post(COMMITMENTS, json=group(district_a), headers=leader)).status_code == 403


async def test_an_organiser_defines_a_members_commitment_under_their_scope_only(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    member = await member_in(district_a)
    street = district_a.branch_path.removesuffix("b1/")
    for_them = own(personId=str(member.id), basis="post")
    made = await define(client, scoped(issuer, district_a, "street_admin", street), for_them)
    assert (made["personId"], made["holderPath"]) == (str(member.id), grid(district_a))
    away = scoped(issuer, district_a, "street_admin", other_street(district_a))
    refused = await client.post(COMMITMENTS, json=for_them, headers=away)
    assert (refused.status_code, refused.json()["errors"][0]["field"]) == (422, "body.personId")


async def test_a_member_sees_their_own_and_the_published_ones_of_their_grid(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    me = await member_in(district_a, "林志红", "g1")
    neighbour = await member_in(district_a, "陈建国", "g1")
    far = await member_in(district_a, "王海燕", "g2")
    mine_h = bearer(attendee(issuer, district_a, me))
    neighbour_h = bearer(attendee(issuer, district_a, neighbour))
    far_h = bearer(attendee(issuer, district_a, far))
    mine = await define(client, mine_h, own(title="我的承诺"))
    draft = await define(client, neighbour_h, own(title="邻居的草稿"))
    shown = await define(client, neighbour_h, own(title="邻居的公开承诺"))
    await client.post(f"{COMMITMENTS}/{shown['id']}/publish", headers=neighbour_h)
    group_row = await define(client, admin(issuer, district_a), group(district_a))
    await client.post(f"{COMMITMENTS}/{group_row['id']}/publish", headers=admin(issuer, district_a))

    listed = await client.get(COMMITMENTS, headers=mine_h)
    assert {i["title"] for i in listed.json()["items"]} == {"我的承诺", "邻居的公开承诺", group_row["title"]}
    assert (await client.get(f"{COMMITMENTS}/{draft['id']}", headers=mine_h)).status_code == 404
    assert (await client.get(f"{COMMITMENTS}/{shown['id']}", headers=mine_h)).status_code == 200
    not_mine = await client.post(f"{COMMITMENTS}/{shown['id']}/progress", json={"note": "代记"}, headers=mine_h)
    assert not_mine.status_code == 403
    # the other grid's member shares the branch, so reads its members' public ones, not the first grid's group's
    far_list = await client.get(COMMITMENTS, headers=far_h)
    assert {i["title"] for i in far_list.json()["items"]} == {"邻居的公开承诺"}
    assert mine["id"] not in {i["id"] for i in far_list.json()["items"]}

    for_someone = await client.post(COMMITMENTS, json=own(personId=str(neighbour.id)), headers=mine_h)
    assert (for_someone.status_code, for_someone.json()["errors"][0]["field"]) == (422, "body.personId")
    for_group = await client.post(COMMITMENTS, json=group(district_a), headers=mine_h)
    assert for_group.status_code == 403


async def test_an_account_without_a_member_defines_nothing_of_its_own(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    stranger = bearer(issuer.token(tenant=district_a.id, roles=["member"], user_id=uuid.uuid4()))
    answer = await client.post(COMMITMENTS, json=own(), headers=stranger)
    assert (answer.status_code, answer.json()["errors"][0]["field"]) == (422, "body.personId")
    assert (await client.get(COMMITMENTS, headers=stranger)).json()["items"] == []


async def test_the_board_filters_by_period_state_kind_and_unit(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    headers = admin(issuer, district_a)
    member = await member_in(district_a)
    a = await define(client, headers, group(district_a, title="甲"))
    await define(client, headers, group(district_a, title="乙", period="2025"))
    await define(client, headers, own(title="丙", personId=str(member.id), basis="post"))
    await define(client, headers, group(district_a, title="丁", unitPath=grid(district_a, "g2")))
    await client.post(f"{COMMITMENTS}/{a['id']}/publish", headers=headers)

    async def titles(**params: str) -> list[str]:
        answer = await client.get(COMMITMENTS, params=params, headers=headers)
        assert answer.status_code == 200, answer.text
        return sorted(i["title"] for i in answer.json()["items"])

    assert await titles(period="2026") == ["丁", "丙", "甲"]
    assert await titles(period="2026", state="published") == ["甲"]
    assert await titles(holderKind="member") == ["丙"]
    assert await titles(unitPath=grid(district_a, "g2")) == ["丁"]
    first = await client.get(COMMITMENTS, params={"limit": "2"}, headers=headers)
    rest = await client.get(COMMITMENTS, params={"limit": "2", "cursor": first.json()["next"]}, headers=headers)
    assert len(first.json()["items"] + rest.json()["items"]) == 4
    assert rest.json()["next"] is None
    for params, field in (
        ({"period": "2026Q3"}, "query.period"),
        ({"state": "draft"}, "query.state"),
        ({"holderKind": "branch"}, "query.holderKind"),
        ({"cursor": "nonsense"}, "query.cursor"),
    ):
        bad = await client.get(COMMITMENTS, params=params, headers=headers)
        assert (bad.status_code, bad.json()["errors"][0]["field"]) == (422, field)


async def test_star_ratings_read_the_unevaluated_holders_and_mean_scores(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    headers = admin(issuer, district_a)
    member = await member_in(district_a)
    scored_unit, open_unit, quiet_unit = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    for score in (80, 91.5):
        c = await define(client, headers, group(district_a, unitId=str(scored_unit)))
        await client.post(f"{COMMITMENTS}/{c['id']}/publish", headers=headers)
        await client.post(f"{COMMITMENTS}/{c['id']}/evaluate", json={"score": score}, headers=headers)
    await define(client, headers, group(district_a, unitId=str(open_unit)))
    await define(client, headers, group(district_a, unitId=str(quiet_unit), period="2025"))
    m = await define(client, headers, own(personId=str(member.id), basis="post"))
    await client.post(f"{COMMITMENTS}/{m['id']}/publish", headers=headers)

    async def read(session: AsyncSession) -> tuple[set[uuid.UUID], dict[uuid.UUID, Decimal]]:
        units = (scored_unit, open_unit, quiet_unit)
        waiting = await evaluations.unevaluated(session, year="2026", person_ids=[member.id], unit_ids=units)
        means = await evaluations.scores(session, year="2026", person_ids=[member.id], unit_ids=units)
        return waiting, means

    waiting, means = await district_a.run(read)
    assert waiting == {open_unit, member.id}
    assert means == {scored_unit: Decimal("85.75")}

    async def nothing_asked(session: AsyncSession) -> tuple[set[uuid.UUID], dict[uuid.UUID, Decimal]]:
        return await evaluations.unevaluated(session, year="2026"), await evaluations.scores(session, year="2026")

    assert await district_a.run(nothing_asked) == (set(), {})

    async def elsewhere(session: AsyncSession) -> set[uuid.UUID]:
        return await evaluations.unevaluated(session, year="2026", unit_ids=[open_unit])

    assert await district_b.run(elsewhere) == set()
