"""The volunteer's phone page (``/console/volunteer``): open offers with the time left to answer (polled every few
seconds: the dispatch stream serves hotline staff only), accept or decline, my tasks with the address and the
resident's phone while they are mine, arrival, completion, and the time bank."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.dispatch_labels import PRIORITIES
from services.console.forms import FormErrors, read_form
from services.console.i18n import N_, translations
from services.console.volunteer.completion import (
    DECLINE_REASONS,
    KNOWN,
    NOT_NOW,
    PHOTO_MAX_BYTES,
    read_completion,
    read_decline,
)
from services.console.volunteer.evidence import PhotoRefusedError, photo_link, ticket_photo
from services.console.volunteer.phone import (
    ENTRY_KINDS,
    MODES,
    POLL_S,
    REASONS,
    ROLES,
    TASK_STAGES,
    answer_refusal,
    my_entries,
    open_offers,
    seen_key,
)
from services.console.web import AnyRequest, NavEntry, page, signed_in

PHOTO_TITLE = N_("Photo of the work done")
NAV = NavEntry("/console/volunteer", N_("My orders"), ROLES)
HOME = "/console/volunteer"
LABELS: dict[str, Any] = {
    "priorities": PRIORITIES,
    "modes": MODES,
    "reasons": REASONS,
    "decline_reasons": DECLINE_REASONS,
    "stages": TASK_STAGES,
}


def task_path(ticket_id: UUID | str) -> str:
    return f"{HOME}/tasks/{ticket_id}"


class VolunteerController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*ROLES)

    async def _home(self, request: AnyRequest, api: Api, status: int = 200, **context: Any) -> Template:
        (cards, at), tasks, entries = await asyncio.gather(
            open_offers(api), api.get("/api/dispatch/tasks"), my_entries(api)
        )
        context = {"decline_errors": FormErrors(), "declining": "", "alert": None, **context}
        return page(
            request,
            "volunteer/home.html",
            status_code=status,
            offers=cards,
            seen=seen_key(cards),
            now=at,
            tasks=tasks,
            entries=entries,
            on_duty=any(entry.get("onDuty") for entry in entries),
            poll_s=POLL_S,
            **LABELS,
            **context,
        )

    @get("/")
    async def home(self, request: AnyRequest, api: NamedDependency[Api]) -> Template:
        return await self._home(request, api)

    @get("/offers")
    async def offers(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        seen: Annotated[str, QueryParameter(name="seen", max_length=40)] = "",
    ) -> Template | Response[bytes]:
        """The offers part for the page's poll; 204 (htmx keeps what it shows) while nothing changed."""
        cards, at = await open_offers(api)
        key = seen_key(cards)
        if key == seen:
            return Response(content=b"", status_code=204)
        context: dict[str, Any] = {"decline_errors": FormErrors(), "declining": ""}
        return page(
            request, "volunteer/offers.html", offers=cards, seen=key, now=at, poll_s=POLL_S, **LABELS, **context
        )

    @post("/offers/{offer_id:uuid}/accept")
    async def accept(
        self, request: AnyRequest, api: NamedDependency[Api], offer_id: FromPath[UUID]
    ) -> Template | Redirect:
        try:
            offer = await api.post(f"/api/dispatch/offers/{offer_id}/accept", None)
        except ApiError as refused:
            if refused.status not in (404, 409):
                raise
            return await self._home(request, api, 409, alert=answer_refusal(refused.detail))
        return Redirect(task_path(offer["ticketId"]), status_code=303)

    @post("/offers/{offer_id:uuid}/decline")
    async def decline(
        self, request: AnyRequest, api: NamedDependency[Api], state: State, offer_id: FromPath[UUID]
    ) -> Template | Redirect:
        chosen, errors = read_decline(await read_form(request))
        if errors:
            return await self._home(request, api, 422, decline_errors=errors, declining=str(offer_id))
        # The desk reads the reason: it is sent in the page's language, not as the catalogue's source text.
        reason = translations(state.console.locale).gettext(chosen)
        try:
            await api.post(f"/api/dispatch/offers/{offer_id}/decline", {"reason": reason})
        except ApiError as refused:
            if refused.status not in (404, 409):
                raise
            return await self._home(request, api, 409, alert=answer_refusal(refused.detail))
        return Redirect(HOME, status_code=303)

    async def _task(
        self, request: AnyRequest, api: Api, ticket_id: UUID, status: int = 200, **context: Any
    ) -> Template:
        task, photos = await asyncio.gather(
            api.get(f"/api/dispatch/tasks/{ticket_id}"),  # 404 once it is no longer mine; the clear read is audited
            api.get(f"/api/dispatch/tickets/{ticket_id}/evidence"),
        )
        context = {"errors": FormErrors(), "values": {}, "alert": None, **context}
        return page(request, "volunteer/task.html", status_code=status, task=task, photos=photos, **LABELS, **context)

    @get("/tasks/{ticket_id:uuid}")
    async def task(self, request: AnyRequest, api: NamedDependency[Api], ticket_id: FromPath[UUID]) -> Template:
        return await self._task(request, api, ticket_id)

    @get("/tasks/{ticket_id:uuid}/photos/{document_id:uuid}")
    async def photo(self, api: NamedDependency[Api], document_id: FromPath[UUID]) -> Redirect:
        """A photo of the order's work, through documents (which decides who reads it): its thumbnail's link."""
        return Redirect(await photo_link(api, document_id), status_code=303)

    @post("/tasks/{ticket_id:uuid}/arrival")
    async def arrival(
        self, request: AnyRequest, api: NamedDependency[Api], ticket_id: FromPath[UUID]
    ) -> Template | Redirect:
        try:
            await api.post(f"/api/dispatch/tickets/{ticket_id}/arrival", None)
        except ApiError as refused:
            if refused.status != 409:
                raise
            return await self._task(request, api, ticket_id, 409, alert=NOT_NOW)
        return Redirect(task_path(ticket_id), status_code=303)

    @post("/tasks/{ticket_id:uuid}/completion", request_max_body_size=PHOTO_MAX_BYTES + 1024 * 1024)
    async def completion(
        self, request: AnyRequest, api: NamedDependency[Api], state: State, ticket_id: FromPath[UUID]
    ) -> Template | Redirect:
        form = await request.form()
        done, errors = await read_completion(form)
        values = {"note": done.note, "serviceMinutes": str(form.get("serviceMinutes") or "")}
        if errors:
            return await self._task(request, api, ticket_id, 422, errors=errors, values=values)
        if done.photo is not None:  # filed first: once it is resolved the order is no longer mine to add to
            title = translations(state.console.locale).gettext(PHOTO_TITLE)
            try:
                await ticket_photo(api, ticket_id, done.photo, title)
            except PhotoRefusedError as refused:
                if refused.field:
                    errors = FormErrors(fields={"photo": refused.message})
                    return await self._task(request, api, ticket_id, 422, errors=errors, values=values)
                alert = NOT_NOW if refused.not_now else refused.message
                return await self._task(request, api, ticket_id, 409, values=values, alert=alert)
        body = {"note": done.note, "serviceMinutes": done.minutes}
        try:
            ticket = await api.post(f"/api/dispatch/tickets/{ticket_id}/resolution", body)
        except ApiError as refused:
            if refused.status == 422:
                errors = FormErrors.from_api(refused, KNOWN)
                return await self._task(request, api, ticket_id, 422, errors=errors, values=values)
            if refused.status == 409:
                return await self._task(request, api, ticket_id, 409, values=values, alert=NOT_NOW)
            raise
        return Redirect(f"{HOME}/timebank?resolved={ticket['number']}", status_code=303)

    @post("/duty")
    async def duty(self, request: AnyRequest, api: NamedDependency[Api]) -> Redirect:
        """On or off duty (every provider entry of the login): off duty, the hotline asks others first."""
        on_duty = (await read_form(request)).get("onDuty") == "yes"
        await api.call("PATCH", "/api/dispatch/providers/me", json={"onDuty": on_duty})
        return Redirect(HOME, status_code=303)

    @get("/timebank")
    async def timebank(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        resolved: Annotated[str, QueryParameter(name="resolved", max_length=40)] = "",
    ) -> Template:
        try:
            account = await api.get("/api/dispatch/timebank/me")
        except ApiError as refused:
            if refused.status != 404:
                raise
            account = None  # the login is linked to no provider entry yet
        return page(request, "volunteer/timebank.html", account=account, resolved=resolved, kinds=ENTRY_KINDS)
