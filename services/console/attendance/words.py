"""Cadre attendance's codes in words, and orgtree's refusals in the catalogue's words beside the field they name."""

from __future__ import annotations

from services.console.api import ApiError
from services.console.forms import NOT_ACCEPTED, FormErrors
from services.console.i18n import N_

EDITORS = ("district_admin", "street_admin", "community_cadre")
WEEKDAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"))
STATUSES = {"present": N_("Present"), "on_leave": N_("On leave"), "absent": N_("Absent")}
STEPS = {"none": N_("None"), "reminder": N_("Reminder"), "criticism": N_("Public criticism"), "fine": N_("Fine")}
LEAVE_STATES = {"requested": N_("Awaiting approval"), "approved": N_("Approved"), "refused": N_("Refused")}
KINDS = {"stationed": N_("Stationed cadre"), "village": N_("Village cadre")}

CADRE = N_("Choose a cadre posted to this village or community on that day.")
THRESHOLD = N_("Enter a whole number from 1 to 31, more than the step before.")
BY_FIELD = {
    "dutyDay": N_("Choose a working day (Monday to Friday)."),
    "dutyMember": CADRE,
    "memberId": CADRE,
    "leaveMember": CADRE,
    "day": N_("Enter a working day (Monday to Friday), today or earlier."),
    "status": N_("Choose present, on leave or absent."),
    "note": N_("Write a note of up to 200 characters."),
    "firstDay": N_("Enter the first day of the leave."),
    "lastDay": N_("Enter a last day on or after the first, at most 90 days on."),
    "reason": N_("Say why the cadre is away, in up to 200 characters."),
    "reminder": THRESHOLD,
    "criticism": THRESHOLD,
    "fine": THRESHOLD,
}
# orgtree's own words for a status the day does not allow -> what the page says
STATUS_WORDS = (
    ("no approved leave", N_("No approved leave covers this day: approve the cadre's leave request first.")),
    ("an approved leave covers", N_("An approved leave covers this day: record it as on leave.")),
)
CONFLICTS = {
    "roster": ("dutyDay", N_("A cadre is on duty that day already: free the day first.")),
    "attendance": ("day", N_("This cadre's attendance on that day is recorded already.")),
    "leave": ("firstDay", N_("This cadre has a leave requested or approved on some of these days.")),
}
DECIDED = N_("This request has been decided already. The page shows it as it stands.")


def refusal(error: ApiError, form: str, names: dict[str, str]) -> FormErrors:
    """Orgtree's refusal beside the form's field (``names``: the API's field -> the form's)."""
    if error.status == 409:
        if form in CONFLICTS:
            field, message = CONFLICTS[form]
            return FormErrors(fields={field: message})
        return FormErrors(form=DECIDED)
    fields: dict[str, str] = {}
    for name, said in error.fields.items():
        shown = names.get(name, name)
        words = next((w for part, w in STATUS_WORDS if part in said), None) if name == "status" else None
        fields[shown] = words or BY_FIELD.get(shown, NOT_ACCEPTED)
    return FormErrors(fields=fields, form=None if fields else NOT_ACCEPTED)
