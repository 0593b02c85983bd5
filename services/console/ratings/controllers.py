"""星级评定 (``/console/ratings``, organisers): rounds by state, a round's entries with their level and the inputs
they were scored from, its objections with the organisers' answers, starting the public notice and publishing
(training's refusals said in Chinese). 公示 (``/console/notices``, everyone signed in to the district): the rounds
on notice or lately published, and raising an objection to an entry while the notice runs."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.forms import FormErrors, read_form
from services.console.i18n import N_
from services.console.ratings.admin import TemplatesController
from services.console.ratings.awards import AwardsController
from services.console.ratings.labels import (
    ALREADY_ANSWERED,
    CHOOSE_ENTRY,
    EVERYONE,
    KINDS,
    NOTICE_ENDED,
    ORGANISERS,
    STATES,
    WRITE_ANSWER,
    WRITE_OBJECTION,
    Reason,
    publish_refusals,
    state_refusal,
    text_problem,
)
from services.console.ratings.organise import OrganiseController
from services.console.ratings.pages import HOME, shown
from services.console.web import AnyRequest, NavEntry, signed_in
from shared.clock import now

BOARD = "/console/notices"
NAV = NavEntry(HOME, N_("Star ratings"), ORGANISERS)
BOARD_NAV = NavEntry(BOARD, N_("Public notices"), EVERYONE)
Filter = Annotated[str, QueryParameter(max_length=20)]
Cursor = Annotated[str, QueryParameter(max_length=300)]
BAD_PERIOD = N_("Write a period as 2026, 2026H1 or 2026H2.")


def on_notice(rating: dict[str, Any]) -> bool:
    ends = rating.get("noticeEndsAt")
    return rating.get("state") == "in_notice" and ends is not None and datetime.fromisoformat(ends) > now()


class RatingsController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*ORGANISERS)

    @get("/")
    async def rounds(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        state_code: Annotated[str, QueryParameter(name="state", max_length=20)] = "",
        kind: Filter = "",
        period: Filter = "",
        cursor: Cursor = "",
    ) -> Template:
        chosen = {
            "state": state_code if state_code in STATES else "",
            "kind": kind if kind in KINDS else "",
            "period": period,
        }
        query = {"state": chosen["state"] or None, "subjectKind": chosen["kind"] or None, "period": period or None}
        errors = FormErrors()
        try:
            found = await api.get("/api/training/ratings", **query, cursor=cursor or None, limit=50)
        except ApiError as refused:
            if refused.status != 422:
                raise
            errors, found = FormErrors(fields={"period": BAD_PERIOD}), {"items": [], "next": None}
        return shown(request, "ratings/rounds.html", 422 if errors else 200, found=found, chosen=chosen, errors=errors)

    async def _round(
        self,
        request: AnyRequest,
        api: Api,
        rating_id: UUID,
        *,
        status: int = 200,
        refusals: list[Reason] | None = None,
        answering: tuple[str, FormErrors, str] | None = None,
    ) -> Template:
        rating, entries, objections = await asyncio.gather(
            api.get(f"/api/training/ratings/{rating_id}"),
            api.get(f"/api/training/ratings/{rating_id}/entries", limit=200),
            api.get(f"/api/training/ratings/{rating_id}/objections"),
        )
        names = {e["id"]: e["subjectName"] for e in entries["items"]}
        return shown(
            request,
            "ratings/round.html",
            status,
            rating=rating,
            entries=entries["items"],
            objections=objections["items"],
            names=names,
            refusals=refusals or [],
            answering=answering,
            published=request.query_params.get("done") == "published",
        )

    @get("/{rating_id:uuid}")
    async def round(self, request: AnyRequest, api: NamedDependency[Api], rating_id: FromPath[UUID]) -> Template:
        return await self._round(request, api, rating_id)

    @post("/{rating_id:uuid}/notice")
    async def start_notice(
        self, request: AnyRequest, api: NamedDependency[Api], rating_id: FromPath[UUID]
    ) -> Template | Redirect:
        try:
            await api.post(f"/api/training/ratings/{rating_id}/notice", {})
        except ApiError as refused:
            if refused.status != 409:
                raise
            return await self._round(
                request, api, rating_id, status=409, refusals=[Reason(state_refusal(refused.detail))]
            )
        return Redirect(f"{HOME}/{rating_id}", status_code=303)

    @post("/{rating_id:uuid}/publish")
    async def publish(
        self, request: AnyRequest, api: NamedDependency[Api], rating_id: FromPath[UUID]
    ) -> Template | Redirect:
        """Published, or the page again with each of training's reasons in words (nothing published)."""
        try:
            await api.post(f"/api/training/ratings/{rating_id}/publish", {})
        except ApiError as refused:
            if refused.status != 409:
                raise
            return await self._round(request, api, rating_id, status=409, refusals=publish_refusals(refused))
        return Redirect(f"{HOME}/{rating_id}?done=published", status_code=303)

    @post("/{rating_id:uuid}/objections/{objection_id:uuid}/answer")
    async def answer(
        self, request: AnyRequest, api: NamedDependency[Api], rating_id: FromPath[UUID], objection_id: FromPath[UUID]
    ) -> Template | Redirect:
        typed = (await read_form(request)).get("answer", "")
        problem = text_problem(typed, WRITE_ANSWER)
        errors = FormErrors(fields={"answer": problem}) if problem else FormErrors()
        if not errors:
            try:
                await api.post(f"/api/training/objections/{objection_id}/answer", {"answer": typed})
            except ApiError as refused:
                if refused.status == 422:
                    errors = FormErrors.from_api(refused, {})
                elif refused.status == 409:
                    errors = FormErrors(form=ALREADY_ANSWERED)
                else:
                    raise
        if errors:
            answering = (str(objection_id), errors, typed)
            return await self._round(request, api, rating_id, status=422, answering=answering)
        return Redirect(f"{HOME}/{rating_id}#objection-{objection_id}", status_code=303)


