"""The tree browser's listing of a unit's children: the console asks for it on every step through the tree.

Read on the lean path (shared/db/reads.py): one read-only statement gives the page, the total (on every row) and
each unit's own number of children; a parent given is looked up first, with NodeService.get's rule (not in this
district, or outside the caller's scope: the same 404).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Request
from litestar.datastructures import State
from litestar.di import Provide
from sqlalchemy import ColumnElement, bindparam, func, select
from sqlalchemy.orm import aliased

from services.orgtree.nodes.models import OrgNode
from services.orgtree.nodes.schemas import ListedNode
from services.orgtree.nodes.services import NodeRepository
from shared.auth.principal import Principal
from shared.db.reads import LeanReads, ReadStatement
from shared.http.guards import principal_of
from shared.http.problems import missing

_CHILD = aliased(OrgNode)
_CHILDREN = select(func.count()).where(_CHILD.parent_id == OrgNode.id).correlate(OrgNode).scalar_subquery()
_FIELDS = ListedNode.__struct_fields__


def _page(condition: ColumnElement[bool]) -> ReadStatement:
    columns = [OrgNode.__table__.c[name] for name in _FIELDS if name != "children"]
    return ReadStatement(
        select(*columns, _CHILDREN.label("children"), func.count().over().label("total"))
        .where(condition)
        .order_by(OrgNode.path)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )


_UNDER_PARENT = _page(OrgNode.parent_id == bindparam("parent"))
_ROOTS = _page(OrgNode.parent_id.is_(None))
_SCOPE_TOP = _page(OrgNode.path == bindparam("scope"))  # a scoped caller's top: the unit at its scope path
_COUNT_UNDER_PARENT = ReadStatement(select(func.count()).where(OrgNode.parent_id == bindparam("parent")))
_COUNT_ROOTS = ReadStatement(select(func.count()).where(OrgNode.parent_id.is_(None)))
_COUNT_SCOPE_TOP = ReadStatement(select(func.count()).where(OrgNode.path == bindparam("scope")))
_PARENT_PATH = ReadStatement(select(OrgNode.path).where(OrgNode.id == bindparam("id")))


class NodeListing:
    def __init__(self, reads: LeanReads, principal: Principal) -> None:
        self.reads = reads
        self.principal = principal

    async def children(self, parent_id: UUID | None, *, limit: int, offset: int) -> tuple[list[ListedNode], int]:
        params: dict[str, Any] = {"limit": limit, "offset": offset}
        async with self.reads.transaction() as db:
            if parent_id is not None:
                parent = await _PARENT_PATH.fetchrow(db, id=parent_id)
                if parent is None or not self.principal.may_see_path(parent["path"]):
                    raise missing(NodeRepository.noun)
                page, count, params["parent"] = _UNDER_PARENT, _COUNT_UNDER_PARENT, parent_id
            elif self.principal.scope is None:
                page, count = _ROOTS, _COUNT_ROOTS
            else:
                page, count, params["scope"] = _SCOPE_TOP, _COUNT_SCOPE_TOP, self.principal.scope
            rows = await page.fetch(db, **params)
            if rows:
                total = int(rows[0]["total"])
            elif offset == 0:
                total = 0
            else:  # a page past the end still says how many there are
                del params["limit"], params["offset"]
                total = int((await count.fetch(db, **params))[0][0])
        return [ListedNode(**{name: row[name] for name in _FIELDS}) for row in rows], total


def provide_listing(state: State, request: Request[Any, Any, Any]) -> NodeListing:
    return NodeListing(state.reads, principal_of(request))


LISTING = Provide(provide_listing, sync_to_thread=False)
