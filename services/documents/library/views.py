"""Rows to API structs."""

from __future__ import annotations

from services.documents.library.models import Document, DocumentVersion
from services.documents.library.schemas import DocumentView, VersionView
from shared.http.views import view


def version_view(row: DocumentVersion) -> VersionView:
    return view(
        VersionView,
        row,
        sha256=row.sha256.hex() if row.sha256 else None,
        has_thumbnail=row.thumbnail_key is not None,
    )


def document_view(row: Document, current: DocumentVersion | None = None) -> DocumentView:
    return view(DocumentView, row, version=version_view(current) if current else None)
