"""The delegate / studio tracking ledger (DSP-30, [001/SZ-28]): an opinion is collected, forwarded to the department
concerned, answered, fed back to the resident, and the delegate evaluates the handling, one step after the other.
The dashboard counts, for opinions collected in a period, the share forwarded and the share answered (Shenzhen's
delegates reported 100 % of 2,041)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.ledgers.models import STAGES, DelegateOpinion, OpinionStatus
from services.dispatch.ledgers.schemas import (
    CollectorFigures,
    LedgerDashboard,
    OpinionAnswer,
    OpinionCreate,
    OpinionEvaluate,
    OpinionFeedback,
    OpinionForward,
)
from services.dispatch.proposals.period import period
from services.dispatch.providers.models import Provider, ProviderKind
from shared import audit
from shared.auth.principal import Principal
from shared.clock import china_today, now
from shared.db.repository import Repository
from shared.http.problems import FieldErrors, conflict, invalid, missing

S = OpinionStatus
CHANNELS = ("line", "visit", "form", "card")  # Yantian's "four ones": 一线 一访 一表 一卡 [001/SZ-29]
EVALUATIONS = ("satisfied", "basically_satisfied", "unsatisfied")
# Who keeps a ledger: a delegate (a member of the district) or a studio.
COLLECTORS = (ProviderKind.MEMBER_VOLUNTEER, ProviderKind.EXPERT_STUDIO)
LATE_DAYS = 3650
STEP_LABELS = {S.FORWARDED: "forwarded", S.ANSWERED: "answered", S.FED_BACK: "fed back", S.EVALUATED: "evaluated"}


class OpinionRepository(Repository[DelegateOpinion]):
    model_type = DelegateOpinion
    noun = "opinion"


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def figures(collector_id: UUID | None, name: str | None, counts: list[int]) -> CollectorFigures:
    opinions, forwarded, answered, fed_back, evaluated = counts
    return CollectorFigures(
        collector_id=collector_id,
        name=name,
        opinions=opinions,
        forwarded=forwarded,
        answered=answered,
        fed_back=fed_back,
        evaluated=evaluated,
        forwarded_rate=_rate(forwarded, opinions),
        answered_rate=_rate(answered, opinions),
    )


class LedgerService:
    def __init__(self, session: AsyncSession, principal: Principal, opinions: OpinionRepository) -> None:
        self.session = session
        self.principal = principal
        self.opinions = opinions

    async def get(self, opinion_id: UUID, *, for_update: bool = False) -> DelegateOpinion:
        query = select(DelegateOpinion).where(DelegateOpinion.id == opinion_id)
        return await self.opinions.one_or_404(query.with_for_update() if for_update else query)

    async def page(
        self, collector: UUID | None, status: str | None, offset: int, limit: int
    ) -> tuple[list[DelegateOpinion], int]:
        query = select(DelegateOpinion)
        if collector is not None:
            query = query.where(DelegateOpinion.collector_id == collector)
        if status is not None:
            query = query.where(DelegateOpinion.status == status)
        total = await self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        ordered = query.order_by(DelegateOpinion.collected_on.desc(), DelegateOpinion.id.desc())
        return list(await self.session.scalars(ordered.offset(offset).limit(limit))), total

    @staticmethod
    def _day(errors: FieldErrors, field: str, value: date | None, not_before: date | None = None) -> date:
        today = china_today()
        chosen = value or today
        if chosen > today:
            errors.add(field, "is in the future")
        elif not_before is not None and chosen < not_before:
            errors.add(field, "before the step it follows")
        elif (today - chosen).days > LATE_DAYS:
            errors.add(field, f"more than {LATE_DAYS} days ago")
        return chosen

    async def _audit(self, opinion: DelegateOpinion, action: str) -> None:
        await audit.record(
            self.session,
            f"dispatch.opinion.{action}",
            subject_type="delegate_opinion",
            subject_id=str(opinion.id),
            detail={"status": opinion.status},
        )

    async def create(self, data: OpinionCreate) -> DelegateOpinion:
        errors = FieldErrors()
        errors.choice("channel", data.channel, CHANNELS)
        collected_on = self._day(errors, "collectedOn", data.collected_on)
        collector = await self.session.get(Provider, data.collector_id)
        if collector is not None and collector.kind not in COLLECTORS:
            errors.add("collectorId", "not a delegate (member) or a studio")
        errors.raise_if_any("the opinion has invalid fields")
        if collector is None:
            raise missing("delegate or studio")
        opinion = DelegateOpinion(
            collector_id=collector.id,
            collector_name=collector.name,
            collected_on=collected_on,
            channel=data.channel,
            summary=data.summary.strip(),
            details=data.details.strip(),
            status=S.COLLECTED,
            recorded_by=self.principal.user_id,
            recorded_at=now(),
            updated_by_name=self.principal.name,
        )
        await self.opinions.add(opinion, auto_refresh=True)
        await self._audit(opinion, "collected")
        return opinion

    async def _advance(
        self, opinion_id: UUID, to: OpinionStatus, field: str, on: date | None, after: str, **values: Any
    ) -> DelegateOpinion:
        opinion = await self.get(opinion_id, for_update=True)
        needed = STAGES[STAGES.index(to) - 1]
        if opinion.status != needed:
            raise conflict(f"this opinion is {opinion.status}: it can be {STEP_LABELS[to]} only once it is {needed}")
        errors = FieldErrors()
        when = self._day(errors, "on", on, getattr(opinion, after))
        errors.raise_if_any("the step has invalid fields")
        for name, value in values.items():
            setattr(opinion, name, value)
        setattr(opinion, field, when)
        opinion.status, opinion.updated_by_name = to, self.principal.name
        await self._audit(opinion, to)
        return opinion

    async def forward(self, opinion_id: UUID, data: OpinionForward) -> DelegateOpinion:
        return await self._advance(
            opinion_id, S.FORWARDED, "forwarded_on", data.on, "collected_on", department=data.department.strip()
        )

    async def answer(self, opinion_id: UUID, data: OpinionAnswer) -> DelegateOpinion:
        return await self._advance(
            opinion_id, S.ANSWERED, "answered_on", data.on, "forwarded_on", answer=data.answer.strip()
        )

    async def feed_back(self, opinion_id: UUID, data: OpinionFeedback) -> DelegateOpinion:
        return await self._advance(
            opinion_id, S.FED_BACK, "fed_back_on", data.on, "answered_on", feedback=data.feedback.strip()
        )

    async def evaluate(self, opinion_id: UUID, data: OpinionEvaluate) -> DelegateOpinion:
        if data.evaluation not in EVALUATIONS:
            raise invalid("evaluation", f"one of: {', '.join(EVALUATIONS)}")
        note = (data.note or "").strip() or None
        return await self._advance(
            opinion_id,
            S.EVALUATED,
            "evaluated_on",
            data.on,
            "fed_back_on",
            evaluation=data.evaluation,
            evaluation_note=note,
        )

    async def dashboard(self, first: str | None, last: str | None) -> LedgerDashboard:
        start, end = period(first, last)
        status = DelegateOpinion.status
        reached = [status.in_(STAGES[rank:]) for rank in range(1, len(STAGES))]
        query = (
            select(
                DelegateOpinion.collector_id,
                Provider.name,
                func.count(),
                *(func.count().filter(condition) for condition in reached),
            )
            .join(Provider, Provider.id == DelegateOpinion.collector_id)
            .where(DelegateOpinion.collected_on >= start, DelegateOpinion.collected_on <= end)
            .group_by(DelegateOpinion.collector_id, Provider.name)
        )
        collectors = [figures(row[0], row[1], list(row[2:])) for row in (await self.session.execute(query)).all()]
        collectors.sort(key=lambda c: (-c.opinions, c.name or ""))
        fields = ("opinions", "forwarded", "answered", "fed_back", "evaluated")
        totals = [sum(getattr(c, f) for c in collectors) for f in fields]
        return LedgerDashboard(from_=start, to=end, total=figures(None, None, totals), collectors=collectors)

    async def collectors(self) -> list[Provider]:
        """Who may keep a ledger: the district's studios, then its members (delegates), by name."""
        query = (
            select(Provider)
            .where(Provider.kind.in_(COLLECTORS), Provider.active)
            .order_by(Provider.kind.desc(), Provider.name, Provider.id)
            .limit(500)
        )
        return list(await self.session.scalars(query))
