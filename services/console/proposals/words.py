"""The proposal box's codes in words, the report's period, and dispatch's refusals beside the field they name."""

from __future__ import annotations

import re
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from services.console.api import ApiError
from services.console.forms import NOT_ACCEPTED, FormErrors
from services.console.i18n import N_
from services.console.web import AnyRequest
from shared.clock import now

READERS = ("district_admin", "street_admin", "community_cadre", "hotline_operator", "hotline_supervisor")
STATUSES = {"filed": N_("Awaiting review"), "classified": N_("Being handled"), "closed": N_("Solved and closed")}
TIERS = {"community": N_("Community"), "street": N_("Street"), "district": N_("District")}
ACTIONS = {
    "filed": N_("Put in the box"),
    "classified": N_("Classified"),
    "seminar": N_("Seminar held"),
    "escalated": N_("Sent up a tier"),
    "closed": N_("Solved and closed"),
}
UNITS = {"community": N_("Community or village"), "street": N_("Street")}
CATEGORIES = {
    "environment": N_("Environment and sanitation"),
    "facilities": N_("Public facilities"),
    "safety": N_("Public safety"),
    "livelihood": N_("Livelihood services"),
    "party_building": N_("Party building"),
    "other": N_("Other"),
}

BY_FIELD = {
    "title": N_("Give the proposal a title of 2 to 200 characters."),
    "content": N_("Write the proposal in at most 4000 characters."),
    "proposerMemberIds": N_("Choose the member or members who filed it."),
    "communityId": N_("Choose the community the proposal is about."),
    "filedOn": N_("Enter the day it was filed: not in the future."),
    "category": N_("Choose a category."),
    "heldOn": N_("Enter the day of the seminar: not in the future, nor before the proposal was filed."),
    "attendees": N_("Name who attended, separated by commas."),
    "conclusion": N_("Write what the seminar concluded."),
    "reason": N_("Say why it goes up a tier."),
    "note": N_("Say how the proposal was solved."),
    "closedOn": N_("Enter the day it was closed: not in the future, nor before it was filed."),
}
# dispatch's 409s by what their words contain
CONFLICTS = (
    ("classify the proposal before", N_("Classify the proposal first.")),
    ("no higher tier", N_("The proposal is at the district already: there is no higher tier.")),
    ("closed", N_("The proposal is closed already.")),
)
STALE = N_("That step no longer fits: someone else changed it first. The page shows it as it stands.")
PERIOD = N_("Enter a period of at most a year, written as 2026-12-07, that does not end before it starts.")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def refusal(error: ApiError, shown: tuple[str, ...]) -> FormErrors:
    """Dispatch's refusal beside the form's fields; a 404 of a member or community beside that choice."""
    if error.status == 404:
        field = "communityId" if "community" in error.detail else "proposerMemberIds"
        return FormErrors(fields={field: BY_FIELD[field]})
    if error.status == 409:
        said = next((m for words, m in CONFLICTS if words in error.detail), STALE)
        return FormErrors(form=said)
    fields = {name: BY_FIELD.get(name, NOT_ACCEPTED) for name in error.fields if name in shown}
    return FormErrors(fields=fields, form=None if fields else NOT_ACCEPTED)


def today(request: AnyRequest) -> date:
    return now().astimezone(ZoneInfo(request.app.state.console.time_zone)).date()


def period(request: AnyRequest, first: str, last: str) -> tuple[str, str, FormErrors]:
    """The report's period as typed, or the past year with the message beside it; the API checks it again."""
    end = today(request)
    default = ((end - timedelta(days=364)).isoformat(), end.isoformat())
    first, last = first.strip() or default[0], last.strip() or default[1]
    try:
        if _DAY.fullmatch(first) and _DAY.fullmatch(last):
            start, stop = date.fromisoformat(first), date.fromisoformat(last)
            if start <= stop and (stop - start).days < 366:
                return first, last, FormErrors()
    except ValueError:
        pass
    return default[0], default[1], FormErrors(fields={"from": PERIOD})


def percent(rate: float | None) -> str:
    """A rate of the API (0..1) as the page says it: 75.9%."""
    return "—" if rate is None else f"{rate * 100:.1f}%"
