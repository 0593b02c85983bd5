"""Keyset pages as the training API names them (the kernel's ``shared.http.paging``)."""

from shared.http.paging import Cursor, Limit, page

__all__ = ["Cursor", "Limit", "page"]
