from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.access import EDITORS, ROLL_KEEPERS
from services.orgtree.cadres.schemas import PostingCreate, PostingView
from services.orgtree.cadres.services import CadreService
from services.orgtree.models import CadrePosting
from shared.http.guards import principal_of, requires_role, requires_tenant


def posting_view(row: CadrePosting) -> PostingView:
    return PostingView(
        id=row.id, kind=row.kind, member_id=row.member_id, village_id=row.village_id, role=row.role,
        cross_appointed=row.cross_appointed, one_shoulder=row.one_shoulder, since=row.since,
    )  # fmt: skip


class CadreController(Controller):
    path = "/api/orgtree/cadre-postings"
    tags = ["Cadres"]
    guards = [requires_tenant, requires_role(*ROLL_KEEPERS)]

    @get("/", operation_id="ListCadrePostings", summary="Stationed and village cadres in a subtree")
    async def list_postings(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        within: Annotated[UUID | None, QueryParameter()] = None,
        kind: Annotated[str | None, QueryParameter(max_length=20)] = None,
    ) -> list[PostingView]:
        return [posting_view(r) for r in await CadreService(db_session, principal_of(request)).within(within, kind)]

    @post("/", operation_id="PostCadre", summary="Post a cadre to a village or community",
          guards=[requires_role(*EDITORS)])  # fmt: skip
    async def post_cadre(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], data: JSONBody[PostingCreate]
    ) -> PostingView:
        return posting_view(await CadreService(db_session, principal_of(request)).post(data))

    @delete("/{posting_id:uuid}", operation_id="EndCadrePosting", summary="End a posting",
            guards=[requires_role(*EDITORS)])  # fmt: skip
    async def end(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], posting_id: FromPath[UUID]
    ) -> None:
        await CadreService(db_session, principal_of(request)).end(posting_id)
