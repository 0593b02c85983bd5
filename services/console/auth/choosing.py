"""A sign-in at its district step: the gateway proved the password (and one-time code) of a user of several
districts and answered which districts, with a ticket that chooses one (gateway/identity/choice.py). The ticket,
not the password, waits in the server-side session for the choice, as long as the gateway honours it."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Any

from services.console.api import ApiError

CHOOSING_S = 290  # a little less than the gateway's ticket lives


@dataclass(frozen=True, slots=True)
class Choosing:
    username: str
    ticket: str
    districts: list[dict[str, str]]  # [{"slug", "name"}], as the gateway listed them
    next: str
    until: float

    def to_session(self) -> dict[str, Any]:
        return asdict(self)


def offered(refused: ApiError, username: str, next_page: str) -> Choosing | None:
    """The district step a login's refusal opens: a 422 listing the user's districts with a ticket; else None."""
    ticket, districts = refused.body.get("districtTicket"), refused.body.get("districts")
    if refused.status != 422 or not isinstance(ticket, str) or not isinstance(districts, list):
        return None
    listed = [
        {"slug": str(d["slug"]), "name": str(d.get("name") or d["slug"])}
        for d in districts
        if isinstance(d, dict) and "slug" in d
    ]
    return Choosing(username, ticket, listed, next_page, time.time() + CHOOSING_S)


def release(held: Any) -> Choosing | None:
    """The district step kept in the session, while it is in time."""
    if not isinstance(held, dict) or held.get("until", 0) < time.time():
        return None
    try:
        return Choosing(**held)
    except TypeError:
        return None
