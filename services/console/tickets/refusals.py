"""An API's refusal of a ticket action, in the user's language: beside the field it names (422), or above the
form (409 with what is missing, 403, 404). The APIs explain in English; the known explanations are matched here
and said in the catalogue's words, anything else gets a general sentence rather than English."""

from __future__ import annotations

import re
from collections.abc import Callable

from services.console.api import ApiError
from services.console.forms import NOT_ACCEPTED, FormErrors
from services.console.i18n import N_
from services.console.tickets.labels import AWAITING

Gettext = Callable[[str], str]

# Each form's fields (as the API names them) and what to say when one is refused.
FIELDS = {
    "reveal": {
        "field": N_("Choose what to show."),
        "purpose": N_("Say why you need to see it: 2 to 500 characters."),
    },
    "assign": {"providerId": N_("Choose an active provider of the district.")},
    "escalate": {
        "reason": N_("Give the reason: 2 to 500 characters."),
        "toLevel": N_("The ladder has no such rung."),
    },
    "referral": {
        "meeting": N_("Name the meeting: 2 to 100 characters."),
        "responsibleUnit": N_("Name the responsible unit: 2 to 100 characters."),
        "responsiblePerson": N_("Name the responsible person: up to 60 characters."),
        "dueOn": N_("Choose a completion date, today or later."),
    },
    "referral-closure": {"note": N_("Write the unit's account: 2 to 4000 characters.")},
    "decision": {"note": N_("Up to 500 characters."), "approve": N_("Approve or refuse.")},
    "callback": {
        "outcome": N_("Choose whether the resident was reached."),
        "satisfied": N_("Choose whether the resident is satisfied."),
        "via": N_("Choose how the feedback was collected."),
        "handlerScore": N_("Choose a score from 1 to 5."),
        "stationScore": N_("Choose a score from 1 to 5."),
        "processScore": N_("Choose a score from 1 to 5."),
        "resultScore": N_("Choose a score from 1 to 5."),
        "comment": N_("Up to 1000 characters."),
        "note": N_("Up to 1000 characters."),
    },
    "waiver": {
        "waiverReason": N_("Choose a reason from the list."),
        "note": N_("Say what the other reason is (up to 1000 characters)."),
    },
    "reopen": {
        "comment": N_("Write what the resident is not satisfied with: up to 1000 characters."),
        "via": N_("Choose how the feedback was collected."),
    },
}

CONFLICTS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), m)
    for p, m in (
        (r"only a ticket nobody has signed for", N_("Only a ticket nobody has signed for can be offered again.")),
        (r"another provider signed for", N_("Another provider has signed for this ticket already.")),
        (r"offer is no longer open", N_("This offer is no longer open.")),
        (r"offer has expired", N_("This offer has timed out.")),
        (r"no longer waiting for a provider", N_("The ticket is no longer waiting for a provider.")),
        (r"extension request was already", N_("This extension request has been decided already.")),
        (
            r"time limit has already passed or no longer runs",
            N_("The time limit has passed or no longer runs: an extension is decided before the deadline."),
        ),
        (r"only an open case can be escalated", N_("Only an open case can be escalated.")),
        (r"one level at a time", N_("A case moves one rung at a time: reload the page to see its rung.")),
        (r"issued by the street supervision", N_("Referral notices are issued at the street supervision rung.")),
        (r"referral notice .* is still open", N_("This case's referral notice is still open.")),
        (r"already has its closure note", N_("This referral notice is closed already.")),
        (r"issued for an open case", N_("A referral notice is issued for an open case only.")),
        (r"callback follows a resolved ticket", N_("A callback follows a ticket reported done.")),
        (r"'unreachable' needs", N_("This reason needs 3 unanswered callbacks recorded since the work was done.")),
        (r"the caller left a number", N_("The caller left a number: call it back, or choose another reason.")),
        (r"feedback is taken once", N_("Feedback is taken once the ticket is reported done.")),
        (r"cannot rate their own work", N_("The handler cannot rate their own work.")),
    )
]
NOT_CLOSABLE = N_("The ticket cannot be closed yet. Still missing: %(missing)s.")
CHANGED = N_("The ticket has changed meanwhile and this can no longer be done. The page shows where it stands now.")
FORBIDDEN = N_("Your role may not do this.")
MAY_NOT_WAIVE = N_("Only a hotline supervisor or a district administrator may waive a callback.")
GONE = N_("It no longer exists, or it belongs to another district.")
CHECK_FORM = N_("Check the form: a value is not accepted.")


def _awaiting(detail: str, gettext: Gettext) -> str | None:
    """``the ticket cannot be closed yet: awaiting feedback; awaiting callback`` with the pieces in words."""
    found = re.findall(r"awaiting (\w+)", detail) if "cannot be closed yet" in detail else []
    if not found:
        return None
    pieces = "、".join(gettext(AWAITING.get(piece, piece)) for piece in found)
    return gettext(NOT_CLOSABLE) % {"missing": pieces}


def explain(error: ApiError, form: str, gettext: Gettext) -> FormErrors:
    """The refusal as the form shows it; ``gettext`` puts the sentences built here into the user's language."""
    if error.status == 422:
        known = FIELDS.get(form, {})
        fields = {name: known.get(name, NOT_ACCEPTED) for name in error.fields}
        return FormErrors(fields=fields, form=None if fields else CHECK_FORM)
    if error.status == 403:
        return FormErrors(form=MAY_NOT_WAIVE if "waiv" in error.detail else FORBIDDEN)
    if error.status == 404:
        return FormErrors(form=GONE)
    closable = _awaiting(error.detail, gettext)
    if closable:
        return FormErrors(form=closable)
    message = next((m for pattern, m in CONFLICTS if pattern.search(error.detail)), CHANGED)
    return FormErrors(form=message)