class NoticeBoardController(Controller):
    path = BOARD
    include_in_schema = False
    guards = signed_in()

    @get("/")
    async def board(self, request: AnyRequest, api: NamedDependency[Api], cursor: Cursor = "") -> Template:
        found = await api.get("/api/training/notices", cursor=cursor or None, limit=20)
        return shown(request, "ratings/board.html", found=found, on_notice=on_notice)

    async def _notice(
        self,
        request: AnyRequest,
        api: Api,
        rating_id: UUID,
        *,
        status: int = 200,
        errors: FormErrors | None = None,
        typed: dict[str, str] | None = None,
    ) -> Template:
        rating, objections = await asyncio.gather(
            api.get(f"/api/training/notices/{rating_id}"), api.get(f"/api/training/ratings/{rating_id}/objections")
        )
        names = {e["id"]: e["subjectName"] for e in rating["entries"]}
        return shown(
            request,
            "ratings/notice.html",
            status,
            rating=rating,
            objections=objections["items"],
            names=names,
            entry_options=[{"id": e["id"], "name": e["subjectName"]} for e in rating["entries"]],
            open=on_notice(rating),
            errors=errors or FormErrors(),
            typed=typed or {"entryId": request.query_params.get("entry", "")},
            raised=request.query_params.get("done") == "raised",
        )

    @get("/{rating_id:uuid}")
    async def notice(self, request: AnyRequest, api: NamedDependency[Api], rating_id: FromPath[UUID]) -> Template:
        return await self._notice(request, api, rating_id)

    @post("/{rating_id:uuid}/objections")
    async def object(
        self, request: AnyRequest, api: NamedDependency[Api], rating_id: FromPath[UUID]
    ) -> Template | Redirect:
        """Recorded, or the form again with the reason beside the field (nothing recorded)."""
        typed = await read_form(request)
        entry, content = typed.get("entryId", ""), typed.get("content", "")
        fields = {}
        if not entry:
            fields["entryId"] = CHOOSE_ENTRY
        if problem := text_problem(content, WRITE_OBJECTION):
            fields["content"] = problem
        errors = FormErrors(fields=fields)
        if not errors:
            try:
                await api.post(f"/api/training/ratings/{rating_id}/objections", {"entryId": entry, "content": content})
            except ApiError as refused:
                errors = self._refusal(refused)
        if errors:
            return await self._notice(request, api, rating_id, status=422, errors=errors, typed=typed)
        return Redirect(f"{BOARD}/{rating_id}?done=raised", status_code=303)

    @staticmethod
    def _refusal(refused: ApiError) -> FormErrors:
        if refused.status == 409:
            return FormErrors(form=NOTICE_ENDED)
        if (refused.status == 404 and "entry" in refused.detail) or (
            refused.status == 422 and "entryId" in refused.fields
        ):
            return FormErrors(fields={"entryId": CHOOSE_ENTRY})  # not an entry of this round
        if refused.status == 422:
            return FormErrors.from_api(refused, {})
        raise refused


CONTROLLERS = [RatingsController, OrganiseController, AwardsController, TemplatesController, NoticeBoardController]
