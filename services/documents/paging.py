"""Keyset pages as the documents API names them (the kernel's ``shared.http.paging``)."""

from shared.http.paging import Cursor, Limit, page

__all__ = ["Cursor", "Limit", "page"]
