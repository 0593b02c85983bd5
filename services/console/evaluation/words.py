"""The Red Flag evaluation's states and steps in words, who opens the pages, and training's refusals in the
catalogue's words beside the field they name."""

from __future__ import annotations

from services.console.api import ApiError
from services.console.forms import NOT_ACCEPTED, FormErrors
from services.console.i18n import N_

ORGANISERS = ("district_admin", "street_admin", "community_cadre")
STREET = ("district_admin", "street_admin")
DISTRICT = ("district_admin",)

STATES = {
    "self_check": N_("Self-check"),
    "applied": N_("Applied, with the street"),
    "returned": N_("Returned by the street"),
    "recommended": N_("Recommended by the street"),
    "accepted": N_("Accepted by the district"),
    "awarded": N_("Red Flag Community awarded"),
    "refused": N_("Not awarded"),
}
ACTIONS = {
    "create": N_("Evaluation opened"),
    "apply": N_("The community applied"),
    "return": N_("The street returned the application"),
    "recommend": N_("The street recommended the community"),
    "accept": N_("The district's acceptance recorded"),
    "decide": N_("The district decided"),
}
OUTCOMES = {"award": N_("Award the Red Flag Community title"), "refuse": N_("Do not award this year")}

BY_FIELD = {
    "unitId": N_("Choose a community under your responsibility."),
    "year": N_("Enter a year such as 2026."),
    "selfScore": N_("Enter a score from 0 to 100."),
    "selfCheckNote": N_("Write what the self-check found."),
    "applicationNote": N_("The note is at most 10000 characters."),
    "streetScore": N_("Enter a score from 0 to 100."),
    "streetOpinion": N_("Write the street's opinion."),
    "reason": N_("Write the reason."),
    "siteVisitNote": N_("Write what the site visit found."),
    "documentReviewNote": N_("Write what the document review found."),
    "interviewsNote": N_("Write what the interviews found."),
    "acceptanceScore": N_("Enter a score from 0 to 100."),
    "outcome": N_("Choose the decision."),
    "recommendToCity": N_("Only an awarded community is recommended to the city."),
}
FORM_FIELDS = {"unitPath": "unitId", "unitName": "unitId"}
OUT_OF_TURN = N_("This step is not open in the evaluation's current state.")


def refusal(error: ApiError, shown: tuple[str, ...]) -> FormErrors:
    """Training's 422 beside the form's fields; what the form does not show, above it."""
    fields: dict[str, str] = {}
    for name in error.fields:
        field = FORM_FIELDS.get(name, name)
        if field in shown:
            fields.setdefault(field, BY_FIELD.get(field, NOT_ACCEPTED))
    return FormErrors(fields=fields, form=None if fields else NOT_ACCEPTED)
