"""The caller's card: what dispatch's caller lookup answered (masked), kept in the server-side session while
the call is taken, and the district's grids for placing a call that is not a known household's.

The card is kept rather than asked for again when the form comes back with a message: every lookup is audited
in orgtree as the operator looking the number up, and the operator looked it up once.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from services.console.api import Api
from services.console.desk.queue import OPEN
from services.console.i18n import N_
from services.console.web import AnyRequest

CALLS = "calls"  # the session's key: call id -> card
KEPT = 3  # the newest cards of a session (a second tab, a call put aside)
LOOKUP = {
    "found": "",
    "not_found": N_("No household is registered with this number."),
    "refused": N_(
        "The organisation tree refused this account the household lookup: ask the district administrator to grant it."
    ),
    "unavailable": N_("The households cannot be looked up right now; the earlier tickets are shown."),
}
SAME = {"household": N_("same household"), "address": N_("same address"), "caller": N_("same caller")}
GRID_PAGES = 4  # 2,000 grids: more than any district the seeds describe
_GRIDS_S = 60.0
_grids: dict[str, tuple[float, list[dict[str, str]]]] = {}


def keep(request: AnyRequest, card: dict[str, Any]) -> str:
    """Hold the card in the session; the form carries the returned id."""
    call = secrets.token_urlsafe(12)
    calls = dict(request.session.get(CALLS) or {})
    calls[call] = card
    request.set_session({**request.session, CALLS: dict(list(calls.items())[-KEPT:])})
    return call


def held(request: AnyRequest, call: str) -> dict[str, Any] | None:
    card = (request.session.get(CALLS) or {}).get(call)
    return card if isinstance(card, dict) else None


def drop(request: AnyRequest, call: str) -> None:
    calls = dict(request.session.get(CALLS) or {})
    if calls.pop(call, None) is not None:
        request.set_session({**request.session, CALLS: calls})


def households(card: dict[str, Any] | None) -> list[dict[str, Any]]:
    return list(card["households"]["items"]) if card else []


def open_tickets(card: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The caller's tickets still being worked on: the likely duplicates before anything is saved."""
    return [t for t in card["earlierTickets"] if t["status"] in OPEN] if card else []


async def district_grids(api: Api) -> list[dict[str, str]]:
    """The district's grids (id, name) in the tree's order, kept a minute per district."""
    key = api.user.district or ""
    cached = _grids.get(key)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    roots = (await api.get("/api/orgtree/nodes"))["items"]
    found: list[dict[str, str]] = []
    for root in (r for r in roots if r["tree"] == "administrative"):
        after = None
        for _ in range(GRID_PAGES):
            page = await api.get(f"/api/orgtree/nodes/{root['id']}/subtree", level="grid", limit=500, after=after)
            found += [{"id": node["id"], "name": node["name"]} for node in page["items"]]
            after = page.get("nextAfter")
            if not after:
                break
    _grids[key] = (time.monotonic() + _GRIDS_S, found)
    return found
