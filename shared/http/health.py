"""``/livez`` answers without I/O; ``/readyz`` checks each dependency with a time-out."""

from __future__ import annotations

from typing import Any

from litestar import Response, get
from litestar.handlers import HTTPRouteHandler

from shared.http.readiness import ReadinessCheck, run_checks


def health_handlers(checks: dict[str, ReadinessCheck], timeout_s: float) -> list[HTTPRouteHandler]:
    @get("/livez", include_in_schema=False, sync_to_thread=False)
    def livez() -> dict[str, str]:
        return {"status": "ok"}

    @get("/readyz", include_in_schema=False)
    async def readyz() -> Response[dict[str, Any]]:
        ready, results = await run_checks(checks, timeout_s)
        return Response(
            {"status": "ok" if ready else "unavailable", "checks": results}, status_code=200 if ready else 503
        )

    return [livez, readyz]
