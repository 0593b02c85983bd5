"""orgtree's refusals of a unit change (nodes/services.py, levels/services.py) in the catalogue's words."""

from __future__ import annotations

import re

from services.console.api import ApiError
from services.console.forms import NOT_ACCEPTED, FormErrors
from services.console.i18n import N_

CYCLE = N_("A unit cannot move under itself or under one of its own units.")
REFUSED = (
    (re.compile(r"^a unit cannot move under itself"), CYCLE),
    (re.compile(r"^a unit cannot move to the other tree"), N_("A unit cannot move to the other tree.")),
    (re.compile(r"^a district's root cannot be moved"), N_("The district itself cannot be moved.")),
    (re.compile(r"^a district's root cannot be removed"), N_("The district itself cannot be closed.")),
    (
        re.compile(r"^only an empty unit can be removed"),
        N_("Only an empty unit can be closed: first move away its units, members and households."),
    ),
    (
        re.compile(r"^units still use the levels (?P<levels>.+); move"),
        N_("Units still use the levels %(levels)s: move or close them first."),
    ),
    (re.compile(r"^the schema needs a root level"), N_("The schema needs a top level (one without parents).")),
    (re.compile(r"^a level names a parent level"), N_("A level names a parent that is not in the schema.")),
)
BY_FIELD = {
    "name": N_("Enter a name of up to 200 characters."),
    "level": N_("Choose a level this unit may have under its parent."),
    "newParentId": N_("Choose the unit to move it under."),
    "template": N_("Choose one of the listed templates."),
}


def said(error: ApiError) -> tuple[str, dict[str, str]]:
    """A 409 (or a 422 naming no field) as a sentence and what fills it."""
    for pattern, message in REFUSED:
        found = pattern.match(error.detail)
        if found:
            return message, found.groupdict()
    return NOT_ACCEPTED, {}


def refused(error: ApiError, renamed: dict[str, str] | None = None) -> FormErrors:
    """A 422 beside the fields it names (``renamed``: the API's name -> the form's), else a sentence above."""
    if error.fields:
        names = {(renamed or {}).get(name, name): BY_FIELD.get(name, NOT_ACCEPTED) for name in error.fields}
        return FormErrors(fields=names)
    message, _ = said(error)
    return FormErrors(form=message)
