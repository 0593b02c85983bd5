"""What the ticket page calls the APIs' codes, as catalogue ids (translated in the templates with ``_``)."""

from __future__ import annotations

from services.console import dispatch_labels
from services.console.i18n import N_

ACTIONS = {
    "created": N_("Ticket recorded"),
    "classified": N_("Classified or placed"),
    "dispatched": N_("Offered"),
    "no_candidate": N_("Nobody to offer it to"),
    "offers_withdrawn": N_("Open offers withdrawn"),
    "offer_withdrawn": N_("Offer withdrawn"),
    "accepted": N_("The provider signed for it"),
    "declined": N_("Offer declined"),
    "offer_expired": N_("Offer timed out"),
    "returned": N_("Handed back"),
    "provider_left": N_("Provider stood down"),
    "arrived": N_("Arrived on site"),
    "resolved": N_("Reported done"),
    "pledge_flagged": N_("Pledge flagged for review"),
    "feedback": N_("Feedback recorded"),
    "reopened": N_("Reopened"),
    "points_reversed": N_("Service points reversed"),
    "callback": N_("Callback"),
    "callback_waived": N_("Callback waived"),
    "closed": N_("Closed"),
    "merged": N_("Merged into another ticket"),
    "absorbed": N_("A duplicate was merged into it"),
    "cancelled": N_("Cancelled"),
    "escalated": N_("Escalated"),
    "assigned": N_("Taken over by the rung's unit"),
    "warned": N_("Time limit warning"),
    "referral_issued": N_("Referral notice issued"),
    "referral_closed": N_("Referral notice closed"),
    "extension_requested": N_("Extension requested"),
    "extension_approved": N_("Extension approved"),
    "extension_rejected": N_("Extension refused"),
    "return_filed": N_("Returned by its unit, with evidence"),
    "return_upheld": N_("Return upheld: placed on another unit"),
    "return_rejected": N_("Return rejected: stays with the unit"),
    "return_ruling_escalated": N_("Return not ruled on in time: passed up"),
    "return_ruling_overdue": N_("Return not ruled on in time"),
    "unit_moved": N_("Its responsible unit changed with a move in the organisation tree"),
}

# Why routing ranked a candidate where it did (routing/ranking.py ``reasons``), best reasons first.
REASONS = {
    "serves_household": N_("the red-cell member who serves this household"),
    "grid_leader": N_("leads the ticket's grid"),
    "same_grid": N_("in the ticket's grid"),
    "nearby": N_("within 3 km"),
    "skill": N_("has the skill the item needs"),
    "off_duty": N_("off duty (ranked last)"),
    "free": N_("no open orders"),
    "manual": N_("chosen by an operator"),
}
RANKING_RULE = N_(
    "Ranked by: the member who serves the household, then the ticket's grid, distance, the item's skill, "
    "on duty, and fewest open orders."
)
OFFER_STATES = {
    "open": N_("Waiting for an answer"),
    "accepted": N_("Accepted"),
    "declined": N_("Declined"),
    "expired": N_("Timed out"),
    "withdrawn": N_("Withdrawn"),
    "returned": N_("Handed back"),
}
MODES = {"assign": N_("one at a time"), "claim": N_("first to accept")}
PROVIDER_KINDS = {
    "member_volunteer": N_("member volunteer"),
    "professional_team": N_("professional team"),
    "expert_studio": N_("expert studio"),
    "franchise_firm": N_("franchise firm"),
    "skilled_resident": N_("skilled resident"),
}
# a ticket's channel and priority are named as on every other page
CHANNELS, PRIORITIES = dispatch_labels.CHANNELS, dispatch_labels.PRIORITIES
CLOCKS = {
    "sign_for": N_("to sign for"),
    "arrival": N_("to arrive"),
    "resolution": N_("to resolve"),
    "red": N_("until the red warning"),
    "referral": N_("for the referral notice"),
    "arbitration": N_("to rule on the return"),
}
CLOCK_STATES = {"running": N_("Running"), "fired": N_("Warning given"), "cancelled": N_("Stopped")}
EXTENSION_STATES = {"pending": N_("Waiting for a decision"), "approved": N_("Approved"), "rejected": N_("Refused")}
CALLBACK_OUTCOMES = {"reached": N_("Reached"), "unreachable": N_("Not reached"), "waived": N_("Waived")}
FEEDBACK_VIA = {
    "phone": N_("by phone, through the operator"),
    "sms": N_("by SMS reply, taken down by the operator"),
    "page": N_("on the resident's own page"),
}
AWAITING = {"feedback": N_("the resident's satisfied feedback"), "callback": N_("a callback (or its waiver)")}
REVEALABLE = {"callerPhone": N_("Caller's number"), "callerName": N_("Caller's name"), "address": N_("Address")}
SCORES = {
    "handlerScore": N_("The handler"),
    "stationScore": N_("The station"),
    "processScore": N_("The process"),
    "resultScore": N_("The result"),
}

# Timeline notes: what a history row's details add, as catalogue ids with their parameters.
OFFERED_TO = N_("Offered to %(names)s")
BY_OPERATOR_CHOICE = N_("chosen by the operator")
PROVIDER = N_("Provider: %(name)s")
SATISFIED = N_("Satisfied")
NOT_SATISFIED = N_("Not satisfied")
TO_RUNG = N_("To %(rung)s")
AUTOMATIC = N_("automatically, the red warning ran out")
ASKED_DUE = N_("Asked to move it to %(when)s")
NEW_DUE = N_("New due time: %(when)s")
REFERRAL = N_("Notice %(number)s, to be done by %(day)s")
SERVICE_MINUTES = N_("Service time: %(minutes)d min")
POINTS_TAKEN = N_("%(points)d points taken back")
LATE = N_("late")
SOMEONE = N_("(name not recorded)")
