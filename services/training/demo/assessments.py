"""The demo's "double-hundred" score sheets (TRN-11) of XX区's communities for last year: each community's own
evaluation and its street's assessment on the seven indicator types of the community set, but for 幸福社区, whose
street has not scored it yet (the totals show the gap). The seed gives the standard, not the scores: they are
synthetic, higher for the Red Flag Communities. Only the communities orgtree handed on are scored (a sheet's
subject is orgtree's unit); the members' sheets and democratic polls are left to the console, since the members
arrive from orgtree's events after the load."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.assessments.defaults import ORGANISATION, ORGANISATION_TYPES, ensure_sets
from services.training.assessments.models import IndicatorSet, ScoreSheet, SheetKind
from services.training.demo.redflag import MARK, STREETS, TITLED
from shared.clock import china_today

SYSTEM = uuid.UUID(int=0)
NOT_SCORED_BY_STREET = f"幸福社区{MARK}"


def scores(community: int, kind: SheetKind, titled: bool) -> dict[str, Decimal]:
    """Points off each indicator's maximum: fewer for a Red Flag Community, a point more in the street's view."""
    off = (0 if titled else 2) + (1 if kind == SheetKind.SUPERIOR else 0)
    return {
        str(t["code"]): Decimal(int(str(t["maxScore"])) - off - (community + k) % 3)
        for k, t in enumerate(ORGANISATION_TYPES)
    }


async def load_assessments_demo(session: AsyncSession, units: dict[str, dict[str, str]]) -> int:
    """Adds last year's sheets of the communities orgtree handed on, once (none yet for that year); the number."""
    period = str(china_today().year - 1)
    await ensure_sets(session)
    community_set = await session.scalar(
        select(IndicatorSet).where(IndicatorSet.subject_kind == ORGANISATION, IndicatorSet.domain == "community")
    )
    if community_set is None or await session.scalar(select(ScoreSheet.id).where(ScoreSheet.period == period)):
        return 0
    added = 0
    number = 0
    for street, communities in STREETS.items():
        for name in communities:
            unit = units.get(name)
            if unit is None:
                continue
            number += 1
            by = {
                SheetKind.SELF: f"{name.removesuffix(MARK)}党委{MARK}",
                SheetKind.SUPERIOR: f"{street.removesuffix(MARK)}党工委{MARK}",
            }
            for kind, scorer in by.items():
                if kind == SheetKind.SUPERIOR and name == NOT_SCORED_BY_STREET:
                    continue
                points = scores(number, kind, name in TITLED)
                session.add(
                    ScoreSheet(
                        set_id=community_set.id,
                        kind=kind,
                        period=period,
                        subject_kind=ORGANISATION,
                        subject_id=uuid.UUID(unit["id"]),
                        subject_path=unit["path"],
                        subject_name=name,
                        scores={code: float(p) for code, p in points.items()},
                        total=sum(points.values(), Decimal(0)),
                        note=f"年底考核验收。{MARK}" if kind == SheetKind.SUPERIOR else f"对照“双百分”标准自评。{MARK}",
                        scored_by=SYSTEM,
                        scored_by_name=scorer,
                    )
                )
                added += 1
    await session.flush()
    return added
