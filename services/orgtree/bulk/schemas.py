from __future__ import annotations

import msgspec


class ImportReport(msgspec.Struct, rename="camel", kw_only=True):
    """What an import checked and stored. A rejected file answers 422 with ``errors: [{row, column, message}]``."""

    kind: str
    dry_run: bool
    format: str  # xlsx | csv, as read from the file's bytes
    rows: int  # data rows checked (blank lines skipped)
    created: dict[str, int]  # rows stored per table; empty on a dry run
    unchanged: int  # units already present with the same name and level (units only)
