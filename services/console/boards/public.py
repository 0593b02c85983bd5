"""The boards as residents read them (``/console/r/<district slug>/boards``), public: no account and no session,
like the resident's page. Only what the documents service's public API gives is shown: each publication's title,
its type's public fields, the unit, the note and the date, and its file through a short-lived link."""

from __future__ import annotations

import re
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get
from litestar.datastructures import State
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, PathParameter, QueryParameter
from litestar.response import Redirect, Template

from services.console.api import api_error
from services.console.boards.words import FIELDS
from services.console.web import AnyRequest, page

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")  # the documents service's district slugs
Code = Annotated[str, PathParameter(max_length=40, pattern=r"^[a-z][a-z0-9_]*$")]
Cursor = Annotated[str, QueryParameter(max_length=400)]


async def public(state: State, district: str, path: str, **params: Any) -> Any:
    """``/api/documents/public/<slug>/...`` as nobody in particular; an unknown district or board is the 404 page."""
    if not SLUG.match(district):
        raise NotFoundException("no such district")
    response = await state.gateway.public("GET", f"/api/documents/public/{district}{path}", params=params)
    if response.status_code in (404, 422):
        raise NotFoundException("no such district or board")
    if response.status_code >= 400:
        raise api_error(response)
    return response.json()


def public_page(request: AnyRequest, district: str, name: str, template: str, **context: Any) -> Template:
    """Never the signed-in frame: staff opening it see what residents see."""
    return page(
        request,
        template,
        user=None,
        navigation=[],
        district=district,
        district_name=name,
        field_names=FIELDS,
        **context,
    )


class PublicBoardsController(Controller):
    path = "/console/r/{district:str}/boards"
    include_in_schema = False
    opt = {"skip_session": True}  # no session is made for a resident

    @get("/")
    async def boards(self, request: AnyRequest, state: State, district: FromPath[str]) -> Template:
        found = await public(state, district, "/boards")
        return public_page(request, district, found["district"], "boards/public_boards.html", boards=found["boards"])

    @get("/{code:str}")
    async def board(
        self, request: AnyRequest, state: State, district: FromPath[str], code: Code, after: Cursor = ""
    ) -> Template:
        found = await public(state, district, f"/boards/{code}", limit=50, **({"cursor": after} if after else {}))
        return public_page(
            request,
            district,
            found["district"],
            "boards/public_board.html",
            board=found["board"],
            items=found["items"],
            more=found.get("next"),
        )

    @get("/{code:str}/{publication_id:uuid}/file")
    async def file(self, state: State, district: FromPath[str], code: Code, publication_id: FromPath[UUID]) -> Redirect:
        """The posted file, through a link valid for minutes (while the publication is on show)."""
        link = await public(state, district, f"/boards/{code}/publications/{publication_id}/file")
        return Redirect(link["url"], status_code=303)
