"""The return programme's steps [001/ZJ]: a case opened with how contact was lost, searches ("dual search": the
organisation finds the member or the member finds it; "three entries, three checks": closed firms' rosters,
communities, police stations), found, then regrouped into a branch by location, workplace, interest or business
(a membership transfer, ORG-17, clearing the lost-contact flag) or found unqualified and prepared for removal.
A step the case's state does not allow is a 409 naming the state."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.access import sees_any
from services.orgtree.lost_members.models import LostMemberCase, LostMemberStep
from services.orgtree.lost_members.schemas import (
    CaseLine,
    CaseOpen,
    CaseView,
    FoundRecord,
    Regrouping,
    SearchRecord,
    StepView,
    UnqualifiedRecord,
)
from services.orgtree.members.membership import MembershipService
from services.orgtree.members.models import Member, MembershipTransfer
from services.orgtree.members.schemas import MemberUpdate, TransferRequest
from services.orgtree.members.services import MemberService
from services.orgtree.nodes.models import OrgNode, TreeKind
from services.orgtree.nodes.services import NodeService, in_subtree
from shared import audit
from shared.auth.principal import Principal
from shared.clock import china_today, now
from shared.db.repository import Repository
from shared.http.problems import FieldErrors, conflict

LOST, UNQUALIFIED = "lost_contact", "unqualified"
HOW_LOST = {
    "firm_closed": "原单位关闭/改制",
    "moved_away": "外出务工经商/迁居",
    "documents_lost": "组织关系介绍信遗失",
    "no_contact": "长期未与组织联系",
}
SEARCH_CHANNELS = {
    "organisation_finds_member": "组织找党员",
    "member_finds_organisation": "党员找组织",
    "closed_firm_roster": "进关闭企业查名册",
    "community": "进社区查访",
    "police_station": "进派出所查户籍",
}
WAYS = {"location": "按地域", "workplace": "按单位", "interest": "按兴趣", "business": "按行业"}
STATES = {"searching": "查找中", "found": "已找到", "regrouped": "已归队", "unqualified": "不合格,拟除名"}
# what each step needs the case to be in
ALLOWED = {"searched": "searching", "found": "searching", "regrouped": "found", "unqualified": "found"}


class CaseRepository(Repository[LostMemberCase]):
    model_type = LostMemberCase
    noun = "lost-member case"


def in_date(errors: FieldErrors, field: str, on: date, since: date | None = None) -> None:
    if on > china_today():
        errors.add(field, "a date in the future")
    elif since is not None and on < since:
        errors.add(field, f"earlier than the member was lost ({since.isoformat()})")


class LostMemberService:
    def __init__(
        self,
        session: AsyncSession,
        principal: Principal,
        members: MemberService,
        membership: MembershipService,
        nodes: NodeService,
    ) -> None:
        self.session = session
        self.principal = principal
        self.cases = CaseRepository(session)
        self.members = members
        self.membership = membership
        self.nodes = nodes

    def visible(self, case: LostMemberCase) -> bool:
        return sees_any(self.principal, case.unit_path, case.grid_path)

    async def _case(self, case_id: UUID, *, lock: bool = False) -> LostMemberCase:
        return await self.cases.get_or_404(case_id, for_update=lock, visible=self.visible)

    def _step(self, case: LostMemberCase, kind: str, on: date, note: str, channel: str | None = None) -> None:
        self.session.add(
            LostMemberStep(
                case_id=case.id,
                kind=kind,
                channel=channel,
                happened_on=on,
                note=note.strip(),
                recorded_by=self.principal.user_id,
                recorded_at=now(),
            )
        )

    async def _audit(self, case: LostMemberCase, kind: str) -> None:
        await audit.record(
            self.session,
            f"orgtree.lost_member.{kind}",
            subject_type="member",
            subject_id=str(case.member_id),
            detail={"case_id": str(case.id), "state": case.state},
        )

    async def _flags(self, member: Member, add: set[str], drop: set[str]) -> None:
        flags = sorted((set(member.flags) | add) - drop)
        if flags != sorted(member.flags):
            await self.members.update(member.id, MemberUpdate(flags=flags))

    async def _advance(self, case_id: UUID, kind: str) -> LostMemberCase:
        case = await self._case(case_id, lock=True)
        if case.state != ALLOWED[kind]:
            raise conflict(f"the case is '{case.state}'; '{kind}' needs a case that is '{ALLOWED[kind]}'")
        return case

    async def open(self, data: CaseOpen) -> CaseView:
        member = await self.members.locked(data.member_id)
        errors = FieldErrors()
        if data.how_lost not in HOW_LOST:
            errors.add("howLost", f"one of: {', '.join(HOW_LOST)}")
        in_date(errors, "lostSince", data.lost_since)
        errors.raise_if_any("the case is not valid")
        open_case = await self.session.scalar(
            select(LostMemberCase.state).where(
                LostMemberCase.member_id == member.id, LostMemberCase.state.in_(("searching", "found"))
            )
        )
        if open_case is not None:
            raise conflict(f"the member already has an open case ('{open_case}')")
        case = LostMemberCase(
            member_id=member.id,
            member_name=member.name,
            unit_id=member.branch_id,
            unit_path=member.branch_path,
            grid_path=member.grid_path,
            how_lost=data.how_lost,
            lost_since=data.lost_since,
            state="searching",
            opened_at=now(),
        )
        await self.cases.add(case)
        self._step(case, "opened", data.lost_since, data.note)
        await self._flags(member, {LOST}, set())
        await self._audit(case, "opened")
        return await self.detail(case.id)

    async def searched(self, case_id: UUID, data: SearchRecord) -> CaseView:
        case = await self._advance(case_id, "searched")
        errors = FieldErrors()
        if data.channel not in SEARCH_CHANNELS:
            errors.add("channel", f"one of: {', '.join(SEARCH_CHANNELS)}")
        in_date(errors, "searchedOn", data.searched_on, case.lost_since)
        errors.raise_if_any("the search is not valid")
        self._step(case, "searched", data.searched_on, data.note, data.channel)
        await self._audit(case, "searched")
        return await self.detail(case.id)

    async def found(self, case_id: UUID, data: FoundRecord) -> CaseView:
        case = await self._advance(case_id, "found")
        errors = FieldErrors()
        if data.channel not in SEARCH_CHANNELS:
            errors.add("channel", f"one of: {', '.join(SEARCH_CHANNELS)}")
        in_date(errors, "foundOn", data.found_on, case.lost_since)
        errors.raise_if_any("the finding is not valid")
        case.state = "found"
        self._step(case, "found", data.found_on, data.note, data.channel)
        await self._audit(case, "found")
        return await self.detail(case.id)

    async def regroup(self, case_id: UUID, data: Regrouping) -> CaseView:
        """The member joins the chosen branch: a transfer with the ``regrouped_by_<way>`` reason, the flag cleared."""
        case = await self._advance(case_id, "regrouped")
        errors = FieldErrors()
        if data.way not in WAYS:
            errors.add("way", f"one of: {', '.join(WAYS)}")
        in_date(errors, "regroupedOn", data.regrouped_on, case.lost_since)
        member = await self.members.get(case.member_id)
        last = await self.session.scalar(
            select(func.max(MembershipTransfer.transferred_on)).where(MembershipTransfer.member_id == member.id)
        )
        if last is not None and data.regrouped_on < last:  # named as this request names it, not as the transfer's
            errors.add("regroupedOn", f"earlier than the member's last recorded transfer ({last.isoformat()})")
        errors.raise_if_any("the regrouping is not valid")
        transfer = TransferRequest(
            to_branch_id=data.to_branch_id,
            transferred_on=data.regrouped_on,
            reason=f"regrouped_by_{data.way}",
            note=data.note.strip() or None,
        )
        await self.membership.transfer(member.id, transfer)
        await self._flags(member, set(), {LOST})
        case.state, case.regrouped_by, case.to_branch_id = "regrouped", data.way, data.to_branch_id
        self._step(case, "regrouped", data.regrouped_on, data.note, data.way)
        await self._audit(case, "regrouped")
        return await self.detail(case.id)

    async def unqualified(self, case_id: UUID, data: UnqualifiedRecord) -> CaseView:
        """Found, but unqualified: flagged so, prepared for removal from the rolls (the removal is its own request)."""
        case = await self._advance(case_id, "unqualified")
        errors = FieldErrors()
        in_date(errors, "judgedOn", data.judged_on, case.lost_since)
        errors.raise_if_any("the judgement is not valid")
        member = await self.members.get(case.member_id)
        await self._flags(member, {UNQUALIFIED}, {LOST})
        case.state = "unqualified"
        self._step(case, "unqualified", data.judged_on, data.note)
        await self._audit(case, "unqualified")
        return await self.detail(case.id)

    async def detail(self, case_id: UUID) -> CaseView:
        case = await self._case(case_id)
        await self.session.flush()
        unit_name = await self.session.scalar(select(OrgNode.name).where(OrgNode.id == case.unit_id))
        steps = await self.session.scalars(
            select(LostMemberStep)
            .where(LostMemberStep.case_id == case.id)
            .order_by(LostMemberStep.recorded_at, LostMemberStep.id)
        )
        return CaseView(
            id=case.id,
            member_id=case.member_id,
            member_name=case.member_name,
            unit_id=case.unit_id,
            unit_name=unit_name or "",
            how_lost=case.how_lost,
            lost_since=case.lost_since,
            state=case.state,
            regrouped_by=case.regrouped_by,
            to_branch_id=case.to_branch_id,
            steps=[
                StepView(
                    kind=s.kind,
                    channel=s.channel,
                    happened_on=s.happened_on,
                    note=s.note,
                    recorded_by=s.recorded_by,
                    recorded_at=s.recorded_at,
                )
                for s in steps
            ],
        )

    async def in_scope(self, state: str | None = None) -> list[LostMemberCase]:
        """The cases the caller may see (a district's are a few hundred at most), newest first."""
        query = select(LostMemberCase).order_by(LostMemberCase.lost_since.desc(), LostMemberCase.id)
        scope = self.principal.scope
        if scope is not None:
            query = query.where(
                or_(in_subtree(LostMemberCase.unit_path, scope), in_subtree(LostMemberCase.grid_path, scope))
            )
        if state is not None:
            query = query.where(LostMemberCase.state == state)
        return [c for c in await self.session.scalars(query) if self.visible(c)]

    async def listing(self, state: str | None, within: UUID | None) -> list[CaseLine]:
        """The cases in scope, or those lost from a party unit's subtree (``within``)."""
        if state is not None and state not in STATES:
            errors = FieldErrors()
            errors.add("query.state", f"one of: {', '.join(STATES)}")
            errors.raise_if_any("unknown state")
        unit = await self.nodes.get_in_tree(within, TreeKind.PARTY, "query.within") if within else None
        return [
            CaseLine(
                id=c.id,
                member_id=c.member_id,
                member_name=c.member_name,
                unit_id=c.unit_id,
                how_lost=c.how_lost,
                lost_since=c.lost_since,
                state=c.state,
                regrouped_by=c.regrouped_by,
            )
            for c in await self.in_scope(state)
            if unit is None or c.unit_path.startswith(unit.path)
        ]
