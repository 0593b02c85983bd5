"""What the returns pages call dispatch's codes and refusals, as catalogue ids (translated in the templates)."""

from __future__ import annotations

from services.console.i18n import N_

BASES = {
    "grid_boundary": N_("Grid boundary: the place lies in another grid"),
    "responsibility_list": N_("Responsibility list: the item belongs to another unit"),
}
STATES = {
    "pending": N_("Awaiting the ruling"),
    "upheld": N_("Return upheld"),
    "rejected": N_("Return rejected"),
}
DECISIONS = {
    "uphold": N_("Uphold: the ticket goes to the unit named below"),
    "reject": N_("Reject: the returning unit keeps and handles the ticket"),
}
# dispatch's field messages (returns/services.py, schemas) -> what the form says beside the field
BY_FIELD = {
    "gridId": N_("Choose the grid whose boundary holds the place (not your own)."),
    "itemId": N_("Choose the catalogue item the responsibility list covers."),
    "proposedUnitId": N_("Choose the unit the evidence names (not your own)."),
    "citation": N_("Quote the boundary or the list's entry (at least 2 characters)."),
    "reason": N_("Say why the ticket is not yours (at least 2 characters)."),
    "basis": N_("Choose the evidence you cite."),
    "assignToUnitId": N_("Name the unit that must take the ticket (not the returning unit)."),
    "note": N_("Give the reason for the ruling (at least 2 characters)."),
    "decision": N_("Choose uphold or reject."),
}
NOT_YOURS = N_("Only the unit the ticket is placed on may return it.")
NOT_YOUR_RULING = N_("This return is ruled on by the unit above the returning unit.")
ALREADY = N_("This ticket already has a return awaiting its ruling, or the case cannot be returned now.")
RULED = N_("This return has already been ruled on.")
