"""The new-session form: the API body built from what was typed, and the API's refusals in words.

The console judges nothing itself: the times typed in the district's zone go to ``POST /api/training/sessions``
with their offset, credit hours as a JSON number (empty: the programme's), and training's 422 names the fields
(end before start, hours out of range ...), shown here beside them in the catalogue's words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from services.console.api import ApiError
from services.console.forms import NOT_ACCEPTED, FormErrors
from services.console.i18n import N_

HOURS_WRONG = N_("Credit hours are more than 0 and at most 24, with one decimal (1.5).")
# training's messages (programmes/rules.py) -> catalogue ids
KNOWN = {
    "a session ends after it starts": N_("The end must be after the start."),
    "a session lasts at most 30 days": N_("A session lasts at most 30 days."),
    "credit hours are more than 0 and at most 24, with one decimal (1.5)": HOURS_WRONG,
}
# a field's own message when training's words are the decoder's (missing, lengths, formats)
BY_FIELD = {
    "programmeId": N_("Choose a programme of the catalogue."),
    "title": N_("Enter a title of up to 200 characters."),
    "place": N_("Enter the place: up to 200 characters."),
    "startsAt": N_("Choose when the session starts."),
    "endsAt": N_("Choose when the session ends."),
    "creditHours": HOURS_WRONG,
    "organiserUnitId": N_("Choose a unit under your responsibility."),
    "organiserUnitPath": N_("Choose a unit under your responsibility."),
    "organiserUnitName": N_("Choose a unit under your responsibility."),
}
FORM_FIELDS = ("programmeId", "title", "place", "startsAt", "endsAt", "creditHours", "organiserUnitId")
UNIT_FIELDS = {"organiserUnitPath": "organiserUnitId", "organiserUnitName": "organiserUnitId"}


def refusal(error: ApiError) -> FormErrors:
    """The API's refusal beside the fields it names; a field the form does not show is named above it."""
    fields: dict[str, str] = {}
    for name, message in error.fields.items():
        shown = UNIT_FIELDS.get(name, name)
        fields.setdefault(shown, KNOWN.get(message) or BY_FIELD.get(name) or NOT_ACCEPTED)
    unshown = [name for name in fields if name not in FORM_FIELDS]
    if unshown or not fields:
        return FormErrors(fields=fields, form=NOT_ACCEPTED if fields else error.detail)
    return FormErrors(fields=fields)


def moment(typed: str, zone: ZoneInfo) -> str:
    """A ``datetime-local`` value (2026-05-01T14:00) as an instant in the district's zone; anything else as typed
    (training names the field)."""
    try:
        local = datetime.fromisoformat(typed)
    except ValueError:
        return typed
    return (local if local.tzinfo else local.replace(tzinfo=zone)).isoformat()


def number(typed: str) -> int | float | str:
    """A JSON number: whole numbers as integers (strict decoding refuses 40.0 for a count), others as floats;
    what is not a number is sent as typed, and training's strict decoding names it."""
    try:
        value = Decimal(typed)
    except InvalidOperation:
        return typed
    if not value.is_finite():
        return typed
    return int(value) if value == value.to_integral_value() else float(value)


@dataclass(frozen=True)
class Draft:
    """What the organiser typed, as the form shows it again."""

    values: dict[str, str]

    def get(self, name: str) -> str:
        return self.values.get(name, "")

    def body(self, zone: ZoneInfo, unit: dict[str, Any] | None) -> dict[str, Any]:
        """``POST /api/training/sessions``: the fields as typed, empty optional ones left out (the programme's
        hours, no organising unit); the unit's name and path as orgtree has them."""
        body: dict[str, Any] = {"title": self.get("title"), "place": self.get("place")}
        if self.get("programmeId"):
            body["programmeId"] = self.get("programmeId")
        for name in ("startsAt", "endsAt"):
            if self.get(name).strip():
                body[name] = moment(self.get(name).strip(), zone)
        if self.get("creditHours").strip():
            body["creditHours"] = number(self.get("creditHours").strip())
        if unit is not None:
            body |= {
                "organiserUnitId": unit["id"],
                "organiserUnitName": unit["name"],
                "organiserUnitPath": unit["path"],
            }
        return body
