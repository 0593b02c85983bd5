from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec


class ImportReport(msgspec.Struct, rename="camel", kw_only=True):
    """What an import checked and stored. A rejected file answers 422 with ``errors: [{row, column, message}]``."""

    kind: str
    dry_run: bool
    format: str  # xlsx | csv, as read from the file's bytes
    rows: int  # data rows checked (blank lines skipped)
    created: dict[str, int]  # rows stored per table; empty on a dry run
    unchanged: int  # units already present with the same name and level (units only)


class RowProblem(msgspec.Struct, kw_only=True):
    row: int
    column: str
    message: str


class ImportProblems(msgspec.Struct, rename="camel", kw_only=True):
    """Every problem a failed import kept (up to 100,000), and why the file failed when no row is to blame."""

    errors: list[RowProblem]
    detail: str | None


class ImportJobView(msgspec.Struct, rename="camel", kw_only=True):
    """An import run by the worker: its state, how far it has got, and its outcome.

    ``state``: queued → checking → storing → succeeded, or failed (nothing stored). While checking, ``checked``
    counts the rows checked of ``total`` (the rows the file declares; counted exactly once checking ends); while
    storing, ``stored`` counts the rows written in the import's still open transaction. A failed import names its
    first problems in ``errors`` (``errorCount`` in all); ``GET .../report`` has every one as an .xlsx sheet.
    """

    id: UUID
    kind: str
    dry_run: bool
    state: str
    format: str | None
    size: int  # bytes of the file
    total: int | None
    checked: int
    stored: int
    created: dict[str, int]  # rows stored per table (succeeded)
    unchanged: int
    error_count: int
    errors: list[RowProblem]
    detail: str | None  # why it failed, in a sentence
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
