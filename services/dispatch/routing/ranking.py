"""Who should get an order (DSP-04): the seeds say only "nearest" (就近) and "by specialty", so the order is ours.

Priority, most important first:

1. the red-cell member who serves the ticket's household;
2. volunteers of the ticket's grid, its leader included;
3. distance, when both the ticket and the provider have coordinates (unknown distance ranks after known);
4. the provider's skills include the item's skill;
5. on duty (off-duty providers stay candidates, at the back);
6. current load: fewer open orders first.

Pure functions over facts read in one query (``routing/services.py``), so the rules are unit-testable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from uuid import UUID

EARTH_RADIUS_KM = 6371.0088
# Providers within 100 m of each other count as equally near, so skill, duty and load decide between them.
DISTANCE_STEP_KM = 0.1
NEARBY_KM = 3.0  # within walking reach of the 15-minute pledge: worth naming among the reasons


@dataclass(frozen=True, slots=True)
class Need:
    """What the ticket asks for, as far as ranking cares."""

    grid_id: UUID | None
    latitude: float | None
    longitude: float | None
    skill: str | None


@dataclass(frozen=True, slots=True)
class CandidateFacts:
    """One active provider, with the facts about it that concern this ticket."""

    provider_id: UUID
    grid_id: UUID | None
    skills: tuple[str, ...]
    on_duty: bool
    latitude: float | None
    longitude: float | None
    load: int  # open orders signed for and not yet resolved
    serves_household: bool  # a red-cell link between the provider's member and the ticket's household
    leads_grid: bool  # the provider's member leads the ticket's grid


@dataclass(frozen=True, slots=True)
class Ranked:
    provider_id: UUID
    reasons: tuple[str, ...]
    distance_km: float | None


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def distance_km(need: Need, c: CandidateFacts) -> float | None:
    if need.latitude is None or need.longitude is None or c.latitude is None or c.longitude is None:
        return None
    return haversine_km(need.latitude, need.longitude, c.latitude, c.longitude)


def same_grid(need: Need, c: CandidateFacts) -> bool:
    return c.leads_grid or (need.grid_id is not None and c.grid_id == need.grid_id)


def has_skill(need: Need, c: CandidateFacts) -> bool:
    return need.skill is not None and need.skill in c.skills


def sort_key(need: Need, c: CandidateFacts) -> tuple[bool, bool, bool, int, bool, bool, int, str]:
    """Smaller is better; the provider id last makes equal candidates come out the same way every time."""
    distance = distance_km(need, c)
    return (
        not c.serves_household,
        not same_grid(need, c),
        distance is None,
        0 if distance is None else round(distance / DISTANCE_STEP_KM),
        not has_skill(need, c),
        not c.on_duty,
        c.load,
        str(c.provider_id),
    )


def reasons(need: Need, c: CandidateFacts) -> tuple[str, ...]:
    """Why a candidate is where it is, recorded on its offer (codes; the console translates them)."""
    found: list[str] = []
    if c.serves_household:
        found.append("serves_household")
    if c.leads_grid:
        found.append("grid_leader")
    if need.grid_id is not None and c.grid_id == need.grid_id:
        found.append("same_grid")
    distance = distance_km(need, c)
    if distance is not None and distance <= NEARBY_KM:
        found.append("nearby")
    if has_skill(need, c):
        found.append("skill")
    if not c.on_duty:
        found.append("off_duty")
    if c.load == 0:
        found.append("free")
    return tuple(found)


def rank(need: Need, candidates: list[CandidateFacts], limit: int | None = None) -> list[Ranked]:
    """Candidates best first, each with its reasons and distance."""
    ordered = sorted(candidates, key=lambda c: sort_key(need, c))
    if limit is not None:
        ordered = ordered[:limit]
    return [Ranked(c.provider_id, reasons(need, c), distance_km(need, c)) for c in ordered]
