"""Staffing quotas (ORG-20): the district's rules per level, the staff recorded on units, and the compliance of
every unit in the caller's scope against its level's rules ("每个街道专职党务工作者不少于4名，每个社区后备干部
不少于2名" [003])."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from sqlalchemy import ColumnElement, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.levels.services import load_schema
from services.orgtree.members.models import Member
from services.orgtree.members.services import MemberService
from services.orgtree.nodes.models import OrgNode, TreeKind
from services.orgtree.nodes.services import NodeService, in_subtree
from services.orgtree.redflag.models import StaffingQuota, UnitStaff
from services.orgtree.redflag.schemas import (
    ComplianceRow,
    ComplianceView,
    QuotaRule,
    QuotaRules,
    QuotaRulesView,
    StaffCreate,
    StaffEnd,
    StaffView,
)
from services.orgtree.terms import serves_on
from services.orgtree.terms import serving_on as term_serving_on
from shared import audit
from shared.auth.principal import Principal
from shared.clock import china_today, now
from shared.db.repository import Repository
from shared.http.problems import FieldErrors, conflict, invalid

STAFF_ROLES = {"full_time_worker": "专职党务工作者", "reserve_cadre": "后备干部"}
DEFAULT_QUOTAS = (
    QuotaRule(level="street", role="full_time_worker", minimum=4),
    QuotaRule(level="community", role="reserve_cadre", minimum=2),
)


class UnitStaffRepository(Repository[UnitStaff]):
    model_type = UnitStaff
    noun = "staff record"


def serving_on(day: date) -> ColumnElement[bool]:
    return term_serving_on(UnitStaff.since, UnitStaff.until, day)


def staff_view(row: UnitStaff, member_name: str, today: date) -> StaffView:
    return StaffView(
        id=row.id,
        unit_id=row.unit_id,
        member_id=row.member_id,
        member_name=member_name,
        role=row.role,
        since=row.since,
        until=row.until,
        current=serves_on(row.since, row.until, today),
    )


async def quota_rules(session: AsyncSession) -> QuotaRulesView:
    rows = list(await session.scalars(select(StaffingQuota).order_by(StaffingQuota.level, StaffingQuota.role)))
    if not rows:
        return QuotaRulesView(rules=list(DEFAULT_QUOTAS), is_default=True)
    rules = [QuotaRule(level=r.level, role=r.role, minimum=r.minimum) for r in rows]
    return QuotaRulesView(rules=rules, is_default=False)


class StaffingService:
    def __init__(
        self,
        session: AsyncSession,
        principal: Principal,
        staff: UnitStaffRepository,
        nodes: NodeService,
        members: MemberService,
    ) -> None:
        self.session = session
        self.principal = principal
        self.staff = staff
        self.nodes = nodes
        self.members = members

    async def rules(self) -> QuotaRulesView:
        return await quota_rules(self.session)

    async def replace_rules(self, data: QuotaRules) -> QuotaRulesView:
        """The district's rules, all at once (a rule with minimum 0 switches the level's quota off)."""
        schema = await load_schema(self.session, TreeKind.ADMINISTRATIVE)
        errors = FieldErrors()
        seen: set[tuple[str, str]] = set()
        for i, rule in enumerate(data.rules):
            if rule.level not in schema.levels:
                errors.add(f"body.rules[{i}].level", f"no level '{rule.level}' in this district's administrative tree")
            if rule.role not in STAFF_ROLES:
                errors.add(f"body.rules[{i}].role", f"one of: {', '.join(STAFF_ROLES)}")
            if (rule.level, rule.role) in seen:
                errors.add(f"body.rules[{i}].role", "this level has a rule for this role already")
            seen.add((rule.level, rule.role))
        errors.raise_if_any("the quota rules are not valid")
        await self.session.execute(delete(StaffingQuota))
        self.session.add_all(StaffingQuota(level=r.level, role=r.role, minimum=r.minimum) for r in data.rules)
        await self.session.flush()
        detail = {"rules": [f"{r.level}/{r.role}>={r.minimum}" for r in data.rules]}
        await audit.record(self.session, "orgtree.staffing.quotas_set", subject_type="district", detail=detail)
        return await self.rules()

    async def of_unit(self, node_id: UUID) -> list[StaffView]:
        unit = await self.nodes.get(node_id)
        rows = await self.session.execute(
            select(UnitStaff, Member.name)
            .join(Member, Member.id == UnitStaff.member_id)
            .where(UnitStaff.unit_id == unit.id)
            .order_by(UnitStaff.role, UnitStaff.until.desc().nulls_first(), UnitStaff.since)
        )
        today = china_today()
        return [staff_view(row, name, today) for row, name in rows.all()]

    async def add(self, node_id: UUID, data: StaffCreate) -> StaffView:
        unit = await self.nodes.get_in_tree(node_id, TreeKind.ADMINISTRATIVE, "path.nodeId")
        if data.role not in STAFF_ROLES:
            raise invalid("role", f"one of: {', '.join(STAFF_ROLES)}")
        today = china_today()
        if data.since > today:
            raise invalid("since", "a staff record cannot start in the future")
        if data.until is not None and data.until < data.since:
            raise invalid("until", "the end comes before the start")
        member = await self.members.get(data.member_id)
        overlapping = select(UnitStaff.id).where(
            UnitStaff.unit_id == unit.id,
            UnitStaff.member_id == member.id,
            UnitStaff.role == data.role,
            or_(UnitStaff.until.is_(None), UnitStaff.until >= data.since),
        )
        if await self.session.scalar(overlapping.limit(1)):
            raise conflict("this member already serves the unit in this role")
        row = UnitStaff(
            unit_id=unit.id,
            unit_path=unit.path,
            member_id=member.id,
            role=data.role,
            since=data.since,
            until=data.until,
            recorded_at=now(),
        )
        await self.staff.add(row)
        await self._audit("orgtree.staffing.staff_added", row)
        return staff_view(row, member.name, today)

    async def end(self, staff_id: UUID, data: StaffEnd) -> StaffView:
        row = await self.staff.get_or_404(staff_id, visible=lambda s: self.principal.may_see_path(s.unit_path))
        if data.until < row.since:
            raise invalid("until", "the end comes before the start")
        row.until = data.until
        await self.session.flush()
        await self._audit("orgtree.staffing.staff_ended", row)
        name = await self.session.scalar(select(Member.name).where(Member.id == row.member_id))
        return staff_view(row, name or "", china_today())

    async def _audit(self, action: str, row: UnitStaff) -> None:
        detail = {"unit_id": str(row.unit_id), "role": row.role, "until": row.until.isoformat() if row.until else None}
        await audit.record(self.session, action, subject_type="member", subject_id=str(row.member_id), detail=detail)

    async def compliance(self, within: UUID | None) -> ComplianceView:
        """Each unit of a level with a rule, in the scope: required against the staff serving today."""
        scope = await self.nodes.scope_path(within)
        rules = list((await self.rules()).rules)
        levels = {r.level for r in rules}
        units_query = select(OrgNode).where(OrgNode.tree == TreeKind.ADMINISTRATIVE, OrgNode.level.in_(levels))
        counts_query = select(UnitStaff.unit_id, UnitStaff.role, func.count()).where(serving_on(china_today()))
        if scope is not None:
            units_query = units_query.where(in_subtree(OrgNode.path, scope))
            counts_query = counts_query.where(in_subtree(UnitStaff.unit_path, scope))
        units: Sequence[OrgNode] = list(await self.session.scalars(units_query.order_by(OrgNode.path)))
        counted = await self.session.execute(counts_query.group_by(UnitStaff.unit_id, UnitStaff.role))
        actual = {(unit_id, role): int(n) for unit_id, role, n in counted.all()}
        schema = await load_schema(self.session, TreeKind.ADMINISTRATIVE)
        rows = []
        for unit in units:
            for rule in rules:
                if rule.level != unit.level:
                    continue
                have = actual.get((unit.id, rule.role), 0)
                label = schema.levels[unit.level].label if unit.level in schema.levels else unit.level
                rows.append(
                    ComplianceRow(
                        unit_id=unit.id,
                        unit_name=unit.name,
                        level=unit.level,
                        level_label=label,
                        role=rule.role,
                        required=rule.minimum,
                        actual=have,
                        short_by=max(rule.minimum - have, 0),
                        met=have >= rule.minimum,
                    )
                )
        rows.sort(key=lambda r: (r.met, -r.short_by))  # stable: below quota first, the largest shortfall first
        below = {r.unit_id for r in rows if not r.met}
        met = {r.unit_id for r in rows} - below
        return ComplianceView(as_of=china_today(), units_below=len(below), units_met=len(met), rows=rows)
