"""Leave requests and attendance records of a unit's cadres, and the month's report (ORG-25). An absence on a day
an approved leave covers is not one: recording it is refused, and approving a leave afterwards turns the absences
it covers into leave. Only absences count toward the escalation (thresholds.py)."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.attendance.calendar import is_workday, month_end, parse_month, workdays
from services.orgtree.attendance.models import CadreAttendance, LeaveRequest
from services.orgtree.attendance.schemas import (
    AttendanceCreate,
    AttendanceReport,
    AttendanceView,
    CadreMonth,
    LeaveCreate,
    LeaveDecision,
    LeaveView,
)
from services.orgtree.attendance.thresholds import STEPS, step_reached, thresholds
from services.orgtree.attendance.units import AttendanceUnits
from services.orgtree.models import Member, OrgNode
from shared import audit
from shared.auth.principal import Principal
from shared.clock import china_today, now
from shared.db.repository import Repository
from shared.http.problems import conflict, invalid, missing

STATUSES = ("present", "on_leave", "absent")
LEAVE_STATES = ("requested", "approved", "refused")
DECISIONS = ("approved", "refused")
LONGEST_LEAVE = 90  # days from the first to the last


class LeaveRepository(Repository[LeaveRequest]):
    model_type = LeaveRequest
    noun = "leave request"


class AttendanceRepository(Repository[CadreAttendance]):
    model_type = CadreAttendance
    noun = "attendance record"


def leave_view(row: LeaveRequest, member_name: str) -> LeaveView:
    span = (row.last_day - row.first_day).days + 1
    days = sum(1 for n in range(span) if is_workday(row.first_day + timedelta(days=n)))
    return LeaveView(
        id=row.id,
        unit_id=row.unit_id,
        member_id=row.member_id,
        member_name=member_name,
        first_day=row.first_day,
        last_day=row.last_day,
        workdays=days,
        reason=row.reason,
        state=row.state,
        decision_note=row.decision_note,
    )


def attendance_view(row: CadreAttendance, member_name: str) -> AttendanceView:
    return AttendanceView(
        id=row.id,
        unit_id=row.unit_id,
        member_id=row.member_id,
        member_name=member_name,
        day=row.day,
        status=row.status,
        note=row.note,
        leave_request_id=row.leave_request_id,
    )


class AttendanceService:
    def __init__(
        self,
        session: AsyncSession,
        principal: Principal,
        leaves: LeaveRepository,
        records: AttendanceRepository,
        units: AttendanceUnits,
    ) -> None:
        self.session = session
        self.principal = principal
        self.leaves = leaves
        self.records = records
        self.units = units

    async def _visible_unit(self, unit_id: UUID, noun: str) -> OrgNode:
        unit = await self.session.get(OrgNode, unit_id)
        if unit is None or not self.principal.may_see_path(unit.path):
            raise missing(noun)
        return unit

    async def _name(self, member_id: UUID) -> str:
        return await self.session.scalar(select(Member.name).where(Member.id == member_id)) or ""

    async def _approved_leave(self, member_id: UUID, day: date) -> LeaveRequest | None:
        return await self.session.scalar(
            select(LeaveRequest)
            .where(
                LeaveRequest.member_id == member_id,
                LeaveRequest.state == "approved",
                LeaveRequest.first_day <= day,
                LeaveRequest.last_day >= day,
            )
            .limit(1)
        )

    # leave requests

    async def request_leave(self, node_id: UUID, data: LeaveCreate) -> LeaveView:
        unit = await self.units.village(node_id)
        if data.last_day < data.first_day:
            raise invalid("lastDay", "the last day comes before the first")
        if (data.last_day - data.first_day).days >= LONGEST_LEAVE:
            raise invalid("lastDay", f"a leave of at most {LONGEST_LEAVE} days")
        if not data.reason.strip():
            raise invalid("reason", "say why the cadre is away")
        cadre = await self.units.cadre(unit, data.member_id, data.first_day)
        overlapping = select(LeaveRequest.id).where(
            LeaveRequest.member_id == cadre.member_id,
            LeaveRequest.state.in_(("requested", "approved")),
            LeaveRequest.first_day <= data.last_day,
            LeaveRequest.last_day >= data.first_day,
        )
        if await self.session.scalar(overlapping.limit(1)):
            raise conflict("this cadre has a leave requested or approved on some of these days")
        row = LeaveRequest(
            unit_id=unit.id,
            member_id=cadre.member_id,
            first_day=data.first_day,
            last_day=data.last_day,
            reason=data.reason.strip(),
            state="requested",
            requested_by=self.principal.user_id,
            requested_at=now(),
        )
        await self.leaves.add(row)
        await self._audit_leave("orgtree.leave.requested", row)
        return leave_view(row, cadre.member_name)

    async def leaves_of(self, node_id: UUID, state: str | None) -> list[LeaveView]:
        unit = await self.units.village(node_id)
        if state is not None and state not in LEAVE_STATES:
            raise invalid("query.state", f"one of: {', '.join(LEAVE_STATES)}")
        query = (
            select(LeaveRequest, Member.name)
            .join(Member, Member.id == LeaveRequest.member_id)
            .where(LeaveRequest.unit_id == unit.id)
        )
        if state is not None:
            query = query.where(LeaveRequest.state == state)
        rows = await self.session.execute(query.order_by(LeaveRequest.first_day.desc(), LeaveRequest.id))
        return [leave_view(row, name) for row, name in rows.all()]

    async def decide(self, leave_id: UUID, data: LeaveDecision) -> LeaveView:
        row = await self.leaves.get_or_404(leave_id, for_update=True)
        await self._visible_unit(row.unit_id, LeaveRepository.noun)
        if data.decision not in DECISIONS:
            raise invalid("decision", f"one of: {', '.join(DECISIONS)}")
        if row.state != "requested":
            raise conflict(f"this leave request is {row.state} already")
        row.state = data.decision
        row.decided_by = self.principal.user_id
        row.decided_at = now()
        row.decision_note = (data.note or "").strip() or None
        if row.state == "approved":  # absences already recorded on its days were leave after all
            covered = await self.session.scalars(
                select(CadreAttendance).where(
                    CadreAttendance.member_id == row.member_id,
                    CadreAttendance.status == "absent",
                    CadreAttendance.day.between(row.first_day, row.last_day),
                )
            )
            for record in covered:
                record.status, record.leave_request_id = "on_leave", row.id
        await self.session.flush()
        await self._audit_leave(f"orgtree.leave.{row.state}", row)
        return leave_view(row, await self._name(row.member_id))

    async def _audit_leave(self, action: str, row: LeaveRequest) -> None:
        detail = {"leave_id": str(row.id), "first_day": row.first_day.isoformat(), "last_day": row.last_day.isoformat()}
        await audit.record(self.session, action, subject_type="member", subject_id=str(row.member_id), detail=detail)

    # attendance

    async def record(self, node_id: UUID, data: AttendanceCreate) -> AttendanceView:
        unit = await self.units.village(node_id)
        if data.status not in STATUSES:
            raise invalid("status", f"one of: {', '.join(STATUSES)}")
        if data.day > china_today():
            raise invalid("day", "attendance is recorded on the day or after, not before")
        if not is_workday(data.day):
            raise invalid("day", "not a working day (Monday to Friday)")
        cadre = await self.units.cadre(unit, data.member_id, data.day)
        leave = await self._approved_leave(cadre.member_id, data.day)
        if data.status == "on_leave" and leave is None:
            raise invalid("status", "no approved leave covers this day: approve the cadre's leave request first")
        if data.status == "absent" and leave is not None:
            raise invalid("status", "an approved leave covers this day: record it as on leave")
        recorded = select(CadreAttendance.id).where(
            CadreAttendance.member_id == cadre.member_id, CadreAttendance.day == data.day
        )
        if await self.session.scalar(recorded):
            raise conflict("this cadre's attendance on that day is recorded already; withdraw it first")
        row = CadreAttendance(
            unit_id=unit.id,
            member_id=cadre.member_id,
            day=data.day,
            status=data.status,
            note=(data.note or "").strip() or None,
            leave_request_id=leave.id if leave is not None and data.status == "on_leave" else None,
            recorded_by=self.principal.user_id,
            recorded_at=now(),
        )
        await self.records.add(row)
        await self._audit_record("orgtree.attendance.recorded", row)
        return attendance_view(row, cadre.member_name)

    async def withdraw(self, record_id: UUID) -> None:
        row = await self.records.get_or_404(record_id)
        await self._visible_unit(row.unit_id, AttendanceRepository.noun)
        await self.session.delete(row)
        await self._audit_record("orgtree.attendance.withdrawn", row)

    async def _audit_record(self, action: str, row: CadreAttendance) -> None:
        detail = {"unit_id": str(row.unit_id), "day": row.day.isoformat(), "status": row.status}
        await audit.record(self.session, action, subject_type="member", subject_id=str(row.member_id), detail=detail)

    async def report(self, node_id: UUID, month: str | None) -> AttendanceReport:
        """Per cadre of the unit in the month: days present, on leave, absent, and the escalation step reached."""
        unit = await self.units.village(node_id)
        first = parse_month(month, china_today())
        rows = await self.session.execute(
            select(CadreAttendance, Member.name)
            .join(Member, Member.id == CadreAttendance.member_id)
            .where(CadreAttendance.unit_id == unit.id, CadreAttendance.day.between(first, month_end(first)))
            .order_by(CadreAttendance.day, Member.name)
        )
        records = [attendance_view(row, name) for row, name in rows.all()]
        counts = Counter((r.member_id, r.status) for r in records)
        limits = await thresholds(self.session)
        cadres = [
            CadreMonth(
                member_id=c.member_id,
                member_name=c.member_name,
                kinds=c.kinds,
                present=counts[(c.member_id, "present")],
                on_leave=counts[(c.member_id, "on_leave")],
                absent=counts[(c.member_id, "absent")],
                step=step_reached(counts[(c.member_id, "absent")], limits),
            )
            for c in await self.units.cadres(unit, month_end(first))
        ]
        rank = {step: n for n, step in enumerate((*STEPS, "none"))}
        cadres.sort(key=lambda c: rank[c.step])  # stable: by name within a step
        return AttendanceReport(
            unit_id=unit.id,
            unit_name=unit.name,
            month=first.strftime("%Y-%m"),
            workdays=len(workdays(first)),
            thresholds=limits,
            cadres=cadres,
            records=records,
        )
