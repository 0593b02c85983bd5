"""The subject directory (DOC-02): a document about a subject reads like the subject, wherever orgtree and dispatch
move it: households with their grid, members without a grid with their branch and with a grid with the grid, tickets
and households waiting for a grid that arrives later; a removed member's documents stay where they were."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

import services.documents.subjects.actors  # noqa: F401 - registers the handlers on the consumer
from services.documents.library.models import Document, SubjectKind
from services.documents.subjects.directory import find
from services.documents.subjects.models import Subject
from shared.contracts.dispatch import TicketCreated
from shared.contracts.orgtree import (
    GridCreated,
    HouseholdPlaced,
    MemberCreated,
    MemberRemoved,
    MemberTransferred,
    MemberUpdated,
)
from shared.settings import Settings
from tests.documents.boards_support import Client, staff
from tests.documents.builders import District, bearer
from tests.documents.generated_support import deliver
from tests.platform.tokens import TestIssuer


async def grid(settings: Settings, district: District, path: str) -> uuid.UUID:
    grid_id = uuid.uuid4()
    created = GridCreated(
        tenant_id=district.id, grid_id=grid_id, parent_id=uuid.uuid4(), level="grid", party_group_id=None, path=path
    )
    await deliver(settings, created)
    return grid_id


async def member(settings: Settings, district: District, **facts: Any) -> uuid.UUID:
    member_id = uuid.uuid4()
    values = {"grid_id": None, "branch_id": uuid.uuid4(), "classification": "regular", **facts}
    await deliver(settings, MemberCreated(tenant_id=district.id, member_id=member_id, **values))
    return member_id


async def subject(district: District, kind: str, subject_id: uuid.UUID) -> Subject:
    async def read(session: AsyncSession) -> Subject | None:
        return await find(session, kind, subject_id)

    found: Subject | None = await district.run(read)
    assert found is not None
    return found


async def anchor(district: District, document: Document) -> str:
    async def read(session: AsyncSession) -> str:
        row = await session.get(Document, document.id)
        assert row is not None
        return row.anchor_path

    path: str = await district.run(read)
    return path


async def readers(client: Client, issuer: TestIssuer, district: District, document: Document) -> list[int]:
    """Which of the two streets' admins read the document (their indexes)."""
    found = []
    for street, scope in enumerate(district.streets):
        answer = await client.get(
            f"/api/documents/documents/{document.id}", headers=staff(issuer, district, "street_admin", scope)
        )
        if answer.status_code == 200:
            found.append(street)
    return found


