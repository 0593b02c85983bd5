"""A caller's households, asked of orgtree with the operator's own token (dispatch keeps no copy of them)."""

from __future__ import annotations

import httpx

from services.dispatch.settings import get_dispatch_settings
from shared.logging import get_logger

log = get_logger(__name__)


async def orgtree_households(
    phone: str, authorization: str | None, request_id: str | None
) -> list[dict[str, object]] | None:
    """Households with this phone, from orgtree, asked with the operator's own token (orgtree checks it and
    masks the answer). None when orgtree cannot be reached: the desk still sees earlier tickets."""
    settings = get_dispatch_settings()
    headers = {"Authorization": authorization or ""}
    if request_id:
        headers["X-Request-ID"] = request_id
    try:
        async with httpx.AsyncClient(base_url=settings.orgtree_url, timeout=settings.orgtree_timeout_s) as client:
            response = await client.post("/api/orgtree/households/lookup", json={"phone": phone}, headers=headers)
    except httpx.HTTPError as exc:
        log.warning("orgtree household lookup failed", error=type(exc).__name__)
        return None
    if response.status_code != 200:
        log.warning("orgtree household lookup refused", status=response.status_code)
        return None
    body = response.json()
    return list(body) if isinstance(body, list) else None
