"""The district's indicator sets (TRN-11): the double-hundred defaults and the district's own, editable by the
district admin; a set in use keeps its indicators' codes comparable, so editing replaces names and weights only
through a new set (a sheet stores the scores it was given)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.assessments.defaults import DOMAINS, ensure_sets
from services.training.assessments.models import ONE_SET_CODE, IndicatorSet
from services.training.assessments.schemas import SetWrite
from shared import audit
from shared.context import require_tenant
from shared.http.problems import FieldErrors, conflict


class SetService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def listed(self) -> list[IndicatorSet]:
        await ensure_sets(self.session)
        return list(
            await self.session.scalars(
                select(IndicatorSet).order_by(IndicatorSet.subject_kind.desc(), IndicatorSet.code)
            )
        )

    async def create(self, data: SetWrite) -> IndicatorSet:
        await ensure_sets(self.session)
        errors = FieldErrors()
        codes = [i.code for i in data.indicators]
        for index, code in enumerate(codes):
            if code in codes[:index]:
                errors.add(f"body.indicators[{index}].code", "each indicator's code once")
        if data.subject_kind == "organisation" and data.domain not in DOMAINS:
            errors.add("body.domain", f"an organisation's set names its domain: {', '.join(DOMAINS)}")
        if data.subject_kind == "member" and data.domain is not None:
            errors.add("body.domain", "a member's set has no domain")
        errors.raise_if_any("the indicator set is invalid")
        indicators = [{"code": i.code, "name": i.name.strip(), "maxScore": i.max_score} for i in data.indicators]
        added = await self.session.scalar(
            pg_insert(IndicatorSet)
            .values(
                tenant_id=require_tenant(),
                code=data.code,
                name=data.name.strip(),
                subject_kind=data.subject_kind,
                domain=data.domain,
                indicators=indicators,
                active=True,
            )
            .on_conflict_do_nothing(constraint=ONE_SET_CODE)
            .returning(IndicatorSet.id)
        )
        if added is None:
            raise conflict(f"this district already has an indicator set '{data.code}'")
        await audit.record(
            self.session, "training.assessment.set_added", subject_type="assessment_set", subject_id=str(added)
        )
        found = await self.session.get(IndicatorSet, added)
        assert found is not None
        return found
