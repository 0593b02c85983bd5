"""The district's rules: read by everyone who has a standing, changed by the district administrator."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.credits.models import CreditRule
from services.training.credits.rules import MAX_WINDOW_YEARS, RULES, Measure, seed_rules
from services.training.credits.schemas import RuleUpdate, RuleView
from shared import audit
from shared.auth.principal import Principal
from shared.clock import now
from shared.db.repository import Repository
from shared.http.problems import FieldErrors, missing
from shared.http.views import view


class RuleRepository(Repository[CreditRule]):
    model_type = CreditRule
    noun = "credit rule"


def rule_view(rule: CreditRule) -> RuleView:
    spec = RULES[rule.code]
    return view(
        RuleView,
        rule,
        name=spec.name,
        measure=spec.measure.value,
        applies_to=[*spec.kinds, *spec.duties],
        required=float(rule.required),
    )


class RuleService:
    def __init__(self, session: AsyncSession, rules: RuleRepository, principal: Principal) -> None:
        self.session = session
        self.rules = rules
        self.principal = principal

    async def in_force(self) -> dict[str, CreditRule]:
        """The district's rules by code, seeding the defaults first if the district has none yet (a district
        provisioned before the rules existed gets them on first use)."""
        rows = await self.all()
        return {r.code: r for r in rows if r.active and r.code in RULES}

    async def all(self) -> Sequence[CreditRule]:
        rows = (await self.session.scalars(select(CreditRule).order_by(CreditRule.code))).all()
        if len(rows) < len(RULES):
            await seed_rules(self.session)
            rows = (await self.session.scalars(select(CreditRule).order_by(CreditRule.code))).all()
        return [r for r in rows if r.code in RULES]

    async def update(self, code: str, data: RuleUpdate) -> CreditRule:
        spec = RULES.get(code)
        if spec is None:
            raise missing("credit rule")
        errors = FieldErrors()
        required = Decimal(str(data.required))
        if spec.measure is Measure.PRE_SERVICE:
            if required != 1:
                errors.add("required", "pre-service training is done or not: the only value is 1")
        elif not Decimal(0) < required <= spec.maximum:
            errors.add("required", f"more than 0 and at most {spec.maximum}")
        elif required != required.quantize(Decimal("0.1")) or (
            spec.measure is Measure.CLASSES and required != required.to_integral_value()
        ):
            errors.add("required", "whole classes" if spec.measure is Measure.CLASSES else "one decimal place at most")
        if spec.rolling and not 1 <= data.window_years <= MAX_WINDOW_YEARS:
            errors.add("windowYears", f"a rolling window of 1 to {MAX_WINDOW_YEARS} years")
        elif spec.rolling and required > 365 * data.window_years:
            errors.add("required", f"at most {365 * data.window_years} days in a {data.window_years}-year window")
        elif not spec.rolling and data.window_years != 1:
            errors.add("windowYears", "this rule counts the calendar year; only the training-days rule has a window")
        errors.raise_if_any(f"the values for rule {code} are out of range")
        await self.all()
        rule = await self.rules.one_or_404(select(CreditRule).where(CreditRule.code == code).with_for_update())
        before = {"required": str(rule.required), "windowYears": rule.window_years, "active": rule.active}
        rule.required, rule.window_years, rule.active = required, data.window_years, data.active
        rule.updated_at, rule.updated_by = now(), self.principal.user_id
        after = {"required": str(required), "windowYears": data.window_years, "active": data.active}
        await audit.record(
            self.session,
            "training.credit_rule.changed",
            subject_type="credit_rule",
            subject_id=code,
            detail={"before": before, "after": after},
        )
        await self.session.flush()
        return rule
