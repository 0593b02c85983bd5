from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import msgspec

Reason = Annotated[str, msgspec.Meta(min_length=2, max_length=500, pattern=r"\S")]


class WarningCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    warned_on: date
    reason: Reason


class WarningView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    member_id: UUID
    warned_on: date
    reason: str | None  # None: the "warned" flag was set on the record
    recorded_at: datetime


class StarLevelView(msgspec.Struct, rename="camel", kw_only=True):
    subject_kind: str  # village_branch | grid_group | member
    period: str
    level: int
    note: str
    rating_id: UUID
    entry_id: UUID
    published_at: datetime


class TitleView(msgspec.Struct, rename="camel", kw_only=True):
    title: str
    title_name: str
    period: str
    awarded_on: date
    award_id: UUID


class HonoursView(msgspec.Struct, rename="camel", kw_only=True):
    """A unit's or member's honours: the current star level (the latest published) and every one before it."""

    subject_id: UUID
    star_level: StarLevelView | None
    star_levels: list[StarLevelView]  # latest first
    titles: list[TitleView]  # latest first


class DispositionView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    case_id: UUID
    member_id: UUID
    member_name: str | None  # None: no longer on the district's rolls
    concluded_on: date
    state: str  # transferred | pending
    to_branch_id: UUID | None
    problem: str | None  # why it is pending
    recorded_at: datetime
    resolved_at: datetime | None


class CoverageTarget(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    year: Annotated[int, msgspec.Meta(ge=2000, le=2100)]
    percent: Annotated[int, msgspec.Meta(ge=0, le=100)]


class CoverageTargets(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    targets: Annotated[list[CoverageTarget], msgspec.Meta(min_length=1, max_length=30)]


class CoverageTargetsView(msgspec.Struct, rename="camel", kw_only=True):
    targets: list[CoverageTarget]
    is_default: bool  # the district keeps the seed's 30 / 60 / 100 %


class CoverageYear(msgspec.Struct, rename="camel", kw_only=True):
    year: int
    communities: int
    holding: int  # communities awarded the title that year or before
    percent: float  # one decimal
    target: int | None  # the district's target for the year, if it set one
    met: bool | None


class RedFlagCoverage(msgspec.Struct, rename="camel", kw_only=True):
    title: str  # the title code counted: red_flag_community
    communities: int
    years: list[CoverageYear]
