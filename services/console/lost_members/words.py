"""The return programme's codes in words, the ledger as a table (page and .xlsx), and orgtree's refusals beside the
field they name."""

from __future__ import annotations

from typing import Any

from services.console.api import ApiError
from services.console.forms import NOT_ACCEPTED, FormErrors
from services.console.i18n import N_
from services.console.reports.figures import Line, Say, Table

KEEPERS = ("district_admin", "street_admin", "community_cadre")
READERS = (*KEEPERS, "grid_leader")
HOW_LOST = {
    "firm_closed": N_("The firm closed or was restructured"),
    "moved_away": N_("Went away to work, trade or live"),
    "documents_lost": N_("The transfer letter was lost"),
    "no_contact": N_("No contact with the organisation for long"),
}
CHANNELS = {
    "organisation_finds_member": N_("The organisation finds the member"),
    "member_finds_organisation": N_("The member finds the organisation"),
    "closed_firm_roster": N_("Closed firms' member rosters"),
    "community": N_("Asking in the community"),
    "police_station": N_("Residence registration at the police station"),
}
WAYS = {
    "location": N_("By location"),
    "workplace": N_("By workplace"),
    "interest": N_("By interest"),
    "business": N_("By business"),
}
STATES = {
    "searching": N_("Searching"),
    "found": N_("Found, to be placed"),
    "regrouped": N_("Regrouped"),
    "unqualified": N_("Unqualified, to be removed"),
}
STATION_SERVICES = {
    "membership_transfer": N_("Membership transfer"),
    "mobile_member_branch": N_("Mobile-member branch"),
    "reading_room": N_("Members' reading room"),
}
STEPS = {
    "opened": N_("Contact lost"),
    "searched": N_("Searched"),
    "found": N_("Member found"),
    "regrouped": N_("Regrouped"),
    "unqualified": N_("Found unqualified"),
}
# the steps each state offers: the API's path -> (the API's name of the form's day "on", the other fields)
NEXT: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {
    "searching": {"searches": ("searchedOn", ("channel", "note")), "found": ("foundOn", ("channel", "note"))},
    "found": {"regroup": ("regroupedOn", ("way", "toBranchId", "note")), "unqualified": ("judgedOn", ("note",))},
}
BY_FIELD = {
    "memberId": N_("Choose the member who lost contact."),
    "howLost": N_("Choose how contact was lost."),
    "lostSince": N_("Enter since when: not in the future."),
    "channel": N_("Choose the way of searching."),
    "on": N_("Enter the day: not in the future, nor before contact was lost."),
    "way": N_("Choose how the member is regrouped."),
    "toBranchId": N_("Choose a party branch other than the member's own."),
    "note": N_("Write a note of at most 1000 characters."),
}
STALE = N_("That step no longer fits the case: someone else changed it first. The page shows it as it stands.")
OPEN_ALREADY = N_("This member already has an open case: continue that one.")
TITLE, UNIT = N_("Lost-contact member ledger"), N_("Unit")
HEADERS = (
    N_("Lost contact"),
    N_("Found in all"),
    N_("By location"),
    N_("By workplace"),
    N_("By interest"),
    N_("By business"),
    N_("Unqualified, to be removed"),
    N_("Still searching"),
)
COUNTS = ("lost", "found", "byLocation", "byWorkplace", "byInterest", "byBusiness", "unqualified", "searching")
FILE_NAME = N_("Lost-contact member ledger")


def refusal(error: ApiError, shown: tuple[str, ...]) -> FormErrors:
    if error.status == 409:
        return FormErrors(form=OPEN_ALREADY if "open case" in error.detail else STALE)
    if error.status == 404:
        return FormErrors(fields={name: BY_FIELD[name] for name in ("memberId", "toBranchId") if name in shown})
    fields = {name: BY_FIELD.get(name, NOT_ACCEPTED) for name in error.fields if name in shown}
    return FormErrors(fields=fields, form=None if fields else NOT_ACCEPTED)


def ledger_table(ledger: dict[str, Any], words: Say, link: str) -> Table:
    """The unit's lines one level down, then the unit's own total: as the page and the workbook show them."""

    def line(item: dict[str, Any], down: bool) -> Line:
        cells = tuple(item["counts"][c] for c in COUNTS)
        return Line(item["unitName"], cells, f"{link}?within={item['unitId']}" if down else None)

    return Table(
        title=f"{words(TITLE)}: {ledger['unit']['unitName']}",
        headers=(words(UNIT), *(words(h) for h in HEADERS)),
        lines=[line(item, True) for item in ledger["lines"]],
        total=line(ledger["unit"], False),
    )
