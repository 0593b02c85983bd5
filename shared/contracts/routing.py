"""Which service queues receive which events. A service that consumes an event adds itself here."""

from __future__ import annotations

EVENTS_ACTOR = "handle_event"

# event name -> consuming services
_SUBSCRIPTIONS: dict[str, tuple[str, ...]] = {
    "gateway.TenantProvisioned": ("orgtree", "dispatch", "training", "documents"),
    # dispatch keeps its directory (grids, households, red-cell links, member volunteers) in step; training its
    # people (members' units, flags and accounts); documents its subjects (a document about one reads like it)
    "orgtree.GridCreated": ("dispatch", "documents"),
    "orgtree.GridLeaderChanged": ("dispatch",),
    "orgtree.HouseholdPlaced": ("dispatch", "documents"),
    "orgtree.HouseholdLinked": ("dispatch",),
    "orgtree.HouseholdUnlinked": ("dispatch",),
    "orgtree.HouseholdEventRecorded": ("dispatch",),  # the eight mandatory visits (DSP-25)
    "orgtree.MemberCreated": ("dispatch", "training", "documents"),
    "orgtree.MemberUpdated": ("dispatch", "training", "documents"),
    "orgtree.MemberTransferred": ("dispatch", "training", "documents"),
    "orgtree.MemberRemoved": ("dispatch", "training", "documents"),
    "orgtree.CadrePostingChanged": ("training",),  # secretaries, committee members, rural cadres (TRN-03)
    "orgtree.ImportQueued": ("orgtree",),  # a bulk import runs on orgtree's own worker, reporting its progress
    # dispatch routes and delivers off the request path, through its own queue
    "dispatch.TicketCreated": ("dispatch", "documents"),
    # documents lets the provider holding an order, and a wish's claimer, file their photos (evidence)
    "dispatch.TicketAssigned": ("documents",),
    "dispatch.TicketReleased": ("documents",),
    "dispatch.TicketResolved": ("documents",),
    "dispatch.WishClaimed": ("documents",),
    "dispatch.NotificationQueued": ("dispatch",),
    "dispatch.ReferralIssued": ("documents",),  # documents renders the referral notice (EVT-03)
    # training: completed services and fulfilled wishes credit points, overdue warnings are accountability records
    "dispatch.ServiceCompleted": ("training",),
    "dispatch.WishFulfilled": ("training",),
    "dispatch.TicketOverdue": ("training",),
    # training: attendance counts towards points; pre-service training makes a volunteer dispatchable (EVT-14)
    "training.AttendanceRecorded": ("training", "orgtree"),  # orgtree: organisational life for ORG-18
    "training.PreServiceTrainingCompleted": ("dispatch",),
    # re-education (TRN-05): orgtree's warning opens a case, a failed case transfers the membership (EVT-01, EVT-02)
    "orgtree.MemberWarned": ("training",),
    "training.ReEducationFailed": ("orgtree",),
    # orgtree records star levels and titles on the unit or member (EVT-13)
    "training.StarRatingPublished": ("orgtree",),
    "training.TitleAwarded": ("orgtree", "documents"),  # documents renders the certificate (EVT-13)
    # documents reads what was stored (EXIF, thumbnails, text, OCR) off the request path, through its own queue
    "documents.VersionStored": ("documents",),
    # dispatch keeps the document ids of evidence photos (tickets' work, fulfilled wishes)
    "documents.EvidenceFiled": ("dispatch",),
    # documents renders and files these (EVT-03, EVT-13, EVT-16) and posts commitments to the board (EVT-17)
    "training.CommitmentPublished": ("documents",),
    "training.MonthlyReportGenerated": ("documents",),
    "training.CertificateReviewDue": (),
    # a member moving between districts (GW-03, ORG-17): the gateway holds the offer and the history it gathers,
    # then tells the receiving district (member and carried-over history) and the sending one (the outcome)
    "orgtree.MemberTransferOffered": ("gateway", "training"),
    "training.TransferHistoryExported": ("gateway",),
    "gateway.MemberTransferAccepted": ("orgtree", "training"),
    "gateway.MemberTransferClosed": ("orgtree",),
}


def events_queue(service: str) -> str:
    return f"{service}.events"


def subscribers(event: str) -> tuple[str, ...]:
    return _SUBSCRIPTIONS.get(event, ())
