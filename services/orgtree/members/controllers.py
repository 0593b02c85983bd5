from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, Parameter, QueryParameter

from services.orgtree.access import DISTRICT_ADMIN, READERS, ROLL_KEEPER, in_district, masked
from services.orgtree.members.membership import MembershipService
from services.orgtree.members.models import Member
from services.orgtree.members.posts import PostService
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
from services.orgtree.members.services import MemberService
from shared.http.di import provide_service
from shared.http.views import view, views

MemberId = FromPath[UUID]


def member_view(member: Member) -> MemberView:
    """A member as shown: ID number and phone masked."""
    return view(MemberView, member, **masked(member, "id_card", "phone"))


class MemberController(Controller):
    path = "/api/orgtree/members"
    tags = ["Members"]
    guards = in_district(*READERS)
    dependencies = {"members": provide_service(MemberService), "membership": provide_service(MembershipService)}

    @get("/", operation_id="ListMembers", summary="Members in a subtree (a grid's members are its red cells)")
    async def list_members(
        self,
        members: NamedDependency[MemberService],
        within: Annotated[UUID | None, QueryParameter()] = None,
        flag: Annotated[str | None, QueryParameter(max_length=40)] = None,
        classification: Annotated[str | None, QueryParameter(max_length=20)] = None,
        name: Annotated[str | None, QueryParameter(min_length=1, max_length=50)] = None,
        after: Annotated[str | None, QueryParameter(max_length=500)] = None,
        limit: Annotated[int, Parameter(ge=1, le=500)] = 50,
    ) -> MemberPage:
        rows, next_after = await members.page(
            within=within, flag=flag, classification=classification, name=name, after=after, limit=limit
        )
        return MemberPage(items=[member_view(m) for m in rows], next_after=next_after)

    @get("/me", operation_id="GetMyMemberRecord", summary="The caller's own member record")
    async def me(self, members: NamedDependency[MemberService]) -> MemberView:
        return member_view(await members.me())

    @post(
        "/lookup",
        operation_id="LookupMembers",
        summary="Find members by phone or ID number",
        status_code=200,
        guards=ROLL_KEEPER,
    )
    async def lookup(self, members: NamedDependency[MemberService], data: JSONBody[LookupRequest]) -> list[MemberView]:
        return [member_view(m) for m in await members.lookup(phone=data.phone, id_card=data.id_card)]

    @post("/", operation_id="CreateMember", summary="Put a member on the rolls", guards=ROLL_KEEPER)
    async def create(self, members: NamedDependency[MemberService], data: JSONBody[MemberCreate]) -> MemberView:
        return member_view(await members.create(data))

    @get("/{member_id:uuid}", operation_id="GetMember", summary="One member, personal data masked")
    async def get_member(self, members: NamedDependency[MemberService], member_id: MemberId) -> MemberView:
        return member_view(await members.get(member_id))

    @patch(
        "/{member_id:uuid}",
        operation_id="UpdateMember",
        summary="Change profile, post, flags, grid or the linked login (userId: district admins)",
        guards=ROLL_KEEPER,
    )
    async def update(
        self, members: NamedDependency[MemberService], member_id: MemberId, data: JSONBody[MemberUpdate]
    ) -> MemberView:
        return member_view(await members.update(member_id, data))

    @post(
        "/{member_id:uuid}/reveal",
        operation_id="RevealMemberField",
        status_code=200,
        summary="Show an ID number or phone in clear, for a stated purpose (audited)",
        guards=ROLL_KEEPER,
    )
    async def reveal(
        self, members: NamedDependency[MemberService], member_id: MemberId, data: JSONBody[RevealRequest]
    ) -> Revealed:
        return Revealed(field=data.field, value=await members.reveal(member_id, data.field, data.purpose))

    @post(
        "/{member_id:uuid}/transfers",
        operation_id="TransferMember",
        summary="Move formal membership",
        guards=ROLL_KEEPER,
    )
    async def transfer(
        self, membership: NamedDependency[MembershipService], member_id: MemberId, data: JSONBody[TransferRequest]
    ) -> TransferView:
        return view(TransferView, await membership.transfer(member_id, data))

    @get("/{member_id:uuid}/transfers", operation_id="ListMemberTransfers", summary="Membership history")
    async def transfers(
        self, membership: NamedDependency[MembershipService], member_id: MemberId
    ) -> list[TransferView]:
        return views(TransferView, await membership.transfers(member_id))

    @get("/{member_id:uuid}/membership", operation_id="MembershipAsOf", summary="The member's party unit on a date")
    async def membership_as_of(
        self,
        membership: NamedDependency[MembershipService],
        member_id: MemberId,
        as_of: Annotated[date, QueryParameter(name="asOf")],
    ) -> MembershipAsOf:
        branch = await membership.branch_as_of(member_id, as_of)
        return MembershipAsOf(member_id=member_id, as_of=as_of, branch_id=branch)

    @get("/roll", operation_id="BranchRollAsOf", summary="The members of a party unit on a past date")
    async def roll_as_of(
        self,
        membership: NamedDependency[MembershipService],
        branch_id: Annotated[UUID, QueryParameter(name="branchId")],
        as_of: Annotated[date, QueryParameter(name="asOf")],
    ) -> list[RollEntry]:
        rows = await membership.roll_as_of(branch_id, as_of)
        return [RollEntry(member_id=member_id, name=name) for member_id, name in rows]

    @post(
        "/{member_id:uuid}/removal",
        operation_id="RemoveMember",
        status_code=204,
        summary="Take a member off the district's rolls",
        guards=ROLL_KEEPER,
    )
    async def remove(
        self, members: NamedDependency[MemberService], member_id: MemberId, data: JSONBody[RemovalRequest]
    ) -> None:
        await members.remove(member_id, data)


class PostController(Controller):
    """The district's post catalogue (ORG-14), seeded with the eight posts; district admins may add posts."""

    path = "/api/orgtree/posts"
    tags = ["Members"]
    guards = in_district(*READERS)
    dependencies = {"posts": provide_service(PostService)}

    @get("/", operation_id="ListPosts", summary="Posts members may claim")
    async def list_posts(self, posts: NamedDependency[PostService]) -> list[PostView]:
        return views(PostView, await posts.all())

    @post("/", operation_id="AddPost", summary="Add a post to the catalogue", guards=DISTRICT_ADMIN)
    async def add_post(self, posts: NamedDependency[PostService], data: JSONBody[PostCreate]) -> PostView:
        return view(PostView, await posts.add(data))
