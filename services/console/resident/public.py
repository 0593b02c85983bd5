"""The residents' public API as the resident's page calls it: no account and no token, the district in the
path, a follow token per request. The page's address names the district by its slug (``/console/r/longwan/``),
which the gateway's public ``GET /public/districts/{slug}`` turns into its id and name (kept a minute); a district's
id works too. The follow tokens a browser earned are kept in a cookie of its own (no session: the page works for
anyone who has the address)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from litestar.exceptions import NotFoundException

from services.console.api import Gateway, api_error
from services.console.forms import NOT_ACCEPTED
from services.console.i18n import N_
from services.console.web import AnyRequest

FOLLOW_COOKIE = "redcell_follow"
FOLLOW_KEEP = 5  # requests a browser remembers (the newest)
FOLLOW_DAYS = 180
_PAIR = re.compile(r"^([A-Za-z0-9-]{1,40}):([A-Za-z0-9_-]{20,200})$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")  # the gateway's district slugs
KEEP_S = 60.0  # a district found (or not) is asked again after this long
_MISSING_KEEP_S = 10.0
_KEPT_MAX = 1000

# The API's refusals (dispatch/public/services.py, the gateway's per-address limit) and what residents read.
TOO_MANY = N_("Too many attempts. Please wait a while and try again.")
LIMITS = (
    ("codes per phone number per hour", N_("This phone number has had several codes this hour. Try again later.")),
    (
        "requests per phone number a day",
        N_("This phone number has filed several requests today. Please call the hotline."),
    ),
)
KNOWN = {
    "not a mainland mobile number": N_("Enter a mainland mobile number of 11 digits."),
    "no such verification; ask for a code first": N_("Ask for a code first."),
    "this code has been used already; ask for a new one": N_("This code has been used. Ask for a new one."),
    "too many wrong codes; ask for a new one": N_("Too many wrong codes. Ask for a new one."),
    "wrong code; ask for a new one": N_("Too many wrong codes. Ask for a new one."),
    "the code has expired; ask for a new one": N_("The code has expired. Ask for a new one."),
    "not a category of this district": N_("Choose one of the listed kinds of help."),
}
WRONG_CODE = N_("The code is wrong. Check the SMS and enter it again.")


@dataclass(frozen=True)
class District:
    """The district a resident's page serves: its id for the API, the path segment its links repeat, its name."""

    id: UUID
    segment: str  # the slug (or the id) as the address spells it
    name: str | None  # None when the address names the district by its id


_kept: dict[str, tuple[float, District | None]] = {}


async def find_district(gateway: Gateway, segment: str) -> District:
    """The district the address names; the 404 page for anything else (at once, before any form is shown)."""
    try:
        as_id = UUID(segment)
    except ValueError:
        as_id = None
    if as_id is not None and str(as_id) == segment:  # one spelling only: links and the cookie's path repeat it
        return District(as_id, segment, None)
    if not _SLUG.match(segment):
        raise NotFoundException("no such district")
    at = time.monotonic()
    kept = _kept.get(segment)
    if kept is None or kept[0] <= at:
        found = await _ask(gateway, segment)
        if len(_kept) >= _KEPT_MAX:
            _kept.clear()
        _kept[segment] = (at + (KEEP_S if found else _MISSING_KEEP_S), found)
        kept = _kept[segment]
    if kept[1] is None:
        raise NotFoundException("no such district")
    return kept[1]


async def _ask(gateway: Gateway, slug: str) -> District | None:
    response = await gateway.public("GET", f"/public/districts/{slug}")
    if response.status_code == 404:
        return None
    if response.status_code >= 400:
        raise api_error(response)
    answer = response.json()
    return District(UUID(str(answer["id"])), slug, str(answer.get("name") or "") or None)


def refusal_message(detail: str) -> str:
    """A 429's reason in the resident's words."""
    for marker, message in LIMITS:
        if marker in detail:
            return message
    return TOO_MANY


def field_message(message: str) -> str:
    if message in KNOWN:
        return KNOWN[message]
    return WRONG_CODE if message.startswith("wrong code;") else NOT_ACCEPTED


_categories: dict[UUID, tuple[float, list[dict[str, str]]]] = {}


class PublicApi:
    """``/api/dispatch/public/<district>/...`` through the gateway, as nobody in particular (marked as the console's
    own call: the gateway counted the resident's browser per address as the page was posted)."""

    def __init__(self, gateway: Gateway, district: UUID) -> None:
        self.gateway = gateway
        self.district = district
        self.base = f"/api/dispatch/public/{district}"

    async def call(self, method: str, path: str, body: Any = None, follow_token: str | None = None) -> Any:
        headers = {"x-follow-token": follow_token} if follow_token else None
        response = await self.gateway.public(method, self.base + path, json=body, headers=headers)
        if response.status_code >= 400:
            raise api_error(response)
        return response.json() if response.content else None

    async def categories(self) -> list[dict[str, str]]:
        """The kinds of help a resident may choose (id, code, name), kept a minute per district."""
        at = time.monotonic()
        kept = _categories.get(self.district)
        if kept is None or kept[0] <= at:
            found = [{"id": str(c["id"]), "name": str(c["name"])} for c in await self.call("GET", "/categories")]
            if len(_categories) >= _KEPT_MAX:
                _categories.clear()
            kept = _categories[self.district] = (at + KEEP_S, found)
        return kept[1]


def remembered(request: AnyRequest) -> dict[str, str]:
    """The follow tokens this browser holds for the district: request number -> token."""
    found = {}
    for pair in request.cookies.get(FOLLOW_COOKIE, "").split("|"):
        matched = _PAIR.match(pair)
        if matched:
            found[matched.group(1)] = matched.group(2)
    return found


def remember(request: AnyRequest, number: str, token: str) -> str:
    """The cookie's new value with ``number``'s token first, the oldest dropped beyond FOLLOW_KEEP."""
    kept = {number: token} | {n: t for n, t in remembered(request).items() if n != number}
    pairs = [f"{n}:{t}" for n, t in list(kept.items())[:FOLLOW_KEEP] if _PAIR.match(f"{n}:{t}")]
    return "|".join(pairs)
