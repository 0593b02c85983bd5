from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated
from uuid import UUID

from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, Parameter, QueryParameter

from services.orgtree.access import EDITOR, STAFF, in_district
from services.orgtree.nodes.listing import LISTING, NodeListing
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
from shared.http.di import provide_service
from shared.http.views import view, views

Limit = Annotated[int, Parameter(ge=1, le=500)]

NodeId = FromPath[UUID]


class NodeController(Controller):
    path = "/api/orgtree/nodes"
    tags = ["Org nodes"]
    guards = in_district(*STAFF)  # members see their own record and households, not the organisation chart
    dependencies = {"nodes": provide_service(NodeService), "listing": LISTING}

    @get("/", operation_id="ListNodes", summary="List child nodes (or the top of the caller's scope)")
    async def list_nodes(
        self,
        listing: NamedDependency[NodeListing],
        parent_id: Annotated[UUID | None, QueryParameter(name="parentId")] = None,
        limit: Limit = 50,
        offset: Annotated[int, Parameter(ge=0)] = 0,
    ) -> NodePage:
        items, total = await listing.children(parent_id, limit=limit, offset=offset)
        return NodePage(items=items, total=total, limit=limit, offset=offset)

    @get("/search", operation_id="SearchNodes", summary="Units whose name contains the text, within a subtree")
    async def search(
        self,
        nodes: NamedDependency[NodeService],
        q: Annotated[str, Parameter(min_length=1, max_length=100)],
        within: Annotated[UUID | None, QueryParameter()] = None,
        limit: Limit = 50,
    ) -> list[Node]:
        return views(Node, await nodes.search(q, within=within, limit=limit))

    @get("/{node_id:uuid}", operation_id="GetNode", summary="One node")
    async def get_node(self, nodes: NamedDependency[NodeService], node_id: NodeId) -> Node:
        return view(Node, await nodes.get(node_id))

    @get("/{node_id:uuid}/subtree", operation_id="ListSubtree", summary="Units below a node, by level and flag")
    async def subtree(
        self,
        nodes: NamedDependency[NodeService],
        node_id: NodeId,
        level: Annotated[str | None, QueryParameter(max_length=40)] = None,
        flag: Annotated[str | None, QueryParameter(max_length=40)] = None,
        after: Annotated[str | None, QueryParameter(max_length=400, pattern=r"^/([0-9a-f]+/)+$")] = None,
        limit: Limit = 50,
    ) -> SubtreePage:
        rows = await nodes.subtree(node_id, level=level, flag=flag, after=after, limit=limit)
        return SubtreePage(items=views(Node, rows), next_after=rows[-1].path if len(rows) == limit else None)

    @get("/{node_id:uuid}/ancestors", operation_id="GetNodeAncestors", summary="Breadcrumbs, top first")
    async def ancestors(self, nodes: NamedDependency[NodeService], node_id: NodeId) -> list[Node]:
        return views(Node, await nodes.ancestors(node_id))

    @get(
        "/{node_id:uuid}/subtree-count",
        operation_id="CountSubtree",
        summary="Units, members, households, grids and red-cell links in the subtree",
    )
    async def subtree_count(self, nodes: NamedDependency[NodeService], node_id: NodeId) -> SubtreeCount:
        node = await nodes.get(node_id)
        counts = await nodes.counts(node)
        by_level = await nodes.count_by_level(node)
        grids = await nodes.grid_count(node, by_level)
        return SubtreeCount(node_id=node_id, by_level=by_level, grids=grids, links=await nodes.links(node), **counts)

    @get("/{node_id:uuid}/history", operation_id="ChildrenAsOf", summary="The units under a node on a past date")
    async def children_as_of(
        self, nodes: NamedDependency[NodeService], node_id: NodeId, as_of: Annotated[date, QueryParameter(name="asOf")]
    ) -> list[NodeVersion]:
        at = datetime.combine(as_of, time.max, tzinfo=UTC)  # the structure at the end of that day
        versions = await nodes.children_as_of(node_id, at)
        return views(NodeVersion, versions)

    @post(
        "/{node_id:uuid}/move",
        operation_id="MoveNode",
        summary="Move a unit and its subtree under another parent",
        status_code=200,
        guards=EDITOR,
    )
    async def move_node(self, nodes: NamedDependency[NodeService], node_id: NodeId, data: JSONBody[NodeMove]) -> Node:
        return view(Node, await nodes.move(node_id, data.new_parent_id))

    @post("/", operation_id="CreateNode", summary="Add a child unit", guards=EDITOR)
    async def create_node(self, nodes: NamedDependency[NodeService], data: JSONBody[NodeCreate]) -> Node:
        node = await nodes.create_child(
            data.parent_id,
            data.level,
            data.name,
            linked_node_id=data.linked_node_id,
            formation_basis=data.formation_basis,
        )
        return view(Node, node)

    @patch("/{node_id:uuid}", operation_id="RenameNode", summary="Rename a unit", guards=EDITOR)
    async def rename_node(
        self, nodes: NamedDependency[NodeService], node_id: NodeId, data: JSONBody[NodeRename]
    ) -> Node:
        return view(Node, await nodes.rename(node_id, data.name))

    @delete("/{node_id:uuid}", operation_id="RemoveNode", summary="Remove an empty unit", guards=EDITOR)
    async def remove_node(self, nodes: NamedDependency[NodeService], node_id: NodeId) -> None:
        await nodes.remove(node_id)
