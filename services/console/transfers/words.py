"""The offers' states in words, and the gateway's and orgtree's refusals in the catalogue's words beside the field."""

from __future__ import annotations

from services.console.api import ApiError
from services.console.forms import NOT_ACCEPTED, FormErrors
from services.console.i18n import N_

STATES = {
    "offered": N_("Awaiting the receiving district"),
    "accepted": N_("Accepted by the receiving district"),
    "declined": N_("Declined"),
    "withdrawn": N_("Withdrawn"),
}
KINDS = {
    "attendance": N_("Training attended"),
    "points": N_("Points"),
    "star_rating": N_("Star rating"),
    "assessment": N_("Assessment"),
}
OFFER_FIELDS = ("memberId", "toDistrict", "reason", "transferOn")
BY_FIELD = {
    "memberId": N_("Choose the member to transfer."),
    "toDistrict": N_("Choose the district that receives the member."),
    "reason": N_("Write the reason: up to 200 characters."),
    "transferOn": N_("Enter the date of the transfer."),
    "branchId": N_("Choose a party branch of this district that holds members."),
}
# the API's 409s by what their words contain: (the field, or None for above the form; the message)
CONFLICTS = (
    ("already leaving", "memberId", N_("This member is already leaving: an offer to another district is open.")),
    ("leads a grid", "memberId", N_("This member leads a grid: appoint another grid leader first.")),
    ("not all arrived", None, N_("The sending district's records have not all arrived yet: try again in a moment.")),
    ("already", None, N_("This offer has been decided already.")),
)
OWN_DISTRICT = N_("A member moves within this district by a transfer between units, on the member's page.")
UNKNOWN_DISTRICT = N_("No district has this code.")
INACTIVE_DISTRICT = N_("This district is suspended and receives no transfers.")


def refusal(error: ApiError) -> FormErrors:
    """A 409 or 422 beside the field it concerns; anything else above the form."""
    if error.status == 409:
        for words, field, message in CONFLICTS:
            if words in error.detail:
                return FormErrors(fields={field: message}) if field else FormErrors(form=message)
        return FormErrors(form=NOT_ACCEPTED)
    fields: dict[str, str] = {}
    for name, message in error.fields.items():
        if name == "toDistrict" and "own district" in message:
            fields[name] = OWN_DISTRICT
        elif name == "toDistrict" and "no such district" in message:
            fields[name] = UNKNOWN_DISTRICT
        elif name == "toDistrict" and "not active" in message:
            fields[name] = INACTIVE_DISTRICT
        else:
            fields[name] = BY_FIELD.get(name, NOT_ACCEPTED)
    return FormErrors(fields=fields, form=None if fields else NOT_ACCEPTED)
