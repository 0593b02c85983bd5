"""The registry's and the devices' codes in words, who opens the pages, and dispatch's refusals beside the field
they name."""

from __future__ import annotations

from services.console.api import ApiError
from services.console.forms import NOT_ACCEPTED, FormErrors
from services.console.i18n import N_

STAFF = ("district_admin", "street_admin", "community_cadre", "grid_leader", "hotline_operator", "hotline_supervisor")
OPERATORS = ("district_admin", "hotline_operator", "hotline_supervisor")
VOLUNTEERS = ("member", "volunteer")

CATEGORIES = {
    "empty_nest": N_("Empty-nest elderly"),
    "living_alone": N_("Elderly living alone"),
    "disabled": N_("Disabled persons"),
}

BY_FIELD = {
    "householdId": N_("Choose a household of your scope."),
    "categories": N_("Tick at least one group, each once."),
    "volunteerId": N_("Choose an active member volunteer of the household's grid."),
    "note": N_("Write a note of up to 500 characters."),
    "visitedAt": N_("Give the day and time of the visit; it cannot be in the future."),
    "channel": N_("Choose how the visit was made."),
    "code": N_("Enter the device's code: letters, digits, - _ . : only, 3 to 64 characters."),
    "label": N_("Write a label of up to 100 characters."),
}
ALREADY = N_("This household is registered already.")
DEVICE_TAKEN = N_("A device with this code is registered already.")


def beside_fields(refused: ApiError, by_field: dict[str, str], out_of_reach: str) -> FormErrors:
    """Dispatch's 422 beside the fields it names (``categories[0]`` beside ``categories``) in the catalogue's
    words from ``by_field``; its 404 (the object the form names is out of reach) beside ``out_of_reach``."""
    errors = FormErrors()
    for name in refused.fields:
        field = name.removeprefix("body.").split("[")[0]
        errors.fields[field] = by_field.get(field, NOT_ACCEPTED)
    if refused.status == 404:
        errors.fields[out_of_reach] = by_field[out_of_reach]
    if not errors:
        errors.form = refused.detail
    return errors


def refusal(refused: ApiError) -> FormErrors:
    return beside_fields(refused, BY_FIELD, "householdId")
