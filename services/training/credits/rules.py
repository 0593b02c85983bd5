"""The rules every district starts with (TRN-03) and who each applies to.

Who a rule applies to and what it measures are fixed here; the district sets the required amount, the rolling
window of the training-days rule and whether a rule is in force (``PUT /api/training/rules/{code}``). Duties come
from orgtree's cadre postings (``people/services.py``); a volunteer is a person with the ``volunteer`` duty or flag.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.credits.models import CreditRule
from services.training.people.models import Duty, PersonKind
from shared.clock import CHINA
from shared.context import require_tenant

# Years and "this year" are counted in China's time: a check-in at 23:30 on 31 December counts for that year.
ZONE = CHINA


class Measure(StrEnum):
    CREDIT_HOURS = "credit_hours"  # credit hours attended in the calendar year
    CLASSES = "classes"  # sessions attended that count "secretary_class", in the calendar year
    TRAINING_DAYS = "training_days"  # training days of sessions that count "training_days", rolling window
    PRE_SERVICE = "pre_service"  # a session that counts "pre_service" attended, ever


@dataclass(frozen=True)
class RuleSpec:
    code: str
    name: str
    measure: Measure
    required: Decimal  # the seeds' default
    maximum: Decimal  # the largest amount a district may require
    kinds: tuple[str, ...] = ()  # applies to these person kinds ...
    duties: tuple[str, ...] = ()  # ... or to people holding any of these duties (or flags, for volunteers)
    window_years: int = 1  # rolling rules only: the window the district may set, 1 to MAX_WINDOW_YEARS

    @property
    def rolling(self) -> bool:
        return self.measure is Measure.TRAINING_DAYS

    def applies(self, kind: str, duties: list[str], flags: list[str]) -> bool:
        return kind in self.kinds or any(d in duties or d in flags for d in self.duties)


MAX_WINDOW_YEARS = 5
RULES: dict[str, RuleSpec] = {
    spec.code: spec
    for spec in (
        RuleSpec(
            "member_hours", "党员年度学时", Measure.CREDIT_HOURS, Decimal(32), Decimal(1000), kinds=(PersonKind.MEMBER,)
        ),
        RuleSpec(
            "cadre_hours",
            "支部书记、委员年度学时",
            Measure.CREDIT_HOURS,
            Decimal(56),
            Decimal(1000),
            duties=(Duty.SECRETARY, Duty.COMMITTEE_MEMBER),
        ),
        # the seeds' "1-2 classes a year": the district holds one or two; attending one meets the rule
        RuleSpec(
            "village_secretary_classes",
            "村党组织书记年度培训班",
            Measure.CLASSES,
            Decimal(1),
            Decimal(12),
            duties=(Duty.VILLAGE_SECRETARY,),
        ),
        RuleSpec(
            "rural_cadre_days",
            "农村干部两年培训天数",
            Measure.TRAINING_DAYS,
            Decimal(100),
            Decimal(365 * MAX_WINDOW_YEARS),
            duties=(Duty.RURAL_CADRE,),
            window_years=2,
        ),
        RuleSpec(
            "volunteer_pre_service",
            "志愿者岗前培训",
            Measure.PRE_SERVICE,
            Decimal(1),
            Decimal(1),
            duties=(Duty.VOLUNTEER,),
        ),
    )
}


async def seed_rules(session: AsyncSession) -> bool:
    """Add the rules the district does not have yet (its own values stay); True when any was added."""
    rows = [
        {"tenant_id": require_tenant(), "code": s.code, "required": s.required, "window_years": s.window_years}
        for s in RULES.values()
    ]
    added = await session.execute(
        pg_insert(CreditRule).values(rows).on_conflict_do_nothing().returning(CreditRule.code)
    )
    return bool(added.all())
