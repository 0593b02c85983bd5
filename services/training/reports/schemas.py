"""The monthly reports' and the performance wall's API structs (camelCase on the wire; unknown input refused)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

import msgspec

# the figures a district may put on its wall, as the API names them, and their report columns
WALL_FIELDS = {
    "services": "services",
    "wishes": "wishes",
    "serviceHours": "service_hours",
    "sessions": "sessions",
    "creditHours": "credit_hours",
    "commitmentsPublished": "commitments_published",
    "commitmentsEvaluated": "commitments_evaluated",
    "commitmentScore": "commitment_score",
    "points": "points",
}
WallField = Annotated[str, msgspec.Meta(min_length=1, max_length=40)]


class MonthlyReportView(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    person_id: UUID
    member_id: UUID | None
    month: str
    name: str
    branch_path: str | None
    grid_path: str | None
    services: int  # completed volunteer orders (dispatch)
    wishes: int  # micro-wishes fulfilled (dispatch)
    service_hours: Decimal
    sessions: int  # sessions attended
    credit_hours: Decimal
    commitments_published: int  # the member's commitments of the month's year, as they stood at its end
    commitments_evaluated: int
    commitment_score: Decimal | None  # mean evaluation score; None until one is evaluated
    points: int  # the month's points in the ledger
    generated_at: datetime


class MonthlyReportPage(msgspec.Struct, kw_only=True, rename="camel"):
    items: list[MonthlyReportView]
    next: str | None


class GenerationView(msgspec.Struct, kw_only=True, rename="camel"):
    month: str
    unit_path: str | None  # the members' subtree (None: the whole district)
    generated: int  # reports generated or replaced, one MonthlyReportGenerated each


class WallSettingsView(msgspec.Struct, kw_only=True, rename="camel"):
    fields: list[str]  # in the order the wall shows them; the first orders the wall
    available: list[str]
    updated_at: datetime | None


class WallSettingsUpdate(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    fields: Annotated[list[WallField], msgspec.Meta(max_length=len(WALL_FIELDS))]


class WallEntry(msgspec.Struct, kw_only=True, rename="camel", omit_defaults=True):
    """A member on the wall: who and where always, a figure only when the district made it public."""

    person_id: UUID
    name: str
    branch_path: str | None = None
    grid_path: str | None = None
    services: int | None = None
    wishes: int | None = None
    service_hours: Decimal | None = None
    sessions: int | None = None
    credit_hours: Decimal | None = None
    commitments_published: int | None = None
    commitments_evaluated: int | None = None
    commitment_score: Decimal | None = None
    points: int | None = None


class WallPage(msgspec.Struct, kw_only=True, rename="camel"):
    month: str
    fields: list[str]
    items: list[WallEntry]
    next: str | None
