"""Check-in to a session (TRN-02): the organiser's changing code, the attendee's scan, and by hand with a reason.

Every attempt is judged at one instant (``now()`` once): the code's step, the session's check-in window and
the attendance's time agree. Refusals store nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.checkin import codes
from services.training.checkin.codes import Freshness
from services.training.checkin.recording import Sitting, record
from services.training.people.models import Person
from services.training.programmes.models import Attendance, CheckinMethod, Programme, TrainingSession
from services.training.settings import get_training_settings
from shared import audit
from shared.auth.principal import Principal
from shared.clock import now
from shared.context import require_tenant
from shared.http.problems import ProblemError, conflict, invalid, missing
from shared.settings import get_settings

NOT_A_CODE = "not a check-in code of this district"
EXPIRED = (
    "this check-in code has expired (a code is valid for {seconds} seconds): "
    "scan the code on the organiser's screen again"
)
UNLINKED = (
    "your account is not linked to a person in this district's training records: "
    "ask the organiser to check you in by hand"
)


@dataclass(frozen=True, slots=True)
class IssuedCode:
    code: str
    refresh_at: datetime
    expires_at: datetime
    step_seconds: int


@dataclass(frozen=True, slots=True)
class Checkin:
    attendance: Attendance
    sitting: Sitting
    person: Person
    new: bool


def _when(at: datetime) -> str:
    return at.isoformat(timespec="seconds")


class CheckinService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.key = codes.code_key(get_settings().master_key_bytes())
        self.step_s = get_training_settings().checkin_code_step_s

    async def _sitting(self, session_id: UUID, *, organised: bool) -> Sitting:
        """The session and its programme; ``organised``: only if the caller organises under their scope
        (a session of no unit is the district's: organisers with a scope do not see it)."""
        statement = (
            select(TrainingSession, Programme)
            .join(Programme, Programme.id == TrainingSession.programme_id)
            .where(TrainingSession.id == session_id)
        )
        found = (await self.session.execute(statement)).one_or_none()
        if found is None:
            raise missing("session")
        row, programme = found
        if organised and self.principal.scope is not None:
            path = row.organiser_unit_path
            if path is None or not self.principal.may_see_path(path):
                raise missing("session")
        return Sitting(row, programme)

    @staticmethod
    def _within_window(row: TrainingSession, at: datetime, *, early: bool = False, late: bool = False) -> None:
        """Refuse a cancelled session, and a moment before check-in opens or after it closes unless allowed."""
        if row.cancelled_at is not None:
            raise conflict("this session was cancelled: nobody can check in to it")
        if at < row.checkin_opens_at and not early:
            raise conflict(f"check-in to this session opens at {_when(row.checkin_opens_at)}")
        if at > row.checkin_closes_at and not late:
            raise conflict(f"check-in to this session closed at {_when(row.checkin_closes_at)}")

    async def code(self, session_id: UUID) -> IssuedCode:
        """The code the organiser's screen shows now (before the window opens too, so the screen can be set up)."""
        row = (await self._sitting(session_id, organised=True)).session
        at = now()
        self._within_window(row, at, early=True)
        step = codes.step_at(at, self.step_s)
        return IssuedCode(
            code=codes.issue(self.key, require_tenant(), row.id, step),
            refresh_at=codes.step_start(step + 1, self.step_s),
            expires_at=codes.step_start(step + 2, self.step_s),
            step_seconds=self.step_s,
        )

    async def scan(self, code: str) -> Checkin:
        """The caller checks themself in with the code on the organiser's screen."""
        at = now()
        signed = codes.read(self.key, require_tenant(), code)
        if signed is None:
            raise invalid(
                "code", NOT_A_CODE, detail=f"body.code: {NOT_A_CODE}; scan the code on the organiser's screen"
            )
        freshness = codes.freshness(signed, codes.step_at(at, self.step_s))
        if freshness is Freshness.EXPIRED:
            message = EXPIRED.format(seconds=2 * self.step_s)
            raise ProblemError(410, message, errors=[{"field": "body.code", "message": "expired"}], title="Gone")
        if freshness is Freshness.NOT_YET:
            raise invalid("code", NOT_A_CODE)
        sitting = await self._sitting(signed.session_id, organised=False)
        self._within_window(sitting.session, at)
        person = await self.session.scalar(select(Person).where(Person.user_id == self.principal.user_id))
        if person is None:
            raise ProblemError(404, UNLINKED, title="Not Found")
        attendance, new = await record(self.session, sitting, person, method=CheckinMethod.QR, at=at, by=self.principal)
        return Checkin(attendance, sitting, person, new)

    async def by_hand(self, session_id: UUID, person_id: UUID, reason: str) -> Checkin:
        """An organiser checks a member or resident in, saying why; audited. Also after the window has closed (a
        sheet signed on paper, a phone that failed), but not before it opens nor for a cancelled session."""
        sitting = await self._sitting(session_id, organised=True)
        at = now()
        self._within_window(sitting.session, at, late=True)
        person = await self.session.get(Person, person_id)
        if person is None:
            raise missing("person")
        reason = reason.strip()
        try:
            audit.check_no_personal_data(reason, "reason")
        except audit.PersonalDataInAuditError:
            raise invalid("reason", "must not contain a phone or ID number") from None
        attendance, new = await record(
            self.session, sitting, person, method=CheckinMethod.MANUAL, at=at, by=self.principal, reason=reason
        )
        if new:
            await audit.record(
                self.session,
                "training.attendance.recorded_by_hand",
                subject_type="attendance",
                subject_id=str(attendance.id),
                purpose=reason,
                detail={"sessionId": str(session_id), "personId": str(person_id)},
            )
        return Checkin(attendance, sitting, person, new)
