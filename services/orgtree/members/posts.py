"""The district's post catalogue (ORG-14): seeded with the eight posts, extended by the district admin."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.members.models import Post, PostClaim
from services.orgtree.members.schemas import PostCreate
from shared import audit
from shared.clock import now
from shared.http.problems import conflict


async def record_claim(
    session: AsyncSession, member_id: UUID, post: tuple[str | None, str | None], on: date, by: UUID | None
) -> None:
    """The member's post changed on ``on``: the open claim ends that day and, with a post, the new one opens; so a
    post set on the record or claimed through the API both leave their history (the caller holds the member)."""
    current = await session.scalar(
        select(PostClaim).where(PostClaim.member_id == member_id, PostClaim.ended_on.is_(None)).limit(1)
    )
    if current is not None:
        current.ended_on = on
    code, method = post
    if code is not None and method is not None:
        session.add(
            PostClaim(
                member_id=member_id, post_code=code, method=method, claimed_on=on, recorded_by=by, recorded_at=now()
            )
        )


class PostService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def all(self) -> list[Post]:
        return list(await self.session.scalars(select(Post).order_by(Post.code)))

    async def codes(self) -> set[str]:
        return set(await self.session.scalars(select(Post.code)))

    async def add(self, data: PostCreate) -> Post:
        if await self.session.scalar(select(Post.id).where(Post.code == data.code)):
            raise conflict(f"the post '{data.code}' is already in the catalogue")
        post = Post(code=data.code, label=data.label.strip())
        self.session.add(post)
        await self.session.flush()
        await audit.record(self.session, "orgtree.post.added", subject_type="post", subject_id=data.code)
        return post
