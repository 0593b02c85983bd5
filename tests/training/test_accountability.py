"""Accountability records (EVT-04): each overdue warning dispatch gives is one record, however often delivered,
against the answerable unit and, for a member volunteer's order, the member; read per unit subtree (confined to
the reader's scope), per period and per person."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.models import AccountabilityRecord
from shared.contracts.dispatch import TicketOverdue
from shared.settings import Settings
from tests.platform.tokens import TestIssuer
from tests.training.builders import District, bearer, organiser
from tests.training.points_support import deliver

Client = AsyncTestClient[Any]


def overdue(district: District, ticket: uuid.UUID, warning: str = "yellow", **fields: Any) -> TicketOverdue:
    values: dict[str, Any] = {
        "tenant_id": district.id,
        "ticket_id": ticket,
        "warning": warning,
        "clock": "resolution",
        "level": 0,
        "unit_id": uuid.uuid4(),
        "unit_path": district.branch_path,
        "unit_name": "瑶溪村第一网格",
        "provider_id": uuid.uuid4(),
        "member_id": None,
        "due_at": datetime(2025, 6, 1, 8, tzinfo=UTC),
        "warned_at": datetime(2025, 6, 1, 8, 1, tzinfo=UTC),
    }
    return TicketOverdue(**(values | fields))


async def records(district: District) -> list[AccountabilityRecord]:
    async def read(session: AsyncSession) -> list[AccountabilityRecord]:
        return list(await session.scalars(select(AccountabilityRecord).order_by(AccountabilityRecord.warned_at)))

    found: list[AccountabilityRecord] = await district.run(read)
    return found


async def test_each_warning_is_one_record_however_often_delivered(settings: Settings, district_a: District) -> None:
    ticket = uuid.uuid4()
    assert await deliver(settings, overdue(district_a, ticket)) == [True, False, True]
    later = datetime(2025, 6, 2, 8, 1, tzinfo=UTC)
    red = overdue(district_a, ticket, "red", warned_at=later)
    assert await deliver(settings, red) == [True, False, True]
    # escalated a rung: the red warning there is another unit's record
    next_day = later + timedelta(days=1)
    up = overdue(district_a, ticket, "red", level=1, due_at=next_day, warned_at=next_day, unit_name="瑶溪村")
    await deliver(settings, up)
    # an event from before dispatch sent units and times: kept, timed when it came, seen district-wide
    legacy = TicketOverdue(
        tenant_id=district_a.id,
        ticket_id=uuid.uuid4(),
        warning="yellow",
        clock="sign_for",
        level=0,
        unit_id=None,
        provider_id=None,
        due_at=datetime(2025, 6, 1, tzinfo=UTC),
    )
    await deliver(settings, legacy)
    rows = await records(district_a)
    assert [(r.warning, r.level, r.unit_name) for r in rows if r.ticket_id == ticket] == [
        ("yellow", 0, "瑶溪村第一网格"),
        ("red", 0, "瑶溪村第一网格"),
        ("red", 1, "瑶溪村"),
    ]
    [old] = [r for r in rows if r.ticket_id == legacy.ticket_id]
    assert (old.unit_path, old.member_id, old.warned_at > later) == (None, None, True)


async def test_records_are_read_per_unit_subtree_and_period_within_the_readers_scope(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District, district_b: District
) -> None:
    street = district_a.branch_path.removesuffix("b1/")
    other_unit = district_a.branch_path.replace("/s1/", "/s2/")
    june, july = datetime(2025, 6, 10, 2, tzinfo=UTC), datetime(2025, 7, 10, 2, tzinfo=UTC)
    for path, name, at in (
        (district_a.branch_path, "第一网格", june),
        (district_a.branch_path, "第一网格", july),
        (other_unit, "第二网格", june),
        (None, None, june),
    ):
        await deliver(settings, overdue(district_a, uuid.uuid4(), unit_path=path, unit_name=name, warned_at=at))
    admin = bearer(organiser(issuer, district_a))

    async def listed(headers: dict[str, str], **params: str) -> list[str | None]:
        answer = await client.get("/api/training/accountability", params=params, headers=headers)
        assert answer.status_code == 200, answer.text
        return [row["unitName"] for row in answer.json()["items"]]

    assert await listed(admin) == ["第一网格", None, "第二网格", "第一网格"]  # newest first
    assert await listed(admin, unitPath=street) == ["第一网格", "第一网格"]
    assert await listed(admin, unitPath=street, **{"from": "2025-06-01", "to": "2025-06-30"}) == ["第一网格"]
    scoped = bearer(issuer.token(tenant=district_a.id, roles=["street_admin"], scope=other_unit))
    assert await listed(scoped) == ["第二网格"]
    assert await listed(scoped, unitPath=street) == []
    assert await listed(bearer(organiser(issuer, district_b))) == []

    first = (await client.get("/api/training/accountability", params={"limit": 2}, headers=admin)).json()
    rest = (await client.get("/api/training/accountability", params={"cursor": first["next"]}, headers=admin)).json()
    assert [len(first["items"]), len(rest["items"]), rest["next"]] == [2, 2, None]
    bad = await client.get("/api/training/accountability", params={"to": "June"}, headers=admin)
    assert (bad.status_code, bad.json()["errors"][0]["field"]) == (422, "query.to")
    member = bearer(issuer.token(tenant=district_a.id, roles=["member"]))
    assert (await client.get("/api/training/accountability", headers=member)).status_code == 403


async def test_a_member_volunteers_records_are_theirs_and_another_districts_person_is_a_404(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District, district_b: District
) -> None:
    volunteer = await district_a.add_member("林晓红")
    resident_member = await district_a.add_member("陈大伟")
    await deliver(settings, overdue(district_a, uuid.uuid4(), member_id=volunteer.member_id))
    await deliver(settings, overdue(district_a, uuid.uuid4(), "red", member_id=volunteer.member_id))
    await deliver(settings, overdue(district_a, uuid.uuid4()))  # a team's order: the unit's record only
    admin = bearer(organiser(issuer, district_a))
    url = f"/api/training/people/{volunteer.id}/accountability"
    items = (await client.get(url, headers=admin)).json()["items"]
    assert [(i["warning"], i["personId"], i["personName"]) for i in items] == [
        ("red", str(volunteer.id), "林晓红"),  # newest first
        ("yellow", str(volunteer.id), "林晓红"),
    ]
    none = await client.get(f"/api/training/people/{resident_member.id}/accountability", headers=admin)
    assert none.json()["items"] == []
    assert (await client.get(url, headers=bearer(organiser(issuer, district_b)))).status_code == 404
    elsewhere = bearer(issuer.token(tenant=district_a.id, roles=["community_cadre"], scope="/nowhere/"))
    assert (await client.get(url, headers=elsewhere)).status_code == 404
