"""``/livez`` answers without I/O; ``/readyz`` checks each dependency with a time-out."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Response, get
from litestar.handlers import HTTPRouteHandler

ReadinessCheck = Callable[[], Awaitable[Any]]


def health_handlers(checks: dict[str, ReadinessCheck], timeout_s: float) -> list[HTTPRouteHandler]:
    @get("/livez", include_in_schema=False, sync_to_thread=False)
    def livez() -> dict[str, str]:
        return {"status": "ok"}

    @get("/readyz", include_in_schema=False)
    async def readyz() -> Response[dict[str, Any]]:
        async def run(check: ReadinessCheck) -> dict[str, Any]:
            started = time.perf_counter()
            try:
                await asyncio.wait_for(check(), timeout_s)
            except TimeoutError:
                return {"ok": False, "error": f"timed out after {timeout_s:.1f} s"}
            except Exception as exc:
                return {"ok": False, "error": type(exc).__name__}
            return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}

        names = list(checks)
        results = dict(zip(names, await asyncio.gather(*(run(checks[n]) for n in names)), strict=True))
        ready = all(r["ok"] for r in results.values())
        return Response(
            {"status": "ok" if ready else "unavailable", "checks": results}, status_code=200 if ready else 503
        )

    return [livez, readyz]
