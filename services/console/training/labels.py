"""Training's codes in words, who may open which page, and the API's refusals of a check-in said in Chinese."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from litestar.response import Template

from services.console.api import ApiError
from services.console.i18n import N_
from services.console.training.units import TREES
from services.console.web import AnyRequest, page

ORGANISERS = ("district_admin", "street_admin", "community_cadre")
ATTENDEES = ("member", "volunteer")

AUDIENCES = {
    "members": N_("Members"),
    "cadres": N_("Cadres"),
    "volunteers": N_("Volunteers"),
    "residents": N_("Members and residents"),
}
TRACKS = {"required": N_("Required course"), "elective": N_("Elective course")}
COUNTS = {
    "pre_service": N_("Counts as pre-service training"),
    "secretary_class": N_("Counts as a secretaries' class"),
    "training_days": N_("Counts training days"),
}
METHODS = {"qr": N_("Scanned the code"), "manual": N_("By hand")}
KINDS = {"member": N_("Member"), "resident": N_("Resident")}
MEASURES = {"credit_hours": N_("credit hours"), "classes": N_("classes"), "training_days": N_("days")}
DUTIES = {
    "secretary": N_("Branch secretary"),
    "committee_member": N_("Committee member"),
    "village_secretary": N_("Village secretary"),
    "rural_cadre": N_("Rural cadre"),
    "volunteer": N_("Volunteer"),
}

# A phone check-in's refusals (training's checkin/services.py) and what the member reads instead.
EXPIRED = N_("This QR code has expired. Scan the code on the organiser's screen again.")
NOT_A_CODE = N_("This is not a check-in code of your district. Scan the code on the organiser's screen again.")
UNLINKED = N_(
    "Your account is not linked to a member in the training records, so you cannot check yourself in. "
    "Ask the organiser to check you in by hand, and your community to link your account."
)
CANCELLED = N_("This session was cancelled: nobody can check in to it.")
NOT_OPEN = N_("Check-in to this session has not opened yet. It opens at %(at)s.")
CLOSED = N_("Check-in to this session closed at %(at)s.")
NO_SESSION = N_("This session no longer exists.")
REFUSED = N_("The check-in was not accepted. Scan the code on the organiser's screen again.")
_AT = re.compile(r"(?:opens|closed) at (\S+)")


@dataclass(frozen=True)
class Refusal:
    """Why a check-in was refused: a catalogue id and, for the window's refusals, the moment it names."""

    message: str
    at: datetime | None = None
    rescan: bool = False  # scanning again may help (a stale or unreadable code)


def checkin_refusal(error: ApiError) -> Refusal | None:
    """The refusal in words, or None when it is not one of a check-in's (the error page shows it)."""
    if error.status == 410:
        return Refusal(EXPIRED, rescan=True)
    if error.status == 422 and "code" in error.fields:
        return Refusal(NOT_A_CODE, rescan=True)
    if error.status == 404:
        return Refusal(UNLINKED if "not linked" in error.detail else NO_SESSION)
    if error.status == 409:
        return window_refusal(error.detail)
    return None


def window_refusal(detail: str) -> Refusal:
    """A 409 of the check-in window or a cancelled session, with the moment it names."""
    if "cancelled" in detail:
        return Refusal(CANCELLED)
    found = _AT.search(detail)
    at = _moment(found.group(1)) if found else None
    if "opens at" in detail:
        return Refusal(NOT_OPEN, at)
    if "closed at" in detail:
        return Refusal(CLOSED, at)
    return Refusal(REFUSED)


def _moment(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def hours(value: float | str | None) -> str:
    """Credit hours as people write them: 2, 1.5 (the API sends numbers, some as decimal strings)."""
    if value is None or value == "":
        return "0"
    number = float(value)
    return f"{number:g}" if number == round(number, 1) else f"{number:.1f}"


def shown(request: AnyRequest, template: str, status_code: int = 200, **context: Any) -> Template:
    """``page()`` with what every training page formats with (credit hours, the codes in words)."""
    words = {"audiences": AUDIENCES, "tracks": TRACKS, "counts": COUNTS, "methods": METHODS, "kinds": KINDS}
    return page(
        request, template, status_code, hours=hours, duties=DUTIES, measures=MEASURES, trees=TREES, **words, **context
    )
