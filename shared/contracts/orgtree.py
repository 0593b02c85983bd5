"""Events the orgtree service publishes (EVT-10, EVT-11, EVT-12). Ids and non-personal facts only, and a member's
name: it is shown on every roll, public notice and performance wall the seeds describe, so training keeps it for
its rosters and dispatch for its volunteers. Phone and ID numbers never travel."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

import msgspec

from shared.contracts.base import Event, event_type


@event_type
class MemberCreated(Event, frozen=True, kw_only=True):
    NAME = "orgtree.MemberCreated"
    VERSION = 1

    member_id: UUID
    grid_id: UUID | None
    branch_id: UUID
    classification: str
    user_id: UUID | None = None  # the member's gateway account, which answers dispatch offers
    name: str = ""
    branch_path: str = ""  # the party unit's tree path: rolls per unit are ranges of it
    grid_path: str | None = None
    flags: list[str] = []  # mobile, warned, activist ... (orgtree members/rules.py MEMBER_FLAGS)
    post_code: str | None = None


@event_type
class MemberUpdated(Event, frozen=True, kw_only=True):
    """Profile fields changed; ``changed`` names them (camelCase API names), never their values."""

    NAME = "orgtree.MemberUpdated"
    VERSION = 1

    member_id: UUID
    grid_id: UUID | None
    changed: list[str]
    user_id: UUID | None = None
    # the member as it now stands (the fields above are the change; these are its facts after it)
    name: str = ""
    grid_path: str | None = None
    flags: list[str] = []
    post_code: str | None = None


@event_type
class MemberTransferred(Event, frozen=True, kw_only=True):
    """Formal membership moved to another party unit (ORG-17); dispatch reassigns, training moves records."""

    NAME = "orgtree.MemberTransferred"
    VERSION = 1

    member_id: UUID
    from_branch_id: UUID
    to_branch_id: UUID
    transferred_on: date
    reason: str
    to_branch_path: str = ""


@event_type
class MemberRemoved(Event, frozen=True, kw_only=True):
    NAME = "orgtree.MemberRemoved"
    VERSION = 1

    member_id: UUID
    reason: str


class UnitRef(msgspec.Struct, frozen=True, kw_only=True):
    """A unit of the administrative tree: id, level code and display name (no personal data)."""

    id: UUID
    level: str
    name: str


@event_type
class GridCreated(Event, frozen=True, kw_only=True):
    NAME = "orgtree.GridCreated"
    VERSION = 1

    grid_id: UUID
    parent_id: UUID
    level: str
    party_group_id: UUID | None  # the grid's party group when the district runs dual-network fusion
    name: str = ""
    path: str = ""  # the grid's tree path: tokens' scopes are paths, so dispatch confines cadres by it
    ancestors: list[UnitRef] = []  # root first, down to the parent: the escalation ladder follows them


@event_type
class UnitMoved(Event, frozen=True, kw_only=True):
    """A unit was re-hung under another parent, its whole subtree with it: one event, not one per descendant. Every
    copy of a path in the subtree reads ``new_path`` followed by what came after ``old_path``. ``ancestors`` is the
    unit's new chain (root first, down to the new parent), which replaces the part of a grid's chain above the unit.
    ``moved_at`` orders the moves of one unit, so a replayed or late one is recognised and changes nothing."""

    NAME = "orgtree.UnitMoved"
    VERSION = 1

    unit_id: UUID
    tree: str  # administrative | party
    level: str
    name: str
    old_path: str
    new_path: str
    old_parent_id: UUID
    new_parent_id: UUID
    moved_at: datetime
    ancestors: list[UnitRef] = []


@event_type
class HouseholdPlaced(Event, frozen=True, kw_only=True):
    """A household was registered in, or moved to, a grid; dispatch routes its tickets by it."""

    NAME = "orgtree.HouseholdPlaced"
    VERSION = 1

    household_id: UUID
    grid_id: UUID


@event_type
class GridLeaderChanged(Event, frozen=True, kw_only=True):
    """Who leads a grid now (``member_id`` None: vacant); dispatch routes grid cases to this member."""

    NAME = "orgtree.GridLeaderChanged"
    VERSION = 1

    grid_id: UUID
    member_id: UUID | None
    previous_member_id: UUID | None


@event_type
class HouseholdLinked(Event, frozen=True, kw_only=True):
    NAME = "orgtree.HouseholdLinked"
    VERSION = 1

    household_id: UUID
    member_id: UUID


@event_type
class HouseholdUnlinked(Event, frozen=True, kw_only=True):
    NAME = "orgtree.HouseholdUnlinked"
    VERSION = 1

    household_id: UUID
    member_id: UUID


@event_type
class HouseholdEventRecorded(Event, frozen=True, kw_only=True):
    """A household needs a visit (hospitalised, moved, conflict...); the note stays in orgtree."""

    NAME = "orgtree.HouseholdEventRecorded"
    VERSION = 1

    event_id: UUID
    household_id: UUID
    kind: str
    occurred_on: date
    linked_member_ids: list[UUID]


class CadreRole(msgspec.Struct, frozen=True, kw_only=True):
    """One of a member's postings: stationed or village cadre, the role held, the level of the unit served."""

    kind: str  # stationed | village
    role: str | None  # village cadres: secretary, deputy_secretary, committee_member, director ...
    unit_level: str  # the level code of the village or community posted to: village, community


@event_type
class CadrePostingChanged(Event, frozen=True, kw_only=True):
    """A cadre was posted to a village or community, or the posting ended (ORG-10, ORG-19). ``postings`` is the
    member's every posting after this change, so a consumer derives duties (secretary, rural cadre ...) from it
    without keeping postings of its own; training's targets depend on them (TRN-03)."""

    NAME = "orgtree.CadrePostingChanged"
    VERSION = 1

    posting_id: UUID
    member_id: UUID
    village_id: UUID
    kind: str
    role: str | None
    unit_level: str
    active: bool  # False: the posting ended
    postings: list[CadreRole] = []


@event_type
class MemberWarned(Event, frozen=True, kw_only=True):
    """EVT-01: a member was given a warning (the "warned" flag); training opens a re-education case (TRN-05).
    The decision's wording stays in orgtree."""

    NAME = "orgtree.MemberWarned"
    VERSION = 1

    member_id: UUID
    branch_path: str
    warned_on: date


@event_type
class ImportQueued(Event, frozen=True, kw_only=True):
    """An uploaded sheet waits in its import job: orgtree's own worker checks and stores it off the request path."""

    NAME = "orgtree.ImportQueued"
    VERSION = 1

    job_id: UUID


@event_type
class VenueCertificationChanged(Event, frozen=True, kw_only=True):
    """A venue or service point's certification changed (ORG-22): a 7171 point certified with its sign, or revoked.
    Dispatch may offer certified points as walk-in places and documents may file the certificate; none subscribes
    yet."""

    NAME = "orgtree.VenueCertificationChanged"
    VERSION = 1

    venue_id: UUID
    unit_id: UUID
    unit_path: str
    kind: str  # centre_71 | point_7171 | red_cube_station | ... (orgtree redflag/venues.py VENUE_KINDS)
    name: str
    status: str  # applied | certified | revoked
    changed_on: date
    signage: bool
