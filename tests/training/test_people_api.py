"""The people API: members and residents by name and unit in keyset pages, readers confined to their scope
(either tree), residents entered by organisers with their phone sealed and one per number, the caller's own
person, and districts apart."""

from __future__ import annotations

import uuid
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.models import Person, PersonKind
from tests.platform.tokens import TestIssuer
from tests.training.builders import District, bearer, organiser

PEOPLE = "/api/training/people"


def admin(issuer: TestIssuer, district: District) -> dict[str, str]:
    return bearer(organiser(issuer, district))


def scoped(issuer: TestIssuer, district: District, role: str, scope: str) -> dict[str, str]:
    return bearer(issuer.token(tenant=district.id, roles=[role], scope=scope))


def root(district: District) -> str:
    return f"/{district.id.hex[:8]}/"


async def add_person(district: District, name: str, **fields: Any) -> Person:
    async def add(session: AsyncSession) -> Person:
        values: dict[str, Any] = {"kind": PersonKind.MEMBER, "member_id": uuid.uuid4(), "flags": [], "duties": []}
        person = Person(name=name, **{**values, **fields})
        session.add(person)
        await session.flush()
        return person

    person: Person = await district.run(add)
    return person


async def residents(district: District) -> list[Person]:
    async def read(session: AsyncSession) -> list[Person]:
        return list(await session.scalars(select(Person).where(Person.kind == PersonKind.RESIDENT)))

    found: list[Person] = await district.run(read)
    return found


async def names(client: AsyncTestClient[Any], headers: dict[str, str], **params: Any) -> list[str]:
    answer = await client.get(PEOPLE, params=params, headers=headers)
    assert answer.status_code == 200, answer.text
    return [p["name"] for p in answer.json()["items"]]


