"""What the hotline settings' pages share: who opens them, dispatch's codes in words, and reading a form the way
dispatch reads a body (numbers as numbers; what is not a number goes as typed, for dispatch to refuse by name)."""

from __future__ import annotations

import re
from typing import Any

from services.console.api import ApiError
from services.console.forms import NOT_ACCEPTED, FormErrors
from services.console.i18n import N_

API = "/api/dispatch"
HOME = "/console/hotline"
ADMINS = ("district_admin",)

MODES = {"assign": N_("Assign: one provider at a time"), "claim": N_("Claim: the first to accept takes it")}
HANDLING = {"on_spot": N_("Done at the door"), "proxy": N_("Errand run for the resident")}
ORG_LEVELS = {
    "grid": N_("Grid level"),
    "village": N_("Village or community level"),
    "street": N_("Street level"),
    "district": N_("District level"),
}
KINDS = {
    "member_volunteer": N_("Member volunteer"),
    "professional_team": N_("Professional team"),
    "expert_studio": N_("Expert studio"),
    "franchise_firm": N_("Franchise firm"),
    "skilled_resident": N_("Skilled resident"),
}
REGISTERED = {k: v for k, v in KINDS.items() if k != "member_volunteer"}  # member volunteers come from orgtree
FEE_MODES = {"low_fee": N_("Low fee"), "free": N_("Free of charge")}
WEEKDAYS = {
    "1": N_("Monday"),
    "2": N_("Tuesday"),
    "3": N_("Wednesday"),
    "4": N_("Thursday"),
    "5": N_("Friday"),
    "6": N_("Saturday"),
    "7": N_("Sunday"),
}

MINUTES = N_("Enter whole minutes from 1 to 525600, or leave it empty.")
BY_FIELD = {
    "code": N_("Use lower-case letters, digits and _ (up to 40), starting with a letter."),
    "name": N_("Enter a name of up to 60 characters."),
    "mode": N_("Choose assign or claim."),
    "signForMinutes": MINUTES,
    "arrivalMinutes": MINUTES,
    "resolutionMinutes": MINUTES,
    "answerWindowMinutes": N_("Enter whole minutes from 1 to 1440."),
    "handling": N_("Choose how the item is handled."),
    "skill": N_("Use lower-case letters, digits and _ (up to 40), starting with a letter."),
    "hotlineNumber": N_("Enter 3 to 20 digits."),
    "arrivalLimitMinutes": N_("Enter whole minutes from 1 to 1440."),
    "offerTimeoutSeconds": N_("Enter whole seconds from 10 to 86400."),
    "duplicateWindowDays": N_("Enter whole days from 1 to 90."),
    "redAfterMinutes": N_("Enter whole minutes from 0 to 129600."),
    "workingWeekdays": N_("Choose the working days of the week."),
    "workStarts": N_("Enter a time such as 08:30."),
    "workEnds": N_("The working day must end after it starts."),
    "webhookUrl": N_("Enter an address starting with http:// or https://, or leave it empty."),
    "day": N_("Choose a day."),
    "isWorking": N_("Choose holiday or working day."),
    "label": N_("Enter up to 60 characters."),
    "kind": N_("Choose the kind of provider."),
    "skills": N_("Name up to 20 skills in lower-case letters, digits and _, separated by commas."),
    "gridId": N_("Choose a grid of this district."),
    "phone": N_("Enter a mainland mobile number, or a landline with its area code."),
    "cardNumber": N_("Use letters, digits and - (up to 40)."),
    "feeMode": N_("A franchise firm serves at a low fee or free of charge; other providers have no fee mode."),
}
KNOWN = {
    "already the code of a service category of this district": N_("This code is already in use in this district."),
    "already the code of a service item of this district": N_("This code is already in use in this district."),
    "a member volunteer's grid, account and name follow orgtree": N_(
        "A member volunteer's name and grid follow the organisation tree: change them on the member."
    ),
}
WHOLE = re.compile(r"^-?\d+$")
ITEM = re.compile(r"\[\d+\]$")
CLOCK = re.compile(r"^\d{2}:\d{2}$")


def refused(error: ApiError) -> FormErrors:
    """Dispatch's 4xx beside the fields it names (a known message, else what the field takes); above the form
    otherwise, in words, never in the API's English."""
    said = FormErrors.from_api(error, KNOWN)
    said.fields = {ITEM.sub("", name): message for name, message in said.fields.items()}  # skills[2] -> skills
    for name, message in said.fields.items():
        if message == NOT_ACCEPTED:
            said.fields[name] = BY_FIELD.get(name, NOT_ACCEPTED)
    if said.form is not None and said.form not in KNOWN.values():
        said.form = NOT_ACCEPTED
    return said


def number(text: str | None) -> Any:
    """A whole number as typed: an int; empty: None; anything else as it was, for the API to refuse by name."""
    text = (text or "").strip()
    if not text:
        return None
    return int(text) if WHOLE.match(text) else text


def clock_time(text: str | None) -> str:
    """A time input's ``08:30`` as the API's ``08:30:00``."""
    text = (text or "").strip()
    return f"{text}:00" if CLOCK.match(text) else text


def checked(form: dict[str, str], name: str) -> bool:
    return name in form
