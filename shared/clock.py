"""The platform's one clock. Tests of time limits move the deadlines in the database, not this."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC)
