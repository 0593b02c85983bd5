"""The public-notice board (公示) and objections: readable by everyone signed in to the district, residents
included; objections are raised by anyone during the notice and answered by the round's organisers."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.training.access import ORGANISERS
from services.training.paging import Cursor, Limit
from services.training.ratings.entries import EntryService
from services.training.ratings.notice import NoticeService
from services.training.ratings.schemas import (
    AnswerWrite,
    NoticesPage,
    NoticeView,
    ObjectionCreate,
    ObjectionsPage,
    ObjectionView,
)
from services.training.ratings.views import notice_view, objection_view
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant

UnitPath = Annotated[str | None, QueryParameter(name="unitPath", max_length=400)]


class NoticeBoardController(Controller):
    path = "/api/training"
    tags = ["Star ratings"]
    guards = [requires_tenant]
    dependencies = {"notices": provide_service(NoticeService), "entries": provide_service(EntryService)}

    @get(
        "/notices",
        operation_id="ListRatingNotices",
        summary="Rounds on public notice or published in the last 30 days, with their entries (anyone signed in)",
    )
    async def board(
        self,
        notices: NamedDependency[NoticeService],
        entries: NamedDependency[EntryService],
        unit_path: UnitPath = None,
        cursor: Cursor = None,
        limit: Limit = 20,
    ) -> NoticesPage:
        rounds, by_round, following = await notices.board(unit_path=unit_path, cursor=cursor, limit=limit)
        objections = await entries.objections([e for found in by_round.values() for e in found])
        return NoticesPage(items=[notice_view(r, by_round[r.id], objections) for r in rounds], next=following)

    @get("/notices/{rating_id:uuid}", operation_id="GetRatingNotice", summary="One round on the notice board")
    async def one(
        self, notices: NamedDependency[NoticeService], entries: NamedDependency[EntryService], rating_id: FromPath[UUID]
    ) -> NoticeView:
        rating, found = await notices.on_board(rating_id)
        return notice_view(rating, found, await entries.objections(found))

    @post(
        "/ratings/{rating_id:uuid}/objections",
        operation_id="RaiseRatingObjection",
        summary="Object to an entry during the public notice (anyone signed in)",
    )
    async def raise_objection(
        self, notices: NamedDependency[NoticeService], rating_id: FromPath[UUID], data: JSONBody[ObjectionCreate]
    ) -> ObjectionView:
        return objection_view(await notices.object(rating_id, data), organiser=notices.organiser)

    @get(
        "/ratings/{rating_id:uuid}/objections",
        operation_id="ListRatingObjections",
        summary="A round's objections (organisers: all, with who raised them; anyone else: their own)",
    )
    async def list_objections(
        self, notices: NamedDependency[NoticeService], rating_id: FromPath[UUID]
    ) -> ObjectionsPage:
        found = await notices.list_objections(rating_id)
        return ObjectionsPage(items=[objection_view(o, organiser=notices.organiser) for o in found])

    @post(
        "/objections/{objection_id:uuid}/answer",
        operation_id="AnswerRatingObjection",
        summary="Answer an objection (organisers whose scope holds the round)",
        guards=[requires_role(*ORGANISERS)],
        status_code=200,
    )
    async def answer(
        self, notices: NamedDependency[NoticeService], objection_id: FromPath[UUID], data: JSONBody[AnswerWrite]
    ) -> ObjectionView:
        return objection_view(await notices.answer(objection_id, data.answer), organiser=True)
