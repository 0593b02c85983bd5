"""Assessments' API (TRN-11): the district's indicator sets, score sheets with their totals per subject, and the
year-end democratic poll of members."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.training.access import ATTENDEES, ORGANISERS, READERS
from services.training.assessments.models import ScoreSheet
from services.training.assessments.polls import DemocraticPollService
from services.training.assessments.schemas import (
    PollCreate,
    PollView,
    SetView,
    SetWrite,
    SheetCreate,
    SheetsPage,
    SheetView,
    SubjectTotals,
    VoteWrite,
)
from services.training.assessments.sets import SetService
from services.training.assessments.sheets import SheetService
from services.training.paging import Cursor, Limit
from shared.auth.principal import Role
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.views import view, views

PeriodQuery = Annotated[str | None, QueryParameter(name="period", max_length=10, description="2026H1 or 2026")]
YearQuery = Annotated[str | None, QueryParameter(name="year", pattern=r"^20\d{2}$")]
ORGANISER = [requires_role(*ORGANISERS)]


def sheet_view(row: ScoreSheet) -> SheetView:
    return view(SheetView, row, total=float(row.total))


class AssessmentController(Controller):
    path = "/api/training"
    tags = ["Assessments"]
    guards = [requires_tenant]
    dependencies = {
        "sets": provide_service(SetService),
        "sheets": provide_service(SheetService),
        "polls": provide_service(DemocraticPollService),
    }

    @get("/assessment-sets", operation_id="ListAssessmentSets", summary="The district's indicator sets")
    async def list_sets(self, sets: NamedDependency[SetService]) -> list[SetView]:
        return views(SetView, await sets.listed())

    @post(
        "/assessment-sets",
        operation_id="AddAssessmentSet",
        summary="Add an indicator set (district administrators)",
        guards=[requires_role(Role.DISTRICT_ADMIN)],
    )
    async def add_set(self, sets: NamedDependency[SetService], data: JSONBody[SetWrite]) -> SetView:
        return view(SetView, await sets.create(data))

    @post(
        "/score-sheets",
        operation_id="AddScoreSheet",
        summary="Score a subject on every indicator of a set for a period: self, group, branch or superior",
        guards=[requires_role(*READERS, *ATTENDEES)],
    )
    async def add_sheet(self, sheets: NamedDependency[SheetService], data: JSONBody[SheetCreate]) -> SheetView:
        return sheet_view(await sheets.create(data))

    @get(
        "/score-sheets",
        operation_id="ListScoreSheets",
        summary="Score sheets of subjects under my scope (a member: their own), newest first",
        guards=[requires_role(*READERS, *ATTENDEES)],
    )
    async def list_sheets(
        self,
        sheets: NamedDependency[SheetService],
        period: PeriodQuery = None,
        set_id: Annotated[UUID | None, QueryParameter(name="setId")] = None,
        subject_id: Annotated[UUID | None, QueryParameter(name="subjectId")] = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> SheetsPage:
        found, following = await sheets.page(
            period=period, set_id=set_id, subject_id=subject_id, cursor=cursor, limit=limit
        )
        return SheetsPage(items=[sheet_view(r) for r in found], next=following)

    @get(
        "/score-sheets/totals",
        operation_id="ScoreSheetTotals",
        summary="Each subject's sheets of a period totalled per kind",
        guards=ORGANISER,
    )
    async def totals(
        self, sheets: NamedDependency[SheetService], period: Annotated[str, QueryParameter(max_length=10)]
    ) -> list[SubjectTotals]:
        return await sheets.totals(period)

    @post(
        "/democratic-polls",
        operation_id="OpenDemocraticPoll",
        summary="Open a member's year-end poll",
        guards=ORGANISER,
    )
    async def open_poll(self, polls: NamedDependency[DemocraticPollService], data: JSONBody[PollCreate]) -> PollView:
        return await polls.view(await polls.open(data))

    @get(
        "/democratic-polls",
        operation_id="ListDemocraticPolls",
        summary="Polls of members under my scope",
        guards=ORGANISER,
    )
    async def list_polls(self, polls: NamedDependency[DemocraticPollService], year: YearQuery = None) -> list[PollView]:
        return [await polls.view(row) for row in await polls.listed(year)]

    @post(
        "/democratic-polls/{poll_id:uuid}/close",
        operation_id="CloseDemocraticPoll",
        summary="Close a poll",
        guards=ORGANISER,
        status_code=200,
    )
    async def close_poll(self, polls: NamedDependency[DemocraticPollService], poll_id: FromPath[UUID]) -> PollView:
        return await polls.view(await polls.close(poll_id))

    @get(
        "/democratic-polls/ballots",
        operation_id="ListDemocraticBallots",
        summary="Open polls of members of my branch I may vote in",
        guards=[requires_role(*ATTENDEES)],
    )
    async def ballots(self, polls: NamedDependency[DemocraticPollService]) -> list[PollView]:
        return [await polls.view(row) for row in await polls.ballots()]

    @post(
        "/democratic-polls/{poll_id:uuid}/votes",
        operation_id="VoteInDemocraticPoll",
        summary="Vote once, anonymously: excellent, qualified, basically_qualified or unqualified",
        guards=[requires_role(*ATTENDEES)],
    )
    async def vote(
        self, polls: NamedDependency[DemocraticPollService], poll_id: FromPath[UUID], data: JSONBody[VoteWrite]
    ) -> Response[PollView]:
        return Response(await polls.view(await polls.vote(poll_id, data.grade)), status_code=201)
