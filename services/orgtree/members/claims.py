"""Posts claimed (ORG-14, "党员认岗" [002]): a member takes one of the catalogue's posts by self-nomination or by
the branch's nomination, on a date; the claim before it ends that day, so the member's posts stay as history. The
report counts, per party unit, its members without office (无职党员) and how many of them hold no post yet."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import Integer, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.members.models import Member, PostClaim
from services.orgtree.members.posts import PostService, record_claim
from services.orgtree.members.rules import POST_METHODS
from services.orgtree.members.schemas import (
    MemberPostsView,
    PostClaimCreate,
    PostClaimView,
    UnitPostReport,
    UnitPostRow,
)
from services.orgtree.members.services import MemberService
from services.orgtree.nodes.models import OrgNode
from services.orgtree.nodes.services import NodeService, in_subtree
from shared.auth.principal import Principal
from shared.clock import china_today
from shared.contracts.orgtree import MemberUpdated
from shared.http.problems import conflict, invalid
from shared.http.views import view
from shared.messaging.outbox import publish

WITHOUT_OFFICE = "without_office"


class PostClaimService:
    def __init__(
        self,
        session: AsyncSession,
        principal: Principal,
        members: MemberService,
        posts: PostService,
        nodes: NodeService,
    ) -> None:
        self.session = session
        self.principal = principal
        self.members = members
        self.posts = posts
        self.nodes = nodes

    async def of_member(self, member_id: UUID) -> MemberPostsView:
        member = await self.members.get(member_id)
        labels = {p.code: p.label for p in await self.posts.all()}
        claims = await self.session.scalars(
            select(PostClaim)
            .where(PostClaim.member_id == member.id)
            .order_by(PostClaim.claimed_on.desc(), PostClaim.recorded_at.desc())
        )
        return MemberPostsView(
            member_id=member.id,
            member_name=member.name,
            post_code=member.post_code,
            post_method=member.post_method,
            claims=[view(PostClaimView, c, post_label=labels.get(c.post_code, c.post_code)) for c in claims],
        )

    async def claim(self, member_id: UUID, data: PostClaimCreate) -> MemberPostsView:
        if data.method not in POST_METHODS:
            raise invalid("method", f"one of: {', '.join(POST_METHODS)}")
        codes = await self.posts.codes()
        if data.post_code not in codes:
            raise invalid("postCode", f"'{data.post_code}' is not in this district's post catalogue")
        if data.claimed_on > china_today():
            raise invalid("claimedOn", "a post cannot be claimed in the future")
        member = await self.members.locked(member_id)
        current = await self.session.scalar(
            select(PostClaim).where(PostClaim.member_id == member.id, PostClaim.ended_on.is_(None)).limit(1)
        )
        if current is not None and data.claimed_on < current.claimed_on:
            raise invalid("claimedOn", f"before the current claim of {current.claimed_on.isoformat()}")
        if member.post_code == data.post_code and member.post_method == data.method:
            raise conflict("the member holds this post already")
        post = (data.post_code, data.method)
        await record_claim(self.session, member.id, post, data.claimed_on, self.principal.user_id)
        member.post_code, member.post_method = data.post_code, data.method
        await self.session.flush()
        changed = ["postCode", "postMethod"]
        await self.members.record(
            "orgtree.member.post_claimed", member, {"post": data.post_code, "method": data.method}
        )
        await publish(self.session, view(MemberUpdated, member, member_id=member.id, changed=changed))
        return await self.of_member(member.id)

    async def by_unit(self, within: UUID | None) -> UnitPostReport:
        """Per party unit with members without office in the scope: how many hold a post and how many do not."""
        scope = await self.nodes.scope_path(within)
        lacking = cast(Member.post_code.is_(None), Integer)
        query = (
            select(Member.branch_id, OrgNode.name, func.count(), func.sum(lacking))
            .join(OrgNode, OrgNode.id == Member.branch_id)
            .where(Member.flags.contains([WITHOUT_OFFICE]))
            .group_by(Member.branch_id, OrgNode.name)
        )
        if scope is not None:
            query = query.where(in_subtree(Member.grid_path, scope) | in_subtree(Member.branch_path, scope))
        rows = [
            UnitPostRow(
                unit_id=unit_id,
                unit_name=name,
                without_office=int(total),
                with_post=int(total - none),
                without_post=int(none),
            )
            for unit_id, name, total, none in (await self.session.execute(query)).all()
        ]
        rows.sort(key=lambda r: (-r.without_post, r.unit_name))
        return UnitPostReport(units=rows, without_post=sum(r.without_post for r in rows))
