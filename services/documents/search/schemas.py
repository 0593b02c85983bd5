"""Search hits as the API shows them (camelCase)."""

from __future__ import annotations

import msgspec

from services.documents.library.schemas import DocumentView


class SearchHit(msgspec.Struct, kw_only=True, rename="camel"):
    document: DocumentView
    rank: float  # ts_rank over the weighted vector: title words count most, then metadata, then the file's text
    snippet: str | None  # the text around the first word found, from the file, the description or the title


class SearchPage(msgspec.Struct, kw_only=True, rename="camel"):
    items: list[SearchHit]
    next: str | None
    # True when more documents match than a search ranks (REDCELL_DOCUMENTS__SEARCH_CANDIDATES, 1,000): the hits are
    # the best of the newest matches; more words find older ones
    limited: bool
