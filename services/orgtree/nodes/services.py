"""Node rules: scope confinement, child creation, renames. RLS keeps tenants apart underneath."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.models import OrgNode, TreeKind
from services.orgtree.nodes.paths import ancestor_paths, child_path, new_segment, root_path, subtree_upper_bound
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

    async def ancestors(self, node_id: UUID) -> list[OrgNode]:
        """Breadcrumbs from the top the caller may see down to the node (one index probe per level)."""
        node = await self.get(node_id)
        visible = [p for p in ancestor_paths(node.path) if self.principal.may_see_path(p)]
        rows = await self.session.scalars(select(OrgNode).where(OrgNode.path.in_(visible)).order_by(OrgNode.path))
        return list(rows)

    async def move(self, node_id: UUID, new_parent_id: UUID) -> OrgNode:
        """Re-hang a subtree: one range UPDATE rewrites every descendant's path prefix."""
        node = await self.get(node_id)
        parent = await self.get(new_parent_id)
        if node.parent_id is None:
            raise ProblemError(409, "a district's root cannot be moved", title="Conflict")
        if parent.path.startswith(node.path):
            raise ProblemError(409, "a unit cannot move under itself or its own descendants", title="Conflict")
        if parent.tree != node.tree:
            raise ProblemError(409, "a unit cannot move to the other tree", title="Conflict")
        old_path, old_parent = node.path, node.parent_id
        new_path = child_path(parent.path, old_path.rstrip("/").rsplit("/", 1)[1])
        await self.session.execute(
            update(OrgNode)
            .where(OrgNode.path >= old_path, OrgNode.path < subtree_upper_bound(old_path))
            .values(path=literal(new_path) + func.substr(OrgNode.path, len(old_path) + 1))
            .execution_options(synchronize_session=False)
        )
        await self.session.execute(update(OrgNode).where(OrgNode.id == node.id).values(parent_id=parent.id))
        await self.session.refresh(node)
        await audit.record(
            self.session, "orgtree.node.moved", subject_type="org_node", subject_id=str(node.id),
            detail={"from_parent": str(old_parent), "to_parent": str(parent.id)},
        )  # fmt: skip
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
