from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, Parameter, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.models import OrgNode
from services.orgtree.nodes.schemas import Node, NodeCreate, NodeMove, NodePage, NodeRename, SubtreeCount
from services.orgtree.nodes.services import NodeService
from shared.auth.principal import Role
from shared.http.guards import principal_of, requires_role, requires_tenant

EDITORS = (Role.DISTRICT_ADMIN, Role.STREET_ADMIN, Role.COMMUNITY_CADRE)


def to_schema(node: OrgNode) -> Node:
    return Node(
        id=node.id,
        parent_id=node.parent_id,
        tree=node.tree,
        level=node.level,
        name=node.name,
        path=node.path,
        created_at=node.created_at,
    )


class NodeController(Controller):
    path = "/api/orgtree/nodes"
    tags = ["Org nodes"]
    guards = [requires_tenant]

    @get("/", operation_id="ListNodes", summary="List child nodes (or the top of the caller's scope)")
    async def list_nodes(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        parent_id: Annotated[UUID | None, QueryParameter(name="parentId")] = None,
        limit: Annotated[int, Parameter(ge=1, le=500)] = 50,
        offset: Annotated[int, Parameter(ge=0)] = 0,
    ) -> NodePage:
        nodes, total = await NodeService(db_session, principal_of(request)).list_children(
            parent_id, limit=limit, offset=offset
        )
        return NodePage(items=[to_schema(n) for n in nodes], total=total, limit=limit, offset=offset)

    @get("/{node_id:uuid}", operation_id="GetNode", summary="One node")
    async def get_node(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], node_id: FromPath[UUID]
    ) -> Node:
        return to_schema(await NodeService(db_session, principal_of(request)).get(node_id))

    @get("/{node_id:uuid}/ancestors", operation_id="GetNodeAncestors", summary="Breadcrumbs, top first")
    async def ancestors(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], node_id: FromPath[UUID]
    ) -> list[Node]:
        return [to_schema(n) for n in await NodeService(db_session, principal_of(request)).ancestors(node_id)]

    @get("/{node_id:uuid}/subtree-count", operation_id="CountSubtree", summary="Units in the subtree, itself included")
    async def subtree_count(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], node_id: FromPath[UUID]
    ) -> SubtreeCount:
        service = NodeService(db_session, principal_of(request))
        return SubtreeCount(node_id=node_id, nodes=await service.count_subtree(await service.get(node_id)))

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
        node = await NodeService(db_session, principal_of(request)).create_child(data.parent_id, data.level, data.name)
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
