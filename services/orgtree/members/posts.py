"""The district's post catalogue (ORG-14): seeded with the eight posts, extended by the district admin."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.members.models import Post
from services.orgtree.members.schemas import PostCreate
from shared import audit
from shared.http.problems import conflict


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
