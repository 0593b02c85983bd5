from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, Parameter, QueryParameter
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.access import READERS, ROLL_KEEPERS
from services.orgtree.members.schemas import (
    LookupRequest,
    MemberCreate,
    MemberPage,
    MembershipAsOf,
    MemberUpdate,
    MemberView,
    PostCreate,
    PostView,
    RemovalRequest,
    Revealed,
    RevealRequest,
    RollEntry,
    TransferRequest,
    TransferView,
)
from services.orgtree.members.services import MemberService, encode_cursor
from services.orgtree.models import Member, MembershipTransfer, Post, TreeKind
from shared import audit
from shared.auth.principal import Role
from shared.http.guards import principal_of, requires_role, requires_tenant
from shared.http.problems import conflict


def to_view(member: Member) -> MemberView:
    return MemberView(
        id=member.id, name=member.name, gender=member.gender, birth_date=member.birth_date,
        id_card=member.id_card_masked, phone=member.phone_masked, classification=member.classification,
        flags=list(member.flags), info_card=dict(member.info_card), grid_id=member.grid_id,
        branch_id=member.branch_id, post_code=member.post_code, post_method=member.post_method,
        joined_on=member.joined_on, created_at=member.created_at,
    )  # fmt: skip


def to_transfer_view(row: MembershipTransfer) -> TransferView:
    return TransferView(
        id=row.id, from_branch_id=row.from_branch_id, to_branch_id=row.to_branch_id,
        transferred_on=row.transferred_on, reason=row.reason, note=row.note, recorded_at=row.recorded_at,
    )  # fmt: skip


