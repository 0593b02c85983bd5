"""Events the training service publishes (EVT-02, EVT-13, EVT-14, EVT-16). Ids and non-personal facts only."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from uuid import UUID

from shared.contracts.base import Event, event_type


@event_type
class AttendanceRecorded(Event, frozen=True, kw_only=True):
    """A person checked in to a session (by the changing code or by hand): points and targets count it."""

    NAME = "training.AttendanceRecorded"
    VERSION = 1

    attendance_id: UUID
    session_id: UUID
    programme_id: UUID
    person_id: UUID
    member_id: UUID | None  # None: a resident who is not a member
    user_id: UUID | None
    checked_in_at: datetime
    credit_hours: Decimal
    category: str
    counts: list[str]  # programmes/models.py Counts: pre_service, secretary_class, training_days
    method: str


@event_type
class PreServiceTrainingCompleted(Event, frozen=True, kw_only=True):
    """EVT-14: a volunteer finished pre-service training; dispatch may offer them tickets from now on."""

    NAME = "training.PreServiceTrainingCompleted"
    VERSION = 1

    person_id: UUID
    member_id: UUID | None
    user_id: UUID | None
    completed_at: datetime
    session_id: UUID
