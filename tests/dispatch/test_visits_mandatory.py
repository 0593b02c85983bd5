"""Mandatory visits (八个必访, DSP-25, EVT-12): orgtree's household event of one of the eight kinds raises a visit
task for the linked members (the grid leader when nobody serves the household); a replay raises nothing new; a
visit closes it; staff see the overdue ones."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import text, update
from sqlalchemy.ext.asyncio import AsyncSession

import services.dispatch.visits.actors  # noqa: F401 - registers the handler
from services.dispatch.events import consumer
from services.dispatch.models import DirectoryGrid
from shared.contracts.orgtree import HouseholdEventRecorded
from shared.settings import Settings
from tests.dispatch.builders import District, bearer, staff
from tests.dispatch.test_visits import member_token, red_cell, visit_body
from tests.platform.events import envelope
from tests.platform.tokens import TestIssuer

Client = AsyncTestClient[Any]


@pytest.fixture(autouse=True)
def _consumer_on_the_test_database(settings: Settings) -> None:
    consumer._settings = settings


def household_event(
    district: District, household: uuid.UUID, kind: str, members: list[uuid.UUID]
) -> HouseholdEventRecorded:
    return HouseholdEventRecorded(
        tenant_id=district.id,
        event_id=uuid.uuid4(),
        household_id=household,
        kind=kind,
        occurred_on=date.today() - timedelta(days=1),
        linked_member_ids=members,
    )


async def task_rows(district: District) -> list[Any]:
    async def read(session: AsyncSession) -> list[Any]:
        rows = await session.execute(
            text("SELECT xmin::text, member_id, assigned_as, kind, closed_at FROM visit_task ORDER BY id")
        )
        return list(rows)

    rows: list[Any] = await district.run(read)
    return rows


async def test_a_hospitalisation_raises_one_task_per_linked_member_once(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    household = district_a.households[0]
    first, user = await red_cell(district_a, household)
    second, _ = await red_cell(district_a, household, name="王立新")
    raw = envelope(household_event(district_a, household, "hospitalised", [first, second]))

    assert await consumer.handle(raw) is True
    tasks = await task_rows(district_a)
    assert sorted((r.member_id, r.assigned_as, r.kind) for r in tasks) == sorted(
        [(first, "linked", "hospitalised"), (second, "linked", "hospitalised")]
    )
    assert await consumer.handle(raw) is False  # the inbox drops the redelivery
    assert await consumer.handle({**raw, "id": str(uuid.uuid4())}) is True  # the same event under a new id
    assert await task_rows(district_a) == tasks  # nothing new, nothing rewritten

    mine = (await client.get("/api/dispatch/visits/tasks", headers=member_token(issuer, district_a, user))).json()
    assert [(t["memberId"], t["kindLabel"], t["overdue"]) for t in mine["items"]] == [(str(first), "住院", False)]
    served = (
        await client.get("/api/dispatch/visits/households", headers=member_token(issuer, district_a, user))
    ).json()
    assert [t["kind"] for t in served[0]["openTasks"]] == ["hospitalised", "hospitalised"]


async def test_kinds_outside_the_eight_raise_nothing_and_the_grid_leader_takes_an_unserved_household(
    district_a: District,
) -> None:
    household = district_a.households[2]  # nobody serves it
    assert await consumer.handle(envelope(household_event(district_a, household, "bereavement", []))) is True
    assert await task_rows(district_a) == []
    leader = uuid.uuid4()

    async def lead(session: AsyncSession) -> None:
        await session.execute(
            update(DirectoryGrid).where(DirectoryGrid.grid_id == district_a.grids[0]).values(leader_member_id=leader)
        )

    await district_a.run(lead)
    await consumer.handle(envelope(household_event(district_a, household, "conflict", [])))
    assert [(r.member_id, r.assigned_as) for r in await task_rows(district_a)] == [(leader, "grid_leader")]


async def test_a_visit_closes_the_task_and_overdue_tasks_are_listed_for_staff(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    household, other = district_a.households[0], district_a.households[1]
    member, user = await red_cell(district_a, household)
    await district_a.link(other, member)
    await consumer.handle(envelope(household_event(district_a, household, "hardship", [member])))
    await consumer.handle(envelope(household_event(district_a, other, "moved", [member])))
    admin = staff(issuer, district_a)
    open_tasks = (await client.get("/api/dispatch/visits/tasks", headers=admin)).json()["items"]
    assert len(open_tasks) == 2
    due = datetime.fromisoformat(open_tasks[0]["dueAt"]) - datetime.fromisoformat(open_tasks[0]["createdAt"])
    assert due == timedelta(days=3)  # the district's default
    assert (await client.get("/api/dispatch/visits/tasks?state=overdue", headers=admin)).json()["items"] == []

    async def lapse(session: AsyncSession) -> None:
        await session.execute(
            text("UPDATE visit_task SET due_at = now() - interval '1 hour' WHERE household_id = :h"), {"h": other}
        )

    await district_a.run(lapse)
    overdue = (await client.get("/api/dispatch/visits/tasks?state=overdue", headers=admin)).json()["items"]
    assert [(t["householdId"], t["kindLabel"], t["overdue"]) for t in overdue] == [(str(other), "搬迁", True)]
    assert (await client.get("/api/dispatch/visits/tasks?state=overdue", headers=staff(issuer, district_b))).json()[
        "items"
    ] == []

    visit = await client.post(
        "/api/dispatch/visits", json=visit_body(household, matters=[]), headers=member_token(issuer, district_a, user)
    )
    closed_ids = visit.json()["closedTaskIds"]
    assert len(closed_ids) == 1
    closed = (await client.get("/api/dispatch/visits/tasks?state=closed", headers=admin)).json()["items"]
    assert [(t["id"], t["closedByVisitId"]) for t in closed] == [(closed_ids[0], visit.json()["id"])]
    still_open = (await client.get("/api/dispatch/visits/tasks", headers=admin)).json()["items"]
    assert [t["householdId"] for t in still_open] == [str(other)]


async def test_a_visit_before_the_event_does_not_close_its_task(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    household = district_a.households[0]
    member, user = await red_cell(district_a, household)
    await consumer.handle(envelope(household_event(district_a, household, "accident", [member])))
    earlier = (datetime.now(UTC) - timedelta(days=5)).isoformat()
    visit = await client.post(
        "/api/dispatch/visits",
        json=visit_body(household, visitedAt=earlier, matters=[]),
        headers=member_token(issuer, district_a, user),
    )
    assert visit.status_code == 201
    assert visit.json()["closedTaskIds"] == []
    leader = bearer(
        issuer, district_a.id, ["grid_leader"], scope=district_a.grid_paths[district_a.grids[1]], user_id=uuid.uuid4()
    )
    assert (await client.get("/api/dispatch/visits/tasks", headers=leader)).json()["items"] == []
