"""Cadre postings to villages and communities, scoped like the villages they serve."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.cadres.schemas import PostingCreate
from services.orgtree.levels.services import load_schema
from services.orgtree.members.services import MemberService
from services.orgtree.models import CadrePosting, Member, OrgNode, TreeKind
from services.orgtree.nodes.services import NodeService, in_subtree
from shared import audit
from shared.auth.principal import Principal
from shared.clock import china_today
from shared.contracts.orgtree import CadrePostingChanged, CadreRole
from shared.db.repository import Repository
from shared.http.problems import conflict, invalid
from shared.messaging.outbox import publish

POSTING_KINDS = {"stationed": "驻村干部", "village": "村(社区)干部"}


class CadrePostingRepository(Repository[CadrePosting]):
    model_type = CadrePosting
    noun = "cadre posting"


class CadreService:
    def __init__(
        self,
        session: AsyncSession,
        principal: Principal,
        postings: CadrePostingRepository,
        nodes: NodeService,
        members: MemberService,
    ) -> None:
        self.session = session
        self.principal = principal
        self.postings = postings
        self.nodes = nodes
        self.members = members

    async def village(self, node_id: UUID) -> OrgNode:
        node = await self.nodes.get_in_tree(node_id, TreeKind.ADMINISTRATIVE, "villageId")
        if not (await load_schema(self.session, node.tree)).require(node.level).is_village:
            raise invalid("villageId", f"a '{node.level}' is not a village or community")
        return node

    async def post(self, data: PostingCreate) -> tuple[CadrePosting, str]:
        if data.kind not in POSTING_KINDS:
            raise invalid("kind", f"one of: {', '.join(POSTING_KINDS)}")
        if data.kind == "stationed" and (data.cross_appointed or data.one_shoulder or data.role):
            raise invalid("role", "role, cross-appointment and one-shoulder describe village cadres only")
        village = await self.village(data.village_id)
        member = await self.members.get(data.member_id)
        posted = select(CadrePosting.id).where(
            CadrePosting.member_id == member.id, CadrePosting.village_id == village.id, CadrePosting.kind == data.kind
        )
        if await self.session.scalar(posted):
            raise conflict("this cadre is already posted there")
        row = CadrePosting(
            kind=data.kind,
            member_id=member.id,
            village_id=village.id,
            village_path=village.path,
            role=data.role,
            cross_appointed=data.cross_appointed,
            one_shoulder=data.one_shoulder,
            since=data.since or china_today(),
        )
        await self.postings.add(row)
        detail = {"kind": data.kind, "village_id": str(village.id)}
        await audit.record(
            self.session, "orgtree.cadre.posted", subject_type="member", subject_id=str(member.id), detail=detail
        )
        await self.announce(row, village.level, active=True)
        return row, member.name

    async def within(self, node_id: UUID | None, kind: str | None) -> list[tuple[CadrePosting, str]]:
        """The postings to villages in the subtree, each with its cadre's name."""
        scope = await self.nodes.scope_path(node_id)
        query = select(CadrePosting, Member.name).join(Member, Member.id == CadrePosting.member_id)
        if scope is not None:
            query = query.where(in_subtree(CadrePosting.village_path, scope))
        if kind is not None:
            query = query.where(CadrePosting.kind == kind)
        rows = await self.session.execute(query.order_by(CadrePosting.village_path, CadrePosting.since))
        return [(posting, name) for posting, name in rows]

    async def end(self, posting_id: UUID) -> None:
        row = await self.postings.get_or_404(posting_id, visible=lambda p: self.principal.may_see_path(p.village_path))
        level = await self.session.scalar(select(OrgNode.level).where(OrgNode.id == row.village_id))
        await self.session.delete(row)
        await audit.record(
            self.session,
            "orgtree.cadre.posting_ended",
            subject_type="member",
            subject_id=str(row.member_id),
            detail={"village_id": str(row.village_id)},
        )
        await self.announce(row, level or "", active=False)

    async def announce(self, row: CadrePosting, level: str, *, active: bool) -> None:
        """``CadrePostingChanged`` with every posting the member holds after the change (training's duties)."""
        await self.session.flush()
        held = await self.session.execute(
            select(CadrePosting.kind, CadrePosting.role, OrgNode.level)
            .join(OrgNode, OrgNode.id == CadrePosting.village_id)
            .where(CadrePosting.member_id == row.member_id)
            .order_by(CadrePosting.since, CadrePosting.id)
        )
        changed = CadrePostingChanged(
            tenant_id=row.tenant_id,
            posting_id=row.id,
            member_id=row.member_id,
            village_id=row.village_id,
            kind=row.kind,
            role=row.role,
            unit_level=level,
            active=active,
            postings=[CadreRole(kind=kind, role=role, unit_level=lvl) for kind, role, lvl in held],
        )
        await publish(self.session, changed)
