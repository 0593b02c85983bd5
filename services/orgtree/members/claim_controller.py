"""A member's posts claimed (ORG-14) and the per-unit report of members without office who hold no post."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.orgtree.access import READERS, ROLL_KEEPER, STAFF, in_district
from services.orgtree.members.claims import PostClaimService
from services.orgtree.members.schemas import MemberPostsView, PostClaimCreate, UnitPostReport
from shared.http.di import provide_service


class PostClaimController(Controller):
    path = "/api/orgtree"
    tags = ["Members"]
    guards = in_district(*READERS)
    dependencies = {"claims": provide_service(PostClaimService)}

    @get("/members/{member_id:uuid}/posts", operation_id="GetMemberPosts", summary="The post held and every claim")
    async def of_member(self, claims: NamedDependency[PostClaimService], member_id: FromPath[UUID]) -> MemberPostsView:
        return await claims.of_member(member_id)

    @post(
        "/members/{member_id:uuid}/posts",
        operation_id="ClaimPost",
        summary="Record a member's claim of a post by self-nomination or branch nomination",
        guards=ROLL_KEEPER,
    )
    async def claim(
        self, claims: NamedDependency[PostClaimService], member_id: FromPath[UUID], data: JSONBody[PostClaimCreate]
    ) -> MemberPostsView:
        return await claims.claim(member_id, data)

    @get(
        "/reports/unposted-members/by-unit",
        operation_id="UnpostedMembersByUnit",
        summary="Per party unit: members without office, and how many of them hold no post",
        guards=in_district(*STAFF),
    )
    async def by_unit(
        self, claims: NamedDependency[PostClaimService], within: Annotated[UUID | None, QueryParameter()] = None
    ) -> UnitPostReport:
        return await claims.by_unit(within)
