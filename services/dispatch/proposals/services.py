"""The proposal box (DSP-29, [001/SZ-24]): members, alone or jointly, file proposals; a designated reviewer sorts
each into a category; a seminar is held with the proposers; what the community cannot solve goes to the street,
and what stays unsolved there via the street to the district (one tier at a time); a solved proposal is closed.

Staff of the hotline see every proposal of the district; other staff those of the communities in their subtree.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.access import is_operator
from services.dispatch.catalogue.defaults import ORG_LEVELS
from services.dispatch.directory.models import DirectoryGrid
from services.dispatch.proposals.models import TIERS, Proposal, ProposalSeminar, ProposalStatus, ProposalStep, Tier
from services.dispatch.proposals.schemas import (
    ProposalClassify,
    ProposalClose,
    ProposalCreate,
    ProposalEscalate,
    SeminarCreate,
)
from services.dispatch.providers.models import Provider, ProviderKind
from shared import audit
from shared.auth.principal import Principal
from shared.clock import china_today, now
from shared.db.repository import Repository
from shared.http.problems import FieldErrors, conflict, invalid, missing

S = ProposalStatus
# The reviewer's categories (分类): the kinds of community affairs members raise.
CATEGORIES: dict[str, str] = {
    "environment": "环境卫生",
    "facilities": "公共设施",
    "safety": "治安安全",
    "livelihood": "民生服务",
    "party_building": "党建工作",
    "other": "其他",
}
LATE_FILING_DAYS = 3650  # a proposal from the box's first years may be entered; not one from the future


class ProposalRepository(Repository[Proposal]):
    model_type = Proposal
    noun = "proposal"


def community_of(grid: DirectoryGrid, community_id: UUID) -> dict[str, Any] | None:
    """The community (or village) ``community_id`` among the grid's ancestors, with its street and its path."""
    chain = list(grid.ancestors)
    for index, unit in enumerate(chain):
        if unit.get("id") == str(community_id) and unit.get("level") in ORG_LEVELS["village"]:
            street = next((u for u in reversed(chain[:index]) if u.get("level") in ORG_LEVELS["street"]), None)
            segments = [s for s in grid.path.split("/") if s]
            # orgtree's path has one segment per ancestor and the grid's own last
            path = "/" + "/".join(segments[: index + 1]) + "/" if len(segments) == len(chain) + 1 else grid.path
            return {"name": unit.get("name") or "", "street": street, "path": path}
    return None