async def test_people_list_by_name_prefix_kind_and_unit_in_either_tree(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    r = root(district_a)
    await add_person(district_a, "王建国", branch_path=f"{r}party/b1/", grid_path=f"{r}s1/c1/g1/")
    await add_person(district_a, "王建军", branch_path=f"{r}party/b2/", grid_path=f"{r}s2/c1/g1/")
    await add_person(district_a, "李红", branch_path=f"{r}party/b1/")
    await add_person(district_a, "王阿姨", kind=PersonKind.RESIDENT, member_id=None, grid_path=f"{r}s1/c2/")
    headers = admin(issuer, district_a)
    assert await names(client, headers) == sorted(["王建国", "王建军", "李红", "王阿姨"])
    assert await names(client, headers, q="王建") == ["王建军", "王建国"]
    assert await names(client, headers, kind="resident") == ["王阿姨"]
    assert await names(client, headers, unitPath=f"{r}party/b1/") == ["李红", "王建国"]
    assert await names(client, headers, unitPath=f"{r}s1/") == ["王建国", "王阿姨"]
    assert await names(client, headers, q="%") == []
    pages: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = (await client.get(PEOPLE, params=params, headers=headers)).json()
        pages += [p["name"] for p in page["items"]]
        if (cursor := page["next"]) is None:
            break
    assert pages == sorted(["王建国", "王建军", "李红", "王阿姨"])
    bad = await client.get(PEOPLE, params={"kind": "alien"}, headers=headers)
    assert (bad.status_code, bad.json()["errors"][0]["field"]) == (422, "query.kind")
    bad = await client.get(PEOPLE, params={"cursor": "李红|not-an-id"}, headers=headers)
    assert (bad.status_code, bad.json()["errors"][0]["field"]) == (422, "query.cursor")


async def test_readers_with_a_scope_see_only_people_under_it(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    r = root(district_a)
    inside = await add_person(district_a, "张网格", grid_path=f"{r}s1/c1/g1/", branch_path=f"{r}party/b1/")
    by_branch = await add_person(district_a, "张支部", branch_path=f"{r}s1/party/b1/")
    outside = await add_person(district_a, "赵外街", grid_path=f"{r}s2/c1/g1/", branch_path=f"{r}party/b1/")
    for role in ("street_admin", "community_cadre", "grid_leader"):
        headers = scoped(issuer, district_a, role, f"{r}s1/")
        assert await names(client, headers) == ["张支部", "张网格"], role
        assert await names(client, headers, unitPath=f"{r}party/") == ["张网格"], role
        assert (await client.get(f"{PEOPLE}/{inside.id}", headers=headers)).status_code == 200
        assert (await client.get(f"{PEOPLE}/{by_branch.id}", headers=headers)).status_code == 200
        assert (await client.get(f"{PEOPLE}/{outside.id}", headers=headers)).status_code == 404
    shown = (await client.get(f"{PEOPLE}/{outside.id}", headers=admin(issuer, district_a))).json()
    assert (shown["name"], shown["gridPath"], shown["kind"]) == ("赵外街", f"{r}s2/c1/g1/", "member")
    member = bearer(issuer.token(tenant=district_a.id, roles=["member"]))
    assert (await client.get(PEOPLE, headers=member)).status_code == 403


async def test_an_organiser_enters_a_resident_with_the_phone_sealed_and_masked(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    answer = await client.post(
        PEOPLE, json={"name": "王阿姨", "phone": "13812345678"}, headers=admin(issuer, district_a)
    )
    assert answer.status_code == 201, answer.text
    person = answer.json()
    assert (person["kind"], person["name"], person["phone"], person["memberId"]) == (
        "resident",
        "王阿姨",
        "138****5678",
        None,
    )
    [row] = await residents(district_a)
    assert row.phone_cipher is not None
    assert b"13812345678" not in row.phone_cipher
    assert row.phone_index is not None
    read = await client.get(f"{PEOPLE}/{person['id']}", headers=admin(issuer, district_a))
    assert read.json()["phone"] == "138****5678"


async def test_a_second_resident_with_the_same_phone_is_a_409_naming_the_first(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    first = await client.post(
        PEOPLE, json={"name": "王阿姨", "phone": "13812345678"}, headers=admin(issuer, district_a)
    )
    again = await client.post(
        PEOPLE, json={"name": "王秀英", "phone": "+86 138-1234-5678"}, headers=admin(issuer, district_a)
    )
    assert again.status_code == 409, again.text
    assert first.json()["id"] in again.json()["detail"]
    assert "王阿姨" in again.json()["detail"]
    assert again.json()["errors"][0]["personId"] == first.json()["id"]
    assert [p.name for p in await residents(district_a)] == ["王阿姨"]
    elsewhere = await client.post(
        PEOPLE, json={"name": "王秀英", "phone": "13812345678"}, headers=admin(issuer, district_b)
    )
    assert elsewhere.status_code == 201, elsewhere.text


async def test_a_bad_resident_is_a_422_naming_the_field_and_nothing_is_stored(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    headers = admin(issuer, district_a)
    for body, field in (
        ({"name": "王阿姨", "phone": "12345"}, "body.phone"),
        ({"name": "王阿姨", "phone": 13812345678}, "body.phone"),
        ({"name": "", "phone": "13812345678"}, "body.name"),
        ({"name": "王阿姨"}, "body.phone"),
        ({"name": "王阿姨", "phone": "13812345678", "idCard": "x"}, "body.idCard"),
        ({"name": "王阿姨", "phone": "13812345678", "gridPath": "g1"}, "body.gridPath"),
    ):
        answer = await client.post(PEOPLE, json=body, headers=headers)
        assert answer.status_code == 422, (body, answer.text)
        assert [e["field"] for e in answer.json()["errors"]] == [field]
    assert await residents(district_a) == []


async def test_a_scoped_organisers_residents_live_under_their_scope(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    r = root(district_a)
    cadre = scoped(issuer, district_a, "community_cadre", f"{r}s1/c1/")
    by_default = await client.post(PEOPLE, json={"name": "李奶奶", "phone": "13900000001"}, headers=cadre)
    assert by_default.status_code == 201, by_default.text
    assert by_default.json()["gridPath"] == f"{r}s1/c1/"
    in_grid = await client.post(
        PEOPLE, json={"name": "李爷爷", "phone": "13900000002", "gridPath": f"{r}s1/c1/g2/"}, headers=cadre
    )
    assert in_grid.json()["gridPath"] == f"{r}s1/c1/g2/"
    outside = await client.post(
        PEOPLE, json={"name": "赵大妈", "phone": "13900000003", "gridPath": f"{r}s2/"}, headers=cadre
    )
    assert (outside.status_code, outside.json()["errors"][0]["field"]) == (422, "body.gridPath")
    assert await names(client, cadre, kind="resident") == ["李奶奶", "李爷爷"]
    leader = scoped(issuer, district_a, "grid_leader", f"{r}s1/c1/g2/")
    assert (await client.post(PEOPLE, json={"name": "周", "phone": "13900000004"}, headers=leader)).status_code == 403
    assert sorted(p.name for p in await residents(district_a)) == ["李奶奶", "李爷爷"]


async def test_me_is_the_callers_person_or_a_clear_404(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    member = await district_a.add_member("林晓红")
    account = bearer(issuer.token(tenant=district_a.id, roles=["member"], user_id=member.user_id))
    mine = await client.get("/api/training/me", headers=account)
    assert mine.status_code == 200, mine.text
    assert (mine.json()["id"], mine.json()["name"]) == (str(member.id), "林晓红")
    stranger = bearer(issuer.token(tenant=district_a.id, roles=["volunteer"]))
    unlinked = await client.get("/api/training/me", headers=stranger)
    assert unlinked.status_code == 404
    assert "not linked to a member" in unlinked.json()["detail"]


async def test_another_districts_person_is_a_404(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    theirs = await district_a.add_member("林晓红")
    headers = admin(issuer, district_b)
    assert (await client.get(f"{PEOPLE}/{theirs.id}", headers=headers)).status_code == 404
    assert (await client.get(f"{PEOPLE}/{uuid.uuid4()}", headers=headers)).status_code == 404
    assert await names(client, headers) == []
    account = bearer(issuer.token(tenant=district_b.id, roles=["member"], user_id=theirs.user_id))
    assert (await client.get("/api/training/me", headers=account)).status_code == 404

    async def count(session: AsyncSession) -> int:
        return int(await session.scalar(select(func.count()).select_from(Person)) or 0)

    assert await district_b.run(count) == 0
