"""The people below target under a unit (TRN-03): active people whose rules in force are not met, with what each
is missing, a page at a time with the total, or all of them for the .xlsx.

This year's list reads ``credit_roll`` alone: one narrow row per person (kept by the triggers of migration 0003)
with the rules' inputs and the latest year's totals, filtered by the rules as SQL conditions, a range of a
C-collated path of either tree for the unit, and in the order of the roll's key, so a page stops after its rows.
An earlier year's list joins the roll to that year's ``credit_total``. Training days in the rolling window are
summed only for the rural cadres they apply to: ``CASE`` keeps PostgreSQL from running that subquery for anyone
else.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Select, and_, case, false, func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.credits.evaluation import Amounts, Basis, Period, period, shortfall, target
from services.training.credits.models import CreditRoll, CreditRule, CreditTotal
from services.training.credits.rules import RULES, Measure, RuleSpec
from services.training.credits.schemas import BelowTarget, BelowTargetPage, Shortfall
from services.training.credits.services import RuleService
from services.training.programmes.models import Attendance, Counts
from shared.auth.principal import Principal
from shared.db.paths import under
from shared.http.problems import invalid, missing

UNIT_PATH = re.compile(r"/([0-9A-Za-z_-]+/)*")


def confine(scope: str | None, unit_path: str | None) -> str | None:
    """The subtree to list: the unit asked for, within the reader's scope (a unit above the scope lists the scope;
    a unit beside it is the same 404 as a unit that does not exist)."""
    if unit_path is not None and not UNIT_PATH.fullmatch(unit_path):
        raise invalid("query.unitPath", "a unit's path as orgtree gives it, such as /1a2b3c4d/5e6f7a8b/")
    if unit_path is None or (scope is not None and scope.startswith(unit_path)):
        return scope
    if scope is None or unit_path.startswith(scope):
        return unit_path
    raise missing("unit")


def applies(spec: RuleSpec) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = []
    if spec.kinds:
        conditions.append(CreditRoll.kind.in_(spec.kinds))
    if spec.duties:
        duties = list(spec.duties)
        conditions += [CreditRoll.duties.overlap(duties), CreditRoll.flags.overlap(duties)]
    return or_(*conditions)


@dataclass(frozen=True)
class Listing:
    """The statement of one below-target question and how to turn its rows into answers."""

    rules: dict[str, CreditRule]
    period: Period
    basis: Basis
    where: list[ColumnElement[bool]]
    columns: tuple[Any, ...]

    def _from(self, statement: Select[Any]) -> Select[Any]:
        statement = statement.select_from(CreditRoll)
        if not self.period.current:
            joined = and_(CreditTotal.person_id == CreditRoll.person_id, CreditTotal.year == self.period.year)
            statement = statement.outerjoin(CreditTotal, joined)
        return statement.where(*self.where)

    def statement(self) -> Select[Any]:
        return self._from(select(*self.columns))

    def count(self) -> Select[Any]:
        return self._from(select(func.count()))

    def row(self, r: Any) -> BelowTarget:
        amounts = Amounts(
            credit_hours=r.credit_hours,
            classes=r.classes,
            training_days=r.training_days if r.training_days is not None else Decimal(0),
            pre_service=bool(r.pre_service),
        )
        missing_ = []
        for code, rule in self.rules.items():
            spec = RULES[code]
            if not spec.applies(r.kind, r.duties, r.flags):
                continue
            wanted = target(spec, rule.required, self.basis, self.period.elapsed)
            achieved = amounts.of(spec.measure)
            if achieved < wanted:
                missing_.append(
                    Shortfall(
                        code=code,
                        name=spec.name,
                        required=float(wanted),
                        achieved=float(achieved),
                        short_by=float(shortfall(wanted, achieved)),
                    )
                )
        return BelowTarget(
            person_id=r.id,
            name=r.name,
            kind=r.kind,
            duties=list(r.duties),
            branch_path=r.branch_path,
            grid_path=r.grid_path,
            credit_hours=float(r.credit_hours),
            classes=r.classes,
            training_days=float(r.training_days) if r.training_days is not None else None,
            pre_service_done=r.pre_service,
            missing=missing_,
        )


def listing(rules: dict[str, CreditRule], p: Period, basis: Basis, prefix: str | None) -> Listing:
    roll = CreditRoll
    if p.current:  # the roll's totals are its latest year's: this year's, or none yet
        hours: Any = case((roll.year == p.year, roll.credit_hours), else_=Decimal(0))
        classes: Any = case((roll.year == p.year, roll.classes), else_=0)
    else:
        hours = func.coalesce(CreditTotal.credit_hours, Decimal(0))
        classes = func.coalesce(CreditTotal.classes, 0)
    rolling = rules.get("rural_cadre_days")
    since = p.window_start(rolling.window_years if rolling is not None else 2)
    days_in_window = (
        select(func.coalesce(func.sum(Attendance.training_days), Decimal(0)))
        .where(
            Attendance.person_id == roll.person_id,
            Attendance.counts.contains([Counts.TRAINING_DAYS]),
            Attendance.checked_in_at > since,
            Attendance.checked_in_at < p.end,
        )
        .correlate(roll)
        .scalar_subquery()
    )
    trained = and_(roll.pre_service_at.is_not(None), roll.pre_service_at < p.end)
    amount: dict[Measure, Any] = {
        Measure.CREDIT_HOURS: hours,
        Measure.CLASSES: classes,
        Measure.TRAINING_DAYS: days_in_window,
    }
    below: list[ColumnElement[bool]] = []
    for code, rule in rules.items():
        spec = RULES[code]
        short = (
            ~trained
            if spec.measure is Measure.PRE_SERVICE
            else amount[spec.measure] < target(spec, rule.required, basis, p.elapsed)
        )
        below.append(case((applies(spec), short), else_=false()))
    where = [roll.active.is_(True), or_(*below) if below else false()]
    if prefix is not None:
        where.append(or_(under(roll.branch_path, prefix), under(roll.grid_path, prefix)))
    columns = (
        roll.person_id.label("id"),
        roll.name,
        roll.kind,
        roll.duties,
        roll.flags,
        roll.branch_path,
        roll.grid_path,
        hours.label("credit_hours"),
        classes.label("classes"),
        case((applies(RULES["rural_cadre_days"]), days_in_window), else_=None).label("training_days"),
        case((applies(RULES["volunteer_pre_service"]), trained), else_=None).label("pre_service"),
    )
    return Listing(rules, p, basis, where, columns)


def after(cursor: str) -> UUID:
    try:
        return UUID(cursor)
    except ValueError:
        raise invalid("query.cursor", "not a cursor returned by a previous page") from None


class BelowTargetService:
    def __init__(self, session: AsyncSession, principal: Principal, rules: RuleService) -> None:
        self.session = session
        self.principal = principal
        self.rules = rules

    async def listing(self, unit_path: str | None, year: int | None, basis: Basis) -> Listing:
        p = period(year)
        prefix = confine(self.principal.scope, unit_path)
        # The planner costs the rural cadres' subquery as if it ran for every person (CASE lets it run for a few),
        # so the plan looks big enough to JIT-compile, and compiling takes longer than the scan itself.
        await self.session.execute(text("SET LOCAL jit = off"))
        return listing(await self.rules.in_force(), p, basis, prefix)

    async def page(
        self, unit_path: str | None, year: int | None, basis: Basis, cursor: str | None, limit: int
    ) -> BelowTargetPage:
        found = await self.listing(unit_path, year, basis)
        statement = found.statement()
        if cursor is not None:
            statement = statement.where(CreditRoll.person_id > after(cursor))
        rows: Sequence[Any] = (
            await self.session.execute(statement.order_by(CreditRoll.person_id).limit(limit + 1))
        ).all()
        more = len(rows) > limit
        rows = rows[:limit]
        total = await self.session.scalar(found.count()) or 0
        return BelowTargetPage(
            items=[found.row(r) for r in rows],
            next=str(rows[-1].id) if more else None,
            total=total,
            year=found.period.year,
            basis=found.basis.value,
            year_elapsed=float(found.period.elapsed),
        )

    async def every(self, found: Listing) -> AsyncIterator[BelowTarget]:
        """Every row of the list, streamed from a server-side cursor (the .xlsx of a whole district)."""
        result = await self.session.stream(
            found.statement().order_by(CreditRoll.person_id).execution_options(yield_per=2000)
        )
        async for r in result:
            yield found.row(r)
