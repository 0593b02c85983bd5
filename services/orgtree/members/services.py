"""Member rules: who may see whom, personal data in and out, grid attachment, removal."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import msgspec
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.access import is_staff, reveal_field, sees_any
from services.orgtree.grids.models import GridLeader
from services.orgtree.levels.services import load_schema
from services.orgtree.links.models import HouseholdLink
from services.orgtree.members.models import Member, MembershipTransfer
from services.orgtree.members.posts import PostService, record_claim
from services.orgtree.members.rules import (
    REMOVAL_REASONS,
    check_id_card,
    check_member_fields,
    given,
    id_card_lookup_key,
    phone_lookup_key,
    protect_member,
)
from services.orgtree.members.schemas import MemberCreate, MemberUpdate, RemovalRequest
from services.orgtree.members.warnings import newly_warned, record_warning
from services.orgtree.nodes.models import OrgNode, TreeKind
from services.orgtree.nodes.services import NodeService, in_subtree
from shared import audit
from shared.auth.principal import Principal, Role
from shared.clock import china_today, now
from shared.contracts.orgtree import MemberCreated, MemberRemoved, MemberUpdated
from shared.db.repository import Keyset, Repository
from shared.http.problems import FieldErrors, ProblemError, conflict, invalid, missing
from shared.http.views import view
from shared.messaging.outbox import publish

REVEALABLE = {"idCard": ("member.id_card", "id_card_cipher"), "phone": ("member.phone", "phone_cipher")}
INVALID_FIELDS = "the member record has invalid fields"


class MemberRepository(Repository[Member]):
    model_type = Member
    noun = "member"


def membership_step(
    member: Member,
    from_branch_id: UUID | None,
    to_branch_id: UUID | None,
    on: date,
    reason: str,
    *,
    note: str | None = None,
) -> MembershipTransfer:
    """One row of the member's membership history: joining (from none), a transfer, or removal (to none)."""
    return MembershipTransfer(
        member_id=member.id,
        from_branch_id=from_branch_id,
        to_branch_id=to_branch_id,
        transferred_on=on,
        reason=reason,
        note=note,
        recorded_at=now(),
    )