async def test_a_households_documents_wait_for_its_grid_and_move_with_it(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    first_path, second_path = f"{district_a.streets[0]}c1/g1/", f"{district_a.streets[1]}c2/g1/"
    household, first = uuid.uuid4(), uuid.uuid4()
    await deliver(settings, HouseholdPlaced(tenant_id=district_a.id, household_id=household, grid_id=first))
    assert (await subject(district_a, SubjectKind.HOUSEHOLD, household)).path == "/"  # its grid is not known yet
    archive = await district_a.add_document(
        "群众档案", type_code="household_archive", anchor_path="/", subject_kind="household", subject_id=household
    )
    assert await readers(client, issuer, district_a, archive) == []

    created = GridCreated(
        tenant_id=district_a.id,
        grid_id=first,
        parent_id=uuid.uuid4(),
        level="grid",
        party_group_id=None,
        path=first_path,
    )
    await deliver(settings, created)
    assert await anchor(district_a, archive) == first_path
    assert await readers(client, issuer, district_a, archive) == [0]

    second = await grid(settings, district_a, second_path)
    await deliver(settings, HouseholdPlaced(tenant_id=district_a.id, household_id=household, grid_id=second))
    assert await anchor(district_a, archive) == second_path
    assert await readers(client, issuer, district_a, archive) == [1]


async def test_a_ticket_before_its_grid_takes_the_grids_path_when_it_arrives(
    settings: Settings, district_a: District
) -> None:
    ticket, grid_id = uuid.uuid4(), uuid.uuid4()
    filed = TicketCreated(
        tenant_id=district_a.id, ticket_id=ticket, channel="phone", category_id=None, grid_id=grid_id, priority="normal"
    )
    await deliver(settings, filed)
    assert (await subject(district_a, SubjectKind.TICKET, ticket)).path == "/"
    path = f"{district_a.streets[0]}c1/g2/"
    created = GridCreated(
        tenant_id=district_a.id, grid_id=grid_id, parent_id=uuid.uuid4(), level="grid", party_group_id=None, path=path
    )
    await deliver(settings, created)
    assert (await subject(district_a, SubjectKind.TICKET, ticket)).path == path


async def test_a_member_moves_with_the_branch_without_a_grid_and_stays_with_the_grid_with_one(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    branch, other_branch = f"{district_a.streets[0]}b1/", f"{district_a.streets[1]}b2/"
    grid_path = f"{district_a.streets[0]}c1/g1/"
    floating = await member(settings, district_a, branch_path=branch, name="流动党员")
    placed = await member(settings, district_a, branch_path=branch, grid_id=uuid.uuid4(), grid_path=grid_path)
    cards = {}
    for member_id in (floating, placed):
        path = (await subject(district_a, SubjectKind.MEMBER, member_id)).path
        cards[member_id] = await district_a.add_document(
            "党员信息卡", type_code="member_card", anchor_path=path, subject_kind="member", subject_id=member_id
        )
    assert await anchor(district_a, cards[floating]) == branch
    assert await anchor(district_a, cards[placed]) == grid_path

    for member_id in (floating, placed):
        moved = MemberTransferred(
            tenant_id=district_a.id,
            member_id=member_id,
            from_branch_id=uuid.uuid4(),
            to_branch_id=uuid.uuid4(),
            transferred_on=date(2026, 6, 1),
            reason="relocation",
            to_branch_path=other_branch,
        )
        await deliver(settings, moved)
    assert await anchor(district_a, cards[floating]) == other_branch
    assert await readers(client, issuer, district_a, cards[floating]) == [1]
    assert await anchor(district_a, cards[placed]) == grid_path  # the grid keeps them
    assert await readers(client, issuer, district_a, cards[placed]) == [0]
    kept = await subject(district_a, SubjectKind.MEMBER, placed)
    assert (kept.grid_path, kept.branch_path) == (grid_path, other_branch)

    # leaving the grid, the member reads like the branch they now belong to
    left = MemberUpdated(tenant_id=district_a.id, member_id=placed, grid_id=None, changed=["gridId"])
    await deliver(settings, left)
    assert await anchor(district_a, cards[placed]) == other_branch


async def test_a_removed_members_row_and_documents_stay_where_they_were(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    grid_path = f"{district_a.streets[0]}c1/g1/"
    member_id = await member(settings, district_a, branch_path=district_a.streets[0], grid_path=grid_path)
    card = await district_a.add_document(
        "党员信息卡", type_code="member_card", anchor_path=grid_path, subject_kind="member", subject_id=member_id
    )
    await deliver(settings, MemberRemoved(tenant_id=district_a.id, member_id=member_id, reason="deceased"))
    row = await subject(district_a, SubjectKind.MEMBER, member_id)
    assert row.removed_at is not None
    assert row.path == grid_path
    assert await anchor(district_a, card) == grid_path
    assert await readers(client, issuer, district_a, card) == [0]


async def test_a_member_who_signs_up_later_reads_their_own_card_but_not_internal_records(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    grid_path = f"{district_a.streets[0]}c1/g1/"
    grid_id = uuid.uuid4()
    member_id = await member(
        settings, district_a, branch_path=district_a.streets[0], grid_id=grid_id, grid_path=grid_path
    )
    about: dict[str, Any] = {"anchor_path": grid_path, "subject_kind": "member", "subject_id": member_id}
    card = await district_a.add_document("党员信息卡", type_code="member_card", **about)
    await district_a.add_document("谈话记录", type_code="minutes", **about)
    user_id = uuid.uuid4()
    signed_up = MemberUpdated(
        tenant_id=district_a.id,
        member_id=member_id,
        grid_id=grid_id,
        changed=["userId"],
        user_id=user_id,
        grid_path=grid_path,
    )
    await deliver(settings, signed_up)
    mine = await client.get(
        "/api/documents/documents",
        headers=bearer(issuer.token(tenant=district_a.id, roles=["member"], user_id=user_id)),
    )
    assert [row["id"] for row in mine.json()["items"]] == [str(card.id)]


async def test_an_update_that_arrived_before_the_creation_keeps_its_newer_grid(
    settings: Settings, district_a: District
) -> None:
    member_id = uuid.uuid4()
    newer = f"{district_a.streets[1]}c2/g1/"
    moved = MemberUpdated(
        tenant_id=district_a.id, member_id=member_id, grid_id=uuid.uuid4(), changed=["gridId"], grid_path=newer
    )
    await deliver(settings, moved)
    created = MemberCreated(
        tenant_id=district_a.id,
        member_id=member_id,
        grid_id=uuid.uuid4(),
        branch_id=uuid.uuid4(),
        classification="regular",
        branch_path=district_a.streets[0],
        grid_path=f"{district_a.streets[0]}c1/g1/",
        name="林晓红",
    )
    await deliver(settings, created)
    row = await subject(district_a, SubjectKind.MEMBER, member_id)
    assert (row.path, row.branch_path, row.name) == (newer, district_a.streets[0], "林晓红")
