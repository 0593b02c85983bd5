"""Merge OpenAPI 3.1 documents: paths are already unique (``/api/<service>/...``); clashing component
names are prefixed with the service name and every ``$ref`` is rewritten to match."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp

from shared.logging import get_logger

log = get_logger(__name__)
_COMPONENT_REF = "#/components/"


def _rename_refs(node: Any, renames: dict[str, str]) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value in renames:
                out[key] = renames[value]
            else:
                out[key] = _rename_refs(value, renames)
        return out
    if isinstance(node, list):
        return [_rename_refs(item, renames) for item in node]
    return node


def merge_documents(base: dict[str, Any], services: dict[str, dict[str, Any]]) -> dict[str, Any]:
    merged: dict[str, Any] = {
        **base,
        "paths": dict(base.get("paths", {})),
        "components": {kind: dict(items) for kind, items in base.get("components", {}).items()},
        "tags": list(base.get("tags", [])),
    }
    for service, document in sorted(services.items()):
        renames: dict[str, str] = {}
        for kind, items in document.get("components", {}).items():
            target = merged["components"].setdefault(kind, {})
            for name, value in items.items():
                if name in target and target[name] != value:
                    new_name = f"{service.capitalize()}{name}"
                    renames[f"{_COMPONENT_REF}{kind}/{name}"] = f"{_COMPONENT_REF}{kind}/{new_name}"
        for kind, items in document.get("components", {}).items():
            for name, value in items.items():
                ref = renames.get(f"{_COMPONENT_REF}{kind}/{name}")
                final = ref.rsplit("/", 1)[1] if ref else name
                merged["components"][kind][final] = _rename_refs(value, renames)
        for path, item in document.get("paths", {}).items():
            merged["paths"][path] = _rename_refs(item, renames)
        known = {t["name"] for t in merged["tags"]}
        merged["tags"] += [t for t in document.get("tags", []) if t.get("name") not in known]
    return merged


class MergedSchema:
    """Fetches each service's ``/schema/openapi.json`` concurrently and caches the merge briefly."""

    # A service renders its schema on the first request: about a second when idle, several on a busy
    # two-core machine; the merged document is for developers, so waiting longer beats a partial one.
    def __init__(self, upstreams: dict[str, str], ttl_s: float = 30.0, timeout_s: float = 15.0) -> None:
        self._upstreams = upstreams
        self._ttl_s = ttl_s
        self._timeout_s = timeout_s
        self._cached: tuple[float, dict[str, Any]] | None = None

    async def _fetch(
        self, session: aiohttp.ClientSession, service: str, base: str
    ) -> tuple[str, dict[str, Any] | None]:
        try:
            async with session.get(base.rstrip("/") + "/schema/openapi.json") as response:
                response.raise_for_status()
                document: dict[str, Any] = await response.json()
                return service, document
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            log.warning("service schema unavailable", upstream=service, error=type(exc).__name__)
            return service, None

    async def document(self, own: dict[str, Any]) -> dict[str, Any]:
        if self._cached and time.monotonic() - self._cached[0] < self._ttl_s:
            return self._cached[1]
        timeout = aiohttp.ClientTimeout(total=self._timeout_s)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            results = await asyncio.gather(*(self._fetch(session, s, b) for s, b in self._upstreams.items()))
        available = {service: doc for service, doc in results if doc is not None}
        merged = merge_documents(own, available)
        missing = sorted(service for service, doc in results if doc is None)
        if missing:
            merged["x-redcell-unavailable"] = missing
        else:  # cache only complete documents
            self._cached = (time.monotonic(), merged)
        return merged
