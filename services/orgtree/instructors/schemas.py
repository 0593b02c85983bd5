from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

import msgspec

Source = Annotated[str, msgspec.Meta(min_length=1, max_length=20)]


class InstructorCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    member_id: UUID
    source: Source  # township | community_branch
    since: date


class InstructorEnd(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    until: date


class InstructorView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    group_id: UUID
    member_id: UUID
    member_name: str
    source: str
    since: date
    until: date | None
    current: bool


class GroupInstructorsView(msgspec.Struct, rename="camel", kw_only=True):
    group_id: UUID
    group_name: str
    grid_id: UUID
    grid_name: str
    required_from_township: int
    required_from_branch: int
    instructors: list[InstructorView]  # current first, then those who have stood down


class InstructorGap(msgspec.Struct, rename="camel", kw_only=True):
    group_id: UUID
    group_name: str
    grid_id: UUID
    grid_name: str
    source: str
    required: int
    actual: int
    short_by: int


class InstructorGapsView(msgspec.Struct, rename="camel", kw_only=True):
    as_of: date
    groups: int  # grid party groups in the scope
    groups_lacking: int
    rows: list[InstructorGap]  # one per group and source short of instructors, the largest shortfall first
