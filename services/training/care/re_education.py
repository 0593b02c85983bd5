"""Warned members' re-education (TRN-05, EVT-01, EVT-02): orgtree's warning opens a case and enrols the member in
the party-spirit education branch's programme; attending its sessions puts the case in education; an organiser
concludes it qualified or still unqualified, and the latter goes to orgtree (the transfer to the street organ
branch) through the outbox.

IN_EDUCATION is derived when read (an open case whose member attended one of the programme's sessions since the
warning), not stored: attendance is recorded by check-in and its event belongs to the points ledger's handler, and
a derived state cannot disagree with the attendance it comes from.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.care.calendar import start_of, today
from services.training.care.models import CaseState, ReEducationCase
from services.training.care.rows import by_id, under_units
from services.training.care.schemas import AttendedSession, CaseConclude, CaseView
from services.training.paging import page
from services.training.people.directory import PersonDirectory
from services.training.people.models import Person, PersonKind
from services.training.people.services import UNNAMED
from services.training.programmes.catalogue import seed_catalogue
from services.training.programmes.models import Attendance, Programme, TrainingSession
from shared import audit
from shared.auth.principal import Principal
from shared.clock import now
from shared.context import require_tenant
from shared.contracts.orgtree import MemberWarned
from shared.contracts.training import ReEducationFailed
from shared.db.base import uuid7
from shared.db.repository import Keyset, Repository
from shared.http.problems import conflict, missing
from shared.messaging import outbox

PROGRAMME = "party_spirit_education"  # 党风党性教育党支部's re-education, in every district's catalogue
NEWEST_FIRST = Keyset(ReEducationCase.opened_at, ReEducationCase.id, descending=True, parse=datetime.fromisoformat)
STATES = tuple(state.value for state in CaseState)


def attended_since_warning() -> ColumnElement[bool]:
    """The case's member attended a session of the case's programme since the day of the warning."""
    return (
        select(Attendance.id)
        .join(TrainingSession, TrainingSession.id == Attendance.session_id)
        .where(
            Attendance.person_id == ReEducationCase.person_id,
            TrainingSession.programme_id == ReEducationCase.programme_id,
            Attendance.checked_in_at >= ReEducationCase.educated_from,
        )
        .exists()
    )


def in_state(state: str) -> ColumnElement[bool]:
    if state in (CaseState.OPENED, CaseState.IN_EDUCATION):
        attended = attended_since_warning()
        return and_(
            ReEducationCase.state == CaseState.OPENED, attended if state == CaseState.IN_EDUCATION else ~attended
        )
    return ReEducationCase.state == state


async def education_programme(db: AsyncSession) -> Programme:
    """The district's re-education programme; a district seeded before it was in the catalogue gets it now."""
    by_code = select(Programme).where(Programme.code == PROGRAMME)
    programme = await db.scalar(by_code)
    if programme is None:
        await seed_catalogue(db)
        programme = (await db.scalars(by_code)).one()
    return programme


async def open_case(db: AsyncSession, event: MemberWarned) -> None:
    """EVT-01: one case per warning, and one open case per member (a second warning joins the open case). A member
    training has not heard of yet gets an unnamed row that orgtree's member events fill in."""
    person = await db.scalar(select(Person).where(Person.member_id == event.member_id))
    if person is None:
        values = {"member_id": event.member_id, "name": UNNAMED, "branch_path": event.branch_path or None}
        insert = pg_insert(Person).values(tenant_id=require_tenant(), kind=PersonKind.MEMBER, **values)
        await db.execute(insert.on_conflict_do_nothing(index_elements=[Person.tenant_id, Person.member_id]))
        person = (await db.scalars(select(Person).where(Person.member_id == event.member_id))).one()
    programme = await education_programme(db)
    values = {
        "tenant_id": require_tenant(),
        "id": uuid7(),
        "person_id": person.id,
        "member_id": event.member_id,
        "programme_id": programme.id,
        "warned_on": event.warned_on,
        "educated_from": start_of(event.warned_on),
        "state": CaseState.OPENED,
        "opened_at": now(),
    }
    await db.execute(pg_insert(ReEducationCase).values(**values).on_conflict_do_nothing())


class CaseRepository(Repository[ReEducationCase]):
    model_type = ReEducationCase
    noun = "re-education case"


