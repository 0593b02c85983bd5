"""Which service queues receive which events. A service that consumes an event adds itself here.

Each service reads its events from lanes, one queue each, so that a bulk sync from another service never holds up
the service's own time-critical events (a new ticket, an offer):

* ``<service>.events``, written as the plain service name: its own events, and other services' events that a
  person is waiting on (a ticket assigned, a transfer offered, a title awarded);
* ``<service>.sync``, written ``sync("<service>")``: another service's copy of its facts (orgtree's grids,
  households, members and postings in dispatch's directory, training's people, documents' subjects; training's
  monthly reports). Such events come in bursts (a district's import, the demo: 24,000 at once) and must stay in
  order among themselves, so every one of a publisher's facts that a service copies goes on the same lane. The
  relay sends consecutive rows of one district for a sync lane as one message, applied in one transaction.

A worker consumes every lane of its service unless told otherwise (``redcell worker <service> --queues``).
"""

from __future__ import annotations

from typing import NamedTuple

EVENTS_ACTOR = "handle_event"  # one envelope per message
BATCH_ACTOR = "handle_events"  # consecutive envelopes of one district for one lane
EVENTS_LANE = "events"
SYNC_LANE = "sync"
LANES = (EVENTS_LANE, SYNC_LANE)


class Route(NamedTuple):
    """One subscription: the consuming service and the lane (queue) it reads the event from."""

    service: str
    lane: str = EVENTS_LANE

    @property
    def queue(self) -> str:
        return lane_queue(self.service, self.lane)

    @property
    def batched(self) -> bool:
        """Consecutive rows of one district are sent to this lane as one message."""
        return self.lane == SYNC_LANE


def sync(service: str) -> Route:
    """``service`` reads the event from its sync lane (another service's facts, in bulk and in order)."""
    return Route(service, SYNC_LANE)


# event name -> consuming services: "dispatch" reads it from dispatch.events, sync("dispatch") from dispatch.sync
_SUBSCRIPTIONS: dict[str, tuple[str | Route, ...]] = {
    "gateway.TenantProvisioned": ("orgtree", "dispatch", "training", "documents"),
    # dispatch keeps its directory (grids, households, red-cell links, member volunteers) in step; training its
    # people (members' units, flags and accounts); documents its subjects (a document about one reads like it)
    "orgtree.GridCreated": (sync("dispatch"), sync("documents")),
    "orgtree.GridLeaderChanged": (sync("dispatch"),),
    "orgtree.HouseholdPlaced": (sync("dispatch"), sync("documents")),
    "orgtree.HouseholdLinked": (sync("dispatch"),),
    "orgtree.HouseholdUnlinked": (sync("dispatch"),),
    "orgtree.HouseholdEventRecorded": (sync("dispatch"),),  # the eight mandatory visits (DSP-25)
    "orgtree.MemberCreated": (sync("dispatch"), sync("training"), sync("documents")),
    "orgtree.MemberUpdated": (sync("dispatch"), sync("training"), sync("documents")),
    "orgtree.MemberTransferred": (sync("dispatch"), sync("training"), sync("documents")),
    "orgtree.MemberRemoved": (sync("dispatch"), sync("training"), sync("documents")),
    "orgtree.UnitMoved": (
        sync("dispatch"),
        sync("training"),
        sync("documents"),
        "gateway",  # a cadre's scope under the unit follows it (gateway/tenants/scopes.py)
    ),  # a subtree re-hung: copied paths follow
    "orgtree.CadrePostingChanged": (sync("training"),),  # secretaries, committee members, rural cadres (TRN-03)
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
    "orgtree.MemberWarned": (sync("training"),),  # after the member it warns, on the same lane
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
    "training.MonthlyReportGenerated": (sync("documents"),),  # one per member and month
    "training.CertificateReviewDue": (),
    # a member moving between districts (GW-03, ORG-17): the gateway holds the offer and the history it gathers,
    # then tells the receiving district (member and carried-over history) and the sending one (the outcome)
    "orgtree.MemberTransferOffered": ("gateway", "training"),
    "training.TransferHistoryExported": ("gateway",),
    "gateway.MemberTransferAccepted": ("orgtree", "training"),
    "gateway.MemberTransferClosed": ("orgtree",),
    # the city's view (GW-02): each district's figures, never a person's row, kept per period at the gateway
    "dispatch.HotlineFiguresPublished": ("gateway",),
    "orgtree.NetworkFiguresPublished": ("gateway",),
    "training.CareFiguresPublished": ("gateway",),
}


def lane_queue(service: str, lane: str = EVENTS_LANE) -> str:
    return f"{service}.{lane}"


def events_queue(service: str) -> str:
    """The queue of the service's own and time-critical events."""
    return lane_queue(service, EVENTS_LANE)


def routes(event: str) -> tuple[Route, ...]:
    """The queues ``event`` is sent to, one per subscribing service."""
    return tuple(sub if isinstance(sub, Route) else Route(sub) for sub in _SUBSCRIPTIONS.get(event, ()))


def routed_events() -> tuple[str, ...]:
    return tuple(_SUBSCRIPTIONS)


def subscribers(event: str) -> tuple[str, ...]:
    """The services consuming ``event``."""
    return tuple(route.service for route in routes(event))


def lanes(service: str) -> tuple[str, ...]:
    """The lanes ``service`` reads, its events lane first (it always has one: a worker needs a queue to stand on)."""
    used = {route.lane for subs in _SUBSCRIPTIONS for route in routes(subs) if route.service == service}
    return (EVENTS_LANE, *(lane for lane in LANES if lane in used and lane != EVENTS_LANE))
