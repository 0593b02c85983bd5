"""Red Flag coverage (ORG-21): the share of communities holding the Red Flag Community title each year against the
district's targets, "2020年30%、2021年60%、2022年100%" [003] until it sets its own. Training awards the title
(``TitleAwarded`` with the code below, services/training/ratings/defaults.py); a community holds it from the year
of the award's period on."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import Integer, cast, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.honours.models import HonourTitle, RedFlagTarget
from services.orgtree.honours.schemas import (
    CoverageTarget,
    CoverageTargets,
    CoverageTargetsView,
    CoverageYear,
    RedFlagCoverage,
)
from services.orgtree.nodes.models import OrgNode, TreeKind
from services.orgtree.nodes.services import NodeService, in_subtree
from shared import audit
from shared.http.problems import FieldErrors

RED_FLAG_TITLE = "red_flag_community"
DEFAULT_TARGETS = (
    CoverageTarget(year=2020, percent=30),
    CoverageTarget(year=2021, percent=60),
    CoverageTarget(year=2022, percent=100),
)


class CoverageService:
    def __init__(self, session: AsyncSession, nodes: NodeService) -> None:
        self.session = session
        self.nodes = nodes

    async def targets(self) -> CoverageTargetsView:
        rows = list(await self.session.scalars(select(RedFlagTarget).order_by(RedFlagTarget.year)))
        if not rows:
            return CoverageTargetsView(targets=list(DEFAULT_TARGETS), is_default=True)
        return CoverageTargetsView(
            targets=[CoverageTarget(year=r.year, percent=r.percent) for r in rows], is_default=False
        )

    async def replace_targets(self, data: CoverageTargets) -> CoverageTargetsView:
        errors = FieldErrors()
        seen: set[int] = set()
        for i, target in enumerate(data.targets):
            if target.year in seen:
                errors.add(f"body.targets[{i}].year", "this year has a target already")
            seen.add(target.year)
        errors.raise_if_any("the coverage targets are not valid")
        await self.session.execute(delete(RedFlagTarget))
        self.session.add_all(RedFlagTarget(year=t.year, percent=t.percent) for t in data.targets)
        await self.session.flush()
        detail = {"targets": [f"{t.year}:{t.percent}%" for t in sorted(data.targets, key=lambda t: t.year)]}
        await audit.record(self.session, "orgtree.red_flag.targets_set", subject_type="district", detail=detail)
        return await self.targets()

    async def coverage(self, within: UUID | None) -> RedFlagCoverage:
        scope = await self.nodes.scope_path(within)
        communities = select(OrgNode.id).where(OrgNode.tree == TreeKind.ADMINISTRATIVE, OrgNode.level == "community")
        if scope is not None:
            communities = communities.where(in_subtree(OrgNode.path, scope))
        total = int(await self.session.scalar(select(func.count()).select_from(communities.subquery())) or 0)
        year = cast(func.left(HonourTitle.period, 4), Integer)
        first_award = (
            select(HonourTitle.subject_id, func.min(year).label("year"))
            .where(HonourTitle.title == RED_FLAG_TITLE, HonourTitle.subject_id.in_(communities))
            .group_by(HonourTitle.subject_id)
            .subquery()
        )
        counted = await self.session.execute(select(first_award.c.year, func.count()).group_by(first_award.c.year))
        awarded = {y: int(n) for y, n in counted.all()}
        targets = {t.year: t.percent for t in (await self.targets()).targets}
        years = []
        for y in sorted(set(targets) | set(awarded)):
            holding = sum(n for award_year, n in awarded.items() if award_year <= y)
            percent = round(100 * holding / total, 1) if total else 0.0
            target = targets.get(y)
            years.append(
                CoverageYear(
                    year=y,
                    communities=total,
                    holding=holding,
                    percent=percent,
                    target=target,
                    met=None if target is None else percent >= target,
                )
            )
        return RedFlagCoverage(title=RED_FLAG_TITLE, communities=total, years=years)
