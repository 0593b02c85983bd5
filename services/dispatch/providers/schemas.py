from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from services.dispatch.tickets.schemas import Latitude, Longitude

ProviderName = Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"\S")]
Skill = Annotated[str, msgspec.Meta(min_length=1, max_length=40, pattern=r"^[a-z][a-z0-9_]*$")]
Skills = Annotated[list[Skill], msgspec.Meta(max_length=20)]
CardNumber = Annotated[str, msgspec.Meta(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9-]+$")]


class ProviderCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """A provider registered by the hotline (member volunteers come from orgtree's members instead)."""

    kind: str  # professional_team | expert_studio | franchise_firm | skilled_resident
    name: ProviderName
    skills: Skills = []
    grid_id: UUID | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    card_number: CardNumber | None = None
    insured: bool = False
    fee_mode: str | None = None  # franchise firms only: low_fee | free
    phone: str | None = None
    user_id: UUID | None = None  # the gateway account that answers offers
    on_duty: bool = True


class ProviderUpdate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """Only the fields present change."""

    name: ProviderName | msgspec.UnsetType = msgspec.UNSET
    skills: Skills | msgspec.UnsetType = msgspec.UNSET
    grid_id: UUID | msgspec.UnsetType | None = msgspec.UNSET
    latitude: Latitude | msgspec.UnsetType | None = msgspec.UNSET
    longitude: Longitude | msgspec.UnsetType | None = msgspec.UNSET
    card_number: CardNumber | msgspec.UnsetType | None = msgspec.UNSET
    insured: bool | msgspec.UnsetType = msgspec.UNSET
    fee_mode: str | msgspec.UnsetType | None = msgspec.UNSET
    phone: str | msgspec.UnsetType | None = msgspec.UNSET
    user_id: UUID | msgspec.UnsetType | None = msgspec.UNSET
    on_duty: bool | msgspec.UnsetType = msgspec.UNSET
    active: bool | msgspec.UnsetType = msgspec.UNSET


class ProviderSelfUpdate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """What providers set themselves from the app: on duty, and where they are."""

    on_duty: bool | msgspec.UnsetType = msgspec.UNSET
    latitude: Latitude | msgspec.UnsetType | None = msgspec.UNSET
    longitude: Longitude | msgspec.UnsetType | None = msgspec.UNSET


class ProviderView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    kind: str
    name: str
    member_id: UUID | None
    user_id: UUID | None
    grid_id: UUID | None
    skills: list[str]
    latitude: float | None
    longitude: float | None
    on_duty: bool
    active: bool
    card_number: str | None
    insured: bool
    fee_mode: str | None
    phone: str | None  # masked
    created_at: datetime
    # DSP-12: when training recorded the member volunteer's pre-service training (None: not on record), and
    # whether that keeps it from being offered tickets now (a member volunteer without it, the district's rule on).
    pre_service_completed_at: datetime | None
    awaiting_pre_service: bool


class ProviderPage(msgspec.Struct, rename="camel", kw_only=True):
    items: list[ProviderView]
    next: str | None
