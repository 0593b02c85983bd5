"""Orgtree's cadre postings keep people's duties (TRN-03): a village's two-committee cadres are rural cadres, its
secretary the village secretary; secretaries and committee members are held to 56 hours; an ended posting takes
its duties away and leaves the rest; the same event twice, or under a new envelope id, changes nothing."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession

import services.training.people.actors  # noqa: F401 - registers the handlers
from services.training.events import consumer
from services.training.models import Person
from shared.contracts.base import Event
from shared.contracts.orgtree import CadrePostingChanged, CadreRole, MemberUpdated
from shared.settings import Settings
from tests.platform.events import envelope
from tests.training.builders import District


@pytest.fixture(autouse=True)
async def handling(settings: Settings) -> AsyncIterator[None]:
    consumer._settings = settings
    yield
    await consumer.dispose()


def posting(district: District, member: uuid.UUID, *held: tuple[str, str | None, str], active: bool = True) -> Event:
    """A change of one of ``member``'s postings, with ``held`` (kind, role, unit level) the postings after it."""
    kind, role, level = held[0] if held else ("village", "secretary", "village")
    return CadrePostingChanged(
        tenant_id=district.id,
        posting_id=uuid.uuid4(),
        member_id=member,
        village_id=uuid.uuid4(),
        kind=kind,
        role=role,
        unit_level=level,
        active=active,
        postings=[CadreRole(kind=k, role=r, unit_level=lv) for k, r, lv in held],
    )


async def person_row(district: District, member: uuid.UUID) -> tuple[list[str], str, str]:
    """The person's duties, name and the transaction that last wrote the row (``xmin``)."""

    async def read(session: AsyncSession) -> tuple[list[str], str, str]:
        statement = select(Person.duties, Person.name, literal_column("xmin::text")).where(Person.member_id == member)
        row = (await session.execute(statement)).one()
        return list(row[0]), row[1], row[2]

    result: tuple[list[str], str, str] = await district.run(read)
    return result


async def duties(district: District, member: uuid.UUID) -> list[str]:
    return (await person_row(district, member))[0]


async def test_a_village_secretarys_posting_gives_the_village_duties_once(district_a: District) -> None:
    member = await district_a.add_member("王村书记")
    event = posting(district_a, member.member_id, ("village", "secretary", "village"))
    raw = envelope(event)
    assert await consumer.handle(raw) is True
    assert await duties(district_a, member.member_id) == ["rural_cadre", "secretary", "village_secretary"]
    written = await person_row(district_a, member.member_id)
    assert await consumer.handle(raw) is False  # the inbox drops the same envelope
    assert await consumer.handle({**raw, "id": str(uuid.uuid4())}) is True  # the same facts again
    assert await person_row(district_a, member.member_id) == written  # not even rewritten


@pytest.mark.parametrize(
    ("held", "expected"),
    [
        ([("village", "committee_member", "village")], ["committee_member", "rural_cadre"]),
        ([("village", "deputy_secretary", "village")], ["committee_member", "rural_cadre"]),
        ([("village", "director", "village")], ["rural_cadre"]),
        ([("village", "secretary", "community")], ["secretary"]),  # a community is not rural
        ([("stationed", None, "village")], []),  # a street cadre stationed there
        ([("stationed", None, "village"), ("village", "committee_member", "community")], ["committee_member"]),
    ],
)
async def test_duties_follow_the_kind_role_and_unit_of_each_posting(
    district_a: District, held: list[tuple[str, str | None, str]], expected: list[str]
) -> None:
    member = await district_a.add_member()
    assert await consumer.handle(envelope(posting(district_a, member.member_id, *held))) is True
    assert await duties(district_a, member.member_id) == expected


async def test_an_ended_posting_takes_its_duties_and_keeps_the_others(district_a: District) -> None:
    member = await district_a.add_member("赵委员", duties=["volunteer"])
    both = [("village", "secretary", "village"), ("village", "committee_member", "community")]
    await consumer.handle(envelope(posting(district_a, member.member_id, *both)))
    assert await duties(district_a, member.member_id) == [
        "committee_member",
        "rural_cadre",
        "secretary",
        "village_secretary",
        "volunteer",
    ]
    ended = posting(district_a, member.member_id, ("village", "committee_member", "community"), active=False)
    await consumer.handle(envelope(ended))
    assert await duties(district_a, member.member_id) == ["committee_member", "volunteer"]
    await consumer.handle(envelope(posting(district_a, member.member_id, active=False)))
    assert await duties(district_a, member.member_id) == ["volunteer"]


async def test_a_posting_before_the_member_is_known_is_kept_until_the_member_arrives(district_a: District) -> None:
    member = uuid.uuid4()
    await consumer.handle(envelope(posting(district_a, member, ("village", "secretary", "village"))))
    assert (await person_row(district_a, member))[:2] == (
        ["rural_cadre", "secretary", "village_secretary"],
        "（未具名党员）",
    )
    named = MemberUpdated(tenant_id=district_a.id, member_id=member, grid_id=None, changed=["name"], name="钱书记")
    await consumer.handle(envelope(named))
    duties_now, name, _ = await person_row(district_a, member)
    assert (duties_now, name) == (["rural_cadre", "secretary", "village_secretary"], "钱书记")


async def test_another_districts_posting_touches_nobody_here(district_a: District, district_b: District) -> None:
    member = await district_a.add_member()
    await consumer.handle(envelope(posting(district_b, member.member_id, ("village", "secretary", "village"))))
    assert await duties(district_a, member.member_id) == []
