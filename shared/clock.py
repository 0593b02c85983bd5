"""The platform's one clock. Tests of time limits move the deadlines in the database, not this."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")  # districts' days begin at midnight in China, whatever the server's zone


def now() -> datetime:
    return datetime.now(UTC)


def china_today() -> date:
    """Today as a district counts it: from 00:00 to 08:00 in China the server's UTC date is still yesterday."""
    return now().astimezone(CHINA).date()
