"""Upserts and look-ups of the subject directory (``models.Subject``), and documents kept with their subjects.

A document about a subject reads like the subject (DOC-02): when a subject's path changes (a household placed in
another grid, a member without a grid transferred to another branch, a grid arriving after the tickets and
households waiting on it), every document about it moves with it. A removed member's row stays, and so do the
documents about them.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.documents.library.models import DISTRICT, Document, SubjectKind
from services.documents.subjects.models import Subject
from services.documents.types.models import DocumentType, Visibility
from shared.clock import now
from shared.context import require_tenant

GRID = "grid"
# placed in a grid by id; its path comes with the grid
WAITING_ON_GRIDS = (SubjectKind.HOUSEHOLD, SubjectKind.TICKET, SubjectKind.WISH)


async def remember(
    session: AsyncSession,
    kind: str,
    subject_id: UUID,
    path: str,
    *,
    name: str | None = None,
    user_id: UUID | None = None,
) -> None:
    """Insert or refresh one subject; a redelivered event writes the same row again."""
    values = {"tenant_id": require_tenant(), "kind": kind, "subject_id": subject_id, "path": path, "name": name}
    if user_id is not None:
        values["user_id"] = user_id
    changed = {key: value for key, value in values.items() if key in ("path", "name", "user_id")}
    await session.execute(
        pg_insert(Subject).values(values).on_conflict_do_update(constraint="uq_subject_tenant_kind_id", set_=changed)
    )


async def find(session: AsyncSession, kind: str, subject_id: UUID) -> Subject | None:
    return await session.scalar(select(Subject).where(Subject.kind == kind, Subject.subject_id == subject_id))


async def path_of(session: AsyncSession, kind: str, subject_id: UUID | None) -> str | None:
    if subject_id is None:
        return None
    found = await find(session, kind, subject_id)
    return found.path if found else None


async def locked(session: AsyncSession, kind: str, subject_id: UUID) -> tuple[Subject, bool]:
    """The subject's row, locked for this transaction, made (on the district) when unknown; True when made now."""
    statement = select(Subject).where(Subject.kind == kind, Subject.subject_id == subject_id).with_for_update()
    row = await session.scalar(statement)
    if row is not None:
        return row, False
    values = {"tenant_id": require_tenant(), "kind": kind, "subject_id": subject_id, "path": DISTRICT}
    await session.execute(pg_insert(Subject).values(values).on_conflict_do_nothing())
    made = await session.scalar(statement.execution_options(populate_existing=True))
    assert made is not None  # inserted above, or by a racing event that committed first
    return made, True


async def settle(session: AsyncSession, row: Subject, path: str) -> None:
    """Give ``row`` its path and take the documents about it along (and a member's account, once it has one)."""
    moved = row.path != path
    row.path = path
    await session.flush()
    about = (Document.subject_kind == row.kind) & (Document.subject_id == row.subject_id)
    if moved:
        await session.execute(
            update(Document)
            .where(about, Document.anchor_path != path)
            .values(anchor_path=path, subject_path=path)
            .execution_options(synchronize_session=False)
        )
    if row.kind == SubjectKind.MEMBER and row.user_id is not None:
        # a member who signs up later reads the documents about them that their type lets them read
        shown = select(DocumentType.code).where(DocumentType.visibility != Visibility.INTERNAL)
        await session.execute(
            update(Document)
            .where(about, Document.about_user_id.is_(None), Document.type_code.in_(shown))
            .values(about_user_id=row.user_id)
            .execution_options(synchronize_session=False)
        )


async def place(session: AsyncSession, kind: str, subject_id: UUID, grid_id: UUID | None) -> Subject:
    """A household, ticket or wish in a grid: the grid's path, or the district's until the grid arrives."""
    row, _ = await locked(session, kind, subject_id)
    row.grid_id = grid_id
    await settle(session, row, await path_of(session, GRID, grid_id) or DISTRICT)
    return row


async def grid_arrived(session: AsyncSession, grid_id: UUID, path: str) -> None:
    """The households and tickets placed in a grid before it was known take its path now."""
    waiting = await session.scalars(
        select(Subject)
        .where(Subject.grid_id == grid_id, Subject.kind.in_(WAITING_ON_GRIDS), Subject.path != path)
        .with_for_update()
    )
    for row in list(waiting):
        await settle(session, row, path)


def member_path(row: Subject) -> str:
    """A member reads like their grid when they have one, else like their party branch."""
    return row.grid_path or row.branch_path or DISTRICT


async def remove_member(session: AsyncSession, member_id: UUID) -> None:
    """The member's row stays where it was, marked removed: documents about them keep their anchor."""
    await session.execute(
        update(Subject)
        .where(Subject.kind == SubjectKind.MEMBER, Subject.subject_id == member_id, Subject.removed_at.is_(None))
        .values(removed_at=now())
        .execution_options(synchronize_session=False)
    )
