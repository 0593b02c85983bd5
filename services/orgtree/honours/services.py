"""Reading honours, giving warnings, listing and retrying dispositions: all through the members' and units'
own visibility, so another district's or another street's id is a 404."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.honours.dispositions import carry_out
from services.orgtree.honours.models import Disposition, DispositionState, HonourTitle, MemberWarning, StarLevel
from services.orgtree.honours.schemas import HonoursView, StarLevelView, TitleView, WarningCreate
from services.orgtree.members.models import Member
from services.orgtree.members.services import MemberService
from services.orgtree.members.warnings import WARNED, record_warning
from services.orgtree.nodes.services import NodeService, in_subtree
from shared.auth.principal import Principal
from shared.clock import china_today
from shared.contracts.orgtree import MemberUpdated
from shared.http.problems import conflict, invalid, missing
from shared.http.views import view, views
from shared.messaging.outbox import publish


class HonourService:
    def __init__(self, session: AsyncSession, members: MemberService, nodes: NodeService) -> None:
        self.session = session
        self.members = members
        self.nodes = nodes

    async def of_member(self, member_id: UUID) -> HonoursView:
        return await self._honours((await self.members.get(member_id)).id)

    async def of_node(self, node_id: UUID) -> HonoursView:
        return await self._honours((await self.nodes.get(node_id)).id)

    async def _honours(self, subject_id: UUID) -> HonoursView:
        levels = views(
            StarLevelView,
            await self.session.scalars(
                select(StarLevel)
                .where(StarLevel.subject_id == subject_id)
                .order_by(StarLevel.published_at.desc(), StarLevel.id.desc())
            ),
        )
        titles = views(
            TitleView,
            await self.session.scalars(
                select(HonourTitle)
                .where(HonourTitle.subject_id == subject_id)
                .order_by(HonourTitle.awarded_on.desc(), HonourTitle.id.desc())
            ),
        )
        current = levels[0] if levels else None
        return HonoursView(subject_id=subject_id, star_level=current, star_levels=levels, titles=titles)


class WarningService:
    def __init__(self, session: AsyncSession, principal: Principal, members: MemberService) -> None:
        self.session = session
        self.principal = principal
        self.members = members

    async def warn(self, member_id: UUID, data: WarningCreate) -> MemberWarning:
        """Give a warning: the "warned" flag, a warning row and one ``MemberWarned``. A member already holding the
        flag has an open warning (and re-education case): clear the flag first to warn again."""
        member = await self.members.get(member_id)
        if data.warned_on > china_today():
            raise invalid("warnedOn", "a warning cannot be dated in the future")
        await self.members.lock(member)
        await self.session.refresh(member, ["flags"])
        if WARNED in member.flags:
            raise conflict("this member already holds a warning; clear the 'warned' flag before warning again")
        member.flags = sorted({*member.flags, WARNED})
        await self.session.flush()
        await self.members.record("orgtree.member.warned", member, {"warnedOn": data.warned_on.isoformat()})
        await publish(self.session, view(MemberUpdated, member, member_id=member.id, changed=["flags"]))
        return await record_warning(
            self.session, member, warned_on=data.warned_on, reason=data.reason.strip(), by=self.principal.user_id
        )

    async def of_member(self, member_id: UUID) -> list[MemberWarning]:
        member = await self.members.get(member_id)
        rows = await self.session.scalars(
            select(MemberWarning)
            .where(MemberWarning.member_id == member.id)
            .order_by(MemberWarning.warned_on.desc(), MemberWarning.id.desc())
        )
        return list(rows)


class DispositionService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal

    def _query(self) -> Select[Disposition, str]:
        query = select(Disposition, Member.name).outerjoin(Member, Member.id == Disposition.member_id)
        scope = self.principal.scope
        if scope is not None:  # a member who has left is the whole district's to see
            query = query.where(or_(in_subtree(Member.branch_path, scope), in_subtree(Member.grid_path, scope)))
        return query

    async def list(
        self, *, state: str | None, member_id: UUID | None, limit: int
    ) -> list[tuple[Disposition, str | None]]:
        query = self._query()
        if state is not None:
            query = query.where(Disposition.state == state)
        if member_id is not None:
            query = query.where(Disposition.member_id == member_id)
        rows = await self.session.execute(query.order_by(Disposition.recorded_at.desc()).limit(limit))
        return [(d, name) for d, name in rows.all()]

    async def get(self, disposition_id: UUID) -> tuple[Disposition, str | None]:
        query = self._query()
        row = (await self.session.execute(query.where(Disposition.id == disposition_id))).first()
        if row is None:
            raise missing("disposition")
        return row[0], row[1]

    async def retry(self, disposition_id: UUID) -> tuple[Disposition, str | None]:
        """Try a pending disposition again (after the street added its organ branch, say)."""
        disposition, _ = await self.get(disposition_id)
        if disposition.state != DispositionState.PENDING:
            raise conflict("this disposition has been carried out already")
        await carry_out(self.session, disposition, self.principal)
        await self.session.flush()
        return await self.get(disposition_id)
