from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

import msgspec

Code = Annotated[str, msgspec.Meta(min_length=1, max_length=30)]


class CandidateCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    nominated_by: Code  # self | organisation | members_jointly | residents_jointly
    member_id: UUID | None = None


class ElectionCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    body: Code  # branch_committee | village_committee | residents_committee
    held_on: date
    seats: Annotated[int, msgspec.Meta(ge=1, le=50)]
    candidates: Annotated[list[CandidateCreate], msgspec.Meta(min_length=1, max_length=100)]
    note: Annotated[str, msgspec.Meta(max_length=1000)] = ""


class VoteCount(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    candidate_id: UUID
    votes: Annotated[int, msgspec.Meta(ge=0, le=1_000_000)]


class RoundCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    votes: Annotated[list[VoteCount], msgspec.Meta(min_length=1, max_length=100)]
    elected: Annotated[list[UUID], msgspec.Meta(max_length=50)]


class CandidateView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    name: str
    member_id: UUID | None
    nominated_by: str
    elected_in_round: int | None  # None: not elected


class RoundVote(msgspec.Struct, rename="camel", kw_only=True):
    candidate_id: UUID
    name: str
    votes: int
    elected: bool


class RoundView(msgspec.Struct, rename="camel", kw_only=True):
    number: int
    votes: list[RoundVote]  # most votes first


class ElectionView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    unit_id: UUID
    unit_name: str
    body: str
    held_on: date
    seats: int
    note: str
    candidates: list[CandidateView]
    rounds: list[RoundView]
    elected: int
    competitive: bool  # more candidates than seats (差额)
    complete: bool  # every seat filled
