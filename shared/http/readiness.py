"""Running readiness checks: all at once, each with a time-out, reported alike by every process."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

ReadinessCheck = Callable[[], Awaitable[Any]]


async def run_checks(checks: Mapping[str, ReadinessCheck], timeout_s: float) -> tuple[bool, dict[str, Any]]:
    """Every check at once, each with a time-out; (all passed, per-check results as ``/readyz`` shows them)."""

    async def run(check: ReadinessCheck) -> dict[str, Any]:
        started = time.perf_counter()
        try:
            await asyncio.wait_for(check(), timeout_s)
        except TimeoutError:
            return {"ok": False, "error": f"timed out after {timeout_s:.1f} s"}
        except Exception as exc:
            return {"ok": False, "error": type(exc).__name__}  # no messages: they may name hosts or users
        return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}

    names = list(checks)
    results = dict(zip(names, await asyncio.gather(*(run(checks[n]) for n in names)), strict=True))
    return all(r["ok"] for r in results.values()), results
