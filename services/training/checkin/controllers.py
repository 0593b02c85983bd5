"""Check-in (TRN-02): the organiser's changing code, the attendee's scan, check-in by hand, and the attendance
list (one controller for the path ``/sessions/{id}/attendance``: Litestar 2 serves a path from one controller)."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, JSONBody

from services.training.access import ATTENDEES, ORGANISERS, READERS
from services.training.checkin.schemas import AttendanceCreate, CheckinCodeView, CheckinCreate, CheckinView
from services.training.checkin.services import Checkin, CheckinService
from services.training.paging import Cursor, Limit
from services.training.programmes.schemas import AttendancePage
from services.training.programmes.sessions import SessionService
from services.training.programmes.views import attendance_view, session_view
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.views import view

CHECKIN_PAGE = "/console/training/checkin?c="
ALREADY = {
    200: ResponseSpec(CheckinView, description="The person was checked in before: alreadyCheckedIn, nothing new")
}


def checkin_answer(done: Checkin) -> Response[CheckinView]:
    """201 for a new attendance, 200 (``alreadyCheckedIn``) when the person was checked in before."""
    answer = CheckinView(
        attendance=attendance_view(done.attendance, done.person),
        session=session_view(done.sitting.session, done.sitting.programme),
        already_checked_in=not done.new,
    )
    return Response(answer, status_code=201 if done.new else 200)


class CheckinController(Controller):
    path = "/api/training"
    tags = ["Check-in"]
    guards = [requires_tenant]
    dependencies = {"checkin": provide_service(CheckinService), "sessions": provide_service(SessionService)}

    @get(
        "/sessions/{session_id:uuid}/checkin-code",
        operation_id="GetCheckinCode",
        guards=[requires_role(*ORGANISERS)],
        summary="The session's check-in code as the organiser's screen shows it now (a QR code of checkinPath); "
        "fetch the next at refreshAt; refused after expiresAt",
    )
    async def code(self, checkin: NamedDependency[CheckinService], session_id: FromPath[UUID]) -> CheckinCodeView:
        issued = await checkin.code(session_id)
        return view(CheckinCodeView, issued, checkin_path=f"{CHECKIN_PAGE}{issued.code}")

    @post(
        "/checkins",
        operation_id="CheckIn",
        guards=[requires_role(*ATTENDEES)],
        responses=ALREADY,
        summary="The signed-in member checks themself in with the code scanned from the organiser's screen: "
        "201, or 200 with alreadyCheckedIn when they were checked in before; 410 when the code has expired",
    )
    async def check_in(
        self, checkin: NamedDependency[CheckinService], data: JSONBody[CheckinCreate]
    ) -> Response[CheckinView]:
        return checkin_answer(await checkin.scan(data.code))

    @post(
        "/sessions/{session_id:uuid}/attendance",
        operation_id="RecordAttendance",
        guards=[requires_role(*ORGANISERS)],
        responses=ALREADY,
        summary="An organiser checks a member or resident in by hand, with a reason (audited): 201, or 200 with "
        "alreadyCheckedIn when the person was checked in before",
    )
    async def by_hand(
        self, checkin: NamedDependency[CheckinService], session_id: FromPath[UUID], data: JSONBody[AttendanceCreate]
    ) -> Response[CheckinView]:
        return checkin_answer(await checkin.by_hand(session_id, data.person_id, data.reason))

    @get(
        "/sessions/{session_id:uuid}/attendance",
        operation_id="ListSessionAttendance",
        guards=[requires_role(*READERS)],
        summary="Who attended, in check-in order: how, why by hand, who recorded it",
    )
    async def attendance(
        self,
        sessions: NamedDependency[SessionService],
        session_id: FromPath[UUID],
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> AttendancePage:
        rows, people, next_cursor = await sessions.attendance(session_id, cursor=cursor, limit=limit)
        return AttendancePage(items=[attendance_view(a, people[a.person_id]) for a in rows], next=next_cursor)
