"""Members' and households' codes in words, who opens the pages, and orgtree's refusals beside their fields.

The codes are orgtree's (``services/orgtree/members/rules.py``, ``households/rules.py``); the console cannot
import another service, so the words are kept here, in the catalogue's English, translated in the template."""

from __future__ import annotations

from services.console.api import ApiError
from services.console.forms import NOT_ACCEPTED, FormErrors
from services.console.i18n import N_
from shared.privacy.normalize import normalize_id_card, normalize_phone
from shared.privacy.validators import id_card_birth_date, id_card_check_digit

# orgtree's roll keepers: they read, record and reveal; hotline operators find callers at the desk instead
KEEPERS = ("district_admin", "street_admin", "community_cadre", "grid_leader")

CLASSIFICATIONS = {
    "self_managed": N_("Self-managed member"),
    "in_service": N_("Member in service"),
    "mobile": N_("Mobile member"),
}
FLAGS = {
    "mobile": N_("Mobile member"),
    "lost_contact": N_("Lost contact"),
    "warned": N_("Warned"),
    "unqualified": N_("Unqualified"),
    "without_office": N_("Without office"),
    "activist": N_("Activist for joining"),
}
TRANSFER_REASONS = {
    "joined": N_("Joined or received"),
    "ordinary": N_("Ordinary transfer"),
    "unqualified_after_reeducation": N_("Still unqualified after re-education"),
    "regrouped_by_location": N_("Regrouped by location"),
    "regrouped_by_workplace": N_("Regrouped by workplace"),
    "regrouped_by_interest": N_("Regrouped by interest"),
    "regrouped_by_business": N_("Regrouped by line of business"),
    "removed": N_("Left the district's rolls"),
}
# what happened to a household (orgtree's ``households/rules.py``); the first eight raise a mandatory visit
HOUSEHOLD_EVENTS = {
    "hospitalised": N_("Hospitalised"),
    "hardship": N_("Hardship"),
    "accident": N_("Accident"),
    "family_conflict": N_("Family conflict"),
    "neighbour_conflict": N_("Neighbour conflict"),
    "moved": N_("Moving house"),
    "worries": N_("Worries"),
    "unmet_benefits": N_("Benefits unmet by a former employer"),
    "bereavement": N_("Bereavement in the family"),
    "other": N_("Something else"),
}
EARLIER_EVENTS = {"conflict": N_("Conflict")}  # recorded before the two kinds were told apart: shown, not chosen
# what a user may choose in the transfer form (joining and removal are other requests)
OTHER_REQUESTS = {"joined", "removed", "unqualified_after_reeducation"}  # re-education: training's conclusion
TRANSFERS = {k: v for k, v in TRANSFER_REASONS.items() if k not in OTHER_REQUESTS}
CATEGORIES = {
    "processing": N_("Processing household"),
    "planting": N_("Planting household"),
    "migrant_worker": N_("Migrant-worker household"),
    "low_income": N_("Low-income household"),
    "five_guarantees": N_("Five-guarantees household"),
    "extremely_poor": N_("Extremely poor household"),
    "problem": N_("Household in difficulty"),
    "disabled": N_("Household with a disabled member"),
    "empty_nest": N_("Empty-nest elderly"),
    "living_alone": N_("Elderly living alone"),
    "restricted": N_("Restricted category"),
}
MEMBER_FIELDS = {"idCard": N_("ID number"), "phone": N_("Phone")}
HOUSEHOLD_FIELDS = {"headName": N_("Head of household"), "address": N_("Address"), "phone": N_("Phone")}

# the resident ID number, by what is wrong with it (said as the user types, and again when orgtree refuses it)
ID_LENGTH = N_("The ID number has 18 characters: 17 digits and a check digit or X.")
ID_CHARACTERS = N_("The ID number is made of digits, with X allowed only as the last character.")
ID_BIRTH_DATE = N_("The birth date in the ID number (characters 7 to 14) is not a real date.")
ID_CHECK_DIGIT = N_("The check digit (the last character) of this ID number is wrong: check the number typed.")
MOBILE = N_("Enter a mainland mobile number: 11 digits starting with 13 to 19.")

BY_FIELD = {
    "name": N_("Enter the name: up to 50 characters."),
    "label": N_("Enter how the grid knows the household, such as 3组12号: up to 100 characters."),
    "headName": N_("Enter the head of household's name: up to 50 characters."),
    "address": N_("Enter the address: up to 200 characters."),
    "phone": MOBILE,
    "branchId": N_("Choose the party unit that holds the membership."),
    "gridId": N_("Choose a grid."),
    "classification": N_("Choose a classification."),
    "flags": N_("Choose from the flags listed."),
    "categories": N_("Choose from the categories listed."),
    "joinedOn": N_("Enter the date the member joined."),
    "toBranchId": N_("Choose the party unit the membership moves to."),
    "transferredOn": N_("Enter the date of the transfer; it cannot be earlier than the last transfer."),
    "reason": N_("Choose a reason."),
    "note": N_("Write a note of up to 500 characters."),
    "field": N_("Choose what to show."),
    "purpose": N_("State why you need to see it: at least 2 characters."),
}
DUPLICATE_ID = N_("A member with this ID number is already on this district's rolls.")
SAME_BRANCH = N_("The member already belongs to that party unit.")


def id_card_problem(typed: str) -> str | None:
    """What is wrong with a resident ID number (GB 11643), in the catalogue's words, or None when nothing is."""
    number = normalize_id_card(typed)
    if len(number) != 18:
        return ID_LENGTH
    if not (number[:17].isascii() and number[:17].isdigit()) or number[17] not in "0123456789X":
        return ID_CHARACTERS
    if number[0] == "0" or id_card_birth_date(number) is None:
        return ID_BIRTH_DATE
    if id_card_check_digit(number[:17]) != number[17]:
        return ID_CHECK_DIGIT
    return None


def mobile_problem(typed: str) -> str | None:
    number = normalize_phone(typed)
    ok = len(number) == 11 and number.isascii() and number.isdigit() and number[0] == "1" and number[1] in "3456789"
    return None if ok else MOBILE


def refusal(error: ApiError, shown: tuple[str, ...], typed: dict[str, str]) -> FormErrors:
    """Orgtree's 422 beside the form's fields, saying what is wrong with an ID number the way the page does as
    the user types; a refusal about something the form does not show is said above it."""
    fields: dict[str, str] = {}
    for name in error.fields:
        if name not in shown:
            continue
        if name == "idCard":
            fields[name] = id_card_problem(typed.get(name, "")) or ID_CHECK_DIGIT
        else:
            fields[name] = BY_FIELD.get(name, NOT_ACCEPTED)
    above = None if fields and len(fields) == len(error.fields) else NOT_ACCEPTED
    return FormErrors(fields=fields, form=above)


def conflict(error: ApiError) -> FormErrors:
    if "ID number" in error.detail:
        return FormErrors(fields={"idCard": DUPLICATE_ID})
    if "already belongs" in error.detail:
        return FormErrors(fields={"toBranchId": SAME_BRANCH})
    return FormErrors(form=NOT_ACCEPTED)
