"""Member rules: who may see whom, personal data in and out, grid attachment, transfers, removal."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

import msgspec
from sqlalchemy import delete, select, tuple_
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.access import is_staff, reveal_field, sees_any
from services.orgtree.levels.services import load_schema
from services.orgtree.members.rules import (
    REMOVAL_REASONS,
    TRANSFER_REASONS,
    check_choice,
    check_id_card,
    check_member_fields,
    id_card_lookup_key,
    phone_lookup_key,
    protect_member,
)
from services.orgtree.members.schemas import MemberCreate, MemberUpdate, RemovalRequest, TransferRequest
from services.orgtree.models import GridLeader, HouseholdLink, Member, MembershipTransfer, OrgNode, Post, TreeKind
from services.orgtree.nodes.services import NodeService, in_subtree
from shared import audit
from shared.auth.principal import Principal
from shared.contracts.orgtree import MemberCreated, MemberRemoved, MemberTransferred, MemberUpdated
from shared.http.problems import FieldErrors, ProblemError, conflict, invalid, missing
from shared.messaging.outbox import publish

REVEALABLE = {"idCard": ("member.id_card", "id_card_cipher"), "phone": ("member.phone", "phone_cipher")}
CURSOR_SEPARATOR = "|"


def encode_cursor(path: str | None, row_id: UUID) -> str:
    return f"{path or ''}{CURSOR_SEPARATOR}{row_id}"


def decode_cursor(after: str) -> tuple[str, UUID]:
    path, _, raw_id = after.rpartition(CURSOR_SEPARATOR)
    try:
        return path, UUID(raw_id)
    except ValueError:
        raise invalid("query.after", "not a cursor returned by a previous page") from None


class MemberService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.nodes = NodeService(session, principal)

    # -- reading -------------------------------------------------------------------------------

    def visible(self, member: Member) -> bool:
        if sees_any(self.principal, member.grid_path, member.branch_path):
            return True
        return member.user_id is not None and member.user_id == self.principal.user_id

    async def get(self, member_id: UUID) -> Member:
        member = await self.session.get(Member, member_id)
        if member is None or not self.visible(member):
            raise missing("member")
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
    ) -> list[Member]:
        """Members hanging in a subtree (by grid for administrative units, by branch for party units)."""
        if not is_staff(self.principal):
            return [await self.me()]
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
        if after is not None:
            path, last_id = decode_cursor(after)
            query = query.where(tuple_(column, Member.id) > tuple_(path, last_id))
        rows = await self.session.scalars(query.order_by(column, Member.id).limit(limit))
        return list(rows)

    async def lookup(self, *, phone: str | None, id_card: str | None) -> list[Member]:
        """Members with this phone or ID number, among those the caller may see (blind index, exact match)."""
        errors = FieldErrors()
        if (phone is None) == (id_card is None):
            raise invalid("phone", "give exactly one of phone or idCard")
        if id_card is not None:
            check_id_card(errors, "idCard", id_card)
            if errors:
                raise ProblemError(422, "invalid ID number", errors=errors.items)
            condition = Member.id_card_index == await id_card_lookup_key(self.session, id_card)
        else:
            condition = Member.phone_index == await phone_lookup_key(self.session, "member.phone", phone or "")
        rows = await self.session.scalars(select(Member).where(condition).limit(20))
        return [m for m in rows if self.visible(m)]

    async def reveal(self, member_id: UUID, field: str, purpose: str) -> str:
        member = await self.get(member_id)
        return await reveal_field(self.session, member, REVEALABLE, field=field, purpose=purpose, subject_type="member")

    # -- writing -------------------------------------------------------------------------------

    async def _posts(self) -> set[str]:
        return set(await self.session.scalars(select(Post.code)))

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

    async def create(self, data: MemberCreate) -> Member:
        errors = FieldErrors()
        check_member_fields(
            errors, id_card=data.id_card, phone=data.phone, classification=data.classification, flags=data.flags,
            info_card=dict(data.info_card), post_code=data.post_code, post_method=data.post_method,
            posts=await self._posts(),
        )  # fmt: skip
        if errors:
            raise ProblemError(422, "the member record has invalid fields", errors=errors.items)
        branch = await self.branch(data.branch_id)
        grid = await self.grid(data.grid_id) if data.grid_id is not None else None
        if grid is None and not self.principal.may_see_path(branch.path):
            raise missing("party unit")  # a scoped caller records members inside its scope only
        if data.id_card is not None:
            await self._check_unique_id_card(data.id_card)
        member = Member(
            name=data.name.strip(), classification=data.classification, flags=sorted(set(data.flags)),
            info_card=dict(data.info_card), grid_id=grid.id if grid else None, grid_path=grid.path if grid else None,
            branch_id=branch.id, branch_path=branch.path, post_code=data.post_code, post_method=data.post_method,
            joined_on=data.joined_on, user_id=data.user_id,
        )  # fmt: skip
        await protect_member(self.session, member, id_card=data.id_card, phone=data.phone)
        self.session.add(member)
        await self.session.flush()
        self.session.add(MembershipTransfer(
            member_id=member.id, from_branch_id=None, to_branch_id=branch.id,
            transferred_on=data.joined_on or date.today(), reason="joined", recorded_at=datetime.now(UTC),
        ))  # fmt: skip
        await audit.record(self.session, "orgtree.member.created", subject_type="member", subject_id=str(member.id))
        await publish(self.session, MemberCreated(
            tenant_id=member.tenant_id, member_id=member.id, grid_id=member.grid_id, branch_id=branch.id,
            classification=member.classification, user_id=member.user_id,
        ))  # fmt: skip
        return member

    async def update(self, member_id: UUID, data: MemberUpdate) -> Member:
        member = await self.get(member_id)
        changed = [name for name, value in msgspec.structs.asdict(data).items() if value is not msgspec.UNSET]
        merged_post = data.post_code if data.post_code is not msgspec.UNSET else member.post_code
        merged_method = data.post_method if data.post_method is not msgspec.UNSET else member.post_method
        errors = FieldErrors()
        check_member_fields(
            errors,
            id_card=data.id_card if isinstance(data.id_card, str) else None,
            phone=data.phone if isinstance(data.phone, str) else None,
            classification=data.classification if isinstance(data.classification, str) else member.classification,
            flags=data.flags if isinstance(data.flags, list) else [],
            info_card=dict(data.info_card) if isinstance(data.info_card, dict) else {},
            post_code=merged_post, post_method=merged_method, posts=await self._posts(),
        )  # fmt: skip
        if errors:
            raise ProblemError(422, "the member record has invalid fields", errors=errors.items)
        if data.grid_id is not msgspec.UNSET:
            if data.grid_id is None:
                member.grid_id, member.grid_path = None, None
            else:
                grid = await self.grid(data.grid_id)
                if await self.session.scalar(select(GridLeader.id).where(GridLeader.member_id == member.id)):
                    raise conflict("this member leads a grid; hand the grid over before moving the member")
                member.grid_id, member.grid_path = grid.id, grid.path
        if isinstance(data.id_card, str):
            await self._check_unique_id_card(data.id_card, member.id)
        await protect_member(
            self.session, member, id_card=data.id_card if isinstance(data.id_card, str) else None,
            phone=data.phone if isinstance(data.phone, str) else None,
        )  # fmt: skip
        for name in ("name", "classification", "info_card", "user_id"):
            value = getattr(data, name)
            if value is not msgspec.UNSET:
                setattr(member, name, value.strip() if name == "name" else value)
        if isinstance(data.flags, list):
            member.flags = sorted(set(data.flags))
        member.post_code, member.post_method = merged_post, merged_method
        await self.session.flush()
        api_names = [f.encode_name for f in msgspec.structs.fields(MemberUpdate) if f.name in changed]
        await audit.record(self.session, "orgtree.member.updated", subject_type="member", subject_id=str(member.id),
                           detail={"fields": api_names})  # fmt: skip
        await publish(self.session, MemberUpdated(
            tenant_id=member.tenant_id, member_id=member.id, grid_id=member.grid_id, changed=api_names,
            user_id=member.user_id,
        ))  # fmt: skip
        return member

    async def transfer(self, member_id: UUID, data: TransferRequest) -> MembershipTransfer:
        member = await self.get(member_id)
        errors = FieldErrors()
        check_choice(
            errors, "reason", data.reason, {k: v for k, v in TRANSFER_REASONS.items() if k not in {"joined", "removed"}}
        )
        if errors:
            raise ProblemError(422, "unknown transfer reason", errors=errors.items)
        target = await self.branch(data.to_branch_id, "toBranchId")
        if target.id == member.branch_id:
            raise conflict("the member already belongs to that party unit")
        if data.reason == "unqualified_after_reeducation" and target.level != "street_organ_branch":
            raise invalid("toBranchId", "members unqualified after re-education move to the street organ branch")
        last = await self.session.scalar(
            select(MembershipTransfer.transferred_on).where(MembershipTransfer.member_id == member.id)
            .order_by(MembershipTransfer.transferred_on.desc()).limit(1)
        )  # fmt: skip
        if last is not None and data.transferred_on < last:
            raise invalid("transferredOn", f"earlier than the member's last recorded transfer ({last.isoformat()})")
        row = MembershipTransfer(
            member_id=member.id, from_branch_id=member.branch_id, to_branch_id=target.id,
            transferred_on=data.transferred_on, reason=data.reason, note=data.note, recorded_at=datetime.now(UTC),
        )  # fmt: skip
        self.session.add(row)
        previous = member.branch_id
        member.branch_id, member.branch_path = target.id, target.path
        if data.reason == "unqualified_after_reeducation":
            member.flags = sorted({*member.flags, "unqualified"})
        await self.session.flush()
        await audit.record(
            self.session, "orgtree.member.transferred", subject_type="member", subject_id=str(member.id),
            detail={"from": str(previous), "to": str(target.id), "reason": data.reason},
        )  # fmt: skip
        await publish(self.session, MemberTransferred(
            tenant_id=member.tenant_id, member_id=member.id, from_branch_id=previous, to_branch_id=target.id,
            transferred_on=data.transferred_on, reason=data.reason,
        ))  # fmt: skip
        return row

    async def transfers(self, member_id: UUID) -> list[MembershipTransfer]:
        member = await self.get(member_id)
        rows = await self.session.scalars(
            select(MembershipTransfer).where(MembershipTransfer.member_id == member.id)
            .order_by(MembershipTransfer.transferred_on, MembershipTransfer.recorded_at)
        )  # fmt: skip
        return list(rows)

    async def branch_as_of(self, member_id: UUID, on: date) -> UUID | None:
        member = await self.get(member_id)
        last: MembershipTransfer | None = await self.session.scalar(
            select(MembershipTransfer)
            .where(MembershipTransfer.member_id == member.id, MembershipTransfer.transferred_on <= on)
            .order_by(MembershipTransfer.transferred_on.desc(), MembershipTransfer.recorded_at.desc()).limit(1)
        )  # fmt: skip
        return last.to_branch_id if last else None

    async def roll_as_of(self, branch_id: UUID, on: date) -> list[tuple[UUID, str | None]]:
        """Who belonged to a party unit on a date, from the transfer history (removed members included)."""
        branch = await self.nodes.get_in_tree(branch_id, TreeKind.PARTY, "branchId")
        latest = (
            select(MembershipTransfer.member_id, MembershipTransfer.to_branch_id)
            .where(MembershipTransfer.transferred_on <= on)
            .ext(distinct_on(MembershipTransfer.member_id))
            .order_by(MembershipTransfer.member_id, MembershipTransfer.transferred_on.desc(),
                      MembershipTransfer.recorded_at.desc())
            .subquery()
        )  # fmt: skip
        rows = await self.session.execute(
            select(latest.c.member_id, Member.name)
            .outerjoin(Member, Member.id == latest.c.member_id)
            .where(latest.c.to_branch_id == branch.id)
            .order_by(Member.name)
        )
        return [(member_id, name) for member_id, name in rows.all()]

    async def remove(self, member_id: UUID, data: RemovalRequest) -> None:
        """Take a member off the rolls: links go, the transfer history stays (to: none)."""
        member = await self.get(member_id)
        if data.reason not in REMOVAL_REASONS:
            raise invalid("reason", f"one of: {', '.join(REMOVAL_REASONS)}")
        if await self.session.scalar(select(GridLeader.id).where(GridLeader.member_id == member.id)):
            raise conflict("this member leads a grid; appoint or vacate the grid's leader first")
        self.session.add(MembershipTransfer(
            member_id=member.id, from_branch_id=member.branch_id, to_branch_id=None, transferred_on=data.removed_on,
            reason="removed", note=f"{REMOVAL_REASONS[data.reason]} {data.note or ''}".strip(),
            recorded_at=datetime.now(UTC),
        ))  # fmt: skip
        await self.session.execute(delete(HouseholdLink).where(HouseholdLink.member_id == member.id))
        await self.session.delete(member)
        await self.session.flush()
        await audit.record(self.session, "orgtree.member.removed", subject_type="member", subject_id=str(member.id),
                           detail={"reason": data.reason})  # fmt: skip
        await publish(self.session, MemberRemoved(tenant_id=member.tenant_id, member_id=member.id, reason=data.reason))
