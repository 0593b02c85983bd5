"""Orgtree's member events keep training's people in step: once each, in any order, moved with a transfer,
kept (inactive) after removal; and the seeded catalogue every district starts with."""

from __future__ import annotations

import uuid
from datetime import date

from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.models import Person
from services.training.people import services as people
from shared.contracts.orgtree import MemberCreated, MemberRemoved, MemberTransferred, MemberUpdated
from tests.platform.tokens import TestIssuer
from tests.training.builders import District, bearer, organiser


def created(district: District, member: uuid.UUID, **fields: object) -> MemberCreated:
    values: dict[str, object] = {
        "tenant_id": district.id,
        "member_id": member,
        "grid_id": None,
        "branch_id": district.branch_id,
        "classification": "self_managed",
        "name": "王建国",
        "branch_path": district.branch_path,
        "flags": ["activist"],
    }
    return MemberCreated(**{**values, **fields})  # type: ignore[arg-type]


async def person(district: District, member: uuid.UUID) -> Person | None:
    async def read(session: AsyncSession) -> Person | None:
        row: Person | None = await session.scalar(select(Person).where(Person.member_id == member))
        return row

    found: Person | None = await district.run(read)
    return found


async def test_a_created_member_is_a_person_once_however_often_the_event_comes(district_a: District) -> None:
    member = uuid.uuid4()
    for _ in range(2):
        await district_a.run(lambda s: people.member_created(s, created(district_a, member)))
    row = await person(district_a, member)
    assert row is not None
    assert (row.name, row.kind, row.branch_path, row.flags, row.active) == (
        "王建国",
        "member",
        district_a.branch_path,
        ["activist"],
        True,
    )


async def test_an_update_before_the_creation_is_not_rolled_back_and_the_creation_fills_the_rest(
    district_a: District,
) -> None:
    member, account = uuid.uuid4(), uuid.uuid4()
    update = MemberUpdated(
        tenant_id=district_a.id,
        member_id=member,
        grid_id=None,
        changed=["name", "userId"],
        user_id=account,
        name="王建军",
        flags=["warned"],
    )
    await district_a.run(lambda s: people.member_updated(s, update))
    await district_a.run(lambda s: people.member_created(s, created(district_a, member)))
    row = await person(district_a, member)
    assert row is not None
    assert (row.name, row.user_id, row.flags) == ("王建军", account, ["warned"])
    # only the creation carries the party unit and classification: the member counts under their branch
    assert (row.branch_id, row.branch_path, row.classification) == (
        district_a.branch_id,
        district_a.branch_path,
        "self_managed",
    )


async def test_a_transfer_moves_the_person_and_a_removal_keeps_the_record_inactive(district_a: District) -> None:
    member, target = uuid.uuid4(), uuid.uuid4()
    await district_a.run(lambda s: people.member_created(s, created(district_a, member)))
    moved = MemberTransferred(
        tenant_id=district_a.id,
        member_id=member,
        from_branch_id=district_a.branch_id,
        to_branch_id=target,
        transferred_on=date(2026, 12, 1),
        reason="ordinary",
        to_branch_path="/x/organ/",
    )
    await district_a.run(lambda s: people.member_transferred(s, moved))
    row = await person(district_a, member)
    assert row is not None
    assert (row.branch_id, row.branch_path, row.name) == (target, "/x/organ/", "王建国")
    removed = MemberRemoved(tenant_id=district_a.id, member_id=member, reason="deceased")
    await district_a.run(lambda s: people.member_removed(s, removed))
    row = await person(district_a, member)
    assert row is not None
    assert row.active is False


async def test_another_districts_member_is_not_seen(district_a: District, district_b: District) -> None:
    member = uuid.uuid4()
    await district_a.run(lambda s: people.member_created(s, created(district_a, member)))
    assert await person(district_b, member) is None


async def test_every_district_starts_with_the_seeds_programmes(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    answer = await client.get("/api/training/programmes", headers=bearer(organiser(issuer, district_a)))
    assert answer.status_code == 200, answer.text
    by_code = {p["code"]: p for p in answer.json()}
    assert by_code["volunteer_pre_service"]["counts"] == ["pre_service"]
    assert by_code["hundred_day_training"]["counts"] == ["training_days"]
    assert by_code["daily_classroom_required"]["track"] == "required"
    assert by_code["july_first_assembly"]["name"] == "七一党员大会"
    categories = await client.get("/api/training/categories", headers=bearer(organiser(issuer, district_a)))
    assert "theory" in {c["code"] for c in categories.json()}
