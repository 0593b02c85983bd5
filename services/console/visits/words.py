"""The visit API's codes in words, and its refusals beside the field they concern."""

from __future__ import annotations

import re
from typing import Any

from services.console.api import ApiError
from services.console.forms import FormErrors
from services.console.i18n import N_

CHANNELS = {
    "in_person": N_("In person"),
    "phone": N_("By phone"),
    "wechat": N_("By WeChat"),
    "video": N_("By video call"),
}
OUTCOMES = {"note": N_("Keep as a note"), "ticket": N_("Open a ticket")}
# 八个必访 and orgtree's codes for them (dispatch's visits/rules.py)
KINDS = {
    "hospitalised": N_("Hospitalised"),
    "hardship": N_("Hardship"),
    "accident": N_("Accident"),
    "conflict": N_("Conflict"),
    "family_conflict": N_("Family conflict"),
    "neighbour_conflict": N_("Neighbour conflict"),
    "moved": N_("Moving house"),
    "worries": N_("Worries"),
    "unmet_benefits": N_("Benefits unmet by a former employer"),
}
ASSIGNED = {"linked": N_("Serving member"), "grid_leader": N_("Grid leader"), "nobody": N_("Nobody yet")}
UNITS = {"grid": N_("Grid"), "village": N_("Village or community"), "street": N_("Street")}

FUTURE = N_("The visit cannot be in the future.")
NOT_SERVED = N_("You do not serve this household.")
NO_CATEGORY = N_("Choose a service category of this district.")
WHEN_MISSING = N_("Give the day and time of the visit.")
SUMMARY_SHORT = N_("Describe the matter in at least two characters.")
NOT_ACCEPTED = N_("This value was not accepted.")

MATTER_FIELD = re.compile(r"^(?:body\.)?matters\[(\d+)\]\.(\w+)$")
KNOWN = {"is in the future": FUTURE, "not a household you serve": NOT_SERVED}


def visit_refusal(refused: ApiError) -> FormErrors:
    """The API's 422 beside the form's fields: ``matters[1].summary`` is the second matter's ``matter-1``."""
    errors = FormErrors()
    for item in refused.body.get("errors") or []:
        if not isinstance(item, dict):
            continue
        name = str(item.get("field") or "").removeprefix("body.")
        message = str(item.get("message") or "")
        found = MATTER_FIELD.match(name)
        if found:
            number, part = found.groups()
            errors.fields[f"matter-{number}"] = NO_CATEGORY if part == "categoryId" else SUMMARY_SHORT
        elif name:
            errors.fields[name] = KNOWN.get(message, NOT_ACCEPTED)
    if not errors:
        errors.form = refused.detail
    return errors


def short(household_id: str) -> str:
    """A household orgtree did not name to this reader: the first characters of its id."""
    return household_id[:8]


def labels_of(households: Any) -> dict[str, str]:
    """Orgtree's labels of the households a member serves (``3组12号``), by id."""
    items = households.get("items", []) if isinstance(households, dict) else []
    return {str(h["id"]): str(h.get("label") or "") for h in items}
