"""The directory's batch handlers: a batch from dispatch's sync lane leaves what the same events applied one by one
leave, in a few statements (one claim, one statement per run of one event type)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncSession

import services.dispatch.directory.actors  # noqa: F401 - registers the handlers
from services.dispatch.events import consumer
from shared.contracts.base import Event
from shared.contracts.orgtree import GridCreated, HouseholdLinked, HouseholdPlaced, MemberCreated, UnitRef
from shared.settings import Settings
from tests.dispatch.builders import District
from tests.platform.events import envelope


def sync_of(district: District, names: dict[str, uuid.UUID]) -> list[Event]:
    """A district's import as orgtree sends it: runs of one type, a household moved twice, a repeated link."""
    t = district.id
    chain = [UnitRef(id=district.root, level="district", name="龙湾区")]
    grids = [names[f"grid{i}"] for i in range(3)]
    events: list[Event] = [
        GridCreated(
            tenant_id=t,
            grid_id=g,
            parent_id=district.root,
            level="grid",
            party_group_id=None,
            name=f"第{i}网格",
            path=f"/x/{i}/",
            ancestors=chain,
        )
        for i, g in enumerate(grids)
    ]
    events += [
        MemberCreated(
            tenant_id=t,
            member_id=names[f"member{i}"],
            grid_id=grids[i % 3],
            branch_id=district.root,
            classification="full",
            name=f"党员{i}",
        )
        for i in range(6)
    ]
    events.append(
        MemberCreated(
            tenant_id=t,
            member_id=names["member0"],
            grid_id=grids[2],
            branch_id=district.root,
            classification="full",
            name="党员0 again",
        )
    )  # a creation only inserts: the first wins
    events += [HouseholdPlaced(tenant_id=t, household_id=names[f"home{i}"], grid_id=grids[i % 3]) for i in range(8)]
    events.append(HouseholdPlaced(tenant_id=t, household_id=names["home0"], grid_id=grids[2]))  # moved: the last wins
    events += [
        HouseholdLinked(tenant_id=t, household_id=names[f"home{i}"], member_id=names[f"member{i % 6}"])
        for i in range(8)
    ]
    events.append(HouseholdLinked(tenant_id=t, household_id=names["home1"], member_id=names["member1"]))
    return events


async def directory_rows(district: District, names: dict[str, uuid.UUID]) -> list[tuple[str, ...]]:
    """The district's directory and volunteers, ids written by their name in ``names``."""
    label = {str(v): k for k, v in names.items()}

    async def read(session: AsyncSession) -> list[tuple[str, ...]]:
        queries = [
            "SELECT 'grid', grid_id::text, name, path, ancestors::text FROM directory_grid",
            "SELECT 'household', household_id::text, grid_id::text FROM directory_household",
            "SELECT 'link', household_id::text, member_id::text FROM directory_link",
            "SELECT 'provider', member_id::text, grid_id::text, name, active::text FROM provider",
        ]
        rows = [
            tuple(label.get(str(v), str(v)) for v in row) for q in queries for row in await session.execute(text(q))
        ]
        return sorted(r for r in rows if r[1] in names)

    found: list[tuple[str, ...]] = await district.run(read)
    return found


@contextmanager
def counted_statements() -> Iterator[list[str]]:
    engine = consumer.engines("app").engine().sync_engine  # main: the tests' one cell
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(" ".join(statement.split()[:3]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


async def test_a_batch_leaves_what_the_same_events_one_by_one_leave(settings: Settings, district_a: District) -> None:
    consumer._settings = settings
    keys = [f"grid{i}" for i in range(3)] + [f"member{i}" for i in range(6)] + [f"home{i}" for i in range(8)]
    one_by_one = {key: uuid.uuid4() for key in keys}
    batched = {key: uuid.uuid4() for key in keys}

    for sync_event in sync_of(district_a, one_by_one):
        assert await consumer.handle(envelope(sync_event)) is True
    batch = [envelope(sync_event) for sync_event in sync_of(district_a, batched)]
    with counted_statements() as statements:
        assert await consumer.handle_batch(batch) == len(batch)
    assert await directory_rows(district_a, batched) == await directory_rows(district_a, one_by_one)
    assert ("household", "home0", "grid2") in await directory_rows(district_a, batched)
    # the claim, then one statement per run of one type: grids, members, households, links
    assert len(statements) == 5, statements
    assert await consumer.handle_batch(batch) == 0  # redelivered: claimed before, nothing runs


def interleaved_of(district: District, names: dict[str, uuid.UUID]) -> list[Event]:
    """As the demo writes them: a member, a household, its link; the grid's own event in between."""
    t, grid, events = district.id, names["grid0"], []
    for i in range(6):
        member, home = names[f"member{i}"], names[f"home{i}"]
        events += [
            MemberCreated(tenant_id=t, member_id=member, grid_id=grid, branch_id=district.root, classification="full"),
            HouseholdPlaced(tenant_id=t, household_id=home, grid_id=grid),
            HouseholdLinked(tenant_id=t, household_id=home, member_id=member),
        ]
        if i == 2:
            events.append(
                GridCreated(tenant_id=t, grid_id=grid, parent_id=district.root, level="grid", party_group_id=None)
            )
    events.append(HouseholdPlaced(tenant_id=t, household_id=names["home0"], grid_id=names["grid1"]))  # moved later
    return events


async def test_an_interleaved_batch_is_applied_type_by_type_to_the_same_effect(
    settings: Settings, district_a: District
) -> None:
    consumer._settings = settings
    keys = ["grid0", "grid1"] + [f"member{i}" for i in range(6)] + [f"home{i}" for i in range(6)]
    one_by_one = {key: uuid.uuid4() for key in keys}
    batched = {key: uuid.uuid4() for key in keys}
    for sync_event in interleaved_of(district_a, one_by_one):
        assert await consumer.handle(envelope(sync_event)) is True
    batch = [envelope(e) for e in interleaved_of(district_a, batched)]
    with counted_statements() as statements:
        assert await consumer.handle_batch(batch) == len(batch)
    assert await directory_rows(district_a, batched) == await directory_rows(district_a, one_by_one)
    assert ("household", "home0", "grid1") in await directory_rows(district_a, batched)
    # every one of these events has a batch handler and they commute: the claim, then one statement per type
    assert len(statements) == 5, statements
