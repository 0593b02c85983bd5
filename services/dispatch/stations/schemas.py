"""Red Cube stations' bodies and answers (camelCase on the wire)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from services.dispatch.tickets.schemas import Title

Name = Annotated[str, msgspec.Meta(min_length=2, max_length=100, pattern=r"\S")]
Service = Annotated[str, msgspec.Meta(min_length=1, max_length=40, pattern=r"\S")]
Services = Annotated[list[Service], msgspec.Meta(max_length=20)]
Text = Annotated[str, msgspec.Meta(max_length=200)]
Skill = Annotated[str, msgspec.Meta(min_length=1, max_length=40, pattern=r"^[a-z][a-z0-9_]*$")]


class StationCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    name: Name
    unit_id: UUID  # a grid or a unit above grids (community, village, street)
    address: Text = ""
    opening_hours: Annotated[str, msgspec.Meta(max_length=100)] = ""
    extra_services: Services = []  # local services beyond the hotline's, e.g. 翻译服务


class StationUpdate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    name: Name | msgspec.UnsetType = msgspec.UNSET
    address: Text | msgspec.UnsetType = msgspec.UNSET
    opening_hours: Annotated[str, msgspec.Meta(max_length=100)] | msgspec.UnsetType = msgspec.UNSET
    extra_services: Services | msgspec.UnsetType = msgspec.UNSET
    active: bool | msgspec.UnsetType = msgspec.UNSET


class ShiftCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    volunteer_id: UUID
    starts_at: datetime
    ends_at: datetime


class ShiftView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    volunteer_id: UUID
    volunteer_name: str  # masked unless the reader is hotline staff or the volunteer
    volunteer_phone: str | None  # masked
    starts_at: datetime
    ends_at: datetime


class StationView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    name: str
    unit_id: UUID
    unit_name: str
    address: str
    opening_hours: str
    extra_services: list[str]
    active: bool
    on_duty: list[ShiftView]  # who is on duty now


class StationVolunteer(msgspec.Struct, rename="camel", kw_only=True):
    """A member volunteer under the station's unit, who may be put on its rota."""

    id: UUID
    name: str
    grid_id: UUID | None
    card_number: str | None
    insured: bool
    pre_service_completed_at: datetime | None


class SignUpCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """A resident who wants to volunteer, signed up at the desk (招募报名)."""

    name: Annotated[str, msgspec.Meta(min_length=1, max_length=50, pattern=r"\S")]
    phone: str
    skills: Annotated[list[Skill], msgspec.Meta(max_length=20)] = []
    note: Annotated[str, msgspec.Meta(max_length=500)] = ""


class SignUpView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    name: str  # masked
    phone: str  # masked
    skills: list[str]
    note: str
    signed_up_at: datetime


class DemandCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """A demand brought to the desk (需求登记): a ticket of channel ``walk_in``, placed at the station's grid
    unless the household is named."""

    title: Title
    description: Annotated[str, msgspec.Meta(max_length=4000)] = ""
    household_id: UUID | None = None
    category_id: UUID | None = None
    item_id: UUID | None = None
    caller_name: Annotated[str, msgspec.Meta(min_length=1, max_length=50)] | None = None
    caller_phone: str | None = None


class DemandRegistered(msgspec.Struct, rename="camel", kw_only=True):
    ticket_id: UUID
    ticket_number: str
    status: str


class StationUnit(msgspec.Struct, rename="camel", kw_only=True):
    """A unit a station may be attached to: a grid or a unit above grids, as dispatch's directory knows it."""

    id: UUID
    name: str
    level: str
