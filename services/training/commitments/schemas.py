"""Commitments as the API shows and takes them (camelCase; unknown input fields refused; strict decoding, so a
score sent as the string "80" is a 422 naming ``body.score``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

Title = Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"\S")]
Content = Annotated[str, msgspec.Meta(min_length=1, max_length=2000, pattern=r"\S")]
Note = Annotated[str, msgspec.Meta(min_length=1, max_length=1000, pattern=r"\S")]
Comment = Annotated[str, msgspec.Meta(max_length=1000)]
UnitName = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]
UnitPath = Annotated[str, msgspec.Meta(max_length=400, pattern=r"^/([^/]+/)+$")]
Period = Annotated[str, msgspec.Meta(max_length=10)]  # checked by the service, so a bad one names the field


class CommitmentCreate(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    holder_kind: str  # party_group | member
    period: Period  # the year: "2026"
    title: Title
    content: Content
    basis: str  # annual_plan (party groups) | post | skill (members)
    person_id: UUID | None = None  # member: default the caller's own person
    unit_id: UUID | None = None  # party group: orgtree's unit
    unit_path: UnitPath | None = None
    unit_name: UnitName | None = None


class CommitmentUpdate(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    """While defined only; the holder stays (define another commitment for another holder)."""

    period: Period | msgspec.UnsetType = msgspec.UNSET
    title: Title | msgspec.UnsetType = msgspec.UNSET
    content: Content | msgspec.UnsetType = msgspec.UNSET
    basis: str | msgspec.UnsetType = msgspec.UNSET


class ProgressCreate(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    note: Note


class Evaluation(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    score: float  # 0..100, at most two decimals
    comment: Comment = ""


class ProgressView(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    note: str
    noted_at: datetime
    noted_by_name: str | None


class CommitmentView(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    holder_kind: str
    person_id: UUID | None
    unit_id: UUID | None
    holder_path: str
    holder_name: str
    period: str
    title: str
    content: str
    basis: str
    state: str  # defined | published | fulfilling | evaluated
    letter_document_id: UUID | None
    published_at: datetime | None
    score: float | None
    comment: str | None
    evaluated_at: datetime | None
    evaluated_by_name: str | None
    created_at: datetime
    updated_at: datetime
    progress: list[ProgressView] = []  # oldest first; on one commitment's page, and after a change


class CommitmentPage(msgspec.Struct, kw_only=True, rename="camel"):
    items: list[CommitmentView]
    next: str | None
