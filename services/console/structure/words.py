"""The dual network's codes in words, who opens the pages, and orgtree's refusals beside the field they name."""

from __future__ import annotations

from services.console.api import ApiError
from services.console.forms import NOT_ACCEPTED, FormErrors
from services.console.i18n import N_

EDITORS = ("district_admin", "street_admin", "community_cadre")
STAFF = (*EDITORS, "grid_leader")

SOURCES = {"township": N_("Township instructor"), "community_branch": N_("Community instructor")}
METHODS = {"self_nomination": N_("Self-nomination"), "branch_nomination": N_("Branch nomination")}
BODIES = {
    "branch_committee": N_("Branch committee"),
    "village_committee": N_("Villagers' committee"),
    "residents_committee": N_("Residents' committee"),
}
NOMINATIONS = {
    "self": N_("Self-nominated"),
    "organisation": N_("Nominated by the organisation"),
    "members_jointly": N_("Nominated jointly by members"),
    "residents_jointly": N_("Nominated jointly by residents"),
}
ROLES = {
    "two_committee_cadre": N_("Two-committee cadre"),
    "red_collar_leader": N_("Red-collar leader"),
    "member": N_("Member"),
    "mobile_member": N_("Mobile member"),
}
SUBJECT_KINDS = {"village_branch": N_("Village branch"), "grid_group": N_("Grid party group"), "member": N_("Member")}

BY_FIELD = {
    "memberId": N_("Choose a member who belongs where this instructor comes from."),
    "source": N_("Choose where the instructor comes from."),
    "since": N_("Enter the start date: today or earlier."),
    "until": N_("Enter an end date on or after the start."),
    "postCode": N_("Choose a post from the catalogue."),
    "method": N_("Choose how the post was claimed."),
    "claimedOn": N_("Enter the claim's date: today or earlier, not before the current claim."),
}
CONFLICTS = (
    ("already instructs", "memberId", N_("This member already instructs this group.")),
    ("end one's term first", "source", N_("The group has all its instructors of this kind: end one's term first.")),
    ("holds this post already", "postCode", N_("The member holds this post already.")),
)
STALE = N_("That step no longer fits: someone else changed it first. The page shows it as it stands.")


def refusal(error: ApiError, shown: tuple[str, ...]) -> FormErrors:
    """Orgtree's 409 or 422 beside the form's fields; anything the form does not show is said above it."""
    if error.status == 409:
        for said, field, message in CONFLICTS:
            if said in error.detail:
                return FormErrors(fields={field: message})
        return FormErrors(form=STALE)
    fields = {name: BY_FIELD.get(name, NOT_ACCEPTED) for name in error.fields if name in shown}
    above = None if fields and len(fields) == len(error.fields) else NOT_ACCEPTED
    return FormErrors(fields=fields, form=above)
