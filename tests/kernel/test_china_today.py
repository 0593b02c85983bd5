from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from shared import clock


@pytest.mark.parametrize(
    ("utc", "day"),
    [
        (datetime(2026, 12, 6, 15, 59, tzinfo=UTC), date(2026, 12, 6)),
        (datetime(2026, 12, 6, 16, 0, tzinfo=UTC), date(2026, 12, 7)),  # midnight in China, still the 6th in UTC
        (datetime(2026, 12, 31, 19, 30, tzinfo=UTC), date(2027, 1, 1)),
    ],
)
def test_a_districts_day_begins_at_midnight_in_china(monkeypatch: pytest.MonkeyPatch, utc: datetime, day: date) -> None:
    monkeypatch.setattr(clock, "now", lambda: utc)
    assert clock.china_today() == day
