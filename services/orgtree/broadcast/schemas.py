from __future__ import annotations

from uuid import UUID

import msgspec


class GroupMember(msgspec.Struct, rename="camel", kw_only=True):
    member_id: UUID
    name: str
    roles: list[str]  # two_committee_cadre, red_collar_leader, member, mobile_member


class BroadcastGroup(msgspec.Struct, rename="camel", kw_only=True):
    kind: str  # red_cell | mobile_members
    name: str
    members: list[GroupMember]


class VillageBroadcastGroups(msgspec.Struct, rename="camel", kw_only=True):
    village_id: UUID
    village_name: str
    groups: list[BroadcastGroup]
