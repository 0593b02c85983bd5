"""A member moving between districts (GW-03, ORG-17): the export/import handshake the gateway mediates.

The sending district's orgtree offers the member (``MemberTransferOffered``) and its training exports the member's
history (``TransferHistoryExported``); the gateway holds both in its platform table, addressed to the receiving
district. Accepted, the gateway tells the receiving district (``MemberTransferAccepted``: orgtree creates the member,
training imports the history as carried over) and the sending one (``MemberTransferClosed``: transferred out);
declined or withdrawn, only the sending one (the member returns to normal). The offer id keys every step.

The member's profile travels as name, gender, birth date, classification and joining date; ID and phone numbers do
not (the receiving district records them when the member reports, as on the paper letter of introduction).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

import msgspec

from shared.contracts.base import Event, event_type


class TransferredMember(msgspec.Struct, frozen=True, kw_only=True):
    """What the receiving district learns of the member."""

    name: str
    gender: str | None = None
    birth_date: date | None = None
    classification: str
    joined_on: date | None = None


class AttendanceRecord(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    on: date
    title: str
    credit_hours: Decimal


class PointsRecord(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    on: date
    category: str
    points: int
    reason: str


class AssessmentRecord(msgspec.Struct, frozen=True, kw_only=True):
    """A result about the member: a star rating of the member, or an assessment sheet's score."""

    id: UUID
    on: date
    kind: str  # star_rating | assessment
    title: str
    result: str


class TrainingHistory(msgspec.Struct, frozen=True, kw_only=True):
    attendance: list[AttendanceRecord] = []
    points: list[PointsRecord] = []
    assessments: list[AssessmentRecord] = []


@event_type
class MemberTransferOffered(Event, frozen=True, kw_only=True):
    """The sending district offers its member to another district; the member is leaving, not yet gone."""

    NAME = "orgtree.MemberTransferOffered"
    VERSION = 1

    offer_id: UUID
    member_id: UUID
    to_tenant_id: UUID
    reason: str
    transfer_on: date
    member: TransferredMember


@event_type
class TransferHistoryExported(Event, frozen=True, kw_only=True):
    """Training's answer to an offer: the member's training and assessment history in the sending district."""

    NAME = "training.TransferHistoryExported"
    VERSION = 1

    offer_id: UUID
    member_id: UUID
    history: TrainingHistory


@event_type
class MemberTransferAccepted(Event, frozen=True, kw_only=True):
    """In the receiving district: the member joins ``branch_id`` as ``member_id`` (chosen by the gateway, so every
    consumer and every redelivery names the same new member)."""

    NAME = "gateway.MemberTransferAccepted"
    VERSION = 1

    offer_id: UUID
    member_id: UUID
    branch_id: UUID
    from_tenant_id: UUID
    from_district: str
    reason: str
    transfer_on: date
    member: TransferredMember
    history: TrainingHistory


@event_type
class MemberTransferClosed(Event, frozen=True, kw_only=True):
    """In the sending district: the offer ended. ``accepted``: transferred out; ``declined``/``withdrawn``: the
    member stays, as before the offer."""

    NAME = "gateway.MemberTransferClosed"
    VERSION = 1

    offer_id: UUID
    member_id: UUID
    outcome: str
    to_district: str
    transfer_on: date
    note: str | None = None
