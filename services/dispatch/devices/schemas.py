"""One-touch devices' bodies and answers (camelCase on the wire)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

DeviceCode = Annotated[str, msgspec.Meta(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")]
AlarmId = Annotated[str, msgspec.Meta(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")]
Label = Annotated[str, msgspec.Meta(max_length=100)]


class DeviceCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    code: DeviceCode
    household_id: UUID | None = None
    label: Label = ""


class DeviceUpdate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """Only the fields present change; ``householdId`` null unmaps the device."""

    household_id: UUID | msgspec.UnsetType | None = msgspec.UNSET
    label: Label | msgspec.UnsetType = msgspec.UNSET
    active: bool | msgspec.UnsetType = msgspec.UNSET


class DeviceView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    code: str
    label: str
    household_id: UUID | None
    grid_id: UUID | None
    active: bool
    registered_at: datetime
    last_alarm_at: datetime | None


class GatewayKeyIssued(msgspec.Struct, rename="camel", kw_only=True):
    """Shown once: only its hash is kept. The gateway sends it as ``X-Device-Key``."""

    key: str
    issued_at: datetime


class AlarmCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    device_code: DeviceCode
    alarm_id: AlarmId  # the gateway's id of this press: a repeat with the same id opens nothing new
    raised_at: datetime | None = None


class AlarmView(msgspec.Struct, rename="camel", kw_only=True):
    alarm_id: str
    device_code: str
    household_id: UUID
    raised_at: datetime | None
    received_at: datetime
    ticket_id: UUID | None
    ticket_number: str | None
    repeated: bool = False  # this answer is for an alarm id already received
