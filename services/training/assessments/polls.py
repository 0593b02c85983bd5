"""The year-end democratic poll of a member (民主评议党员, TRN-11), kept anonymous as the duty review's poll is
(reviews/poll.py): a register of who voted (no grade, no time) and counters per grade (no voter); the vote adds
the voter and increments every counter by 0 or 1 in one statement, so no row written says which grade moved.
Members of the member's branch vote once each (not the member themself); counters show from 3 voters."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import case, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.assessments.models import ONE_POLL, AssessmentPollTally, AssessmentPollVoter, DemocraticPoll
from services.training.assessments.schemas import PollCreate, PollView
from services.training.people.directory import PersonDirectory
from services.training.people.models import Person, PersonKind
from services.training.reviews.poll import ALREADY_VOTED, SHOWN_FROM_VOTERS
from shared import audit
from shared.auth.principal import Principal
from shared.clock import now
from shared.db.paths import under
from shared.http.problems import ProblemError, conflict, invalid, missing

GRADES = ("excellent", "qualified", "basically_qualified", "unqualified")  # 优秀, 合格, 基本合格, 不合格


class DemocraticPollService:
    def __init__(self, session: AsyncSession, principal: Principal, people: PersonDirectory) -> None:
        self.session = session
        self.principal = principal
        self.people = people

    async def open(self, data: PollCreate) -> DemocraticPoll:
        person = await self.people.get(data.person_id)
        if person.kind != PersonKind.MEMBER or not person.branch_path:
            raise invalid("personId", "a party member with a branch: its members vote")
        name = person.name  # read before the savepoint: a rollback expires what the session loaded
        row = DemocraticPoll(
            person_id=person.id,
            subject_name=person.name,
            subject_path=person.branch_path,
            year=data.year,
            open=True,
            opened_by_name=self.principal.name,
            opened_at=now(),
        )
        self.session.add(row)
        try:
            async with self.session.begin_nested():
                await self.session.flush()
        except IntegrityError as clash:
            if ONE_POLL in str(clash.orig):
                raise conflict(f"{name} already has a democratic poll for {data.year}") from None
            raise
        await self.session.execute(
            insert(AssessmentPollTally), [{"poll_id": row.id, "grade": g, "votes": 0} for g in GRADES]
        )
        await audit.record(
            self.session, "training.democratic_poll.opened", subject_type="assessment_poll", subject_id=str(row.id)
        )
        return row

    async def get(self, poll_id: UUID, *, for_update: bool = False) -> DemocraticPoll:
        """For organisers whose scope holds the member's branch; else the district's 404."""
        row = await self.session.get(DemocraticPoll, poll_id, with_for_update=for_update or None)
        if row is None or not self.principal.may_see_path(row.subject_path):
            raise missing("democratic poll")
        return row

    async def close(self, poll_id: UUID) -> DemocraticPoll:
        row = await self.get(poll_id, for_update=True)
        if not row.open:
            raise conflict("the poll is closed already")
        row.open, row.closed_at = False, now()
        await self.session.flush()
        return row

    async def listed(self, year: str | None) -> list[DemocraticPoll]:
        query = select(DemocraticPoll).order_by(DemocraticPoll.year.desc(), DemocraticPoll.subject_name)
        if self.principal.scope is not None:
            query = query.where(under(DemocraticPoll.subject_path, self.principal.scope))
        if year is not None:
            query = query.where(DemocraticPoll.year == year)
        return list(await self.session.scalars(query))

    async def _me(self) -> Person | None:
        found: Person | None = await self.session.scalar(select(Person).where(Person.user_id == self.principal.user_id))
        return found

    async def ballots(self) -> list[DemocraticPoll]:
        """Open polls of members of my branch (not my own)."""
        me = await self._me()
        if me is None or not me.branch_path:
            return []
        rows = await self.session.scalars(
            select(DemocraticPoll)
            .where(DemocraticPoll.open.is_(True), DemocraticPoll.subject_path == me.branch_path)
            .where(DemocraticPoll.person_id != me.id)
            .order_by(DemocraticPoll.subject_name)
        )
        return list(rows)

    async def vote(self, poll_id: UUID, grade: str) -> DemocraticPoll:
        row = await self.session.get(DemocraticPoll, poll_id)
        me = await self._me()
        if row is None or me is None or me.branch_path != row.subject_path:
            raise missing("democratic poll")
        if me.id == row.person_id:
            raise conflict("a member does not vote in their own poll")
        if not row.open:
            raise conflict("the poll is closed")
        registered = await self.session.scalar(
            insert(AssessmentPollVoter)
            .values(poll_id=row.id, voter_id=self.principal.user_id)
            .on_conflict_do_nothing()
            .returning(AssessmentPollVoter.voter_id)
        )
        if registered is None:
            raise ProblemError(422, ALREADY_VOTED, errors=[{"field": "body.grade", "message": ALREADY_VOTED}])
        await self.session.execute(
            update(AssessmentPollTally)
            .where(AssessmentPollTally.poll_id == row.id)
            .values(votes=AssessmentPollTally.votes + case((AssessmentPollTally.grade == grade, 1), else_=0))
        )
        await audit.record(
            self.session, "training.democratic_poll.voted", subject_type="assessment_poll", subject_id=str(row.id)
        )
        return row

    async def view(self, row: DemocraticPoll) -> PollView:
        voters = int(
            await self.session.scalar(
                select(func.count()).select_from(AssessmentPollVoter).where(AssessmentPollVoter.poll_id == row.id)
            )
            or 0
        )
        voted = await self.session.scalar(
            select(AssessmentPollVoter.voter_id).where(
                AssessmentPollVoter.poll_id == row.id, AssessmentPollVoter.voter_id == self.principal.user_id
            )
        )
        tallies = None
        if voters >= SHOWN_FROM_VOTERS:
            rows = await self.session.execute(
                select(AssessmentPollTally.grade, AssessmentPollTally.votes).where(
                    AssessmentPollTally.poll_id == row.id
                )
            )
            counts: dict[str, int] = {str(grade): int(votes) for grade, votes in rows.all()}
            tallies = {g: counts.get(g, 0) for g in GRADES}
        return PollView(
            id=row.id,
            person_id=row.person_id,
            subject_name=row.subject_name,
            year=row.year,
            open=row.open,
            voters=voters,
            voted=voted is not None,
            tallies=tallies,
            opened_at=row.opened_at,
            closed_at=row.closed_at,
        )
