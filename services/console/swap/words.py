"""The idle-item swap's codes in words, who opens its pages, and dispatch's refusals beside the field they name."""

from __future__ import annotations

from services.console.api import ApiError
from services.console.forms import NOT_ACCEPTED, FormErrors
from services.console.i18n import N_

STAFF = ("district_admin", "street_admin", "community_cadre", "grid_leader", "hotline_operator", "hotline_supervisor")
CATEGORIES = {
    "clothing": N_("Clothing"),
    "books": N_("Books"),
    "toys": N_("Toys"),
    "appliances": N_("Household appliances"),
    "furniture": N_("Furniture"),
    "daily_goods": N_("Daily goods"),
    "sports": N_("Sports goods"),
    "other": N_("Other"),
}
CONDITIONS = {
    "new": N_("Brand new"),
    "like_new": N_("Nearly new"),
    "good": N_("Good, used"),
    "worn": N_("Worn but usable"),
}
STATES = {"available": N_("Waiting for a swap"), "swapped": N_("Swapped"), "donated": N_("Donated")}
STEPS = {
    "registered": N_("Registered"),
    "brought": N_("Brought to a swap day"),
    "swapped": N_("Swapped"),
    "donated": N_("Donated"),
}
LEVELS = {"village": N_("Community"), "street": N_("Street")}
# orgtree's categories of households in need (困难户)
IN_NEED = ("low_income", "five_guarantees", "extremely_poor")
BY_FIELD = {
    "title": N_("Say what the item is."),
    "category": N_("Choose the kind of item."),
    "condition": N_("Choose how worn it is."),
    "quantity": N_("Enter a whole number of pieces from 1 to 100."),
    "communityId": N_("Choose the community it was brought to."),
    "ownerName": N_("Enter the owner's name."),
    "ownerPhone": N_("Enter a mainland mobile number or a landline with its area code, or leave it empty."),
    "receivedOn": N_("Enter the day it was brought in: not in the future, nor more than a year ago."),
    "description": N_("Write up to 500 characters."),
    "unitId": N_("Choose the community or street."),
    "heldOn": N_("Enter a day within a year of today."),
    "place": N_("Say where the swap day is held."),
    "itemIds": N_("Tick items of this community or street that wait for a swap."),
    "itemId": N_("Choose an item brought to this swap day."),
    "forItemId": N_("Choose another item brought to this swap day."),
    "householdId": N_("Choose a household in need of your scope."),
    "donatedOn": N_("Enter the day it was given: not in the future, nor more than a year ago."),
    "eventId": N_("Choose an item brought to this swap day."),
    "note": N_("Write up to 500 characters."),
}
SETTLED = N_("This item was swapped or given away already: an item changes hands only once.")
ONE_A_MONTH = N_("This community or street holds its swap day of that month already: one a month.")
NOT_YET = N_("The swap day has not come yet: record what changed hands on the day or after.")


def refusal(error: ApiError, shown: tuple[str, ...], not_found: str) -> FormErrors:
    """Dispatch's refusal in words: a 409 above the form, a 404 beside ``not_found``, a 422 beside its fields."""
    if error.status == 409:
        if "one a month" in error.detail:
            return FormErrors(form=ONE_A_MONTH)
        return FormErrors(form=NOT_YET if "has not come" in error.detail or "from then on" in error.detail else SETTLED)
    if error.status == 404:
        return FormErrors(fields={not_found: BY_FIELD[not_found]})
    fields = {}
    for name in error.fields:
        base = name.split("[")[0]
        if base in shown:
            fields[base] = BY_FIELD.get(base, NOT_ACCEPTED)
    return FormErrors(fields=fields, form=None if fields else NOT_ACCEPTED)
