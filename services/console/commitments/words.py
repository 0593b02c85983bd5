"""The commitment cycle's codes in words, who opens the board, and training's refusals said in the catalogue's
words beside the field they name."""

from __future__ import annotations

from services.console.api import ApiError
from services.console.forms import NOT_ACCEPTED, FormErrors
from services.console.i18n import N_

ORGANISERS = ("district_admin", "street_admin", "community_cadre")
READERS = (*ORGANISERS, "grid_leader")
MEMBERS = ("member", "volunteer")

STATES = {
    "defined": N_("Commitment defined"),
    "published": N_("Commitment published"),
    "fulfilling": N_("Being fulfilled"),
    "evaluated": N_("Commitment evaluated"),
}
HOLDERS = {"party_group": N_("Party group"), "member": N_("Member")}
BASES = {"annual_plan": N_("The annual plan"), "post": N_("Their post"), "skill": N_("Their skill")}
GROUP_BASES = {"annual_plan": BASES["annual_plan"]}
MEMBER_BASES = {"post": BASES["post"], "skill": BASES["skill"]}

# a field's message whatever training's words were (missing, lengths, formats, out of range)
BY_FIELD = {
    "period": N_("Enter a year, such as 2026."),
    "title": N_("Enter a title of up to 100 characters."),
    "content": N_("Say what is promised: up to 2000 characters."),
    "basis": N_("Choose what the commitment is based on."),
    "unitId": N_("Choose a party group under your responsibility."),
    "note": N_("Write what was done: up to 1000 characters."),
    "score": N_("Enter a score from 0 to 100, with at most two decimals."),
    "comment": N_("The comment is at most 1000 characters."),
    "personId": N_("Your account is not linked to a member: ask your community to link it."),
}
UNIT_FIELDS = {"unitPath": "unitId", "unitName": "unitId"}


def refusal(error: ApiError, shown: tuple[str, ...]) -> FormErrors:
    """Training's 422 beside the form's fields; a field the form does not show is named above it."""
    fields: dict[str, str] = {}
    for name in error.fields:
        field = UNIT_FIELDS.get(name, name)
        fields.setdefault(field, BY_FIELD.get(field, NOT_ACCEPTED))
    unshown = [name for name in fields if name not in shown]
    if not fields or unshown:  # said above the form: the account's link, or what the form cannot fix
        above = fields[unshown[0]] if unshown else NOT_ACCEPTED
        return FormErrors(fields={k: v for k, v in fields.items() if k in shown}, form=above)
    return FormErrors(fields=fields)


def state_of(detail: str) -> str:
    """The state a 409 names (``the commitment is published: ...``)."""
    head = detail.removeprefix("the commitment is ").split(":", 1)[0].strip()
    return head if head in STATES else ""
