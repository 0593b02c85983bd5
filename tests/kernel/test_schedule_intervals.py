"""An operator sets how often a sweep runs (``REDCELL_SCHEDULE_INTERVALS``); a misspelt name is refused."""

from __future__ import annotations

import pytest

from shared.scheduler import Job, with_intervals
from shared.settings import Settings


async def nothing(_: Settings) -> int:
    return 0


JOBS = [Job("dispatch.deadlines", 5.0, nothing), Job("dispatch.offer_expiry", 2.0, nothing)]


def test_a_named_sweep_runs_at_the_given_interval_and_the_others_at_their_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REDCELL_SCHEDULE_INTERVALS", '{"dispatch.deadlines": 1}')
    jobs = with_intervals(JOBS, Settings().schedule_intervals)
    assert {job.name: job.interval_s for job in jobs} == {"dispatch.deadlines": 1.0, "dispatch.offer_expiry": 2.0}


def test_an_unknown_job_or_a_non_positive_interval_is_refused() -> None:
    with pytest.raises(ValueError, match=r"no such job: dispatch\.deadline "):
        with_intervals(JOBS, {"dispatch.deadline": 1.0})
    with pytest.raises(ValueError, match="positive number of seconds"):
        with_intervals(JOBS, {"dispatch.deadlines": 0.0})
