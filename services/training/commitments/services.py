"""The commitment cycle (TRN-09): define (定诺) -> publish (亮诺) -> fulfil (践诺) -> evaluate (评诺).

A member defines and keeps their own; organisers define a party group's or a member's under their scope and
evaluate. A step out of order is a 409 saying where the commitment stands; publishing tells the board through
the outbox (CommitmentPublished) once."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.commitments.models import Commitment, HolderKind, ProgressNote, State
from services.training.commitments.rules import Viewer, check_basis, check_period, query_year
from services.training.commitments.schemas import CommitmentCreate, CommitmentUpdate, Evaluation, ProgressCreate
from services.training.paging import page
from services.training.people.models import Person, PersonKind
from services.training.programmes.rules import given
from shared import audit
from shared.auth.principal import Principal
from shared.clock import now
from shared.context import require_tenant
from shared.contracts.training import CommitmentPublished
from shared.db.paths import under
from shared.db.repository import Keyset, Repository
from shared.http.problems import FieldErrors, ProblemError, conflict
from shared.messaging import outbox

INVALID = "the commitment has invalid fields"
BY_HOLDER = Keyset(Commitment.holder_path, Commitment.id)
STEPS = {  # what each step needs the commitment to be, and what it says otherwise
    "change": ((State.DEFINED,), "only a defined commitment changes"),
    "publish": ((State.DEFINED,), "only a defined commitment is published"),
    "progress": ((State.PUBLISHED, State.FULFILLING), "progress is recorded on a published commitment"),
    "evaluate": ((State.PUBLISHED, State.FULFILLING), "a published commitment is evaluated, once"),
}


@dataclass(frozen=True, slots=True)
class Filters:
    period: str | None = None
    unit_path: str | None = None
    holder_kind: str | None = None
    state: str | None = None
    person_id: UUID | None = None


class CommitmentRepository(Repository[Commitment]):
    model_type = Commitment
    noun = "commitment"


class CommitmentService:
    def __init__(self, session: AsyncSession, principal: Principal, commitments: CommitmentRepository) -> None:
        self.session = session
        self.principal = principal
        self.commitments = commitments
        self._viewer: Viewer | None = None

    async def viewer(self) -> Viewer:
        if self._viewer is None:
            me = await self.session.scalar(select(Person).where(Person.user_id == self.principal.user_id))
            self._viewer = Viewer(self.principal, me)
        return self._viewer

    async def get(self, commitment_id: UUID, *, for_update: bool = False) -> Commitment:
        """The commitment if the caller may see it; another district's (or one out of sight) is the 404."""
        viewer = await self.viewer()
        return await self.commitments.get_or_404(commitment_id, for_update=for_update, visible=viewer.sees)

    async def progress(self, commitment_id: UUID) -> list[ProgressNote]:
        notes = await self.session.scalars(
            select(ProgressNote)
            .where(ProgressNote.commitment_id == commitment_id)
            .order_by(ProgressNote.noted_at, ProgressNote.id)
        )
        return list(notes)

    async def page(self, filters: Filters, *, cursor: str | None, limit: int) -> tuple[list[Commitment], str | None]:
        """By holder path (a unit's commitments together), then id."""
        errors = FieldErrors()
        errors.choice("query.holderKind", filters.holder_kind, tuple(HolderKind))
        errors.choice("query.state", filters.state, tuple(State))
        errors.raise_if_any("the filters are invalid")
        query = select(Commitment).where((await self.viewer()).seen())
        if (year := query_year(filters.period)) is not None:
            query = query.where(Commitment.period == year)
        if filters.unit_path is not None:
            query = query.where(under(Commitment.holder_path, filters.unit_path))
        if filters.holder_kind is not None:
            query = query.where(Commitment.holder_kind == filters.holder_kind)
        if filters.state is not None:
            query = query.where(Commitment.state == filters.state)
        if filters.person_id is not None:
            query = query.where(Commitment.person_id == filters.person_id)
        return await page(self.commitments, query, BY_HOLDER, cursor=cursor, limit=limit)

    async def define(self, data: CommitmentCreate) -> Commitment:
        """Checked whole before anything is written: every wrong field in one 422."""
        viewer = await self.viewer()
        errors = FieldErrors()
        errors.choice("holderKind", data.holder_kind, tuple(HolderKind))
        check_period(errors, data.period)
        check_basis(errors, data.holder_kind, data.basis)
        if data.holder_kind == HolderKind.PARTY_GROUP:
            if not viewer.organiser:
                raise ProblemError(
                    403, "a party group's commitment is defined by its organisers; members define their own"
                )
            holder = self._group(errors, viewer, data)
        elif data.holder_kind == HolderKind.MEMBER:
            holder = await self._member(errors, viewer, data)
        else:
            holder = None
        errors.raise_if_any(INVALID)
        assert holder is not None  # no errors: the holder was found
        moment = now()
        row = Commitment(
            holder_kind=data.holder_kind,
            period=data.period,
            title=data.title.strip(),
            content=data.content.strip(),
            basis=data.basis,
            state=State.DEFINED,
            defined_by=self.principal.user_id,
            created_at=moment,
            updated_at=moment,
            **holder,
        )
        self.session.add(row)
        await self.session.flush()
        await audit.record(
            self.session, "training.commitment.defined", subject_type="commitment", subject_id=str(row.id)
        )
        return row

    def _group(self, errors: FieldErrors, viewer: Viewer, data: CommitmentCreate) -> dict[str, object] | None:
        if data.person_id is not None:
            errors.add("personId", "only a member's commitment names a person")
        for field, value in (("unitId", data.unit_id), ("unitPath", data.unit_path), ("unitName", data.unit_name)):
            if value is None:
                errors.add(field, "required for a party group's commitment")
        if data.unit_path is not None and not viewer.in_scope(data.unit_path):
            errors.add("unitPath", f"party groups you define for lie under {self.principal.scope}")
        if data.unit_id is None or data.unit_path is None or data.unit_name is None:
            return None
        return {"unit_id": data.unit_id, "holder_path": data.unit_path, "holder_name": data.unit_name.strip()}

    async def _member(self, errors: FieldErrors, viewer: Viewer, data: CommitmentCreate) -> dict[str, object] | None:
        for field, value in (("unitId", data.unit_id), ("unitPath", data.unit_path), ("unitName", data.unit_name)):
            if value is not None:
                errors.add(field, "only a party group's commitment names a unit")
        person = viewer.me if data.person_id is None else await self.session.get(Person, data.person_id)
        if person is None:
            errors.add("personId", "no such member in this district" if data.person_id else "name the member")
            return None
        own = viewer.me is not None and person.id == viewer.me.id
        path = person.grid_path or person.branch_path
        if not own and not (
            viewer.organiser and any(viewer.in_scope(p) for p in (person.grid_path, person.branch_path))
        ):
            errors.add(
                "personId", "you define your own commitments, or as an organiser those of members you look after"
            )
        elif person.kind != PersonKind.MEMBER:
            errors.add("personId", "commitments are made by party members")
        elif path is None:
            errors.add("personId", "the member has no grid or branch on record")
        else:
            return {
                "person_id": person.id,
                "holder_path": path,
                "holder_name": person.name,
                "branch_path": person.branch_path,
            }
        return None

    async def _step(self, commitment_id: UUID, step: str) -> Commitment:
        """The commitment, locked, if the caller may take ``step`` and it stands where the step starts."""
        row = await self.get(commitment_id, for_update=True)
        viewer = await self.viewer()
        allowed = viewer.evaluates(row) if step == "evaluate" else viewer.manages(row)
        if not allowed:
            who = "organisers of its unit" if step == "evaluate" else "its holder or the organisers of its unit"
            raise ProblemError(403, f"only {who} may {step} this commitment")
        states, rule = STEPS[step]
        if row.state not in states:
            raise conflict(f"the commitment is {row.state}: {rule}")
        return row

    async def change(self, commitment_id: UUID, data: CommitmentUpdate) -> Commitment:
        row = await self._step(commitment_id, "change")
        changes = given(data)
        errors = FieldErrors()
        if "period" in changes:
            check_period(errors, changes["period"])
        if "basis" in changes:
            check_basis(errors, row.holder_kind, changes["basis"])
        errors.raise_if_any(INVALID)
        for name, value in changes.items():
            setattr(row, name, value.strip() if name in ("title", "content") else value)
        row.updated_at = now()
        await self.session.flush()
        await audit.record(
            self.session,
            "training.commitment.changed",
            subject_type="commitment",
            subject_id=str(row.id),
            detail={"fields": sorted(changes)},
        )
        return row

    async def publish(self, commitment_id: UUID) -> Commitment:
        row = await self._step(commitment_id, "publish")
        row.state = State.PUBLISHED
        row.published_at = row.updated_at = now()
        await self.session.flush()
        member_id = (
            None
            if row.person_id is None
            else await self.session.scalar(select(Person.member_id).where(Person.id == row.person_id))
        )
        await outbox.publish(
            self.session,
            CommitmentPublished(
                tenant_id=require_tenant(),
                commitment_id=row.id,
                holder_kind=row.holder_kind,
                holder_id=row.unit_id or row.person_id,  # type: ignore[arg-type]  # one of them is set (a check)
                member_id=member_id,
                holder_path=row.holder_path,
                period=row.period,
                title=row.title,
                published_at=row.published_at,
            ),
        )
        await audit.record(
            self.session, "training.commitment.published", subject_type="commitment", subject_id=str(row.id)
        )
        return row

    async def record_progress(self, commitment_id: UUID, data: ProgressCreate) -> Commitment:
        row = await self._step(commitment_id, "progress")
        moment = now()
        self.session.add(
            ProgressNote(
                commitment_id=row.id,
                note=data.note.strip(),
                noted_at=moment,
                noted_by=self.principal.user_id,
                noted_by_name=self.principal.name,
            )
        )
        row.state = State.FULFILLING
        row.updated_at = moment
        await self.session.flush()
        return row

    async def evaluate(self, commitment_id: UUID, data: Evaluation) -> Commitment:
        score = Decimal(str(data.score))
        if not (0 <= score <= 100) or score != score.quantize(Decimal("0.01")):
            raise ProblemError(
                422, INVALID, errors=[{"field": "body.score", "message": "from 0 to 100, at most two decimals"}]
            )
        row = await self._step(commitment_id, "evaluate")
        row.state = State.EVALUATED
        row.score = score.quantize(Decimal("0.01"))
        row.comment = data.comment.strip() or None
        row.evaluated_at = row.updated_at = now()
        row.evaluated_by = self.principal.user_id
        row.evaluated_by_name = self.principal.name
        await self.session.flush()
        await audit.record(
            self.session, "training.commitment.evaluated", subject_type="commitment", subject_id=str(row.id)
        )
        return row
