"""Whether a document is frozen by an acceptance dossier: the one question other areas ask of dossiers."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.documents.dossiers.models import LOCKED, Dossier, DossierItem


async def locked_by_dossier(session: AsyncSession, document_id: UUID) -> bool:
    """True while a submitted (or accepted) dossier holds the document: no deletion, no new version."""
    held = (
        select(DossierItem.id)
        .join(Dossier, Dossier.id == DossierItem.dossier_id)
        .where(DossierItem.document_id == document_id, Dossier.state.in_(LOCKED))
    )
    return bool(await session.scalar(select(exists(held))))
