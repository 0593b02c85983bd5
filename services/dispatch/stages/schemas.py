from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec


class StepView(msgspec.Struct, rename="camel", kw_only=True):
    step: str  # collect | classify | route | supervise | feed_back
    state: str  # done | current | pending
    reached_at: datetime | None
    action: str | None  # the history row that reached it: created, classified, dispatched, accepted, resolved ...
    actor_name: str | None  # as the reader may see it (ticket history's rules)


class Classification(msgspec.Struct, rename="camel", kw_only=True):
    """DSP-17's dimensions: the topic category, common or individual, solvable now or hard in the near term."""

    category_id: UUID | None
    item_id: UUID | None
    scope_kind: str | None
    difficulty: str | None


class Supervision(msgspec.Struct, rename="camel", kw_only=True):
    warning: str | None  # yellow | red
    escalations: int
    level: int


class StagesView(msgspec.Struct, rename="camel", kw_only=True):
    ticket_id: UUID
    number: str
    status: str
    stage: str | None
    steps: list[StepView]
    classification: Classification
    supervision: Supervision
    notify_every_stage: bool


class StageSettingView(msgspec.Struct, rename="camel", kw_only=True):
    notify_every_stage: bool
    updated_at: datetime | None
    updated_by_name: str | None


class StageSettingChange(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    notify_every_stage: bool
