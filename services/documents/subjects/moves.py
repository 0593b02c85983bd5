"""Orgtree moves reach documents (``orgtree.UnitMoved``): one event per moved subtree, one range UPDATE per copy.

Subjects hold the paths orgtree's and dispatch's events gave them, and documents read like their subject or unit
(DOC-02): every path under the old prefix reads the new one after the move, so a moved grid's households, tickets
and the documents about them stay visible to the staff of the unit they now hang under. A replay finds nothing
left under the old prefix. ``publication_log`` is append-only (the record of what was posted where, as it was).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from services.documents.boards.models import Publication
from services.documents.dossiers.models import Dossier
from services.documents.events import consumer
from services.documents.library.models import Document
from services.documents.regulations.models import Regulation
from services.documents.search.models import DocumentSearch
from services.documents.subjects.models import Subject
from shared.contracts.orgtree import UnitMoved
from shared.db.paths import rehang_all

PATH_COPIES: tuple[InstrumentedAttribute[str] | InstrumentedAttribute[str | None], ...] = (
    Subject.path,
    Subject.grid_path,
    Subject.branch_path,
    Document.anchor_path,
    Document.subject_path,
    Document.unit_path,
    DocumentSearch.anchor_path,
    Publication.unit_path,
    Dossier.unit_path,
    Regulation.unit_path,
)


@consumer.on(UnitMoved)
async def unit_moved(session: AsyncSession, event: UnitMoved) -> None:
    await rehang_all(session, PATH_COPIES, event.old_path, event.new_path)
