"""The ledger's codes in words and dispatch's refusals beside the field they name."""

from __future__ import annotations

from services.console.api import ApiError
from services.console.forms import NOT_ACCEPTED, FormErrors
from services.console.i18n import N_

READERS = ("district_admin", "street_admin", "community_cadre", "hotline_operator", "hotline_supervisor")
STATUSES = {
    "collected": N_("Collected"),
    "forwarded": N_("Forwarded"),
    "answered": N_("Answered"),
    "fed_back": N_("Fed back"),
    "evaluated": N_("Evaluated"),
}
CHANNELS = {
    "line": N_("By the hotline"),
    "visit": N_("On a visit"),
    "form": N_("On a form"),
    "card": N_("By contact card"),
}
EVALUATIONS = {
    "satisfied": N_("Satisfied"),
    "basically_satisfied": N_("Basically satisfied"),
    "unsatisfied": N_("Unsatisfied"),
}
KINDS = {"expert_studio": N_("Studio"), "member_volunteer": N_("Delegate")}
# each status's next step: (the path, its fields)
NEXT: dict[str, tuple[str, tuple[str, ...]]] = {
    "collected": ("forward", ("department", "on")),
    "forwarded": ("answer", ("answer", "on")),
    "answered": ("feedback", ("feedback", "on")),
    "fed_back": ("evaluate", ("evaluation", "note", "on")),
}
BY_FIELD = {
    "collectorId": N_("Choose the delegate or studio that collected it."),
    "channel": N_("Choose how it was collected."),
    "summary": N_("Sum the opinion up in 2 to 200 characters."),
    "details": N_("Write the details in at most 4000 characters."),
    "collectedOn": N_("Enter the day it was collected: not in the future."),
    "department": N_("Name the department it goes to."),
    "answer": N_("Write the department's answer."),
    "feedback": N_("Write what the resident was told."),
    "evaluation": N_("Choose the delegate's evaluation."),
    "note": N_("Write a note of at most 2000 characters."),
    "on": N_("Enter the day: not in the future, nor before the step before."),
}
STALE = N_("That step no longer fits: someone else changed it first. The page shows it as it stands.")


def refusal(error: ApiError, shown: tuple[str, ...]) -> FormErrors:
    if error.status == 404:
        return FormErrors(fields={"collectorId": BY_FIELD["collectorId"]})
    if error.status == 409:
        return FormErrors(form=STALE)
    fields = {name: BY_FIELD.get(name, NOT_ACCEPTED) for name in error.fields if name in shown}
    return FormErrors(fields=fields, form=None if fields else NOT_ACCEPTED)
