"""Request and response bodies of the ladder (DSP-14), referral notices (DSP-15) and extensions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import msgspec

Reason = Annotated[str, msgspec.Meta(min_length=2, max_length=500, pattern=r"\S")]
Note = Annotated[str, msgspec.Meta(min_length=2, max_length=4000, pattern=r"\S")]
Aware = Annotated[datetime, msgspec.Meta(tz=True)]  # a naive time is ambiguous across districts


class EscalationRequest(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    to_level: Annotated[int, msgspec.Meta(ge=0, le=100)]  # the rank of the next rung: current level + 1
    reason: Reason


class EscalationStep(msgspec.Struct, rename="camel", kw_only=True):
    from_level: int | None
    to_level: int | None
    level_code: str | None
    level_name: str | None
    unit_id: UUID | None
    automatic: bool
    reason: str | None
    actor: str
    actor_name: str | None  # a person's name (masked unless the reader is staff) or 「系统（时限监控）」
    at: datetime


class EscalationPath(msgspec.Struct, rename="camel", kw_only=True):
    """Where the case stands on the ladder and how it got there, oldest step first."""

    ticket_id: UUID
    level: int
    level_code: str | None
    level_name: str | None
    unit_id: UUID | None
    steps: list[EscalationStep]


class ReferralCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    meeting: Annotated[str, msgspec.Meta(min_length=2, max_length=100, pattern=r"\S")]
    responsible_unit: Annotated[str, msgspec.Meta(min_length=2, max_length=100, pattern=r"\S")]
    responsible_person: Annotated[str, msgspec.Meta(min_length=1, max_length=60, pattern=r"\S")]
    due_on: date  # completion date; the deadline runs to the end of that day in the district


class ReferralClosure(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    note: Note  # the responsible unit's account of what was done


class ReferralView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    ticket_id: UUID
    number: str
    meeting: str
    responsible_unit: str
    responsible_person: str
    due_on: date
    issued_by: UUID
    issued_by_name: str | None
    issued_at: datetime
    closure_note: str | None
    closed_at: datetime | None


class ExtensionCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    new_due_at: Aware
    reason: Reason
    clock: str = "resolution"  # resolution | sign_for | arrival


class ExtensionDecision(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    approve: bool
    note: Annotated[str, msgspec.Meta(max_length=500)] = ""


class ExtensionView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    ticket_id: UUID
    deadline_id: UUID
    clock: str
    due_at: datetime  # the deadline's due time now (moved when approved)
    new_due_at: datetime
    reason: str
    status: str  # pending | approved | rejected
    requested_by: UUID
    requested_by_name: str | None  # masked unless the reader is staff or that person
    requested_at: datetime
    decided_by: UUID | None
    decided_by_name: str | None  # masked unless the reader is staff or that person
    decided_at: datetime | None
    decision_note: str | None
