"""The duty roster (坐班制, ORG-25): one cadre on duty at a village or community each working day [001/FX]. The
unique (unit, day) constraint makes a second impossible; a day taken is a 409 until its entry is removed. A cadre on
approved leave is not put on duty that day."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy import distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.attendance.calendar import is_workday, month_end, parse_month, workdays
from services.orgtree.attendance.models import DutyRosterEntry
from services.orgtree.attendance.schemas import DutyCreate, DutyView, RosterDay, RosterView, RotationCreate, UnitToday
from services.orgtree.attendance.units import AttendanceUnits
from services.orgtree.models import CadrePosting, Member, OrgNode
from services.orgtree.nodes.services import in_subtree
from shared import audit
from shared.auth.principal import Principal
from shared.clock import china_today, now
from shared.db.repository import Repository
from shared.http.problems import conflict, invalid, missing


class DutyRosterRepository(Repository[DutyRosterEntry]):
    model_type = DutyRosterEntry
    noun = "duty roster entry"


class RosterService:
    def __init__(
        self, session: AsyncSession, principal: Principal, entries: DutyRosterRepository, units: AttendanceUnits
    ) -> None:
        self.session = session
        self.principal = principal
        self.entries = entries
        self.units = units

    async def today(self, within: UUID | None) -> list[UnitToday]:
        """The villages and communities of the scope with cadres posted, each with its cadre on duty today."""
        scope = await self.units.nodes.scope_path(within)
        query = (
            select(CadrePosting.village_id, OrgNode.name, func.count(distinct(CadrePosting.member_id)))
            .join(OrgNode, OrgNode.id == CadrePosting.village_id)
            .group_by(CadrePosting.village_id, OrgNode.name, OrgNode.path)
            .order_by(OrgNode.path)
        )
        if scope is not None:
            query = query.where(in_subtree(CadrePosting.village_path, scope))
        units = (await self.session.execute(query)).all()
        on_duty = await self.session.execute(
            select(DutyRosterEntry.unit_id, Member.name)
            .join(Member, Member.id == DutyRosterEntry.member_id)
            .where(DutyRosterEntry.duty_day == china_today(), DutyRosterEntry.unit_id.in_([u[0] for u in units]))
        )
        names = dict(on_duty.tuples().all())
        return [
            UnitToday(unit_id=unit_id, unit_name=name, cadres=int(n), on_duty_today=names.get(unit_id))
            for unit_id, name, n in units
        ]

    async def month(self, node_id: UUID, month: str | None) -> RosterView:
        unit = await self.units.village(node_id)
        today = china_today()
        first = parse_month(month, today)
        rows = await self.session.execute(
            select(DutyRosterEntry, Member.name)
            .join(Member, Member.id == DutyRosterEntry.member_id)
            .where(DutyRosterEntry.unit_id == unit.id, DutyRosterEntry.duty_day.between(first, month_end(first)))
        )
        by_day = {entry.duty_day: (entry, name) for entry, name in rows.all()}
        days = []
        for day in workdays(first):
            entry, name = by_day.get(day, (None, None))
            days.append(
                RosterDay(
                    day=day,
                    entry_id=entry.id if entry else None,
                    member_id=entry.member_id if entry else None,
                    member_name=name,
                )
            )
        on_duty = await self._on(unit, today)
        return RosterView(
            unit_id=unit.id,
            unit_name=unit.name,
            month=first.strftime("%Y-%m"),
            today=today,
            on_duty_today=on_duty,
            days=days,
            cadres=await self.units.cadres(unit, month_end(first)),
        )

    async def _on(self, unit: OrgNode, day: date) -> DutyView | None:
        row = (
            await self.session.execute(
                select(DutyRosterEntry, Member.name)
                .join(Member, Member.id == DutyRosterEntry.member_id)
                .where(DutyRosterEntry.unit_id == unit.id, DutyRosterEntry.duty_day == day)
            )
        ).first()
        return duty_view(row[0], row[1]) if row else None

    async def assign(self, node_id: UUID, data: DutyCreate) -> DutyView:
        unit = await self.units.village(node_id)
        if not is_workday(data.day):
            raise invalid("day", "not a working day (Monday to Friday)")
        cadre = await self.units.cadre(unit, data.member_id, data.day)
        if await self.units.away([cadre.member_id], data.day, data.day):
            raise invalid("memberId", "this cadre is on approved leave that day")
        # the unit's row lock: two assignments of one day at once are decided one after the other
        await self.session.execute(select(OrgNode.id).where(OrgNode.id == unit.id).with_for_update())
        taken = select(DutyRosterEntry.id).where(
            DutyRosterEntry.unit_id == unit.id, DutyRosterEntry.duty_day == data.day
        )
        if await self.session.scalar(taken):
            raise conflict("a cadre is on duty that day already; remove that entry first")
        row = DutyRosterEntry(
            unit_id=unit.id,
            member_id=cadre.member_id,
            duty_day=data.day,
            recorded_by=self.principal.user_id,
            recorded_at=now(),
        )
        await self.entries.add(row)
        await self._audit("orgtree.duty.assigned", row)
        return duty_view(row, cadre.member_name)

    async def rotate(self, node_id: UUID, data: RotationCreate) -> RosterView:
        """Every free working day of the month given to the unit's cadres in turn, by name (in_turn)."""
        unit = await self.units.village(node_id)
        first = parse_month(data.month, china_today(), "month")
        cadres = await self.units.cadres(unit, month_end(first))
        if not cadres:
            raise invalid("path.nodeId", "this village or community has no cadre posted")
        await self.session.execute(select(OrgNode.id).where(OrgNode.id == unit.id).with_for_update())
        taken = set(
            await self.session.scalars(
                select(DutyRosterEntry.duty_day).where(
                    DutyRosterEntry.unit_id == unit.id, DutyRosterEntry.duty_day.between(first, month_end(first))
                )
            )
        )
        at = now()
        free = [day for day in workdays(first) if day not in taken]
        order = [c.member_id for c in cadres]
        away = await self.units.away(order, first, month_end(first))
        given = in_turn(free, order, away)
        self.session.add_all(
            DutyRosterEntry(
                unit_id=unit.id, member_id=member_id, duty_day=day, recorded_by=self.principal.user_id, recorded_at=at
            )
            for day, member_id in given
        )
        await self.session.flush()
        detail = {"unit_id": str(unit.id), "month": first.strftime("%Y-%m"), "days": len(given)}
        await audit.record(
            self.session, "orgtree.duty.rotated", subject_type="org_node", subject_id=str(unit.id), detail=detail
        )
        return await self.month(unit.id, first.strftime("%Y-%m"))

    async def remove(self, entry_id: UUID) -> None:
        row = await self.entries.get_or_404(entry_id)
        unit = await self.session.get(OrgNode, row.unit_id)
        if unit is None or not self.principal.may_see_path(unit.path):
            raise missing(DutyRosterRepository.noun)
        await self.session.delete(row)
        await self._audit("orgtree.duty.removed", row)

    async def _audit(self, action: str, row: DutyRosterEntry) -> None:
        detail = {"unit_id": str(row.unit_id), "day": row.duty_day.isoformat()}
        await audit.record(self.session, action, subject_type="member", subject_id=str(row.member_id), detail=detail)


def duty_view(row: DutyRosterEntry, member_name: str) -> DutyView:
    return DutyView(id=row.id, unit_id=row.unit_id, day=row.duty_day, member_id=row.member_id, member_name=member_name)


def in_turn(days: list[date], order: list[UUID], away: set[tuple[UUID, date]]) -> list[tuple[date, UUID]]:
    """Each day to the next cadre in turn not on approved leave that day; a day all are away is left free."""
    given, turn = [], 0
    for day in days:
        for k in range(len(order)):
            member_id = order[(turn + k) % len(order)]
            if (member_id, day) not in away:
                given.append((day, member_id))
                turn += k + 1
                break
    return given