class MemberController(Controller):
    path = "/api/orgtree/members"
    tags = ["Members"]
    guards = [requires_tenant, requires_role(*READERS)]

    @get("/", operation_id="ListMembers", summary="Members in a subtree (a grid's members are its red cells)")
    async def list_members(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        within: Annotated[UUID | None, QueryParameter()] = None,
        flag: Annotated[str | None, QueryParameter(max_length=40)] = None,
        classification: Annotated[str | None, QueryParameter(max_length=20)] = None,
        name: Annotated[str | None, QueryParameter(min_length=1, max_length=50)] = None,
        after: Annotated[str | None, QueryParameter(max_length=500)] = None,
        limit: Annotated[int, Parameter(ge=1, le=500)] = 50,
    ) -> MemberPage:
        service = MemberService(db_session, principal_of(request))
        rows = await service.page(
            within=within, flag=flag, classification=classification, name=name, after=after, limit=limit
        )
        next_after = None
        if len(rows) == limit:
            party = within is not None and (await service.nodes.get(within)).tree == TreeKind.PARTY
            last = rows[-1]
            next_after = encode_cursor(last.branch_path if party else last.grid_path, last.id)
        return MemberPage(items=[to_view(m) for m in rows], next_after=next_after)

    @get("/me", operation_id="GetMyMemberRecord", summary="The caller's own member record")
    async def me(self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]) -> MemberView:
        return to_view(await MemberService(db_session, principal_of(request)).me())

    @post("/lookup", operation_id="LookupMembers", summary="Find members by phone or ID number", status_code=200,
          guards=[requires_role(*ROLL_KEEPERS)])  # fmt: skip
    async def lookup(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], data: JSONBody[LookupRequest]
    ) -> list[MemberView]:
        rows = await MemberService(db_session, principal_of(request)).lookup(phone=data.phone, id_card=data.id_card)
        return [to_view(m) for m in rows]

    @post("/", operation_id="CreateMember", summary="Put a member on the rolls", guards=[requires_role(*ROLL_KEEPERS)])
    async def create(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], data: JSONBody[MemberCreate]
    ) -> MemberView:
        return to_view(await MemberService(db_session, principal_of(request)).create(data))

    @get("/{member_id:uuid}", operation_id="GetMember", summary="One member, personal data masked")
    async def get_member(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], member_id: FromPath[UUID]
    ) -> MemberView:
        return to_view(await MemberService(db_session, principal_of(request)).get(member_id))

    @patch("/{member_id:uuid}", operation_id="UpdateMember", summary="Change profile, post, flags or grid",
           guards=[requires_role(*ROLL_KEEPERS)])  # fmt: skip
    async def update(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        member_id: FromPath[UUID],
        data: JSONBody[MemberUpdate],
    ) -> MemberView:
        return to_view(await MemberService(db_session, principal_of(request)).update(member_id, data))

    @post("/{member_id:uuid}/reveal", operation_id="RevealMemberField", status_code=200,
          summary="Show an ID number or phone in clear, for a stated purpose (audited)",
          guards=[requires_role(*ROLL_KEEPERS)])  # fmt: skip
    async def reveal(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        member_id: FromPath[UUID],
        data: JSONBody[RevealRequest],
    ) -> Revealed:
        value = await MemberService(db_session, principal_of(request)).reveal(member_id, data.field, data.purpose)
        return Revealed(field=data.field, value=value)

    @post("/{member_id:uuid}/transfers", operation_id="TransferMember", summary="Move formal membership",
          guards=[requires_role(*ROLL_KEEPERS)])  # fmt: skip
    async def transfer(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        member_id: FromPath[UUID],
        data: JSONBody[TransferRequest],
    ) -> TransferView:
        return to_transfer_view(await MemberService(db_session, principal_of(request)).transfer(member_id, data))

    @get("/{member_id:uuid}/transfers", operation_id="ListMemberTransfers", summary="Membership history")
    async def transfers(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], member_id: FromPath[UUID]
    ) -> list[TransferView]:
        rows = await MemberService(db_session, principal_of(request)).transfers(member_id)
        return [to_transfer_view(r) for r in rows]

    @get("/{member_id:uuid}/membership", operation_id="MembershipAsOf", summary="The member's party unit on a date")
    async def membership_as_of(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        member_id: FromPath[UUID],
        as_of: Annotated[date, QueryParameter(name="asOf")],
    ) -> MembershipAsOf:
        branch = await MemberService(db_session, principal_of(request)).branch_as_of(member_id, as_of)
        return MembershipAsOf(member_id=member_id, as_of=as_of, branch_id=branch)

    @get("/roll", operation_id="BranchRollAsOf", summary="The members of a party unit on a past date")
    async def roll_as_of(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        branch_id: Annotated[UUID, QueryParameter(name="branchId")],
        as_of: Annotated[date, QueryParameter(name="asOf")],
    ) -> list[RollEntry]:
        rows = await MemberService(db_session, principal_of(request)).roll_as_of(branch_id, as_of)
        return [RollEntry(member_id=member_id, name=name) for member_id, name in rows]

    @post("/{member_id:uuid}/removal", operation_id="RemoveMember", status_code=204,
          summary="Take a member off the district's rolls", guards=[requires_role(*ROLL_KEEPERS)])  # fmt: skip
    async def remove(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        member_id: FromPath[UUID],
        data: JSONBody[RemovalRequest],
    ) -> None:
        await MemberService(db_session, principal_of(request)).remove(member_id, data)


class PostController(Controller):
    """The district's post catalogue (ORG-14), seeded with the eight posts; district admins may add posts."""

    path = "/api/orgtree/posts"
    tags = ["Members"]
    guards = [requires_tenant, requires_role(*READERS)]

    @get("/", operation_id="ListPosts", summary="Posts members may claim")
    async def list_posts(self, db_session: NamedDependency[AsyncSession]) -> list[PostView]:
        rows = await db_session.scalars(select(Post).order_by(Post.code))
        return [PostView(code=p.code, label=p.label) for p in rows]

    @post(
        "/", operation_id="AddPost", summary="Add a post to the catalogue", guards=[requires_role(Role.DISTRICT_ADMIN)]
    )
    async def add_post(self, db_session: NamedDependency[AsyncSession], data: JSONBody[PostCreate]) -> PostView:
        if await db_session.scalar(select(Post.id).where(Post.code == data.code)):
            raise conflict(f"the post '{data.code}' is already in the catalogue")
        db_session.add(Post(code=data.code, label=data.label.strip()))
        await db_session.flush()
        await audit.record(db_session, "orgtree.post.added", subject_type="post", subject_id=data.code)
        return PostView(code=data.code, label=data.label.strip())
