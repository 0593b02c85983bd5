from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]
Level = Annotated[str, msgspec.Meta(min_length=1, max_length=40, pattern=r"^[a-z][a-z_]*$")]


class Node(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    parent_id: UUID | None
    tree: str
    level: str
    name: str
    path: str
    linked_node_id: UUID | None
    formation_basis: str | None
    flags: list[str]
    created_at: datetime


class NodeCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    parent_id: UUID
    level: Level
    name: Name
    linked_node_id: UUID | None = None  # party units: the administrative unit they serve (ORG-02)
    formation_basis: str | None = None  # grids: how the grid was formed (ORG-06)


class NodeRename(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    name: Name


class NodeMove(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    new_parent_id: UUID


class ListedNode(Node, kw_only=True):
    """A unit in a list of children, with how many units hang directly under it (a tree browser's toggle)."""

    children: int


class SubtreeCount(msgspec.Struct, rename="camel", kw_only=True):
    """Everything in the subtree, the node included: units, members (by the tree's own attachment: grid or
    branch), households, grids (units of a grid level) and red-cell links of those members or households."""

    node_id: UUID
    nodes: int
    members: int
    households: int
    grids: int
    links: int
    by_level: dict[str, int]


class NodePage(msgspec.Struct, rename="camel", kw_only=True):
    items: list[ListedNode]
    total: int
    limit: int
    offset: int


class SubtreePage(msgspec.Struct, rename="camel", kw_only=True):
    """A keyset page: pass ``nextAfter`` as ``after`` for the next page (None: this was the last)."""

    items: list[Node]
    next_after: str | None


class NodeVersion(msgspec.Struct, rename="camel", kw_only=True):
    node_id: UUID
    parent_id: UUID | None
    level: str
    name: str
    valid_from: datetime
    valid_to: datetime | None
