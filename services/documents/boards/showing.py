"""What a board shows of a posted document, read through its type at the time of reading: the title, the type's
public fields of its metadata and whether it has a file; nothing else of the document ever leaves the district."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.documents.boards.models import Publication, PublicationState
from services.documents.library.models import Document, DocumentState
from services.documents.types.models import DocumentType, Visibility

Posted = tuple[Document, DocumentType | None]


def on_show() -> ColumnElement[bool]:
    """Publications the public reads now (with ``Document`` and ``DocumentType`` joined, see ``joined``)."""
    return and_(
        Publication.state == PublicationState.PUBLISHED,
        Document.state == DocumentState.ACTIVE,
        DocumentType.visibility == Visibility.PUBLIC,
    )


def joined(statement: Any) -> Any:
    """``statement`` over publications joined with their documents and the documents' types."""
    return statement.join(Document, Document.id == Publication.document_id).join(
        DocumentType, DocumentType.code == Document.type_code
    )


async def posted(session: AsyncSession, publications: Iterable[Publication]) -> dict[UUID, Posted]:
    """Each publication's document and its type, in one query."""
    ids = {row.document_id for row in publications}
    if not ids:
        return {}
    rows = await session.execute(
        select(Document, DocumentType)
        .outerjoin(DocumentType, DocumentType.code == Document.type_code)
        .where(Document.id.in_(ids))
    )
    return {document.id: (document, doc_type) for document, doc_type in rows}


def public_fields(document: Document, doc_type: DocumentType | None) -> dict[str, Any]:
    """Only the metadata the type marks public; none when the type is not (or no longer) public."""
    if doc_type is None or doc_type.visibility != Visibility.PUBLIC:
        return {}
    return {name: document.fields[name] for name in doc_type.public_fields if name in document.fields}


def shown(publication: Publication, document: Document, doc_type: DocumentType | None) -> bool:
    return (
        publication.state == PublicationState.PUBLISHED
        and document.state == DocumentState.ACTIVE
        and doc_type is not None
        and doc_type.visibility == Visibility.PUBLIC
    )
