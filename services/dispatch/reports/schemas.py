from __future__ import annotations

from datetime import date
from uuid import UUID

import msgspec


class UnitRates(msgspec.Struct, rename="camel", kw_only=True):
    """One unit's 三率. Rates are fractions 0..1 (4 places), None when their denominator is 0."""

    unit_id: UUID | None  # None: tickets without a grid (or, by provider, handled by a unit)
    name: str | None
    ancestors: list[str]  # names from the district down to the unit's parent (grids, villages, streets)
    tickets: int
    responded: int
    resolved: int
    rated: int
    satisfied: int
    response_rate: float | None
    resolution_rate: float | None
    satisfaction_rate: float | None
    score: float | None  # 0..100: 30% response, 35% resolution, 35% satisfaction; None unless all three known


class RatesReport(msgspec.Struct, rename="camel", kw_only=True):
    from_: date = msgspec.field(name="from")
    to: date
    by: str
    total: UnitRates
    units: list[UnitRates]  # best score first
