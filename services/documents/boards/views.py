"""Publications to API structs: staff see the record, the public only what the board shows."""

from __future__ import annotations

from services.documents.boards.models import Publication
from services.documents.boards.schemas import PublicationView, PublicPosting
from services.documents.boards.showing import Posted, public_fields, shown
from shared.http.views import view


def publication_view(row: Publication, posting: Posted | None) -> PublicationView:
    if posting is None:  # its document is gone from the district's records
        return view(PublicationView, row, title="", fields={}, has_file=False, shown=False)
    document, doc_type = posting
    return view(
        PublicationView,
        row,
        title=document.title,
        fields=public_fields(document, doc_type),
        has_file=document.current_version > 0,
        shown=shown(row, document, doc_type),
    )


def public_posting(row: Publication, posting: Posted) -> PublicPosting:
    document, doc_type = posting
    return view(
        PublicPosting,
        row,
        title=document.title,
        fields=public_fields(document, doc_type),
        has_file=document.current_version > 0,
    )
