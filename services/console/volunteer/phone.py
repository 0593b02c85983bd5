"""What the volunteer's phone page shows, made from the API's answers: offers still open with the seconds left to
answer, the labels of the codes the API uses, and the key that tells the page's poll whether anything changed."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from services.console.api import Api, ApiError
from services.console.i18n import N_

ROLES = ("volunteer", "member")
POLL_S = 5  # a new offer shows within this long (the dispatch stream serves staff only)

MODES = {"assign": N_("Assigned to you"), "claim": N_("First to accept takes it")}
# Why the hotline chose this volunteer (routing/ranking.py's codes)
REASONS = {
    "serves_household": N_("You serve this household"),
    "grid_leader": N_("Grid leader"),
    "same_grid": N_("Your grid"),
    "nearby": N_("Nearby"),
    "skill": N_("Your skill"),
    "off_duty": N_("Off duty"),
    "free": N_("No other task"),
    "manual": N_("Chosen by the hotline"),
}
TASK_STAGES = {"assigned": N_("Signed for: go there"), "on_site": N_("On site")}
ENTRY_KINDS = {
    "credit": N_("Service credited"),
    "reversal": N_("Credit reversed"),
    "redemption": N_("Redeemed"),
    "transfer_out": N_("Given to a household"),
    "transfer_in": N_("Received"),
}
# The API's refusals of an answer (routing/services.py) and what the volunteer reads instead.
ANSWER_REFUSALS = {
    "already taken: another provider signed for this ticket": N_("Another volunteer has signed for this order."),
    "this offer has expired": N_("The time to answer this offer has run out."),
}
OFFER_CLOSED = N_("This offer is no longer open.")


@dataclass(frozen=True)
class OfferCard:
    id: str
    ticket_number: str
    title: str
    priority: str
    address: str  # masked until the order is theirs
    mode: str
    reasons: tuple[str, ...]
    expires_at: datetime
    seconds_left: int

    @property
    def minutes(self) -> int:
        return self.seconds_left // 60

    @property
    def seconds(self) -> int:
        return self.seconds_left % 60


def _moment(value: str) -> datetime:
    return datetime.fromisoformat(value)


def offer_cards(offers: list[dict[str, Any]], at: datetime) -> list[OfferCard]:
    """Open offers whose time has not run out (the sweep closes them a moment later), soonest first."""
    cards = []
    for offer in offers:
        expires = _moment(offer["expiresAt"])
        left = int((expires - at).total_seconds())
        if offer.get("status") != "open" or left <= 0:
            continue
        cards.append(
            OfferCard(
                id=str(offer["id"]),
                ticket_number=str(offer["ticketNumber"]),
                title=str(offer["title"]),
                priority=str(offer.get("priority") or "normal"),
                address=str(offer.get("address") or ""),
                mode=str(offer.get("mode") or "assign"),
                reasons=tuple(r for r in offer.get("reasons") or () if r in REASONS),
                expires_at=expires,
                seconds_left=left,
            )
        )
    return sorted(cards, key=lambda card: card.expires_at)


def seen_key(cards: list[OfferCard]) -> str:
    """Which offers the page shows: the poll answers "nothing new" while this stays the same."""
    return hashlib.sha256(",".join(sorted(card.id for card in cards)).encode()).hexdigest()[:16]


async def open_offers(api: Api) -> tuple[list[OfferCard], datetime]:
    at = datetime.now(UTC)
    return offer_cards(await api.get("/api/dispatch/offers"), at), at


def answer_refusal(detail: str) -> str:
    return ANSWER_REFUSALS.get(detail, OFFER_CLOSED)


async def my_entries(api: Api) -> list[dict[str, Any]]:
    """The volunteer's provider entries; empty while the login is linked to none (no offers can reach it)."""
    try:
        found: list[dict[str, Any]] = await api.get("/api/dispatch/providers/me")
    except ApiError as refused:
        if refused.status == 404:
            return []
        raise
    return found
