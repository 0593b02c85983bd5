"""The duty reviews' and rectification lists' codes in words, who opens which page, and training's refusals in the
catalogue's words beside the field they name."""

from __future__ import annotations

from services.console.api import ApiError
from services.console.forms import NOT_ACCEPTED, FormErrors
from services.console.i18n import N_

ORGANISERS = ("district_admin", "street_admin", "community_cadre")
MEMBERS = ("member", "volunteer")

# the poll form's seven aspects and four grades (Fuzhou's 测评表), in its order
ASPECTS = {
    "responsibility": N_("Carrying out the responsibility for party building"),
    "village_leadership": N_("Building the village leadership teams"),
    "member_ranks": N_("Building the ranks of members"),
    "openness_democracy": N_("Open village affairs and democratic management"),
    "serving_people": N_("Serving the people"),
    "hard_problems": N_("Solving hot and hard problems of party building"),
    "innovation": N_("Innovation in party building"),
}
GRADES = {
    "good": N_("Good"),
    "fairly_good": N_("Fairly good"),
    "average": N_("Average"),
    "poor": N_("Poor"),
}
STATES = {
    "drawn": N_("Drawn"),
    "polling": N_("Poll open"),
    "finalised": N_("Report finalised"),
}
KINDS = {"ask": N_("Question"), "follow_up": N_("Follow-up question"), "challenge": N_("Challenge")}

BY_FIELD = {
    "month": N_("Choose a month."),
    "unitId": N_("Choose a unit under your responsibility that has branch secretaries on record."),
    "count": N_("Enter a whole number from 1 to 50."),
    "questionnaireScore": N_("Enter a score from 0 to 100."),
    "questionnaireCount": N_("Enter how many questionnaires came back, as a whole number."),
    "questionnaireNote": N_("The note is at most 10000 characters."),
    "reportNote": N_("The note is at most 10000 characters."),
    "reportMinutes": N_("Enter the report's length in minutes, such as 8 or 7.5."),
    "conclusion": N_("Write the conclusion before finalising the report."),
    "question": N_("Write the question: up to 2000 characters."),
    "answer": N_("The answer is at most 10000 characters."),
    "kind": N_("Choose the kind of question."),
    "grades": N_("You have already voted in this poll."),
    "problem": N_("Describe the problem: up to 4000 characters."),
    "measure": N_("Describe the rectification measure: up to 4000 characters."),
    "leader": N_("Enter the responsible leader's name."),
    "deadline": N_("Choose a deadline from today on."),
    "note": N_("Write what was done: up to 4000 characters."),
    "progress": N_("Write this month's progress: up to 4000 characters."),
}
# the API's field -> the form's
FORM_FIELDS = {"unitPath": "unitId", "unitName": "unitId", "reportSeconds": "reportMinutes"}


def refusal(error: ApiError, shown: tuple[str, ...]) -> FormErrors:
    """Training's 422 beside the form's fields; what the form does not show, above it."""
    fields: dict[str, str] = {}
    for name in error.fields:
        field = FORM_FIELDS.get(name, name)
        if field in shown:
            fields.setdefault(field, BY_FIELD.get(field, NOT_ACCEPTED))
    return FormErrors(fields=fields, form=None if fields else NOT_ACCEPTED)