class ReEducationService:
    def __init__(
        self, session: AsyncSession, principal: Principal, people: PersonDirectory, repository: CaseRepository
    ) -> None:
        self.session = session
        self.principal = principal
        self.people = people
        self.repository = repository

    async def get(self, case_id: UUID, *, for_update: bool = False) -> tuple[ReEducationCase, Person]:
        case = await self.repository.get_or_404(case_id, for_update=for_update)
        person = await self.session.get(Person, case.person_id)
        if person is None or not self.people.visible(person):
            raise missing("re-education case")
        return case, person

    async def sessions(self, case: ReEducationCase) -> list[AttendedSession]:
        statement = (
            select(TrainingSession, Attendance)
            .join(Attendance, Attendance.session_id == TrainingSession.id)
            .where(
                Attendance.person_id == case.person_id,
                TrainingSession.programme_id == case.programme_id,
                Attendance.checked_in_at >= case.educated_from,
            )
            .order_by(Attendance.checked_in_at)
        )
        return [
            AttendedSession(
                session_id=sitting.id,
                title=sitting.title,
                starts_at=sitting.starts_at,
                checked_in_at=attendance.checked_in_at,
                credit_hours=float(attendance.credit_hours),
            )
            for sitting, attendance in await self.session.execute(statement)
        ]

    async def views(self, cases: Sequence[ReEducationCase]) -> list[CaseView]:
        """The cases as read: each with its member, its programme and its state (in education derived)."""
        ids = [case.id for case in cases]
        people = await by_id(self.session, Person, (case.person_id for case in cases))
        programmes = await by_id(self.session, Programme, (case.programme_id for case in cases))
        educating = set(
            await self.session.scalars(
                select(ReEducationCase.id).where(ReEducationCase.id.in_(ids), in_state(CaseState.IN_EDUCATION))
            )
        )
        return [
            self.view(case, people[case.person_id], programmes[case.programme_id], case.id in educating)
            for case in cases
        ]

    @staticmethod
    def view(case: ReEducationCase, person: Person, programme: Programme, educating: bool) -> CaseView:
        state = CaseState.IN_EDUCATION if educating and case.state == CaseState.OPENED else case.state
        return CaseView(
            id=case.id,
            person_id=person.id,
            person_name=person.name,
            member_id=case.member_id,
            branch_path=person.branch_path,
            grid_path=person.grid_path,
            programme_id=programme.id,
            programme_name=programme.name,
            warned_on=case.warned_on,
            state=state,
            opened_at=case.opened_at,
            concluded_on=case.concluded_on,
            conclusion_note=case.conclusion_note,
            concluded_by_name=case.concluded_by_name,
        )

    async def page(
        self, *, unit_path: str | None, state: str | None, cursor: str | None, limit: int
    ) -> tuple[list[CaseView], str | None]:
        conditions: list[Any] = under_units(self.principal.scope, unit_path)
        if state is not None:
            conditions.append(in_state(state))
        statement = select(ReEducationCase).join(Person, Person.id == ReEducationCase.person_id).where(*conditions)
        rows, following = await page(self.repository, statement, NEWEST_FIRST, cursor=cursor, limit=limit)
        return await self.views(rows), following

    async def detail(self, case_id: UUID) -> tuple[CaseView, list[AttendedSession]]:
        case, _ = await self.get(case_id)
        [found] = await self.views([case])
        return found, await self.sessions(case)

    async def conclude(self, case_id: UUID, data: CaseConclude) -> CaseView:
        """TRN-05: the reassessment after education. Once only; "still unqualified" tells orgtree (EVT-02)."""
        case, person = await self.get(case_id, for_update=True)
        if case.concluded_at is not None:
            raise conflict(f"the case was concluded on {case.concluded_on} as {case.state}")
        if not await self.sessions(case):
            raise conflict("the member has not attended a re-education session since the warning: educate first")
        case.state = CaseState(data.outcome)
        case.concluded_at = now()
        case.concluded_on = today()
        case.conclusion_note = data.note.strip()
        case.concluded_by = self.principal.user_id
        case.concluded_by_name = self.principal.name
        await self.session.flush()
        if case.state == CaseState.STILL_UNQUALIFIED:
            failed = ReEducationFailed(
                tenant_id=require_tenant(),
                case_id=case.id,
                member_id=case.member_id,
                person_id=person.id,
                concluded_on=case.concluded_on,
            )
            await outbox.publish(self.session, failed)
        await audit.record(
            self.session,
            "training.re_education.concluded",
            subject_type="re_education_case",
            subject_id=str(case.id),
            detail={"outcome": data.outcome},
        )
        [found] = await self.views([case])
        return found
