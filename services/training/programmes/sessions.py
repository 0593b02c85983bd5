"""Sessions of the catalogue's programmes (TRN-02): where, when, by which unit, worth how many credit hours.

Everyone in the district reads the calendar (members come to sessions of other units); a street admin or
community cadre organises and changes only sessions of units under their scope, district admins any.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.paging import page
from services.training.people.models import Person
from services.training.programmes.models import Attendance, Counts, Programme, TrainingSession
from services.training.programmes.rules import (
    CHECKIN_EARLY,
    check_days,
    check_hours,
    check_organiser,
    check_times,
    check_window,
    days_spanned,
    given,
    may_organise,
)
from services.training.programmes.schemas import SessionCreate, SessionUpdate
from services.training.programmes.services import CatalogueService
from shared import audit
from shared.auth.principal import Principal
from shared.clock import now
from shared.db.paths import under
from shared.db.repository import Keyset, Repository
from shared.http.problems import FieldErrors, ProblemError, conflict

INVALID_SESSION = "the session has invalid fields"
BY_START = Keyset(TrainingSession.starts_at, TrainingSession.id, parse=datetime.fromisoformat)
BY_ARRIVAL = Keyset(Attendance.checked_in_at, Attendance.id, parse=datetime.fromisoformat)


class SessionRepository(Repository[TrainingSession]):
    model_type = TrainingSession
    noun = "session"


class AttendanceRepository(Repository[Attendance]):
    model_type = Attendance
    noun = "attendance"


class SessionService:
    def __init__(self, session: AsyncSession, principal: Principal, catalogue: CatalogueService) -> None:
        self.session = session
        self.principal = principal
        self.catalogue = catalogue
        self.repository = SessionRepository(session)

    # -- reading -------------------------------------------------------------------------------

    async def get(self, session_id: UUID, *, for_update: bool = False) -> TrainingSession:
        return await self.repository.get_or_404(session_id, for_update=for_update)

    async def programmes_of(self, sessions: list[TrainingSession]) -> dict[UUID, Programme]:
        """The programmes of a page of sessions, in one query."""
        ids = {s.programme_id for s in sessions}
        if not ids:
            return {}
        return {p.id: p for p in await self.session.scalars(select(Programme).where(Programme.id.in_(ids)))}

    async def page(
        self,
        *,
        starts_from: datetime | None,
        starts_before: datetime | None,
        programme_id: UUID | None,
        unit_path: str | None,
        cursor: str | None,
        limit: int,
    ) -> tuple[list[TrainingSession], str | None]:
        """Sessions in start order; ``unit_path`` keeps those organised by that unit or one under it."""
        query = select(TrainingSession)
        if starts_from is not None:
            query = query.where(TrainingSession.starts_at >= starts_from)
        if starts_before is not None:
            query = query.where(TrainingSession.starts_at < starts_before)
        if programme_id is not None:
            query = query.where(TrainingSession.programme_id == programme_id)
        if unit_path is not None:
            query = query.where(under(TrainingSession.organiser_unit_path, unit_path))
        return await page(self.repository, query, BY_START, cursor=cursor, limit=limit)

    async def attendance_count(self, session_id: UUID) -> int:
        count = await self.session.scalar(
            select(func.count()).select_from(Attendance).where(Attendance.session_id == session_id)
        )
        return int(count or 0)

    async def attendance(
        self, session_id: UUID, *, cursor: str | None, limit: int
    ) -> tuple[list[Attendance], dict[UUID, Person], str | None]:
        """Who attended, in check-in order, with each person. A scoped reader sees everyone at a session of a unit
        under their scope, and only their own people at any other."""
        row = await self.get(session_id)
        query: Select[Any] = select(Attendance).where(Attendance.session_id == row.id)
        scope = self.principal.scope
        if scope is not None and not (row.organiser_unit_path or "").startswith(scope):
            query = query.where(
                Attendance.person_id.in_(
                    select(Person.id).where(or_(under(Person.branch_path, scope), under(Person.grid_path, scope)))
                )
            )
        rows, next_cursor = await page(
            AttendanceRepository(self.session), query, BY_ARRIVAL, cursor=cursor, limit=limit
        )
        ids = {a.person_id for a in rows}
        people = {p.id: p for p in await self.session.scalars(select(Person).where(Person.id.in_(ids)))} if ids else {}
        return rows, people, next_cursor

    # -- writing -------------------------------------------------------------------------------

    async def _programme(self, errors: FieldErrors, programme_id: UUID) -> Programme | None:
        programme = await self.catalogue.find(programme_id)
        if programme is None:
            errors.add("programmeId", "no such programme in this district's catalogue")
        elif not programme.active:
            errors.add("programmeId", f"the programme {programme.name} is withdrawn from the catalogue")
        return programme

    async def create(self, data: SessionCreate) -> TrainingSession:
        errors = FieldErrors()
        programme = await self._programme(errors, data.programme_id)
        if data.category is not None:
            await self.catalogue.check_category(errors, "category", data.category)
        if data.credit_hours is not None:
            hours = check_hours(errors, "creditHours", data.credit_hours)
        else:
            hours = programme.default_credit_hours if programme else Decimal(0)
        check_times(errors, data.starts_at, data.ends_at)
        if data.training_days is not None:
            days = check_days(errors, "trainingDays", data.training_days)
        elif programme is not None and Counts.TRAINING_DAYS in programme.counts and data.ends_at > data.starts_at:
            days = days_spanned(data.starts_at, data.ends_at)
        else:
            days = Decimal(0)
        opens = data.checkin_opens_at or data.starts_at - CHECKIN_EARLY
        closes = data.checkin_closes_at or data.ends_at
        if data.ends_at > data.starts_at:
            check_window(errors, starts_at=data.starts_at, ends_at=data.ends_at, opens_at=opens, closes_at=closes)
        check_organiser(errors, self.principal, data.organiser_unit_path)
        errors.raise_if_any(INVALID_SESSION)
        assert programme is not None  # an unknown programme was reported above
        row = TrainingSession(
            programme_id=programme.id,
            title=data.title,
            category=data.category or programme.category,
            place=data.place,
            starts_at=data.starts_at,
            ends_at=data.ends_at,
            checkin_opens_at=opens,
            checkin_closes_at=closes,
            organiser_unit_id=data.organiser_unit_id,
            organiser_unit_name=data.organiser_unit_name,
            organiser_unit_path=data.organiser_unit_path,
            credit_hours=hours,
            training_days=days,
            created_by=self.principal.user_id,
        )
        self.session.add(row)
        await self.session.flush()
        await audit.record(self.session, "training.session.created", subject_type="session", subject_id=str(row.id))
        return row

    async def changeable(self, session_id: UUID) -> TrainingSession:
        """The session, locked, if it may still change and the caller organises for its unit."""
        row = await self.get(session_id, for_update=True)
        if row.cancelled_at is not None:
            raise conflict("the session is cancelled: it cannot change any more")
        if not may_organise(self.principal, row.organiser_unit_path):
            raise ProblemError(403, "only the organising unit's staff or a district administrator change this session")
        return row

    async def update(self, session_id: UUID, data: SessionUpdate) -> TrainingSession:
        """Checked as a whole, as it would be after the change, before anything is written."""
        row = await self.changeable(session_id)
        changes = given(data)
        errors = FieldErrors()
        if "programme_id" in changes:
            await self._programme(errors, changes["programme_id"])
        if "category" in changes:
            await self.catalogue.check_category(errors, "category", changes["category"])
        if "credit_hours" in changes:
            changes["credit_hours"] = check_hours(errors, "creditHours", changes["credit_hours"])
        if "training_days" in changes:
            changes["training_days"] = check_days(errors, "trainingDays", changes["training_days"])
        starts, ends = changes.get("starts_at", row.starts_at), changes.get("ends_at", row.ends_at)
        if {"starts_at", "ends_at"} & changes.keys():
            check_times(errors, starts, ends)
            window_by_default = (row.checkin_opens_at, row.checkin_closes_at) == (
                row.starts_at - CHECKIN_EARLY,
                row.ends_at,
            )
            if window_by_default:  # the default window follows the new times
                changes.setdefault("checkin_opens_at", starts - CHECKIN_EARLY)
                changes.setdefault("checkin_closes_at", ends)
        opens = changes.get("checkin_opens_at", row.checkin_opens_at)
        closes = changes.get("checkin_closes_at", row.checkin_closes_at)
        if ends > starts:
            check_window(errors, starts_at=starts, ends_at=ends, opens_at=opens, closes_at=closes)
        if "organiser_unit_path" in changes:
            check_organiser(errors, self.principal, changes["organiser_unit_path"])
        errors.raise_if_any(INVALID_SESSION)
        for name, value in changes.items():
            setattr(row, name, value)
        row.updated_at = now()  # set here, not by the database, so the answer needs no reload
        await self.session.flush()
        await audit.record(
            self.session,
            "training.session.changed",
            subject_type="session",
            subject_id=str(row.id),
            detail={"fields": sorted(changes)},
        )
        return row

    async def cancel(self, session_id: UUID) -> TrainingSession:
        """Off the calendar: no more check-ins; attendance already recorded stays."""
        row = await self.changeable(session_id)
        row.cancelled_at = row.updated_at = now()
        await self.session.flush()
        await audit.record(self.session, "training.session.cancelled", subject_type="session", subject_id=str(row.id))
        return row
