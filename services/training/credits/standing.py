"""One person's standing in a year (TRN-03): credit hours (by category), classes, training days in the rolling
window, pre-service training, and each applicable rule with what it asks and what is achieved.

Read straight from the person's attendance (one index range, a few dozen rows a year), so it is exact the moment
an attendance commits."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.credits.evaluation import Amounts, Basis, Period, period, shortfall, target
from services.training.credits.models import CreditRule
from services.training.credits.rules import RULES, Measure
from services.training.credits.schemas import CategoryHours, RuleStanding, Standing
from services.training.credits.services import RuleService
from services.training.people.models import Person
from services.training.programmes.models import Attendance, Counts, TrainingCategory
from shared.auth.principal import Principal
from shared.http.problems import missing


def visible(principal: Principal, person: Person) -> bool:
    """A reader with a scope sees the people under it, in either tree; a district admin sees everyone."""
    if principal.scope is None:
        return True
    return any(path is not None and path.startswith(principal.scope) for path in (person.branch_path, person.grid_path))


def rule_standings(person: Person, rules: dict[str, CreditRule], amounts: Amounts, p: Period) -> list[RuleStanding]:
    out = []
    for code, rule in rules.items():
        spec = RULES[code]
        if not spec.applies(person.kind, person.duties, person.flags):
            continue
        achieved = amounts.of(spec.measure)
        pace: dict[str, Any] = {}
        if spec.measure is Measure.CREDIT_HOURS and p.elapsed < 1:
            expected = target(spec, rule.required, Basis.PRO_RATA, p.elapsed)
            pace = {"expected_to_date": float(expected), "on_pace": achieved >= expected}
        out.append(
            RuleStanding(
                code=code,
                name=spec.name,
                measure=spec.measure.value,
                required=float(rule.required),
                achieved=float(achieved),
                met=achieved >= rule.required,
                short_by=float(shortfall(rule.required, achieved)),
                **pace,
            )
        )
    return out


class StandingService:
    def __init__(self, session: AsyncSession, principal: Principal, rules: RuleService) -> None:
        self.session = session
        self.principal = principal
        self.rules = rules

    async def of_person(self, person_id: UUID, year: int | None) -> Standing:
        person = await self.session.get(Person, person_id)
        if person is None or not visible(self.principal, person):
            raise missing("person")
        return await self.standing(person, year)

    async def mine(self, year: int | None) -> Standing:
        person = await self.session.scalar(select(Person).where(Person.user_id == self.principal.user_id))
        if person is None:
            raise missing("person for this login")
        return await self.standing(person, year)

    async def standing(self, person: Person, year: int | None) -> Standing:
        p = period(year)
        rules = await self.rules.in_force()
        rolling = rules.get("rural_cadre_days")
        since = p.window_start(rolling.window_years if rolling is not None else 2)
        in_year = Attendance.checked_in_at >= p.start
        days = and_(Attendance.counts.contains([Counts.TRAINING_DAYS]), Attendance.checked_in_at > since)
        pre = Attendance.counts.contains([Counts.PRE_SERVICE])
        rows = (
            await self.session.execute(
                select(
                    Attendance.category,
                    TrainingCategory.name,
                    func.sum(Attendance.credit_hours).filter(in_year),
                    func.count().filter(in_year),
                    func.count().filter(in_year, Attendance.counts.contains([Counts.SECRETARY_CLASS])),
                    func.sum(Attendance.training_days).filter(days),
                    func.min(Attendance.checked_in_at).filter(pre),
                )
                .outerjoin(TrainingCategory, TrainingCategory.code == Attendance.category)
                .where(Attendance.person_id == person.id, Attendance.checked_in_at < p.end)
                .group_by(Attendance.category, TrainingCategory.name)
                .order_by(Attendance.category)
            )
        ).all()
        zero = Decimal(0)
        hours = sum((r[2] or zero for r in rows), zero)
        trained = [r[6] for r in rows if r[6] is not None]
        amounts = Amounts(
            credit_hours=hours,
            classes=sum(r[4] for r in rows),
            training_days=sum((r[5] or zero for r in rows), zero),
            pre_service=bool(trained),
        )
        standings = rule_standings(person, rules, amounts, p)
        return Standing(
            person_id=person.id,
            name=person.name,
            kind=person.kind,
            duties=list(person.duties),
            active=person.active,
            year=p.year,
            as_of=p.as_of,
            year_elapsed=float(p.elapsed),
            credit_hours=float(hours),
            sessions=sum(r[3] for r in rows),
            by_category=[
                CategoryHours(category=r[0], name=r[1] or r[0], credit_hours=float(r[2] or zero), sessions=r[3])
                for r in rows
                if r[3]
            ],
            classes=amounts.classes,
            training_days=float(amounts.training_days),
            training_days_since=since,
            pre_service_done=amounts.pre_service,
            pre_service_at=min(trained) if trained else None,
            rules=standings,
            met=all(s.met for s in standings),
        )
