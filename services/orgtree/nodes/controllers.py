from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, Parameter, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.models import OrgNode
from services.orgtree.nodes.schemas import (
    Node,
    NodeCreate,
    NodeMove,
    NodePage,
    NodeRename,
    NodeVersion,
    SubtreeCount,
    SubtreePage,
)
from services.orgtree.nodes.services import NodeService
from shared.auth.principal import Role
from shared.http.guards import principal_of, requires_role, requires_tenant

EDITORS = (Role.DISTRICT_ADMIN, Role.STREET_ADMIN, Role.COMMUNITY_CADRE)
# Members see their own record and households, not the organisation chart below the district.
READERS = (*EDITORS, Role.GRID_LEADER, Role.HOTLINE_OPERATOR)
Limit = Annotated[int, Parameter(ge=1, le=500)]


def to_schema(node: OrgNode) -> Node:
    return Node(
        id=node.id, parent_id=node.parent_id, tree=node.tree, level=node.level, name=node.name, path=node.path,
        linked_node_id=node.linked_node_id, formation_basis=node.formation_basis, flags=list(node.flags),
        created_at=node.created_at,
    )  # fmt: skip


class NodeController(Controller):
    path = "/api/orgtree/nodes"
    tags = ["Org nodes"]
    guards = [requires_tenant, requires_role(*READERS)]

    @get("/", operation_id="ListNodes", summary="List child nodes (or the top of the caller's scope)")
    async def list_nodes(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        parent_id: Annotated[UUID | None, QueryParameter(name="parentId")] = None,
        limit: Limit = 50,
        offset: Annotated[int, Parameter(ge=0)] = 0,
    ) -> NodePage:
        nodes, total = await NodeService(db_session, principal_of(request)).list_children(
            parent_id, limit=limit, offset=offset
        )
        return NodePage(items=[to_schema(n) for n in nodes], total=total, limit=limit, offset=offset)

    @get("/search", operation_id="SearchNodes", summary="Units whose name contains the text, within a subtree")
    async def search(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        q: Annotated[str, Parameter(min_length=1, max_length=100)],
        within: Annotated[UUID | None, QueryParameter()] = None,
        limit: Limit = 50,
    ) -> list[Node]:
        nodes = await NodeService(db_session, principal_of(request)).search(q, within=within, limit=limit)
        return [to_schema(n) for n in nodes]

    @get("/{node_id:uuid}", operation_id="GetNode", summary="One node")
    async def get_node(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], node_id: FromPath[UUID]
    ) -> Node:
        return to_schema(await NodeService(db_session, principal_of(request)).get(node_id))

    @get("/{node_id:uuid}/subtree", operation_id="ListSubtree", summary="Units below a node, by level and flag")
    async def subtree(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        node_id: FromPath[UUID],
        level: Annotated[str | None, QueryParameter(max_length=40)] = None,
        flag: Annotated[str | None, QueryParameter(max_length=40)] = None,
        after: Annotated[str | None, QueryParameter(max_length=400, pattern=r"^/([0-9a-f]+/)+$")] = None,
        limit: Limit = 50,
    ) -> SubtreePage:
        nodes = await NodeService(db_session, principal_of(request)).subtree(
            node_id, level=level, flag=flag, after=after, limit=limit
        )
        return SubtreePage(
            items=[to_schema(n) for n in nodes], next_after=nodes[-1].path if len(nodes) == limit else None
        )

    @get("/{node_id:uuid}/ancestors", operation_id="GetNodeAncestors", summary="Breadcrumbs, top first")
    async def ancestors(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], node_id: FromPath[UUID]
    ) -> list[Node]:
        return [to_schema(n) for n in await NodeService(db_session, principal_of(request)).ancestors(node_id)]

    @get("/{node_id:uuid}/subtree-count", operation_id="CountSubtree", summary="Units, members, households below")
    async def subtree_count(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], node_id: FromPath[UUID]
    ) -> SubtreeCount:
        service = NodeService(db_session, principal_of(request))
        node = await service.get(node_id)
        counts = await service.counts(node)
        return SubtreeCount(node_id=node_id, by_level=await service.count_by_level(node), **counts)

    @get("/{node_id:uuid}/history", operation_id="ChildrenAsOf", summary="The units under a node on a past date")
    async def children_as_of(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        node_id: FromPath[UUID],
        as_of: Annotated[date, QueryParameter(name="asOf")],
    ) -> list[NodeVersion]:
        at = datetime.combine(as_of, time.max, tzinfo=UTC)  # the structure at the end of that day
        versions = await NodeService(db_session, principal_of(request)).children_as_of(node_id, at)
        return [
            NodeVersion(node_id=v.node_id, parent_id=v.parent_id, level=v.level, name=v.name,
                        valid_from=v.valid_from, valid_to=v.valid_to)
            for v in versions
        ]  # fmt: skip

    @post(
        "/{node_id:uuid}/move", operation_id="MoveNode", summary="Move a unit and its subtree under another parent",
        status_code=200, guards=[requires_role(*EDITORS)],
    )  # fmt: skip
    async def move_node(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        node_id: FromPath[UUID],
        data: JSONBody[NodeMove],
    ) -> Node:
        return to_schema(await NodeService(db_session, principal_of(request)).move(node_id, data.new_parent_id))

    @post("/", operation_id="CreateNode", summary="Add a child unit", guards=[requires_role(*EDITORS)])
    async def create_node(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], data: JSONBody[NodeCreate]
    ) -> Node:
        node = await NodeService(db_session, principal_of(request)).create_child(
            data.parent_id, data.level, data.name, linked_node_id=data.linked_node_id,
            formation_basis=data.formation_basis,
        )  # fmt: skip
        return to_schema(node)

    @patch("/{node_id:uuid}", operation_id="RenameNode", summary="Rename a unit", guards=[requires_role(*EDITORS)])
    async def rename_node(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        node_id: FromPath[UUID],
        data: JSONBody[NodeRename],
    ) -> Node:
        return to_schema(await NodeService(db_session, principal_of(request)).rename(node_id, data.name))

    @delete("/{node_id:uuid}", operation_id="RemoveNode", summary="Remove an empty unit",
            guards=[requires_role(*EDITORS)])  # fmt: skip
    async def remove_node(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], node_id: FromPath[UUID]
    ) -> None:
        await NodeService(db_session, principal_of(request)).remove(node_id)
