"""The star ratings' API for organisers (TRN-08): criteria templates, the district's rating settings and titles,
rounds, entries, the start of the public notice and publication."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from litestar import Controller, Response, get, patch, post, put
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, JSONBody, QueryParameter

from services.training.access import ORGANISERS, READERS
from services.training.paging import Cursor, Limit
from services.training.ratings.entries import EntryService
from services.training.ratings.notice import NoticeService
from services.training.ratings.publishing import PublishingService
from services.training.ratings.rounds import RoundService
from services.training.ratings.schemas import (
    EntriesPage,
    EntryView,
    EntryWrite,
    RatingCreate,
    RatingsPage,
    RatingView,
    SettingsView,
    SettingsWrite,
    TemplatePatch,
    TemplateView,
    TemplateWrite,
    TitleView,
)
from services.training.ratings.templates import TemplateService
from services.training.ratings.views import entry_view, rating_view, template_view
from shared.auth.principal import Role
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.views import views

KindQuery = Annotated[Literal["village_branch", "grid_group", "member"] | None, QueryParameter(name="subjectKind")]
StateQuery = Annotated[Literal["draft", "in_notice", "published"] | None, QueryParameter(name="state")]
PeriodQuery = Annotated[str | None, QueryParameter(name="period", max_length=10, description="2026H1, 2026H2 or 2026")]

ORGANISER = [requires_role(*ORGANISERS)]
DISTRICT = [requires_role(Role.DISTRICT_ADMIN)]


class RatingController(Controller):
    path = "/api/training"
    tags = ["Star ratings"]
    guards = [requires_tenant, requires_role(*READERS)]
    dependencies = {
        "templates": provide_service(TemplateService),
        "rounds": provide_service(RoundService),
        "entries": provide_service(EntryService),
        "publishing": provide_service(PublishingService),
        "notices": provide_service(NoticeService),
    }

    @get("/rating-templates", operation_id="ListRatingTemplates", summary="The district's criteria templates")
    async def list_templates(
        self, templates: NamedDependency[TemplateService], subject_kind: KindQuery = None
    ) -> list[TemplateView]:
        return [template_view(t) for t in await templates.list(subject_kind)]

    @post(
        "/rating-templates",
        operation_id="CreateRatingTemplate",
        summary="A criteria template (district administrators)",
        guards=DISTRICT,
    )
    async def create_template(
        self, templates: NamedDependency[TemplateService], data: JSONBody[TemplateWrite]
    ) -> TemplateView:
        return template_view(await templates.create(data))

    @patch(
        "/rating-templates/{template_id:uuid}",
        operation_id="UpdateRatingTemplate",
        summary="Change a template; rounds already made keep the criteria they copied (district administrators)",
        guards=DISTRICT,
    )
    async def update_template(
        self,
        templates: NamedDependency[TemplateService],
        template_id: FromPath[UUID],
        data: JSONBody[TemplatePatch],
    ) -> TemplateView:
        return template_view(await templates.update(template_id, data))

    @get("/rating-settings", operation_id="GetRatingSettings", summary="The district's rating settings")
    async def get_settings(self, templates: NamedDependency[TemplateService]) -> SettingsView:
        return SettingsView(notice_days=await templates.notice_days())

    @put(
        "/rating-settings",
        operation_id="PutRatingSettings",
        summary="Set the days of the public notice (district administrators)",
        guards=DISTRICT,
    )
    async def put_settings(
        self, templates: NamedDependency[TemplateService], data: JSONBody[SettingsWrite]
    ) -> SettingsView:
        return SettingsView(notice_days=await templates.set_notice_days(data.notice_days))

    @get("/award-titles", operation_id="ListAwardTitles", summary="The titles the district awards")
    async def titles(self, templates: NamedDependency[TemplateService]) -> list[TitleView]:
        return views(TitleView, await templates.titles())

    @get("/ratings", operation_id="ListStarRatings", summary="Rating rounds of units under my scope, newest first")
    async def list_ratings(
        self,
        rounds: NamedDependency[RoundService],
        period: PeriodQuery = None,
        subject_kind: KindQuery = None,
        rating_state: StateQuery = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> RatingsPage:
        found, following = await rounds.page(
            period=period, subject_kind=subject_kind, state=rating_state, cursor=cursor, limit=limit
        )
        counts = await rounds.counts(found)
        return RatingsPage(items=[rating_view(r, counts[r.id]) for r in found], next=following)

    @post("/ratings", operation_id="CreateStarRating", summary="A rating round, as a draft", guards=ORGANISER)
    async def create_rating(self, rounds: NamedDependency[RoundService], data: JSONBody[RatingCreate]) -> RatingView:
        rating = await rounds.create(data)
        return rating_view(rating, (await rounds.counts([rating]))[rating.id])

    @get("/ratings/{rating_id:uuid}", operation_id="GetStarRating", summary="A rating round")
    async def get_rating(self, rounds: NamedDependency[RoundService], rating_id: FromPath[UUID]) -> RatingView:
        rating = await rounds.get(rating_id)
        return rating_view(rating, (await rounds.counts([rating]))[rating.id])

    @get(
        "/ratings/{rating_id:uuid}/entries",
        operation_id="ListStarRatingEntries",
        summary="A round's entries by subject name, with their inputs",
    )
    async def list_entries(
        self,
        rounds: NamedDependency[RoundService],
        entries: NamedDependency[EntryService],
        rating_id: FromPath[UUID],
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> EntriesPage:
        rating = await rounds.get(rating_id)
        found, following = await entries.page(rating, cursor=cursor, limit=limit)
        objections = await entries.objections(found)
        return EntriesPage(items=[entry_view(rating, e, objections.get(e.id, 0)) for e in found], next=following)

    @get(
        "/ratings/{rating_id:uuid}/entries/{entry_id:uuid}",
        operation_id="GetStarRatingEntry",
        summary="One entry of a round",
    )
    async def get_entry(
        self,
        rounds: NamedDependency[RoundService],
        entries: NamedDependency[EntryService],
        rating_id: FromPath[UUID],
        entry_id: FromPath[UUID],
    ) -> EntryView:
        rating = await rounds.get(rating_id)
        entry = await entries.get(rating, entry_id)
        return entry_view(rating, entry, (await entries.objections([entry])).get(entry.id, 0))

    @post(
        "/ratings/{rating_id:uuid}/entries",
        operation_id="ScoreStarRatingEntry",
        summary="Score a subject (201; 200 when it replaced the subject's entry); 409 while it has unevaluated "
        "commitments for the year",
        guards=ORGANISER,
        responses={200: ResponseSpec(EntryView, description="The subject's entry was scored again")},
    )
    async def score(
        self, entries: NamedDependency[EntryService], rating_id: FromPath[UUID], data: JSONBody[EntryWrite]
    ) -> Response[EntryView]:
        scored = await entries.score(rating_id, data)
        return Response(entry_view(scored.rating, scored.entry), status_code=201 if scored.new else 200)

    @post(
        "/ratings/{rating_id:uuid}/notice",
        operation_id="StartStarRatingNotice",
        summary="Put a scored draft on public notice for the round's days",
        guards=ORGANISER,
        status_code=200,
    )
    async def notice(
        self, rounds: NamedDependency[RoundService], notices: NamedDependency[NoticeService], rating_id: FromPath[UUID]
    ) -> RatingView:
        rating = await notices.start(rating_id)
        return rating_view(rating, (await rounds.counts([rating]))[rating.id])

    @post(
        "/ratings/{rating_id:uuid}/publish",
        operation_id="PublishStarRating",
        summary="Publish after the notice with every objection answered (409 saying which otherwise)",
        guards=ORGANISER,
        status_code=200,
    )
    async def publish(
        self,
        rounds: NamedDependency[RoundService],
        publishing: NamedDependency[PublishingService],
        rating_id: FromPath[UUID],
    ) -> RatingView:
        rating = await publishing.publish(rating_id)
        return rating_view(rating, (await rounds.counts([rating]))[rating.id])
