"""A caller's households, asked of orgtree with the operator's own token (dispatch keeps no copy of them).

Orgtree's caller lookup (``POST /api/orgtree/households/caller-lookup``) is the one read of households the
hotline operator has there: exact phone, masked, audited. Its answer is reported as it came: found or not
found, refused (the account lacks the permission: someone must fix it) or unavailable (orgtree is down or
failing), so the desk never mistakes a refusal for an outage.
"""

from __future__ import annotations

from enum import StrEnum

import httpx
import msgspec

from services.dispatch.settings import get_dispatch_settings
from services.dispatch.tickets.schemas import CallerHousehold, CallerHouseholds
from shared.logging import get_logger

log = get_logger(__name__)
LOOKUP_PATH = "/api/orgtree/households/caller-lookup"
REFUSALS = (401, 403)


class HouseholdLookup(StrEnum):
    FOUND = "found"
    NOT_FOUND = "not_found"
    REFUSED = "refused"
    UNAVAILABLE = "unavailable"


def _unavailable(message: str) -> CallerHouseholds:
    return CallerHouseholds(status=HouseholdLookup.UNAVAILABLE, items=[], message=message)


async def orgtree_households(phone: str, authorization: str | None, request_id: str | None) -> CallerHouseholds:
    """Households with this phone, from orgtree, asked with the operator's own token (orgtree checks it, masks
    the answer and audits the lookup)."""
    settings = get_dispatch_settings()
    headers = {"Authorization": authorization or ""}
    if request_id:
        headers["X-Request-ID"] = request_id
    try:
        async with httpx.AsyncClient(base_url=settings.orgtree_url, timeout=settings.orgtree_timeout_s) as client:
            response = await client.post(LOOKUP_PATH, json={"phone": phone}, headers=headers)
    except httpx.HTTPError as exc:
        log.warning("orgtree household lookup failed", error=type(exc).__name__)
        return _unavailable("the organisation tree could not be reached; earlier tickets are shown")
    if response.status_code in REFUSALS:
        log.warning("orgtree household lookup refused", status=response.status_code)
        message = f"the organisation tree refused this account the household lookup ({response.status_code})"
        return CallerHouseholds(status=HouseholdLookup.REFUSED, items=[], message=message)
    if response.status_code != 200:
        log.warning("orgtree household lookup failed", status=response.status_code)
        return _unavailable(f"the organisation tree answered {response.status_code}; earlier tickets are shown")
    try:
        items = msgspec.json.decode(response.content, type=list[CallerHousehold])
    except msgspec.DecodeError:
        log.warning("orgtree household lookup answered something else")
        return _unavailable("the organisation tree's answer could not be read; earlier tickets are shown")
    status = HouseholdLookup.FOUND if items else HouseholdLookup.NOT_FOUND
    return CallerHouseholds(status=status, items=items)
