from __future__ import annotations

from uuid import UUID

import msgspec


class NetworkRollup(msgspec.Struct, rename="camel", kw_only=True):
    """ORG-12: stationed cadres – village cadres – red-collar leaders – members – households."""

    node_id: UUID
    stationed_cadres: int
    village_cadres: int
    red_collar_leaders: int
    members: int
    households: int


class NetworkLine(msgspec.Struct, rename="camel", kw_only=True):
    """One unit's roll-up, named, as a line of a breakdown."""

    node_id: UUID
    name: str
    level: str
    stationed_cadres: int
    village_cadres: int
    red_collar_leaders: int
    members: int
    households: int


class NetworkBreakdown(msgspec.Struct, rename="camel", kw_only=True):
    """ORG-12 for a unit and each unit directly under it (the first ``CHILDREN_SHOWN``, in path order)."""

    unit: NetworkLine
    children: list[NetworkLine]
    more_children: bool  # there are more units under it than are listed


class MemberLinkCount(msgspec.Struct, rename="camel", kw_only=True):
    member_id: UUID
    name: str
    households: int


class RedCellCoverage(msgspec.Struct, rename="camel", kw_only=True):
    node_id: UUID | None
    links_min: int
    links_max: int
    members: int
    members_outside_range: int
    members_below_range: int  # the two parts of members_outside_range
    members_over_range: int
    outside_range: list[MemberLinkCount]  # the first 200, fewest links first
    households: int
    unserved_households: int
    coverage_percent: float


class CadreGuidance(msgspec.Struct, rename="camel", kw_only=True):
    cadre_id: UUID
    name: str
    guided_members: int
    links_below_minimum: int  # guided members contacted fewer times than required this month
    outside_range: bool


class GuidanceReport(msgspec.Struct, rename="camel", kw_only=True):
    month: str
    contacts_required: int
    guided_min: int
    guided_max: int
    cadres_below_minimum: list[CadreGuidance]


class UnpostedMember(msgspec.Struct, rename="camel", kw_only=True):
    member_id: UUID
    name: str
    grid_id: UUID | None
    grid_name: str | None
