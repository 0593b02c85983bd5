from __future__ import annotations

from datetime import date, time
from typing import Annotated
from uuid import UUID

import msgspec

from services.dispatch.catalogue.models import ANSWER_WINDOW_BOUNDS, ANSWER_WINDOW_MINUTES

Minutes = Annotated[int, msgspec.Meta(ge=1, le=365 * 24 * 60)]
Code = Annotated[str, msgspec.Meta(min_length=1, max_length=40, pattern=r"^[a-z][a-z0-9_]*$")]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=60, pattern=r"\S")]
Skill = Annotated[str, msgspec.Meta(min_length=1, max_length=40, pattern=r"^[a-z][a-z0-9_]*$")]
# How long a provider has to answer an offer: a minute at least (time to read an SMS), a day at most.
AnswerWindow = Annotated[int, msgspec.Meta(ge=ANSWER_WINDOW_BOUNDS[0], le=ANSWER_WINDOW_BOUNDS[1])]


class ItemView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    code: str
    name: str
    handling: str
    skill: str | None


class CategoryView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    code: str
    name: str
    mode: str
    sign_for_minutes: int | None
    arrival_minutes: int | None
    resolution_minutes: int | None
    working_time: bool
    answer_window_minutes: int  # how long a provider has to answer an offer of this category
    items: list[ItemView]


class CategoryCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """A new category (DSP-03), last in the catalogue's order; a clock left out does not run."""

    code: Code
    name: Name
    mode: str
    sign_for_minutes: Minutes | None = None
    arrival_minutes: Minutes | None = None
    resolution_minutes: Minutes | None = None
    working_time: bool = False
    answer_window_minutes: AnswerWindow = ANSWER_WINDOW_MINUTES


class CategoryUpdate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    name: Name | msgspec.UnsetType = msgspec.UNSET
    mode: str | msgspec.UnsetType = msgspec.UNSET
    sign_for_minutes: Minutes | msgspec.UnsetType | None = msgspec.UNSET
    arrival_minutes: Minutes | msgspec.UnsetType | None = msgspec.UNSET
    resolution_minutes: Minutes | msgspec.UnsetType | None = msgspec.UNSET
    working_time: bool | msgspec.UnsetType = msgspec.UNSET
    answer_window_minutes: AnswerWindow | msgspec.UnsetType = msgspec.UNSET


class ItemCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    code: Code
    name: Name
    handling: str = "on_spot"  # on_spot | proxy
    skill: Skill | None = None  # the provider skill that fits it


class ItemUpdate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """Only the fields present change; ``active: false`` takes the item out of the catalogue."""

    name: Name | msgspec.UnsetType = msgspec.UNSET
    handling: str | msgspec.UnsetType = msgspec.UNSET
    skill: Skill | msgspec.UnsetType | None = msgspec.UNSET
    active: bool | msgspec.UnsetType = msgspec.UNSET


class LadderLevelUpdate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """A rung's name and its resolution limit (null: the category's); the rungs and their levels stay."""

    name: Name | msgspec.UnsetType = msgspec.UNSET
    resolution_minutes: Minutes | msgspec.UnsetType | None = msgspec.UNSET


class LadderLevelView(msgspec.Struct, rename="camel", kw_only=True):
    rank: int
    code: str
    name: str
    org_level: str
    resolution_minutes: int | None
    issues_referral: bool


class SettingsView(msgspec.Struct, rename="camel", kw_only=True):
    hotline_number: str
    arrival_limit_minutes: int
    offer_timeout_seconds: int
    duplicate_window_days: int
    red_after_minutes: int
    working_weekdays: list[int]
    work_starts: time
    work_ends: time
    timezone: str
    webhook_url: str | None
    require_pre_service: bool  # member volunteers are offered tickets only after pre-service training
    visit_interval_days: int  # a red-cell link unvisited this long is listed (DSP-24)
    visit_task_days: int  # a mandatory visit is due this long after its task (DSP-25)


class SettingsUpdate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    hotline_number: Annotated[str, msgspec.Meta(pattern=r"^[0-9]{3,20}$")] | msgspec.UnsetType = msgspec.UNSET
    arrival_limit_minutes: Annotated[int, msgspec.Meta(ge=1, le=24 * 60)] | msgspec.UnsetType = msgspec.UNSET
    offer_timeout_seconds: Annotated[int, msgspec.Meta(ge=10, le=24 * 3600)] | msgspec.UnsetType = msgspec.UNSET
    duplicate_window_days: Annotated[int, msgspec.Meta(ge=1, le=90)] | msgspec.UnsetType = msgspec.UNSET
    red_after_minutes: Annotated[int, msgspec.Meta(ge=0, le=90 * 24 * 60)] | msgspec.UnsetType = msgspec.UNSET
    working_weekdays: list[Annotated[int, msgspec.Meta(ge=1, le=7)]] | msgspec.UnsetType = msgspec.UNSET
    work_starts: time | msgspec.UnsetType = msgspec.UNSET
    work_ends: time | msgspec.UnsetType = msgspec.UNSET
    webhook_url: Annotated[str, msgspec.Meta(pattern=r"^https?://", max_length=500)] | msgspec.UnsetType | None = (
        msgspec.UNSET
    )
    require_pre_service: bool | msgspec.UnsetType = msgspec.UNSET
    visit_interval_days: Annotated[int, msgspec.Meta(ge=1, le=366)] | msgspec.UnsetType = msgspec.UNSET
    visit_task_days: Annotated[int, msgspec.Meta(ge=1, le=60)] | msgspec.UnsetType = msgspec.UNSET


class CalendarDaySet(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    is_working: bool
    label: Annotated[str, msgspec.Meta(max_length=60)] = ""


class CalendarDayView(msgspec.Struct, rename="camel", kw_only=True):
    day: date
    is_working: bool
    label: str
