"""Check-in's API structs (camelCase on the wire; unknown input fields refused)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from services.training.checkin.codes import LENGTH
from services.training.programmes.schemas import AttendanceView, SessionView

# the code as the QR code carries it; anything else is refused before it is read
Code = Annotated[str, msgspec.Meta(min_length=LENGTH, max_length=LENGTH, pattern=r"^[A-Za-z0-9_-]+$")]
Reason = Annotated[str, msgspec.Meta(min_length=2, max_length=200, pattern=r"\S")]


class CheckinCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """The signed-in attendee checks themself in with the code scanned from the organiser's screen."""

    code: Code


class AttendanceCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """An organiser checks a person (a member or a resident) in by hand, saying why."""

    person_id: UUID
    reason: Reason


class CheckinCodeView(msgspec.Struct, rename="camel", kw_only=True):
    """The code the organiser's screen shows now: fetch the next one at ``refreshAt``; this one is still accepted
    until ``expiresAt`` (one step more, for scans in flight)."""

    code: str
    checkin_path: str
    refresh_at: datetime
    expires_at: datetime
    step_seconds: int


class CheckinView(msgspec.Struct, rename="camel", kw_only=True):
    """The attendance (new or the one recorded before) and the session it is at, as the sessions API shows them."""

    attendance: AttendanceView
    session: SessionView
    already_checked_in: bool
