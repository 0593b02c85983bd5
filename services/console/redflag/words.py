"""The Red Flag structure's codes in words, who opens the pages, and orgtree's refusals in the catalogue's words
beside the field they name."""

from __future__ import annotations

from services.console.api import ApiError
from services.console.forms import NOT_ACCEPTED, FormErrors
from services.console.i18n import N_

EDITORS = ("district_admin", "street_admin", "community_cadre")

STAFF_ROLES = {"full_time_worker": N_("Full-time party worker"), "reserve_cadre": N_("Reserve cadre")}
VENUE_KINDS = {
    "centre_71": N_("“71” party-mass service centre"),
    "point_7171": N_("Certified 7171 service point"),
    "red_cube_station": N_("Red Cube station"),
    "sunshine_station": N_("Sunshine station"),
    "party_mass_service_centre": N_("Party-mass service centre"),
    "open_org_life_base": N_("Open organisational-life base"),
    "member_activity_centre": N_("Member activity centre"),
}
STATUSES = {
    "none": N_("Not applied for"),
    "applied": N_("Applied for"),
    "certified": N_("Certified"),
    "revoked": N_("Revoked"),
}
CHANGES = {k: v for k, v in STATUSES.items() if k != "none"}

BY_FIELD = {
    "memberId": N_("Choose a member you may see."),
    "role": N_("Choose the role."),
    "since": N_("Enter the start date: today or earlier."),
    "until": N_("Enter an end date on or after the start."),
    "unitId": N_("Choose the unit."),
    "kind": N_("Choose the kind of venue."),
    "name": N_("Enter a name of up to 100 characters."),
    "address": N_("Enter an address of up to 200 characters."),
    "openingHours": N_("Enter opening hours of up to 100 characters."),
    "itemCount": N_("Enter a whole number of service items (party-mass service centres only)."),
    "status": N_("Choose the new status."),
    "changedOn": N_("Enter the date of the change: today or earlier, not before the last change."),
    "description": N_("Write a description of up to 500 characters."),
    "minimum": N_("Enter a whole number from 0 to 1000."),
}
BRAND_NAME = N_("Enter a brand name of at most 10 characters.")
CONFLICTS = (
    ("already serves", "memberId", N_("This member already serves the unit in this role.")),
    ("only a certified venue", "status", N_("Only a certified venue can have its certification revoked.")),
    ("already", "status", N_("The venue already has this status.")),
)
STALE = N_("That step no longer fits: someone else changed it first. The page shows it as it stands.")


def refusal(error: ApiError, shown: tuple[str, ...], by_field: dict[str, str] | None = None) -> FormErrors:
    """Orgtree's 422 beside the form's fields; anything the form does not show is said above it."""
    if error.status == 409:
        for said, field, message in CONFLICTS:
            if said in error.detail:
                return FormErrors(fields={field: message})
        return FormErrors(form=STALE)
    words = {**BY_FIELD, **(by_field or {})}
    fields = {name: words.get(name, NOT_ACCEPTED) for name in error.fields if name in shown}
    above = None if fields and len(fields) == len(error.fields) else NOT_ACCEPTED
    return FormErrors(fields=fields, form=above)
