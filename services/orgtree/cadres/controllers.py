from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.orgtree.access import EDITORS, ROLL_KEEPERS
from services.orgtree.cadres.schemas import PostingCreate, PostingView
from services.orgtree.cadres.services import CadreService
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.views import view

Within = Annotated[UUID | None, QueryParameter()]
Kind = Annotated[str | None, QueryParameter(max_length=20)]


class CadreController(Controller):
    path = "/api/orgtree/cadre-postings"
    tags = ["Cadres"]
    guards = [requires_tenant, requires_role(*ROLL_KEEPERS)]
    dependencies = {"cadres": provide_service(CadreService)}

    @get("/", operation_id="ListCadrePostings", summary="Stationed and village cadres in a subtree")
    async def list_postings(
        self, cadres: NamedDependency[CadreService], within: Within = None, kind: Kind = None
    ) -> list[PostingView]:
        return [view(PostingView, posting, member_name=name) for posting, name in await cadres.within(within, kind)]

    @post(
        "/",
        operation_id="PostCadre",
        summary="Post a cadre to a village or community",
        guards=[requires_role(*EDITORS)],
    )
    async def post_cadre(self, cadres: NamedDependency[CadreService], data: JSONBody[PostingCreate]) -> PostingView:
        posting, name = await cadres.post(data)
        return view(PostingView, posting, member_name=name)

    @delete(
        "/{posting_id:uuid}", operation_id="EndCadrePosting", summary="End a posting", guards=[requires_role(*EDITORS)]
    )
    async def end(self, cadres: NamedDependency[CadreService], posting_id: FromPath[UUID]) -> None:
        await cadres.end(posting_id)
