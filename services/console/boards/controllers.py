"""公开栏 (``/console/boards``): the district's boards with what is on show under the user's scope, a board's
publications (the public fields only, as the public page shows them), publishing a document the user may read on a
unit's board, a publication's page with its withdrawal (with the reason), and the publish/withdraw log. The public
page for residents is ``public.py``. The documents service judges; its refusals are shown in the catalogue's words."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, PathParameter, QueryParameter
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.boards.words import ACTIONS, BY_FIELD, FIELDS, STAFF, STATES, refusal
from services.console.forms import FormErrors, read_form
from services.console.i18n import N_
from services.console.session import SignedIn
from services.console.training.units import unit, units
from services.console.web import AnyRequest, NavEntry, page, signed_in

HOME = "/console/boards"
NAV = NavEntry(HOME, N_("Public boards"), STAFF)
API = "/api/documents"
Code = Annotated[str, PathParameter(max_length=40, pattern=r"^[a-z][a-z0-9_]*$")]
Words = Annotated[str, QueryParameter(max_length=200)]
Cursor = Annotated[str, QueryParameter(max_length=400)]


def shown(request: AnyRequest, template: str, status_code: int = 200, **context: Any) -> Template:
    return page(request, template, status_code, states=STATES, actions=ACTIONS, field_names=FIELDS, **context)


async def board_of(api: Api, code: str) -> dict[str, Any]:
    """The board by its code, or the 404 page (the API's list is the district's boards)."""
    boards: list[dict[str, Any]] = (await api.get(f"{API}/boards"))["items"]
    found = next((b for b in boards if b["code"] == code), None)
    if found is None:
        raise ApiError(404, "no such board")
    return found


async def readable(api: Api, words: str) -> list[dict[str, Any]]:
    """Documents the user may read to choose from: found by the words typed, else the newest; active ones only."""
    if words:
        found = [hit["document"] for hit in (await api.get(f"{API}/search", q=words, limit=50))["items"]]
    else:
        found = (await api.get(f"{API}/documents", limit=100))["items"]
    return [d for d in found if d["state"] == "active"]


class BoardsController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*STAFF)

    @get("/")
    async def boards(self, request: AnyRequest, api: NamedDependency[Api], user: NamedDependency[SignedIn]) -> Template:
        listed = (await api.get(f"{API}/boards"))["items"]
        return shown(request, "boards/boards.html", boards=listed, slug=user.district)

    @get("/{code:str}")
    async def board(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        user: NamedDependency[SignedIn],
        code: Code,
        after: Cursor = "",
    ) -> Template:
        found = await board_of(api, code)
        listed = await api.get(f"{API}/boards/{code}/publications", limit=50, cursor=after or None)
        return shown(
            request,
            "boards/board.html",
            board=found,
            items=listed["items"],
            more=listed.get("next"),
            slug=user.district,
        )

    @get("/{code:str}/log")
    async def log(self, request: AnyRequest, api: NamedDependency[Api], code: Code, after: Cursor = "") -> Template:
        found = await board_of(api, code)
        listed = await api.get(f"{API}/boards/{code}/log", limit=50, cursor=after or None)
        return shown(request, "boards/log.html", board=found, items=listed["items"], more=listed.get("next"))

    async def _form(
        self,
        request: AnyRequest,
        api: Api,
        code: str,
        draft: dict[str, str],
        errors: FormErrors,
        status: int = 200,
    ) -> Template:
        found = await board_of(api, code)
        words = draft.get("q", "").strip()
        return shown(
            request,
            "boards/publish.html",
            status,
            board=found,
            documents=await readable(api, words),
            units=await units(api),
            draft=draft,
            errors=errors,
        )

    @get("/{code:str}/publish")
    async def new(self, request: AnyRequest, api: NamedDependency[Api], code: Code, q: Words = "") -> Template:
        return await self._form(request, api, code, {"q": q}, FormErrors())

    @post("/{code:str}/publish")
    async def publish(self, request: AnyRequest, api: NamedDependency[Api], code: Code) -> Template | Redirect:
        """Published as chosen, or the form again with the refusal in words (nothing posted)."""
        draft = await read_form(request)
        if not draft.get("documentId"):
            return await self._form(
                request, api, code, draft, FormErrors(fields={"documentId": BY_FIELD["documentId"]}), 422
            )
        body: dict[str, Any] = {"documentId": draft["documentId"]}
        if draft.get("unitId"):
            chosen = await unit(api, draft["unitId"])
            if chosen is None:
                return await self._form(
                    request, api, code, draft, FormErrors(fields={"unitId": BY_FIELD["unitId"]}), 422
                )
            body |= {"unitId": chosen["id"], "unitPath": chosen["path"], "unitName": chosen["name"]}
        if note := draft.get("note", "").strip():
            body["note"] = note
        try:
            made = await api.post(f"{API}/boards/{code}/publications", body)
        except ApiError as refused:
            if refused.status not in (403, 404, 409, 422):
                raise
            return await self._form(request, api, code, draft, refusal(refused), refused.status)
        return Redirect(f"{HOME}/publications/{made['id']}", status_code=303)

    async def _publication(
        self,
        request: AnyRequest,
        api: Api,
        user: SignedIn,
        publication_id: UUID,
        errors: FormErrors | None = None,
        status: int = 200,
    ) -> Template:
        found = await api.get(f"{API}/publications/{publication_id}")
        return shown(
            request,
            "boards/publication.html",
            status,
            p=found,
            board=await board_of(api, found["boardCode"]),
            errors=errors or FormErrors(),
            slug=user.district,
        )

    @get("/publications/{publication_id:uuid}")
    async def publication(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        user: NamedDependency[SignedIn],
        publication_id: FromPath[UUID],
    ) -> Template:
        return await self._publication(request, api, user, publication_id)

    @post("/publications/{publication_id:uuid}/withdraw")
    async def withdraw(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        user: NamedDependency[SignedIn],
        publication_id: FromPath[UUID],
    ) -> Template | Redirect:
        reason = (await read_form(request)).get("reason", "").strip()
        if not reason:
            errors = FormErrors(fields={"reason": BY_FIELD["reason"]})
            return await self._publication(request, api, user, publication_id, errors, 422)
        try:
            await api.post(f"{API}/publications/{publication_id}/withdraw", {"reason": reason})
        except ApiError as refused:
            if refused.status not in (409, 422):
                raise
            return await self._publication(request, api, user, publication_id, refusal(refused), refused.status)
        return Redirect(f"{HOME}/publications/{publication_id}", status_code=303)
