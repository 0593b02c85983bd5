"""The district's audit log merged across the services, newest first.

Each service pages its own log on its row ids (shared/http/audit_log.py). A merged page asks every chosen service
for a page after its own cursor, merges them by time, keeps the newest ``limit`` and remembers, per service, the
id of the last row it used: the next page continues each service exactly there, so no row is skipped or repeated.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from services.console.admin.words import AUDIT_SOURCES
from services.console.api import Api


@dataclass
class MergedPage:
    rows: list[dict[str, Any]]  # each with "service"
    next: str | None


def _decode(cursor: str | None) -> dict[str, str | None]:
    """Per service, the id to continue below (absent: from the newest; None: that service has no more)."""
    if not cursor:
        return {}
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except ValueError:
        return {}
    return {k: v for k, v in raw.items() if k in AUDIT_SOURCES and (v is None or str(v).isdigit())}


def _encode(state: dict[str, str | None]) -> str:
    return base64.urlsafe_b64encode(json.dumps(state, separators=(",", ":")).encode()).decode()


async def merged_page(
    api: Api, services: list[str], filters: dict[str, Any], cursor: str | None, limit: int
) -> MergedPage:
    state = _decode(cursor)
    fetched: dict[str, list[dict[str, Any]]] = {}
    more: dict[str, bool] = {}
    for service in services:
        if service in state and state[service] is None:
            continue  # this service's log was read to its end
        answer = await api.get(AUDIT_SOURCES[service], **filters, cursor=state.get(service), limit=limit)
        fetched[service] = [{**row, "service": service} for row in answer["items"]]
        more[service] = answer["next"] is not None
    rows = sorted((r for items in fetched.values() for r in items), key=lambda r: r["occurredAt"], reverse=True)
    page = rows[:limit]
    after = dict(state)
    for service, items in fetched.items():
        used = [r for r in page if r["service"] == service]
        if used:
            after[service] = str(used[-1]["id"]) if (len(used) < len(items) or more[service]) else None
        elif not items:
            after[service] = None
    exhausted = all(after.get(s, "") is None for s in services)
    return MergedPage(page, None if exhausted or (len(rows) <= limit and not any(more.values())) else _encode(after))
