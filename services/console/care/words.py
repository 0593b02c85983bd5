"""Member care's codes in words, who opens the pages, and training's refusals in the catalogue's words beside
the field they name."""

from __future__ import annotations

from services.console.api import ApiError
from services.console.forms import NOT_ACCEPTED, FormErrors
from services.console.i18n import N_

ORGANISERS = ("district_admin", "street_admin", "community_cadre")
READERS = (*ORGANISERS, "grid_leader")

CERTIFICATE_STATES = {
    "active": N_("Certificate valid"),
    "review_due": N_("Review due soon"),
    "overdue": N_("Review overdue"),
    "reviewed_pass": N_("Review passed"),
    "reviewed_fail": N_("Review failed"),
}
OUTCOMES = {"pass": N_("Passed"), "fail": N_("Failed")}
TASK_STATES = {"open": N_("Open"), "closed": N_("Closed")}
CASE_STATES = {
    "opened": N_("Case opened"),
    "in_education": N_("In education"),
    "qualified": N_("Qualified"),
    "still_unqualified": N_("Still unqualified"),
}
CONCLUSIONS = {"qualified": CASE_STATES["qualified"], "still_unqualified": CASE_STATES["still_unqualified"]}

# a field's message whatever training's words were (missing, lengths, formats, out of range)
BY_FIELD = {
    "personId": N_("Choose the member who holds the certificate."),
    "number": N_("Enter the certificate number: up to 40 characters."),
    "issuedOn": N_("Enter the date of issue."),
    "reviewDueOn": N_("Enter the date the review is due."),
    "outcome": N_("Choose the outcome."),
    "reviewedOn": N_("Enter the date of the review."),
    "note": N_("Write a note of up to 500 characters."),
    "reviewWarningDays": N_("Enter a whole number of days from 1 to 180."),
}
CONCLUDE_NOTE = N_("Write why: a note is required, up to 500 characters.")
STALE = N_("That step no longer fits: someone else changed it first. The page shows it as it stands.")

# training's 409s by what their words contain: (the field it concerns, or None for above the form; the message)
CONFLICTS = (
    ("certificate number", "number", N_("This certificate number is already registered in the district.")),
    ("certificate is already registered", "personId", N_("This member's certificate is already registered.")),
    (
        "it can be recorded after",
        None,
        N_("Too early: a review answers the year up to its due date; the review date must fall in that year."),
    ),
    ("last reviewed on", "reviewedOn", N_("The review date must be after the last review.")),
    ("the case was concluded", None, N_("The case has been concluded already.")),
    (
        "has not attended",
        None,
        N_("The member has not attended a party-spirit education session since the warning: educate first."),
    ),
)


def refusal(error: ApiError, shown: tuple[str, ...], by_field: dict[str, str] | None = None) -> FormErrors:
    """Training's 422 beside the form's fields; anything the form does not show is said above it."""
    words = {**BY_FIELD, **(by_field or {})}
    fields = {name: words.get(name, NOT_ACCEPTED) for name in error.fields if name in shown}
    above = None if fields and len(fields) == len(error.fields) else NOT_ACCEPTED
    return FormErrors(fields=fields, form=above)


def conflict(error: ApiError) -> FormErrors:
    """Training's 409 in words, beside the field it concerns when there is one."""
    for words, field, message in CONFLICTS:
        if words in error.detail:
            return FormErrors(fields={field: message}) if field else FormErrors(form=message)
    return FormErrors(form=STALE)
