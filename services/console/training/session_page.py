"""A session's page (``/console/training/sessions/<id>``): what, where, when, by whom, worth how many credit hours,
who has checked in (how, and why by hand), the way to the check-in screen, and checking someone in by hand: find
the person by name (htmx lists the matches as the organiser types; without script the search reloads the page),
choose them and give the reason. Another district's session is the 404 page (the API answers 404)."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.forms import NOT_ACCEPTED, FormErrors, read_form
from services.console.i18n import N_
from services.console.training.labels import ORGANISERS, shown, window_refusal
from services.console.web import AnyRequest, signed_in

ATTENDANCE_SHOWN = 200
MATCHES = 10
# training's messages (checkin/schemas.py, checkin/services.py) and each field's own message
KNOWN = {"must not contain a phone or ID number": N_("Do not write phone or ID numbers in the reason.")}
BY_FIELD = {
    "personId": N_("Choose the person to check in."),
    "reason": N_("Give the reason: 2 to 200 characters."),
}
Name = Annotated[str, QueryParameter(name="q", max_length=50)]
Marker = Annotated[str, QueryParameter(max_length=40)]


def refusal(error: ApiError) -> FormErrors:
    fields = {name: KNOWN.get(message) or BY_FIELD.get(name) or NOT_ACCEPTED for name, message in error.fields.items()}
    return FormErrors(fields=fields) if fields else FormErrors(form=error.detail)


async def matches(api: Api, name: str) -> list[dict[str, Any]]:
    """People whose name starts with what was typed, under the organiser's scope (the API confines it)."""
    if not name.strip():
        return []
    found = await api.get("/api/training/people", q=name.strip(), active="true", limit=MATCHES)
    items: list[dict[str, Any]] = found["items"]
    return items


class SessionPageController(Controller):
    path = "/console/training/sessions/{session_id:uuid}"
    include_in_schema = False
    guards = signed_in(*ORGANISERS)

    async def _page(
        self, request: AnyRequest, api: Api, session_id: UUID, status: int = 200, **context: Any
    ) -> Template:
        values: dict[str, Any] = {
            "errors": FormErrors(),
            "q": "",
            "chosen": "",
            "reason": "",
            "alert": None,
            "checked": "",
            "already": "",
            **context,
        }
        session, attendance, found = await asyncio.gather(
            api.get(f"/api/training/sessions/{session_id}"),
            api.get(f"/api/training/sessions/{session_id}/attendance", limit=ATTENDANCE_SHOWN),
            matches(api, values["q"]),
        )
        names = {str(a["personId"]): a["personName"] for a in attendance["items"]}
        return shown(
            request,
            "training/session.html",
            status,
            session=session,
            attendance=attendance["items"],
            more=attendance.get("next") is not None,
            matches=found,
            names=names,
            **values,
        )

    @get("/")
    async def session(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        session_id: FromPath[UUID],
        *,
        q: Name = "",
        checked: Marker = "",
        already: Marker = "",
    ) -> Template:
        return await self._page(request, api, session_id, q=q, checked=checked, already=already)

    @get("/people")
    async def people(
        self, request: AnyRequest, api: NamedDependency[Api], session_id: FromPath[UUID], q: Name = ""
    ) -> Template:
        """The matches for the by-hand check-in as the organiser types (htmx swaps the list)."""
        return shown(
            request, "training/matches.html", matches=await matches(api, q), q=q, chosen="", errors=FormErrors()
        )

    @post("/attendance")
    async def by_hand(
        self, request: AnyRequest, api: NamedDependency[Api], session_id: FromPath[UUID]
    ) -> Template | Redirect:
        form = await read_form(request)
        chosen, reason, q = form.get("personId", ""), form.get("reason", ""), form.get("q", "")
        body: dict[str, Any] = {"reason": reason.strip()}
        if chosen:
            body["personId"] = chosen
        try:
            done = await api.post(f"/api/training/sessions/{session_id}/attendance", body)
        except ApiError as refused:
            kept = {"q": q, "chosen": chosen, "reason": reason}
            if refused.status == 409:
                alert = window_refusal(refused.detail)
                return await self._page(request, api, session_id, 409, alert=alert, **kept)
            if refused.status == 404 and chosen and "no such person" in refused.detail:
                errors = FormErrors(fields={"personId": BY_FIELD["personId"]})
                return await self._page(request, api, session_id, 422, errors=errors, **kept)
            if refused.status != 422:
                raise
            return await self._page(request, api, session_id, 422, errors=refusal(refused), **kept)
        marker = "already" if done["alreadyCheckedIn"] else "checked"
        page = f"/console/training/sessions/{session_id}?{marker}={done['attendance']['personId']}"
        return Redirect(page, status_code=303)
