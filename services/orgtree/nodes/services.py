"""Node rules: scope confinement, child creation, renames. RLS keeps tenants apart underneath."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.models import OrgNode, TreeKind
from services.orgtree.nodes.paths import child_path, new_segment, root_path, subtree_upper_bound
from shared import audit
from shared.auth.principal import Principal
from shared.http.problems import ProblemError


class NodeService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal

    async def get(self, node_id: UUID) -> OrgNode:
        """The node, if it exists in this tenant and lies in the caller's scope; else 404 (no existence oracle)."""
        node = await self.session.get(OrgNode, node_id)
        if node is None or not self.principal.may_see_path(node.path):
            raise ProblemError(404, "no such org node in this district", title="Not Found")
        return node

    async def list_children(self, parent_id: UUID | None, *, limit: int, offset: int) -> tuple[list[OrgNode], int]:
        if parent_id is not None:
            parent = await self.get(parent_id)
            condition = OrgNode.parent_id == parent.id
        elif self.principal.scope is None:
            condition = OrgNode.parent_id.is_(None)
        else:  # a scoped caller's top is the node at its scope path
            condition = OrgNode.path == self.principal.scope
        total = await self.session.scalar(select(func.count()).select_from(OrgNode).where(condition))
        rows = await self.session.scalars(
            select(OrgNode).where(condition).order_by(OrgNode.path).limit(limit).offset(offset)
        )
        return list(rows), int(total or 0)

    async def create_child(self, parent_id: UUID, level: str, name: str) -> OrgNode:
        parent = await self.get(parent_id)
        node = OrgNode(
            parent_id=parent.id,
            tree=parent.tree,
            level=level,
            name=name.strip(),
            path=child_path(parent.path, new_segment()),
        )
        self.session.add(node)
        await self.session.flush()
        await audit.record(
            self.session,
            "orgtree.node.created",
            subject_type="org_node",
            subject_id=str(node.id),
            detail={"parent_id": str(parent.id), "level": level},
        )
        return node

    async def rename(self, node_id: UUID, name: str) -> OrgNode:
        node = await self.get(node_id)
        node.name = name.strip()
        await self.session.flush()
        await audit.record(self.session, "orgtree.node.renamed", subject_type="org_node", subject_id=str(node.id))
        return node

    async def count_subtree(self, node: OrgNode) -> int:
        total = await self.session.scalar(
            select(func.count())
            .select_from(OrgNode)
            .where(OrgNode.path >= node.path, OrgNode.path < subtree_upper_bound(node.path))
        )
        return int(total or 0)


async def ensure_tenant_root(session: AsyncSession, name: str) -> OrgNode:
    """The district's administrative root; created once however often provisioning is delivered."""
    existing = await session.scalar(
        select(OrgNode).where(OrgNode.parent_id.is_(None), OrgNode.tree == TreeKind.ADMINISTRATIVE)
    )
    if existing is not None:
        return existing
    root = OrgNode(
        parent_id=None, tree=TreeKind.ADMINISTRATIVE, level="district", name=name, path=root_path(new_segment())
    )
    session.add(root)
    await session.flush()
    return root
