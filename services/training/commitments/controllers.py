"""Commitments (TRN-09): the board's list, one commitment with its progress, and the cycle's steps."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.training.access import ATTENDEES, ORGANISERS, READERS
from services.training.commitments.models import Commitment, ProgressNote
from services.training.commitments.schemas import (
    CommitmentCreate,
    CommitmentPage,
    CommitmentUpdate,
    CommitmentView,
    Evaluation,
    ProgressCreate,
    ProgressView,
)
from services.training.commitments.services import CommitmentService, Filters
from services.training.paging import Cursor, Limit
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.views import view, views

Period = Annotated[str | None, QueryParameter(name="period", max_length=10, description='the year, "2026"')]
UnitPath = Annotated[
    str | None,
    QueryParameter(name="unitPath", max_length=400, pattern=r"^/([^/]+/)+$", description="holders at or under it"),
]
HolderKindQuery = Annotated[str | None, QueryParameter(name="holderKind", description="party_group | member")]
StateQuery = Annotated[str | None, QueryParameter(name="state", description="defined|published|fulfilling|evaluated")]
PersonId = Annotated[UUID | None, QueryParameter(name="personId")]


def commitment_view(row: Commitment, progress: list[ProgressNote] | None = None) -> CommitmentView:
    return view(
        CommitmentView,
        row,
        score=float(row.score) if row.score is not None else None,
        progress=views(ProgressView, progress or []),
    )


class CommitmentController(Controller):
    path = "/api/training/commitments"
    tags = ["Commitments"]
    guards = [requires_tenant, requires_role(*READERS, *ATTENDEES)]
    dependencies = {"commitments": provide_service(CommitmentService)}

    @get("/", operation_id="ListCommitments", summary="Commitments the caller may see, a unit's together")
    async def list_commitments(
        self,
        commitments: NamedDependency[CommitmentService],
        period: Period = None,
        unit_path: UnitPath = None,
        holder_kind: HolderKindQuery = None,
        in_state: StateQuery = None,
        person_id: PersonId = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> CommitmentPage:
        filters = Filters(period, unit_path, holder_kind, in_state, person_id)
        rows, following = await commitments.page(filters, cursor=cursor, limit=limit)
        return CommitmentPage(items=[commitment_view(row) for row in rows], next=following)

    @post("/", operation_id="DefineCommitment", summary="Define a commitment (定诺): a member's own, or as organiser")
    async def define(
        self, commitments: NamedDependency[CommitmentService], data: JSONBody[CommitmentCreate]
    ) -> CommitmentView:
        return commitment_view(await commitments.define(data))

    @get("/{commitment_id:uuid}", operation_id="GetCommitment", summary="One commitment with its progress notes")
    async def get_commitment(
        self, commitments: NamedDependency[CommitmentService], commitment_id: FromPath[UUID]
    ) -> CommitmentView:
        row = await commitments.get(commitment_id)
        return commitment_view(row, await commitments.progress(row.id))

    @patch("/{commitment_id:uuid}", operation_id="UpdateCommitment", summary="Change a commitment while defined")
    async def update(
        self,
        commitments: NamedDependency[CommitmentService],
        commitment_id: FromPath[UUID],
        data: JSONBody[CommitmentUpdate],
    ) -> CommitmentView:
        return commitment_view(await commitments.change(commitment_id, data))

    @post(
        "/{commitment_id:uuid}/publish",
        operation_id="PublishCommitment",
        status_code=200,
        summary="Publish a defined commitment (亮诺): the board shows it",
    )
    async def publish(
        self, commitments: NamedDependency[CommitmentService], commitment_id: FromPath[UUID]
    ) -> CommitmentView:
        return commitment_view(await commitments.publish(commitment_id))

    @post(
        "/{commitment_id:uuid}/progress",
        operation_id="RecordCommitmentProgress",
        status_code=200,
        summary="Add a dated progress note to a published commitment (践诺)",
    )
    async def record_progress(
        self,
        commitments: NamedDependency[CommitmentService],
        commitment_id: FromPath[UUID],
        data: JSONBody[ProgressCreate],
    ) -> CommitmentView:
        row = await commitments.record_progress(commitment_id, data)
        return commitment_view(row, await commitments.progress(row.id))

    @post(
        "/{commitment_id:uuid}/evaluate",
        operation_id="EvaluateCommitment",
        status_code=200,
        guards=[requires_role(*ORGANISERS)],
        summary="Score a published commitment from 0 to 100 (评诺); star ratings wait for it",
    )
    async def evaluate(
        self, commitments: NamedDependency[CommitmentService], commitment_id: FromPath[UUID], data: JSONBody[Evaluation]
    ) -> CommitmentView:
        row = await commitments.evaluate(commitment_id, data)
        return commitment_view(row, await commitments.progress(row.id))