class MemberService:
    def __init__(self, session: AsyncSession, principal: Principal, nodes: NodeService, posts: PostService) -> None:
        self.session = session
        self.principal = principal
        self.nodes = nodes
        self.posts = posts
        self.repository = MemberRepository(session)

    # -- reading -------------------------------------------------------------------------------

    def visible(self, member: Member) -> bool:
        if sees_any(self.principal, member.grid_path, member.branch_path):
            return True
        return member.user_id is not None and member.user_id == self.principal.user_id

    async def get(self, member_id: UUID) -> Member:
        return await self.repository.get_or_404(member_id, visible=self.visible)

    async def lock(self, member: Member) -> None:
        """Row-lock the member: its concurrent claims (households served, members guided) count one by one."""
        await self.session.execute(select(Member.id).where(Member.id == member.id).with_for_update())

    async def locked(self, member_id: UUID) -> Member:
        member = await self.get(member_id)
        await self.lock(member)
        return member

    async def me(self) -> Member:
        member = await self.session.scalar(select(Member).where(Member.user_id == self.principal.user_id))
        if member is None:
            raise missing("member record for this account")
        return member

    async def page(
        self,
        *,
        within: UUID | None,
        flag: str | None = None,
        classification: str | None = None,
        name: str | None = None,
        after: str | None = None,
        limit: int = 50,
    ) -> tuple[list[Member], str | None]:
        """Members hanging in a subtree (by grid for administrative units, by branch for party units), and the
        cursor of the next page: ``<path>|<id>`` of the last member."""
        if not is_staff(self.principal):
            return [await self.me()], None
        if within is not None:
            node = await self.nodes.get(within)
            column = Member.grid_path if node.tree == TreeKind.ADMINISTRATIVE else Member.branch_path
            scope_path: str | None = node.path
        else:
            column, scope_path = Member.grid_path, self.principal.scope
        query = select(Member)
        if scope_path is not None:
            query = query.where(in_subtree(column, scope_path))
        if flag is not None:
            query = query.where(Member.flags.contains([flag]))
        if classification is not None:
            query = query.where(Member.classification == classification)
        if name is not None:
            query = query.where(Member.name.contains(name.strip(), autoescape=True))
        return await self.repository.page(query, Keyset(column, Member.id, separator="|"), after=after, limit=limit)

    async def lookup(self, *, phone: str | None, id_card: str | None) -> list[Member]:
        """Members with this phone or ID number, among those the caller may see (blind index, exact match)."""
        errors = FieldErrors()
        if (phone is None) == (id_card is None):
            raise invalid("phone", "give exactly one of phone or idCard")
        if id_card is not None:
            check_id_card(errors, "idCard", id_card)
            errors.raise_if_any("invalid ID number")
            condition = Member.id_card_index == await id_card_lookup_key(self.session, id_card)
        else:
            condition = Member.phone_index == await phone_lookup_key(self.session, "member.phone", phone or "")
        rows = await self.session.scalars(select(Member).where(condition).limit(20))
        return [m for m in rows if self.visible(m)]

    async def reveal(self, member_id: UUID, field: str, purpose: str) -> str:
        member = await self.get(member_id)
        return await reveal_field(self.session, member, REVEALABLE, field=field, purpose=purpose, subject_type="member")

    # -- writing -------------------------------------------------------------------------------

    async def record(self, action: str, member: Member, detail: dict[str, Any] | None = None) -> None:
        """An audit entry about the member (ids and field names only)."""
        await audit.record(self.session, action, subject_type="member", subject_id=str(member.id), detail=detail)

    async def grid(self, node_id: UUID, field: str = "gridId") -> OrgNode:
        node = await self.nodes.get_in_tree(node_id, TreeKind.ADMINISTRATIVE, field)
        if not (await load_schema(self.session, node.tree)).require(node.level).is_grid:
            raise invalid(field, f"a '{node.level}' is not a grid; members attach to grids")
        return node

    async def branch(self, node_id: UUID, field: str = "branchId") -> OrgNode:
        """A party unit that may hold formal membership. Not scope-confined: a street admin may transfer
        a member to the street organ branch, which hangs outside any community's subtree."""
        node = await self.session.get(OrgNode, node_id)
        if node is None:
            raise missing("party unit")
        if (
            node.tree != TreeKind.PARTY
            or not (await load_schema(self.session, node.tree)).require(node.level).holds_members
        ):
            raise invalid(field, f"a '{node.level}' does not hold formal membership; choose a party branch")
        return node

    async def _check_unique_id_card(self, id_card: str, member_id: UUID | None = None) -> None:
        key = await id_card_lookup_key(self.session, id_card)
        query = select(Member.id).where(Member.id_card_index == key)
        if member_id is not None:
            query = query.where(Member.id != member_id)
        if await self.session.scalar(query) is not None:
            raise conflict("a member with this ID number is already on this district's rolls")

    async def _check_login(self, user_id: UUID | None, member: Member | None = None) -> None:
        """Linking a login is the district administrator's, who manages the district's accounts; one login signs
        in as one member. Whether the id is an account of this district cannot be checked here (the gateway holds
        the accounts): an id that is not grants nothing, since every token is bound to its own district."""
        if not self.principal.has_role(Role.DISTRICT_ADMIN):
            raise ProblemError(403, "only a district administrator links a login to a member", title="Forbidden")
        if user_id is None:
            return
        query = select(Member.id).where(Member.user_id == user_id)
        if member is not None:
            query = query.where(Member.id != member.id)
        if await self.session.scalar(query) is not None:
            message = "this login already signs in as another member of this district; unlink it there first"
            raise ProblemError(409, message, errors=[{"field": "body.userId", "message": message}], title="Conflict")

    async def _leads_a_grid(self, member: Member) -> bool:
        return bool(await self.session.scalar(select(GridLeader.id).where(GridLeader.member_id == member.id)))

    async def create(self, data: MemberCreate) -> Member:
        errors = FieldErrors()
        check_member_fields(
            errors,
            id_card=data.id_card,
            phone=data.phone,
            classification=data.classification,
            flags=data.flags,
            info_card=dict(data.info_card),
            post_code=data.post_code,
            post_method=data.post_method,
            posts=await self.posts.codes(),
        )
        errors.raise_if_any(INVALID_FIELDS)
        branch = await self.branch(data.branch_id)
        grid = await self.grid(data.grid_id) if data.grid_id is not None else None
        if grid is None and not self.principal.may_see_path(branch.path):
            raise missing("party unit")  # a scoped caller records members inside its scope only
        if data.id_card is not None:
            await self._check_unique_id_card(data.id_card)
        if data.user_id is not None:
            await self._check_login(data.user_id)
        member = Member(
            name=data.name.strip(),
            classification=data.classification,
            flags=sorted(set(data.flags)),
            info_card=dict(data.info_card),
            grid_id=grid.id if grid else None,
            grid_path=grid.path if grid else None,
            branch_id=branch.id,
            branch_path=branch.path,
            post_code=data.post_code,
            post_method=data.post_method,
            joined_on=data.joined_on,
            user_id=data.user_id,
        )
        await protect_member(self.session, member, id_card=data.id_card, phone=data.phone)
        await self.repository.add(member)
        if member.post_code is not None:
            post = (member.post_code, member.post_method)
            await record_claim(self.session, member.id, post, china_today(), self.principal.user_id)
        self.session.add(membership_step(member, None, branch.id, data.joined_on or china_today(), "joined"))
        await self.record("orgtree.member.created", member)
        await publish(self.session, view(MemberCreated, member, member_id=member.id))
        await self._warned_by_flag([], member)
        return member

    async def update(self, member_id: UUID, data: MemberUpdate) -> Member:
        member = await self.get(member_id)
        changed = [name for name, value in msgspec.structs.asdict(data).items() if value is not msgspec.UNSET]
        merged_post = data.post_code if data.post_code is not msgspec.UNSET else member.post_code
        merged_method = data.post_method if data.post_method is not msgspec.UNSET else member.post_method
        errors = FieldErrors()
        check_member_fields(
            errors,
            id_card=given(data.id_card),
            phone=given(data.phone),
            classification=data.classification if isinstance(data.classification, str) else member.classification,
            flags=data.flags if isinstance(data.flags, list) else [],
            info_card=dict(data.info_card) if isinstance(data.info_card, dict) else {},
            post_code=merged_post,
            post_method=merged_method,
            posts=await self.posts.codes(),
        )
        errors.raise_if_any(INVALID_FIELDS)
        if data.grid_id is not msgspec.UNSET:
            if data.grid_id is None:
                member.grid_id, member.grid_path = None, None
            else:
                grid = await self.grid(data.grid_id)
                if await self._leads_a_grid(member):
                    raise conflict("this member leads a grid; hand the grid over before moving the member")
                member.grid_id, member.grid_path = grid.id, grid.path
        if isinstance(data.id_card, str):
            await self._check_unique_id_card(data.id_card, member.id)
        if data.user_id is not msgspec.UNSET:
            await self._check_login(data.user_id, member)
        await protect_member(self.session, member, id_card=given(data.id_card), phone=given(data.phone))
        for name in ("name", "classification", "info_card", "user_id"):
            value = getattr(data, name)
            if value is not msgspec.UNSET:
                setattr(member, name, value.strip() if name == "name" else value)
        flags_before = list(member.flags)
        if isinstance(data.flags, list):
            member.flags = sorted(set(data.flags))
        if (member.post_code, member.post_method) != (merged_post, merged_method):
            await record_claim(
                self.session, member.id, (merged_post, merged_method), china_today(), self.principal.user_id
            )
        member.post_code, member.post_method = merged_post, merged_method
        await self.session.flush()
        api_names = [f.encode_name for f in msgspec.structs.fields(MemberUpdate) if f.name in changed]
        await self.record("orgtree.member.updated", member, {"fields": api_names})
        await publish(self.session, view(MemberUpdated, member, member_id=member.id, changed=api_names))
        await self._warned_by_flag(flags_before, member)
        return member

    async def _warned_by_flag(self, flags_before: list[str], member: Member) -> None:
        """Setting the "warned" flag on the record is a warning too (dated today, no reason given)."""
        if newly_warned(flags_before, member.flags):
            await record_warning(self.session, member, warned_on=china_today(), reason=None, by=self.principal.user_id)

    async def remove(self, member_id: UUID, data: RemovalRequest) -> None:
        """Take a member off the rolls: links go, the transfer history stays (to: none)."""
        member = await self.get(member_id)
        if data.reason not in REMOVAL_REASONS:
            raise invalid("reason", f"one of: {', '.join(REMOVAL_REASONS)}")
        if await self._leads_a_grid(member):
            raise conflict("this member leads a grid; appoint or vacate the grid's leader first")
        note = f"{REMOVAL_REASONS[data.reason]} {data.note or ''}".strip()
        self.session.add(membership_step(member, member.branch_id, None, data.removed_on, "removed", note=note))
        await self.session.execute(delete(HouseholdLink).where(HouseholdLink.member_id == member.id))
        await self.session.delete(member)
        await self.session.flush()
        await self.record("orgtree.member.removed", member, {"reason": data.reason})
        await publish(self.session, MemberRemoved(tenant_id=member.tenant_id, member_id=member.id, reason=data.reason))
