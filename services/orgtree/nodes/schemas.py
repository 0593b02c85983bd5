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
    created_at: datetime


class NodeCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    parent_id: UUID
    level: Level
    name: Name


class NodeRename(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    name: Name


class NodeMove(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    new_parent_id: UUID


class SubtreeCount(msgspec.Struct, rename="camel", kw_only=True):
    node_id: UUID
    nodes: int


class NodePage(msgspec.Struct, rename="camel", kw_only=True):
    items: list[Node]
    total: int
    limit: int
    offset: int
