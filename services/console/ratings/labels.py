"""Star ratings' codes in words, who opens which page, and training's refusals (publishing, objections, answers)
said in Chinese."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from services.console.api import ApiError
from services.console.i18n import N_

ORGANISERS = ("district_admin", "street_admin", "community_cadre")
# The notice board is the district's: everyone signed in to it reads it and may object during the notice.
EVERYONE = (*ORGANISERS, "grid_leader", "member", "volunteer", "hotline_operator", "hotline_supervisor")

KINDS = {"village_branch": N_("Village branches"), "grid_group": N_("Grid party groups"), "member": N_("Members")}
STATES = {"draft": N_("Draft"), "in_notice": N_("On public notice"), "published": N_("Published")}

NOTICE_RUNS = N_("Its public notice runs until %(at)s: it can be published after that.")
UNANSWERED = N_("%(n)d objection(s) have not been answered yet: answer each before publishing.")
NOT_NOTICED = N_("The rating has not been on public notice yet: start its notice first.")
ALREADY_PUBLISHED = N_("The rating has been published already.")
NO_ENTRIES = N_("The rating has no entries yet: score its subjects before the public notice.")
NOT_DRAFT = N_("Only a draft goes on public notice.")
NOT_PUBLISHED = N_("The rating was not published.")

CHOOSE_ENTRY = N_("Choose the entry you object to.")
WRITE_OBJECTION = N_("Write what you object to.")
WRITE_ANSWER = N_("Write the answer.")
TOO_LONG = N_("At most 2000 characters.")
NOTICE_ENDED = N_("The public notice of this rating has ended: objections are raised while it runs.")
ALREADY_ANSWERED = N_("This objection has been answered already.")
OBJECTION_RAISED = N_("Your objection has been recorded. The organisers will answer it before the rating is published.")


@dataclass(frozen=True)
class Reason:
    """One reason, as a catalogue id with its values."""

    message: str
    values: dict[str, Any] = field(default_factory=dict)

    def shown(self, fmt: Any) -> dict[str, Any]:
        """The values as the message shows them: moments in the district's zone."""
        return {k: fmt.when(v) if isinstance(v, datetime) else v for k, v in self.values.items()}


def publish_refusals(error: ApiError) -> list[Reason]:
    """Why training refused to publish (409): the notice still running, objections unanswered, or the state."""
    items = [i for i in error.body.get("errors") or [] if isinstance(i, dict)]
    reasons = [
        Reason(NOTICE_RUNS, {"at": _moment(i.get("message"))}) for i in items if i.get("field") == "noticeEndsAt"
    ]
    unanswered = [i for i in items if i.get("field") == "objections"]
    if unanswered:
        reasons.append(Reason(UNANSWERED, {"n": len(unanswered)}))
    if not reasons:
        reasons.append(Reason(state_refusal(error.detail)))
    return reasons


def state_refusal(detail: str) -> str:
    """A 409 about the round's state, in words."""
    if "was published" in detail:
        return ALREADY_PUBLISHED
    if "not been on public notice" in detail:
        return NOT_NOTICED
    if "no entries" in detail:
        return NO_ENTRIES
    if "only a draft" in detail:
        return NOT_DRAFT
    return NOT_PUBLISHED


def _moment(text: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text))
    except ValueError:
        return None


def text_problem(value: str, blank: str) -> str | None:
    """What is wrong with a typed text (objection, answer) before it goes to training, or None."""
    if not value.strip():
        return blank
    return TOO_LONG if len(value) > 2000 else None
