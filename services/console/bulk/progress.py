"""How far an import job has got, as the page's progress bar shows it: checking is the first half of the bar and
storing the second (a dry run only checks); a finished job fills it, whatever its outcome."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

FINISHED = ("succeeded", "failed")
POLL_MS = 500  # the page asks twice a second: the worker writes its progress every quarter second


@dataclass(frozen=True)
class Bar:
    value: int
    max: int
    finished: bool

    @property
    def percent(self) -> int:
        return 100 * self.value // self.max

    @classmethod
    def of(cls, job: dict[str, Any]) -> Bar:
        total = int(job.get("total") or 0)
        phases = 1 if job.get("dryRun") else 2
        most = max(total * phases, 1)
        if job["state"] in FINISHED:
            return cls(most, most, finished=True)
        done = int(job.get("checked") or 0) + (0 if phases == 1 else int(job.get("stored") or 0))
        return cls(min(done, most), most, finished=False)
