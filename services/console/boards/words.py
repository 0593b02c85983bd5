"""Who opens the boards, and the documents service's refusals (boards/services.py) in the catalogue's words."""

from __future__ import annotations

from services.console.api import ApiError
from services.console.forms import NOT_ACCEPTED, FormErrors
from services.console.i18n import N_

STAFF = ("district_admin", "street_admin", "community_cadre", "grid_leader")
STATES = {"published": N_("On show"), "withdrawn": N_("Withdrawn")}
ACTIONS = {"published": N_("Published"), "withdrawn": N_("Withdrawn")}
# the public fields the seeded types name (documents/types/catalogue.py); another name is shown as it is
FIELDS = {
    "title": N_("Title"),
    "month": N_("Month"),
    "period": N_("Period"),
    "effectiveFrom": N_("Effective from"),
    "trial": N_("On trial"),
}

# the start of the API's 409/403/404 detail -> what the user reads
REFUSALS = (
    ("the document is already published", N_("This document is already on this board for that unit.")),
    ("documents of type", N_("Documents of this type are not public: they cannot go on a public board.")),
    ("the document is ", N_("Only a document in use can be published.")),
    ("the publication is already withdrawn", N_("This publication has already been withdrawn.")),
    ("body.unitPath", N_("That unit is outside your responsibility.")),
    ("no such document", N_("Choose a document from the list.")),
)
BY_FIELD = {
    "documentId": N_("Choose a document from the list."),
    "unitId": N_("Choose one of the listed units."),
    "note": N_("The note is at most 500 characters."),
    "reason": N_("Say why, in up to 500 characters."),
}
UNIT_FIELDS = {"unitPath": "unitId", "unitName": "unitId"}


def said(detail: str) -> str:
    for start, message in REFUSALS:
        if detail.startswith(start):
            return message
    return NOT_ACCEPTED


def refusal(error: ApiError) -> FormErrors:
    """A 422 beside the fields it names; a 403/404/409 above the form in words."""
    if error.fields:
        return FormErrors(
            fields={UNIT_FIELDS.get(k, k): BY_FIELD.get(UNIT_FIELDS.get(k, k), NOT_ACCEPTED) for k in error.fields}
        )
    if error.status == 404:
        return FormErrors(fields={"documentId": BY_FIELD["documentId"]})
    return FormErrors(form=said(error.detail))
