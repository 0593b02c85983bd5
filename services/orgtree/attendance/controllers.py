"""Cadre attendance (ORG-25): a village's or community's duty roster, its cadres' leave requests and attendance,
the month's report, the district's escalation thresholds. Staff of the unit or above read; its admins (district,
street, community) record and decide. Another district's or street's id is a 404."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.orgtree.access import DISTRICT_ADMIN, EDITOR, STAFF, in_district
from services.orgtree.attendance.records import AttendanceService
from services.orgtree.attendance.roster import RosterService
from services.orgtree.attendance.schemas import (
    AttendanceCreate,
    AttendanceReport,
    AttendanceView,
    DutyCreate,
    DutyView,
    LeaveCreate,
    LeaveDecision,
    LeaveView,
    RosterView,
    RotationCreate,
    Thresholds,
    ThresholdsView,
    UnitToday,
)
from services.orgtree.attendance.thresholds import ThresholdService
from shared.http.di import provide_service

Within = Annotated[UUID | None, QueryParameter()]
Month = Annotated[str | None, QueryParameter(max_length=7)]
State = Annotated[str | None, QueryParameter(name="state", max_length=20)]  # "state" is a reserved name


class AttendanceController(Controller):
    path = "/api/orgtree"
    tags = ["Cadre attendance"]
    guards = in_district(*STAFF)
    dependencies = {
        "roster": provide_service(RosterService),
        "attendance": provide_service(AttendanceService),
        "limits": provide_service(ThresholdService),
    }

    @get("/attendance/thresholds", operation_id="GetAttendanceThresholds", summary="Absences a month per step")
    async def get_thresholds(self, limits: NamedDependency[ThresholdService]) -> ThresholdsView:
        return await limits.get()

    @put(
        "/attendance/thresholds",
        operation_id="ReplaceAttendanceThresholds",
        summary="Set the absences a month bringing a reminder, a public criticism, a fine",
        guards=DISTRICT_ADMIN,
    )
    async def set_thresholds(
        self, limits: NamedDependency[ThresholdService], data: JSONBody[Thresholds]
    ) -> ThresholdsView:
        return await limits.replace(data)

    @get(
        "/attendance/units",
        operation_id="AttendanceUnits",
        summary="Villages and communities with cadres posted, each with its cadre on duty today",
    )
    async def units_today(self, roster: NamedDependency[RosterService], within: Within = None) -> list[UnitToday]:
        return await roster.today(within)

    @get("/nodes/{node_id:uuid}/duty-roster", operation_id="GetDutyRoster", summary="A month's duty roster")
    async def roster_month(
        self, roster: NamedDependency[RosterService], node_id: FromPath[UUID], month: Month = None
    ) -> RosterView:
        return await roster.month(node_id, month)

    @post(
        "/nodes/{node_id:uuid}/duty-roster",
        operation_id="AssignDuty",
        summary="Put a cadre on duty on a working day (one per day)",
        guards=EDITOR,
    )
    async def assign(
        self, roster: NamedDependency[RosterService], node_id: FromPath[UUID], data: JSONBody[DutyCreate]
    ) -> DutyView:
        return await roster.assign(node_id, data)

    @post(
        "/nodes/{node_id:uuid}/duty-roster/rotation",
        operation_id="RotateDuty",
        summary="Give the month's free working days to the cadres in turn",
        guards=EDITOR,
    )
    async def rotate(
        self, roster: NamedDependency[RosterService], node_id: FromPath[UUID], data: JSONBody[RotationCreate]
    ) -> RosterView:
        return await roster.rotate(node_id, data)

    @delete("/duty-roster/{entry_id:uuid}", operation_id="RemoveDuty", summary="Free a day", guards=EDITOR)
    async def remove(self, roster: NamedDependency[RosterService], entry_id: FromPath[UUID]) -> None:
        await roster.remove(entry_id)

    @get("/nodes/{node_id:uuid}/leave-requests", operation_id="ListLeaveRequests", summary="A unit's leave requests")
    async def leaves(
        self, attendance: NamedDependency[AttendanceService], node_id: FromPath[UUID], in_state: State = None
    ) -> list[LeaveView]:
        return await attendance.leaves_of(node_id, in_state)

    @post(
        "/nodes/{node_id:uuid}/leave-requests",
        operation_id="RequestLeave",
        summary="File a cadre's leave request (外出报告)",
        guards=EDITOR,
    )
    async def request_leave(
        self, attendance: NamedDependency[AttendanceService], node_id: FromPath[UUID], data: JSONBody[LeaveCreate]
    ) -> LeaveView:
        return await attendance.request_leave(node_id, data)

    @post(
        "/leave-requests/{leave_id:uuid}/decision",
        operation_id="DecideLeave",
        summary="Approve or refuse a leave request",
        guards=EDITOR,
    )
    async def decide(
        self, attendance: NamedDependency[AttendanceService], leave_id: FromPath[UUID], data: JSONBody[LeaveDecision]
    ) -> LeaveView:
        return await attendance.decide(leave_id, data)

    @get(
        "/nodes/{node_id:uuid}/cadre-attendance",
        operation_id="CadreAttendanceReport",
        summary="A month's attendance: per cadre days present, on leave, absent and the escalation step reached",
    )
    async def report(
        self, attendance: NamedDependency[AttendanceService], node_id: FromPath[UUID], month: Month = None
    ) -> AttendanceReport:
        return await attendance.report(node_id, month)

    @post(
        "/nodes/{node_id:uuid}/cadre-attendance",
        operation_id="RecordCadreAttendance",
        summary="Record a cadre present, on leave or absent on a working day",
        guards=EDITOR,
    )
    async def record(
        self, attendance: NamedDependency[AttendanceService], node_id: FromPath[UUID], data: JSONBody[AttendanceCreate]
    ) -> AttendanceView:
        return await attendance.record(node_id, data)

    @delete(
        "/cadre-attendance/{record_id:uuid}",
        operation_id="WithdrawCadreAttendance",
        summary="Withdraw a record made in error",
        guards=EDITOR,
    )
    async def withdraw(self, attendance: NamedDependency[AttendanceService], record_id: FromPath[UUID]) -> None:
        await attendance.withdraw(record_id)
