"""Election records (ORG-24): a unit's election with its candidates and how each was nominated ("个人自荐、党员
群众联名推荐、组织推荐" [001]), then up to three competitive rounds, each with every standing candidate's votes and
whom it elected, until the seats are filled."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.elections.models import Election, ElectionCandidate, ElectionVote
from services.orgtree.elections.schemas import (
    CandidateView,
    ElectionCreate,
    ElectionView,
    RoundCreate,
    RoundView,
    RoundVote,
)
from services.orgtree.members.services import MemberService
from services.orgtree.nodes.services import NodeService
from shared import audit
from shared.auth.principal import Principal
from shared.clock import china_today, now
from shared.db.repository import Repository
from shared.http.problems import FieldErrors, conflict

BODIES = {"branch_committee": "支部委员会", "village_committee": "村民委员会", "residents_committee": "居民委员会"}
NOMINATIONS = {
    "self": "个人自荐",
    "organisation": "组织推荐",
    "members_jointly": "党员联名推荐",
    "residents_jointly": "群众联名推荐",
}
MAX_ROUNDS = 3


class ElectionRepository(Repository[Election]):
    model_type = Election
    noun = "election"


class ElectionService:
    def __init__(
        self,
        session: AsyncSession,
        principal: Principal,
        elections: ElectionRepository,
        nodes: NodeService,
        members: MemberService,
    ) -> None:
        self.session = session
        self.principal = principal
        self.elections = elections
        self.nodes = nodes
        self.members = members

    async def record(self, node_id: UUID, data: ElectionCreate) -> ElectionView:
        unit = await self.nodes.get(node_id)
        errors = FieldErrors()
        if data.body not in BODIES:
            errors.add("body.body", f"one of: {', '.join(BODIES)}")
        for i, candidate in enumerate(data.candidates):
            if candidate.nominated_by not in NOMINATIONS:
                errors.add(f"body.candidates[{i}].nominatedBy", f"one of: {', '.join(NOMINATIONS)}")
            if not candidate.name.strip():
                errors.add(f"body.candidates[{i}].name", "a candidate needs a name")
        if len(data.candidates) <= data.seats:
            errors.add("body.candidates", f"a competitive election has more candidates than its {data.seats} seats")
        errors.raise_if_any("the election is not valid")
        for candidate in data.candidates:
            if candidate.member_id is not None:
                await self.members.get(candidate.member_id)  # another district's or street's member: a 404
        election = Election(
            unit_id=unit.id,
            unit_path=unit.path,
            body=data.body,
            held_on=data.held_on,
            seats=data.seats,
            note=data.note.strip(),
            recorded_by=self.principal.user_id,
            recorded_at=now(),
        )
        await self.elections.add(election)
        self.session.add_all(
            ElectionCandidate(
                election_id=election.id, name=c.name.strip(), member_id=c.member_id, nominated_by=c.nominated_by
            )
            for c in data.candidates
        )
        await self.session.flush()
        await audit.record(
            self.session,
            "orgtree.election.recorded",
            subject_type="org_node",
            subject_id=str(unit.id),
            detail={"election_id": str(election.id), "seats": data.seats, "candidates": len(data.candidates)},
        )
        return await self.detail(election.id)

    async def _visible(self, election_id: UUID) -> Election:
        return await self.elections.get_or_404(election_id, visible=lambda e: self.principal.may_see_path(e.unit_path))

    async def add_round(self, election_id: UUID, data: RoundCreate) -> ElectionView:
        election = await self._visible(election_id)
        # the election's row lock: two rounds entered at once are numbered one after the other
        await self.session.execute(select(Election.id).where(Election.id == election.id).with_for_update())
        if election.held_on > china_today():
            raise conflict("the election has not been held yet")
        view = await self.detail(election.id)
        if len(view.rounds) >= MAX_ROUNDS:
            raise conflict(f"an election has at most {MAX_ROUNDS} rounds")
        if view.complete:
            raise conflict("every seat is filled already")
        standing = {c.id for c in view.candidates if c.elected_in_round is None}
        errors = FieldErrors()
        seen: set[UUID] = set()
        for i, count in enumerate(data.votes):
            if count.candidate_id not in standing:
                errors.add(f"body.votes[{i}].candidateId", "not a candidate still standing in this election")
            if count.candidate_id in seen:
                errors.add(f"body.votes[{i}].candidateId", "this candidate's votes are given twice")
            seen.add(count.candidate_id)
        for i, candidate_id in enumerate(data.elected):
            if candidate_id not in seen:
                errors.add(f"body.elected[{i}]", "elected in this round without votes in it")
        if len(set(data.elected)) > election.seats - view.elected:
            errors.add("body.elected", f"more elected than the {election.seats - view.elected} seats left")
        errors.raise_if_any("the round is not valid")
        number = len(view.rounds) + 1
        elected = set(data.elected)
        self.session.add_all(
            ElectionVote(
                election_id=election.id,
                round=number,
                candidate_id=c.candidate_id,
                votes=c.votes,
                elected=c.candidate_id in elected,
            )
            for c in data.votes
        )
        await self.session.flush()
        await audit.record(
            self.session,
            "orgtree.election.round_recorded",
            subject_type="org_node",
            subject_id=str(election.unit_id),
            detail={"election_id": str(election.id), "round": number, "elected": len(elected)},
        )
        return await self.detail(election.id)

    async def detail(self, election_id: UUID) -> ElectionView:
        election = await self._visible(election_id)
        unit = await self.nodes.get(election.unit_id)
        candidates = list(
            await self.session.scalars(
                select(ElectionCandidate)
                .where(ElectionCandidate.election_id == election.id)
                .order_by(ElectionCandidate.id)
            )
        )
        votes = list(
            await self.session.scalars(
                select(ElectionVote)
                .where(ElectionVote.election_id == election.id)
                .order_by(ElectionVote.round, ElectionVote.votes.desc())
            )
        )
        names = {c.id: c.name for c in candidates}
        elected_in = {v.candidate_id: v.round for v in votes if v.elected}
        rounds: dict[int, list[RoundVote]] = {}
        for v in votes:
            rounds.setdefault(v.round, []).append(
                RoundVote(candidate_id=v.candidate_id, name=names[v.candidate_id], votes=v.votes, elected=v.elected)
            )
        return ElectionView(
            id=election.id,
            unit_id=unit.id,
            unit_name=unit.name,
            body=election.body,
            held_on=election.held_on,
            seats=election.seats,
            note=election.note,
            candidates=[
                CandidateView(
                    id=c.id,
                    name=c.name,
                    member_id=c.member_id,
                    nominated_by=c.nominated_by,
                    elected_in_round=elected_in.get(c.id),
                )
                for c in candidates
            ],
            rounds=[RoundView(number=n, votes=v) for n, v in sorted(rounds.items())],
            elected=len(elected_in),
            competitive=len(candidates) > election.seats,
            complete=len(elected_in) >= election.seats,
        )

    async def of_unit(self, node_id: UUID) -> list[ElectionView]:
        unit = await self.nodes.get(node_id)
        ids = await self.session.scalars(
            select(Election.id).where(Election.unit_id == unit.id).order_by(Election.held_on.desc())
        )
        return [await self.detail(i) for i in ids]
