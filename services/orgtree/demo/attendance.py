"""龙湾区's cadre attendance (ORG-25) [000: 村干部外出报告(请假)制度; 001/FX: one cadre on duty each working day, 脱岗
1 次提醒教育、2 次通报批评、3 次罚款]: this month's duty roster at every Yaoxi village, the cadres of its first
village present on each working day so far, one absent once (at the reminder) and one absent twice (at the
criticism), one on an approved leave, one leave awaiting approval and one refused. The seed gives no cadre's
record: every one here is synthetic, on the villages and cadres districts.yaoxi posts."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.attendance.calendar import is_workday, workdays
from services.orgtree.attendance.models import CadreAttendance, DutyRosterEntry, LeaveRequest
from services.orgtree.attendance.roster import in_turn
from services.orgtree.demo.builder import SYNTHETIC
from services.orgtree.models import CadrePosting, Member, OrgNode
from shared.clock import china_today, now

SLUG = "wenzhou-longwan"
FIRST_VILLAGE = f"示例一村{SYNTHETIC}"


async def cadres_of(session: AsyncSession, village: OrgNode) -> list[UUID]:
    """The village's cadres in the order the roster turns through them (by name, as the API's rotation does)."""
    rows = await session.execute(
        select(Member.id)
        .join(CadrePosting, CadrePosting.member_id == Member.id)
        .where(CadrePosting.village_id == village.id)
        .group_by(Member.id, Member.name)
        .order_by(Member.name, Member.id)
    )
    return list(rows.scalars())


def recorded_month(today: date) -> date:
    """This month, or the last one in a month's first days: the story needs three working days behind it."""
    first = today.replace(day=1)
    if len([d for d in workdays(first) if d <= today]) >= 3:
        return first
    return (first - timedelta(days=1)).replace(day=1)


async def cadre_attendance(session: AsyncSession, slug: str) -> None:
    if slug != SLUG or await session.scalar(select(func.count()).select_from(DutyRosterEntry)):
        return
    today, at = china_today(), now()
    villages = list(await session.scalars(select(OrgNode).where(OrgNode.level == "village").order_by(OrgNode.path)))
    first = next((v for v in villages if v.name == FIRST_VILLAGE), None)
    cadres = await cadres_of(session, first) if first is not None else []
    past = [d for d in workdays(recorded_month(today)) if d <= today]
    on_leave = {(cadres[2], day) for day in past[-2:]} if len(cadres) >= 5 else set()
    for village in villages:  # the roster as the API's rotation makes it: nobody on duty on a day of approved leave
        turns = in_turn(workdays(today.replace(day=1)), await cadres_of(session, village), on_leave)
        session.add_all(
            DutyRosterEntry(unit_id=village.id, member_id=member_id, duty_day=day, recorded_at=at)
            for day, member_id in turns
        )
    if first is None or len(cadres) < 5:
        return
    once, twice, away, waiting, refused = cadres[:5]

    def leave(member_id: UUID, days: list[date], state: str, reason: str) -> LeaveRequest:
        row = LeaveRequest(
            unit_id=first.id,
            member_id=member_id,
            first_day=days[0],
            last_day=days[-1],
            reason=reason,
            state=state,
            requested_at=at,
            decided_at=None if state == "requested" else at,
            decision_note={"approved": "同意（示例）", "refused": "当日轮值坐班，请调换后再报（示例）"}.get(state),
        )
        session.add(row)
        return row

    approved = leave(away, past[-2:], "approved", "陪同家人住院治疗（示例）")
    coming = next(today + timedelta(days=n) for n in range(1, 8) if is_workday(today + timedelta(days=n)))
    leave(waiting, [coming], "requested", "参加区里组织的培训（示例）")
    leave(refused, past[:1], "refused", "外出办理私事（示例）")
    await session.flush()
    absences = {once: past[-1:], twice: past[-3:-1]}
    for member_id in cadres:
        for day in past:
            status = "present"
            if day in absences.get(member_id, []):
                status = "absent"
            elif member_id == away and approved.first_day <= day <= approved.last_day:
                status = "on_leave"
            session.add(
                CadreAttendance(
                    unit_id=first.id,
                    member_id=member_id,
                    day=day,
                    status=status,
                    leave_request_id=approved.id if status == "on_leave" else None,
                    recorded_at=at,
                )
            )
    await session.flush()
