"""EVT-17: a commitment made public in training (亮诺) is posted on the commitment board of its holder's unit.

The board posts documents, so the commitment becomes one: a 党员公开承诺书 (``commitment_letter``) record with its
public fields ``{title, period}`` and no file yet (``current_version`` 0; the signed paper letter may be scanned in
later as its first version, DOC-07), anchored on the holder's unit or, for a member, about the member. Both the
document and its publication carry the source key ``training.CommitmentPublished:<commitment id>``, so a
redelivered event posts nothing twice, and a publication staff withdrew is not posted again.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.documents.boards.catalogue import COMMITMENT_BOARD, prepare_boards
from services.documents.boards.models import LogAction, Publication, PublicationState
from services.documents.boards.services import Actor, write_log
from services.documents.library.models import DISTRICT, Document, DocumentState, SubjectKind
from services.documents.search.indexing import reindex
from services.documents.subjects.directory import GRID, find
from services.documents.subjects.models import Subject
from services.documents.types.catalogue import seed_registry
from services.documents.types.models import DocumentType, RetentionClass, Visibility
from services.documents.types.retention import district_day, retain_until
from shared.context import require_tenant
from shared.contracts.training import CommitmentPublished

SOURCE = "training.CommitmentPublished"
LETTER = "commitment_letter"
PLATFORM = Actor(None, None)


async def _letter_type(session: AsyncSession) -> DocumentType:
    """The district's commitment letter type; a district provisioned before the registry gets it now."""
    for attempt in range(2):
        found = await session.scalar(select(DocumentType).where(DocumentType.code == LETTER))
        if found is not None:
            return found
        if attempt == 0:
            await seed_registry(session)
    msg = f"the district has no document type {LETTER!r}"
    raise LookupError(msg)


async def _letter(session: AsyncSession, event: CommitmentPublished, key: str, unit_name: str | None) -> Document:
    doc_type = await _letter_type(session)
    retention = await session.scalar(select(RetentionClass).where(RetentionClass.code == doc_type.retention_class))
    unit_path = event.holder_path or DISTRICT
    member = await find(session, SubjectKind.MEMBER, event.member_id) if event.member_id else None
    subject_path = (member.path if member else unit_path) if event.member_id else None
    reader = member.user_id if member and doc_type.visibility != Visibility.INTERNAL else None
    document = Document(
        type_code=doc_type.code,
        title=event.title[:200],
        unit_id=event.holder_id if event.holder_kind == "party_group" else None,
        unit_path=unit_path,
        unit_name=unit_name,
        subject_kind=SubjectKind.MEMBER if event.member_id else None,
        subject_id=event.member_id,
        subject_path=subject_path,
        about_user_id=reader,
        anchor_path=subject_path or unit_path,
        state=DocumentState.ACTIVE,
        current_version=0,
        fields={"title": event.title, "period": event.period},
        retention_class=doc_type.retention_class,
        immutable=bool(retention and retention.immutable),
        retain_until=retain_until(district_day(), retention.years if retention else None),
        source_key=key,
    )
    session.add(document)
    await session.flush()
    await reindex(session, document.id)  # found by its title before any letter is scanned in
    return document


async def post_commitment(session: AsyncSession, event: CommitmentPublished) -> Publication | None:
    """Post the commitment once; None when its source was posted before."""
    key = f"{SOURCE}:{event.commitment_id}"
    lock = func.pg_advisory_xact_lock(func.hashtext(f"boards:{require_tenant()}:{key}"))
    await session.execute(select(lock))
    if await session.scalar(select(Publication.id).where(Publication.source_key == key)) is not None:
        return None
    await prepare_boards(session)  # a district provisioned before boards existed
    unit_path = event.holder_path or DISTRICT
    unit_name = await session.scalar(
        select(Subject.name).where(Subject.kind == GRID, Subject.path == unit_path).limit(1)
    )
    document = await session.scalar(select(Document).where(Document.source_key == key))
    if document is None:
        document = await _letter(session, event, key, unit_name)
    row = Publication(
        board_code=COMMITMENT_BOARD,
        document_id=document.id,
        unit_id=event.holder_id if event.holder_kind == "party_group" else None,
        unit_path=unit_path,
        unit_name=unit_name,
        state=PublicationState.PUBLISHED,
        source_key=key,
        published_at=event.published_at,
    )
    session.add(row)
    await session.flush()
    await write_log(session, row, title=document.title, action=LogAction.PUBLISHED, actor=PLATFORM)
    return row
