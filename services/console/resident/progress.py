"""Where a resident's request stands, in the resident's words: the step it has reached, what happened when, and
whether the page should ask for feedback (resolved, and none given since the latest resolution)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.console.i18n import N_

STEPS = (
    ("new", N_("Filed")),
    ("routing", N_("Finding a volunteer")),
    ("assigned", N_("Volunteer on the way")),
    ("on_site", N_("Volunteer at the door")),
    ("resolved", N_("Done")),
)
STAGES = {
    "new": N_("Received: the hotline will find someone to help"),
    "routing": N_("The hotline is finding a volunteer"),
    "assigned": N_("A volunteer has taken it and will call you"),
    "on_site": N_("The volunteer is with you"),
    "resolved": N_("Done: please tell us how it went"),
    "closed": N_("Completed"),
    "cancelled": N_("Cancelled"),
    "merged": N_("Joined with another request about the same thing"),
}
ACTIONS = {
    "created": N_("Request received"),
    "dispatched": N_("Offered to volunteers"),
    "accepted": N_("A volunteer took it"),
    "arrived": N_("The volunteer arrived"),
    "resolved": N_("Reported done"),
    "feedback": N_("Your feedback was recorded"),
    "reopened": N_("Taken up again after your feedback"),
    "returned": N_("Handed to another volunteer"),
    "escalated": N_("Passed up to a higher level"),
    "callback": N_("The hotline called you back"),
    "closed": N_("Completed"),
    "cancelled": N_("Cancelled"),
    "merged": N_("Joined with another request"),
}
RATED = N_("Done: thank you for your feedback")
_ORDER = {code: i for i, (code, _) in enumerate(STEPS)} | {"closed": len(STEPS)}


@dataclass(frozen=True)
class Step:
    label: str
    done: bool
    current: bool


@dataclass(frozen=True)
class Event:
    label: str
    at: str


def steps(status: str) -> list[Step]:
    """The five steps with the ones reached marked; none for a request cancelled or merged."""
    reached = _ORDER.get(status)
    if reached is None:
        return []
    return [Step(label, i <= reached, i == reached) for i, (_, label) in enumerate(STEPS)]


def timeline(history: list[dict[str, Any]]) -> list[Event]:
    """What happened, newest first: the actions a resident cares about, and any other change of stage."""
    shown = []
    for entry in history:
        action, status = str(entry.get("action")), entry.get("status")
        label = ACTIONS.get(action) or (STAGES.get(str(status)) if status else None)
        if label:
            shown.append(Event(label, str(entry["at"])))
    return shown[::-1]


def stage(request: dict[str, Any]) -> str:
    """The request's stage in a line; once rated, no longer asking for the rating."""
    if request.get("status") == "resolved" and not awaits_feedback(request):
        return RATED
    return STAGES.get(str(request.get("status")), "")


def awaits_feedback(request: dict[str, Any]) -> bool:
    """Resolved, and no feedback since the latest resolution (a dissatisfied one reopens it)."""
    if request.get("status") != "resolved":
        return False
    actions = [str(entry.get("action")) for entry in request.get("history", [])]
    last_resolved = max((i for i, action in enumerate(actions) if action == "resolved"), default=-1)
    return "feedback" not in actions[last_resolved + 1 :]
