"""The new-ticket form: the API bodies built from what was typed, and the API's refusals in words.

The console judges nothing itself: what the form holds goes to dispatch's dry run for duplicates
(``POST /api/dispatch/tickets/duplicates``) and then to ``POST /api/dispatch/tickets`` as typed (empty optional
fields left out); dispatch's 422 names the fields, shown here beside them in the catalogue's words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.console.api import ApiError
from services.console.forms import NOT_ACCEPTED, FormErrors
from services.console.i18n import N_

OTHER_PLACE = "other"  # the place radio: a household's id, or this for a grid and/or an address
OFFERED = "offered"  # the form's hidden field: the ids of the possible duplicates the operator was shown
# what dispatch's dry run compares (``DuplicateProbe``), taken from the body the ticket would be saved with
PROBED = ("callerPhone", "householdId", "address", "categoryId")

PHONE_WRONG = N_("Enter a mobile number (11 digits) or a landline with its area code.")
# dispatch's messages (tickets/intake.py, catalogue/services.py, tickets/services.py) -> catalogue ids
KNOWN = {
    "not a mainland mobile number or a landline with its area code": PHONE_WRONG,
    "not a category of this district": N_("This category is not in the district's catalogue."),
    "not an item of this district": N_("Choose an item of the chosen category."),
    "not an item of the given category": N_("Choose an item of the chosen category."),
    "not a household of this district": N_("The hotline does not know this household yet. Choose its grid."),
    "the household is in another grid": N_("The household is in another grid."),
    "not a grid of this district": N_("This grid is not one of the district's."),
}
# a field's own message when dispatch's words are the decoder's (lengths, patterns, formats)
BY_FIELD = {
    "phone": PHONE_WRONG,
    "callerPhone": PHONE_WRONG,
    "title": N_("Enter a title of up to 200 characters."),
    "description": N_("The account of the request may have up to 4000 characters."),
    "callerName": N_("The caller's name may have up to 50 characters."),
    "address": N_("Enter an address of 2 to 200 characters, or leave it empty."),
    "categoryId": N_("This category is not in the district's catalogue."),
    "itemId": N_("Choose an item of the chosen category."),
    "channel": N_("Choose one of the listed options."),
    "priority": N_("Choose one of the listed options."),
}
FORM_FIELDS = (  # in the form's order: the first with a message takes the focus
    "channel",
    "priority",
    "categoryId",
    "itemId",
    "place",
    "gridId",
    "address",
    "title",
    "description",
    "callerName",
    "callerPhone",
)


def refusal(error: ApiError) -> FormErrors:
    """The API's refusal beside the fields it names; a field the form does not show is named above it."""
    fields = {name: KNOWN.get(message) or BY_FIELD.get(name) or NOT_ACCEPTED for name, message in error.fields.items()}
    if "householdId" in fields:
        fields["place"] = fields.pop("householdId")
    unshown = [name for name in fields if name not in FORM_FIELDS and name != "phone"]
    if unshown or not fields:
        return FormErrors(fields=fields, form=NOT_ACCEPTED if fields else error.detail)
    return FormErrors(fields=fields)


@dataclass(frozen=True)
class Draft:
    """What the operator typed, as the form shows it again."""

    values: dict[str, str]

    @classmethod
    def blank(cls, phone: str, households: list[dict[str, Any]]) -> Draft:
        place = str(households[0]["id"]) if households else OTHER_PLACE
        return cls({"channel": "phone", "priority": "normal", "callerPhone": phone, "place": place})

    def get(self, name: str) -> str:
        return self.values.get(name, "")

    def body(self) -> dict[str, Any]:
        """``POST /api/dispatch/tickets``: the fields as typed, empty optional ones left out; the place is the
        chosen household, or else the grid and the address."""
        typed = {name: self.get(name).strip() for name in FORM_FIELDS}
        body: dict[str, Any] = {
            "channel": typed["channel"],
            "priority": typed["priority"],
            "title": self.get("title"),  # as typed: dispatch refuses an empty or blank one
            "description": typed["description"],
        }
        for name in ("categoryId", "itemId", "callerName", "callerPhone"):
            if typed[name]:
                body[name] = typed[name]
        if typed["place"] and typed["place"] != OTHER_PLACE:
            body["householdId"] = typed["place"]
            return body
        for name in ("gridId", "address"):
            if typed[name]:
                body[name] = typed[name]
        return body

    def probe(self) -> dict[str, Any]:
        """``POST /api/dispatch/tickets/duplicates``: what the ticket would be saved with that dispatch compares."""
        body = self.body()
        return {name: body[name] for name in PROBED if name in body}

    def offered(self) -> set[str]:
        """The possible duplicates already shown with this form (the operator chose to save it anyway)."""
        return {found for found in self.get(OFFERED).split(",") if found}

    def offering(self, found: list[dict[str, Any]]) -> Draft:
        """The form as shown again with ``found`` offered: their ids join the ones shown before."""
        offered = sorted(self.offered() | {str(ticket["id"]) for ticket in found})
        return Draft({**self.values, OFFERED: ",".join(offered)})
