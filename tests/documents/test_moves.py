"""Orgtree moves reach documents (issue 17, item 5): a community re-hung under another street with its grids is one
``orgtree.UnitMoved``; the subjects under it and the documents about them follow, so the new street's staff read a
household's archive and the old street's no longer do; a replay, or a move in another district, changes nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

import services.documents.subjects.actors
import services.documents.subjects.moves  # noqa: F401 - registers the handlers on the consumer
from services.documents.events import consumer
from services.documents.library.models import Document
from shared.contracts.orgtree import GridCreated, HouseholdPlaced, UnitMoved
from shared.settings import Settings
from tests.documents.boards_support import Client
from tests.documents.builders import District
from tests.documents.generated_support import deliver
from tests.documents.test_subjects import readers
from tests.platform.tokens import TestIssuer


async def archive_in_grid(settings: Settings, district: District, path: str) -> Document:
    """A household placed in a new grid at ``path``, with its archive filed about it."""
    grid, household = uuid.uuid4(), uuid.uuid4()
    created = GridCreated(
        tenant_id=district.id, grid_id=grid, parent_id=uuid.uuid4(), level="grid", party_group_id=None, path=path
    )
    await deliver(settings, created)
    await deliver(settings, HouseholdPlaced(tenant_id=district.id, household_id=household, grid_id=grid))
    return await district.add_document(
        "群众档案", type_code="household_archive", anchor_path=path, subject_kind="household", subject_id=household
    )


def moved(district: District, old_path: str, new_path: str) -> UnitMoved:
    return UnitMoved(
        tenant_id=district.id,
        unit_id=uuid.uuid4(),
        tree="administrative",
        level="community",
        name="永中社区",
        old_path=old_path,
        new_path=new_path,
        old_parent_id=uuid.uuid4(),
        new_parent_id=uuid.uuid4(),
        moved_at=datetime.now(UTC),
    )


async def rows(district: District) -> dict[str, list[Any]]:
    async def read(session: AsyncSession) -> dict[str, list[Any]]:
        queries = {
            "subjects": "SELECT xmin::text, kind, subject_id, path FROM subject",
            "documents": "SELECT xmin::text, id, anchor_path, subject_path FROM document",
        }
        return {k: sorted(tuple(map(str, r)) for r in await session.execute(text(q))) for k, q in queries.items()}

    found: dict[str, list[Any]] = await district.run(read)
    return found


async def test_a_moved_community_takes_its_households_documents_to_the_new_street(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District, district_b: District
) -> None:
    old_community, new_community = f"{district_a.streets[0]}c1/", f"{district_a.streets[1]}c1/"
    archive = await archive_in_grid(settings, district_a, f"{old_community}g1/")
    elsewhere = await archive_in_grid(settings, district_b, f"{district_b.streets[0]}c1/g1/")
    assert await readers(client, issuer, district_a, archive) == [0]
    untouched = await rows(district_b)

    raw = await deliver(settings, moved(district_a, old_community, new_community))
    assert await readers(client, issuer, district_a, archive) == [1]
    settled = await rows(district_a)
    assert [row[2:] for row in settled["documents"]] == [(f"{new_community}g1/", f"{new_community}g1/")]
    assert {row[3] for row in settled["subjects"]} == {f"{new_community}g1/"}  # the grid and its household

    assert await consumer.handle({**raw, "id": str(uuid.uuid4())}) is True  # the same move again
    assert await rows(district_a) == settled
    assert await rows(district_b) == untouched
    assert await readers(client, issuer, district_b, elsewhere) == [0]