class ProposalService:
    def __init__(self, session: AsyncSession, principal: Principal, proposals: ProposalRepository) -> None:
        self.session = session
        self.principal = principal
        self.proposals = proposals

    def visible(self, query: Select[Any]) -> Select[Any]:
        scope = self.principal.scope
        if is_operator(self.principal) or scope is None:
            return query
        return query.where(Proposal.community_path >= scope, Proposal.community_path < scope + "~")

    async def get(self, proposal_id: UUID, *, for_update: bool = False) -> Proposal:
        query = self.visible(select(Proposal).where(Proposal.id == proposal_id))
        return await self.proposals.one_or_404(query.with_for_update() if for_update else query)

    async def page(
        self, status: str | None, tier: str | None, community_id: UUID | None, offset: int, limit: int
    ) -> tuple[list[Proposal], int]:
        query = self.visible(select(Proposal))
        if status is not None:
            query = query.where(Proposal.status == status)
        if tier is not None:
            query = query.where(Proposal.tier == tier)
        if community_id is not None:
            query = query.where(Proposal.community_id == community_id)
        total = await self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        ordered = query.order_by(Proposal.filed_on.desc(), Proposal.id.desc()).offset(offset).limit(limit)
        return list(await self.session.scalars(ordered)), total

    async def details(self, proposal: Proposal) -> tuple[list[ProposalSeminar], list[ProposalStep]]:
        seminars = await self.session.scalars(
            select(ProposalSeminar)
            .where(ProposalSeminar.proposal_id == proposal.id)
            .order_by(ProposalSeminar.held_on, ProposalSeminar.id)
        )
        steps = await self.session.scalars(
            select(ProposalStep).where(ProposalStep.proposal_id == proposal.id).order_by(ProposalStep.position)
        )
        return list(seminars), list(steps)

    async def _step(self, proposal: Proposal, action: str, note: str | None = None) -> None:
        position = await self.session.scalar(
            select(func.count()).select_from(ProposalStep).where(ProposalStep.proposal_id == proposal.id)
        )
        self.session.add(
            ProposalStep(
                proposal_id=proposal.id,
                position=position or 0,
                action=action,
                tier=proposal.tier,
                note=note,
                actor_name=self.principal.name,
                at=now(),
            )
        )
        await audit.record(
            self.session,
            f"dispatch.proposal.{action}",
            subject_type="proposal",
            subject_id=str(proposal.id),
            detail={"tier": proposal.tier, "status": proposal.status},
        )

    async def _community(self, community_id: UUID) -> dict[str, Any] | None:
        grids = await self.session.scalars(
            select(DirectoryGrid).where(DirectoryGrid.ancestors.contains([{"id": str(community_id)}])).limit(1)
        )
        grid = grids.first()
        return community_of(grid, community_id) if grid is not None else None

    async def create(self, data: ProposalCreate) -> Proposal:
        errors = FieldErrors()
        today = china_today()
        filed_on = data.filed_on or today
        if filed_on > today:
            errors.add("filedOn", "is in the future")
        elif (today - filed_on).days > LATE_FILING_DAYS:
            errors.add("filedOn", f"more than {LATE_FILING_DAYS} days ago")
        member_ids = list(dict.fromkeys(data.proposer_member_ids))
        if len(member_ids) != len(data.proposer_member_ids):
            errors.add("proposerMemberIds", "a member is named twice")
        rows = await self.session.execute(
            select(Provider.member_id, Provider.name).where(
                Provider.member_id.in_(member_ids), Provider.kind == ProviderKind.MEMBER_VOLUNTEER
            )
        )
        names = dict(rows.all())
        community = await self._community(data.community_id)
        errors.raise_if_any("the proposal has invalid fields")
        # another district's (or another subtree's) community or member is not found here, as any of its ids
        if community is None or not (is_operator(self.principal) or self.principal.may_see_path(community["path"])):
            raise missing("community")
        if any(member not in names for member in member_ids):
            raise missing("member")
        street = community["street"]
        proposal = Proposal(
            title=data.title.strip(),
            content=data.content.strip(),
            proposer_member_ids=member_ids,
            proposer_names=[names[member] for member in member_ids],
            community_id=data.community_id,
            community_name=community["name"],
            community_path=community["path"],
            street_id=UUID(street["id"]) if street else None,
            street_name=street.get("name") if street else None,
            filed_on=filed_on,
            status=S.FILED,
            tier=Tier.COMMUNITY,
            recorded_by=self.principal.user_id,
            recorded_at=now(),
        )
        await self.proposals.add(proposal, auto_refresh=True)
        await self._step(proposal, "filed")
        return proposal

    async def classify(self, proposal_id: UUID, data: ProposalClassify) -> Proposal:
        errors = FieldErrors()
        errors.choice("category", data.category, CATEGORIES)
        errors.raise_if_any("the classification has invalid fields")
        proposal = await self.get(proposal_id, for_update=True)
        if proposal.status == S.CLOSED:
            raise conflict("this proposal is closed: its category is kept as it was closed")
        proposal.category, proposal.classified_by_name = data.category, self.principal.name
        proposal.status = S.CLASSIFIED
        await self._step(proposal, "classified", CATEGORIES[data.category])
        return proposal

    async def add_seminar(self, proposal_id: UUID, data: SeminarCreate) -> tuple[Proposal, ProposalSeminar]:
        proposal = await self.get(proposal_id, for_update=True)
        if data.held_on > china_today():
            raise invalid("heldOn", "is in the future")
        if data.held_on < proposal.filed_on:
            raise invalid("heldOn", "before the proposal was filed")
        seminar = ProposalSeminar(
            proposal_id=proposal.id,
            held_on=data.held_on,
            attendees=[name.strip() for name in data.attendees],
            conclusion=data.conclusion.strip(),
            recorded_by_name=self.principal.name,
            recorded_at=now(),
        )
        self.session.add(seminar)
        await self.session.flush()
        await self._step(proposal, "seminar", seminar.conclusion)
        return proposal, seminar

    async def escalate(self, proposal_id: UUID, data: ProposalEscalate) -> Proposal:
        proposal = await self.get(proposal_id, for_update=True)
        if proposal.status == S.CLOSED:
            raise conflict("this proposal is closed: nothing is left to escalate")
        if proposal.status == S.FILED:
            raise conflict("classify the proposal before it goes up a tier")
        rank = TIERS.index(Tier(proposal.tier))
        if rank + 1 >= len(TIERS):
            raise conflict("this proposal is at the district already: there is no higher tier")
        moved = await self.session.scalar(
            update(Proposal)
            .where(Proposal.id == proposal.id, Proposal.tier == proposal.tier)
            .values(tier=TIERS[rank + 1])
            .returning(Proposal.id)
            .execution_options(synchronize_session=False)
        )
        await self.session.refresh(proposal)
        if moved is None:
            raise conflict("this proposal was moved meanwhile")
        await self._step(proposal, "escalated", data.reason.strip())
        return proposal

    async def close(self, proposal_id: UUID, data: ProposalClose) -> Proposal:
        proposal = await self.get(proposal_id, for_update=True)
        if proposal.status == S.CLOSED:
            raise conflict("this proposal is closed already")
        if proposal.status == S.FILED:
            raise conflict("classify the proposal before closing it")
        closed_on = data.closed_on or china_today()
        if closed_on > china_today():
            raise invalid("closedOn", "is in the future")
        if closed_on < proposal.filed_on:
            raise invalid("closedOn", "before the proposal was filed")
        proposal.status, proposal.closing_note, proposal.closed_on = S.CLOSED, data.note.strip(), closed_on
        await self._step(proposal, "closed", proposal.closing_note)
        return proposal

    async def communities(self) -> list[dict[str, Any]]:
        """The communities and villages of the directory the caller may file for, by street then name."""
        found: dict[str, dict[str, Any]] = {}
        for grid in await self.session.scalars(select(DirectoryGrid).order_by(DirectoryGrid.path)):
            for unit in grid.ancestors:
                if unit.get("id") in found or unit.get("level") not in ORG_LEVELS["village"]:
                    continue
                community = community_of(grid, UUID(unit["id"]))
                if community is None or not (
                    is_operator(self.principal) or self.principal.may_see_path(community["path"])
                ):
                    continue
                street = community["street"] or {}
                found[unit["id"]] = {
                    "id": UUID(unit["id"]),
                    "name": community["name"],
                    "street_name": street.get("name"),
                }
        return sorted(found.values(), key=lambda c: (c["street_name"] or "", c["name"]))

    async def proposers(self) -> list[tuple[UUID, str]]:
        """The district's members as dispatch knows them (orgtree's events), by name."""
        rows = await self.session.execute(
            select(Provider.member_id, Provider.name)
            .where(Provider.kind == ProviderKind.MEMBER_VOLUNTEER, Provider.member_id.is_not(None), Provider.active)
            .order_by(Provider.name, Provider.member_id)
            .limit(500)
        )
        return [(member, name) for member, name in rows.all() if member is not None]
