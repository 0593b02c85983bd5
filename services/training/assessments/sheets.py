"""Score sheets (TRN-11): a subject's scores per indicator of a set for a period by one kind of assessor, with the
total. A member is assessed by themself (the semiannual self-evaluation), their party group and their branch; an
organisation by itself and its superior. The member enters their own self-evaluation (organisers may enter it
from the paper form); the other kinds are the organisers' of the subject's units."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.access import ORGANISERS
from services.training.assessments.defaults import MEMBER, ensure_sets
from services.training.assessments.models import ONE_SHEET, IndicatorSet, ScoreSheet, SheetKind
from services.training.assessments.schemas import SheetCreate, SubjectTotals
from services.training.paging import page
from services.training.people.directory import PersonDirectory
from services.training.ratings.periods import parse
from services.training.ratings.subjects import subject_of
from shared import audit
from shared.auth.principal import Principal
from shared.db.paths import under
from shared.db.repository import Keyset, Repository
from shared.http.problems import FieldErrors, conflict, invalid, missing

KINDS = {
    MEMBER: (SheetKind.SELF, SheetKind.GROUP, SheetKind.BRANCH),
    "organisation": (SheetKind.SELF, SheetKind.SUPERIOR),
}
NEWEST_FIRST = Keyset(ScoreSheet.created_at, ScoreSheet.id, descending=True, parse=datetime.fromisoformat)


class SheetRepository(Repository[ScoreSheet]):
    model_type = ScoreSheet
    noun = "score sheet"


def checked_scores(indicators: list[dict[str, Any]], scores: Mapping[str, Any]) -> dict[str, float]:
    """Every indicator scored from 0 to its maximum, and nothing else; a 422 naming ``body.scores.<code>``."""
    errors = FieldErrors()
    known = {i["code"]: float(i["maxScore"]) for i in indicators}
    for code, top in known.items():
        value = scores.get(code)
        if value is None:
            errors.add(f"body.scores.{code}", "score every indicator of the set")
        elif isinstance(value, bool) or not isinstance(value, int | float):
            errors.add(f"body.scores.{code}", "a number")
        elif not 0 <= value <= top:
            errors.add(f"body.scores.{code}", f"from 0 to {top:g}")
    for code in scores:
        if code not in known:
            errors.add(f"body.scores.{code}", f"not an indicator of the set: {', '.join(known)}")
    errors.raise_if_any("the scores are invalid")
    return {code: float(scores[code]) for code in known}


class SheetService:
    def __init__(
        self, session: AsyncSession, principal: Principal, sheets: SheetRepository, people: PersonDirectory
    ) -> None:
        self.session = session
        self.principal = principal
        self.sheets = sheets
        self.people = people

    def _organiser(self) -> bool:
        return self.principal.has_role(*ORGANISERS)

    async def _set(self, set_id: UUID) -> IndicatorSet:
        await ensure_sets(self.session)
        found = await self.session.get(IndicatorSet, set_id)
        if found is None or not found.active:
            raise invalid("setId", "not an active indicator set of this district")
        return found

    async def create(self, data: SheetCreate) -> ScoreSheet:
        indicator_set = await self._set(data.set_id)
        period = parse("period", data.period, ratings=True)
        if data.kind not in KINDS[indicator_set.subject_kind]:
            allowed = ", ".join(KINDS[indicator_set.subject_kind])
            raise invalid("kind", f"a {indicator_set.subject_kind} is assessed as: {allowed}")
        subject = await subject_of(
            self.people,
            member=indicator_set.subject_kind == MEMBER,
            person_id=data.subject.person_id,
            unit_id=data.subject.unit_id,
            unit_path=data.subject.unit_path,
            unit_name=data.subject.unit_name,
            under=(self.principal.scope or "/") if self._organiser() else "",
            prefix="body.subject.",
        )
        own = subject.person is not None and subject.person.user_id == self.principal.user_id
        if not self._organiser() and not (own and data.kind == "self"):
            raise missing("person")  # a member scores only their own self-evaluation
        scores = checked_scores(indicator_set.indicators, data.scores)
        row = ScoreSheet(
            set_id=indicator_set.id,
            kind=data.kind,
            period=period.label,
            subject_kind=indicator_set.subject_kind,
            person_id=subject.person.id if subject.person else None,
            subject_id=subject.id,
            subject_path=subject.path,
            subject_name=subject.name,
            scores=scores,
            total=Decimal(str(round(sum(scores.values()), 2))),
            note=data.note.strip(),
            scored_by=self.principal.user_id,
            scored_by_name=self.principal.name,
        )
        self.session.add(row)
        try:
            async with self.session.begin_nested():
                await self.session.flush()
        except IntegrityError as clash:
            if ONE_SHEET in str(clash.orig):
                raise conflict(f"{subject.name} already has a {data.kind} score sheet for {period.label}") from None
            raise
        await self.session.refresh(row)
        await audit.record(
            self.session, "training.assessment.scored", subject_type="assessment_sheet", subject_id=str(row.id)
        )
        return row

    async def page(
        self, *, period: str | None, set_id: UUID | None, subject_id: UUID | None, cursor: str | None, limit: int
    ) -> tuple[list[ScoreSheet], str | None]:
        """Organisers: the sheets of subjects under their scope; a member: their own."""
        query = select(ScoreSheet)
        if not self._organiser():
            me = await self.people.me()
            query = query.where(ScoreSheet.person_id == me.id)
        elif self.principal.scope is not None:
            query = query.where(under(ScoreSheet.subject_path, self.principal.scope))
        if period is not None:
            query = query.where(ScoreSheet.period == parse("query.period", period, ratings=True).label)
        if set_id is not None:
            query = query.where(ScoreSheet.set_id == set_id)
        if subject_id is not None:
            query = query.where(ScoreSheet.subject_id == subject_id)
        return await page(self.sheets, query, NEWEST_FIRST, cursor=cursor, limit=limit)

    async def totals(self, period: str) -> list[SubjectTotals]:
        """Each subject's sheets of ``period`` under the caller's scope, totalled per kind, by name."""
        label = parse("query.period", period, ratings=True).label
        query = (
            select(ScoreSheet, IndicatorSet.name, IndicatorSet.subject_kind)
            .join(IndicatorSet, IndicatorSet.id == ScoreSheet.set_id)
            .where(ScoreSheet.period == label)
            .order_by(ScoreSheet.subject_name, ScoreSheet.subject_id, IndicatorSet.name)
        )
        if self.principal.scope is not None:
            query = query.where(under(ScoreSheet.subject_path, self.principal.scope))
        found: dict[tuple[UUID, UUID], SubjectTotals] = {}
        for sheet, set_name, kind in await self.session.execute(query):
            key = (sheet.set_id, sheet.subject_id)
            if key not in found:
                found[key] = SubjectTotals(
                    set_id=sheet.set_id,
                    set_name=set_name,
                    subject_id=sheet.subject_id,
                    subject_name=sheet.subject_name,
                    period=label,
                    totals=dict.fromkeys(KINDS[kind]),
                )
            found[key].totals[sheet.kind] = float(sheet.total)
        return list(found.values())
