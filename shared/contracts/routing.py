"""Which service queues receive which events. A service that consumes an event adds itself here."""

from __future__ import annotations

EVENTS_ACTOR = "handle_event"

# event name -> consuming services
_SUBSCRIPTIONS: dict[str, tuple[str, ...]] = {
    "gateway.TenantProvisioned": ("orgtree", "dispatch", "training"),
    # dispatch keeps its directory (grids, households, red-cell links, member volunteers) in step; training its
    # people (members' units, flags and accounts)
    "orgtree.GridCreated": ("dispatch",),
    "orgtree.GridLeaderChanged": ("dispatch",),
    "orgtree.HouseholdPlaced": ("dispatch",),
    "orgtree.HouseholdLinked": ("dispatch",),
    "orgtree.HouseholdUnlinked": ("dispatch",),
    "orgtree.MemberCreated": ("dispatch", "training"),
    "orgtree.MemberUpdated": ("dispatch", "training"),
    "orgtree.MemberTransferred": ("dispatch", "training"),
    "orgtree.MemberRemoved": ("dispatch", "training"),
    "orgtree.CadrePostingChanged": ("training",),  # secretaries, committee members, rural cadres (TRN-03)
    # dispatch routes and delivers off the request path, through its own queue
    "dispatch.TicketCreated": ("dispatch",),
    "dispatch.NotificationQueued": ("dispatch",),
    # training: completed services and fulfilled wishes credit points, overdue warnings are accountability records
    "dispatch.ServiceCompleted": ("training",),
    "dispatch.WishFulfilled": ("training",),
    "dispatch.TicketOverdue": ("training",),
    # training: attendance counts towards points; pre-service training makes a volunteer dispatchable (EVT-14)
    "training.AttendanceRecorded": ("training",),
    "training.PreServiceTrainingCompleted": ("dispatch",),
    # re-education (TRN-05): orgtree's warning opens a case, a failed case transfers the membership (EVT-01, EVT-02)
    "orgtree.MemberWarned": ("training",),
    "training.ReEducationFailed": ("orgtree",),
    # orgtree records star levels and titles on the unit or member (EVT-13)
    "training.StarRatingPublished": ("orgtree",),
    "training.TitleAwarded": ("orgtree",),
    # documents (issue 14) will take these; until then the relay marks them published with no subscriber
    "training.CommitmentPublished": (),
    "training.MonthlyReportGenerated": (),
    "training.CertificateReviewDue": (),
}


def events_queue(service: str) -> str:
    return f"{service}.events"


def subscribers(event: str) -> tuple[str, ...]:
    return _SUBSCRIPTIONS.get(event, ())
