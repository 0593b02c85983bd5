"""Boards' event handlers: training's published commitments go up on the commitment board (EVT-17)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.documents.boards.commitments import post_commitment
from services.documents.events import consumer
from shared.contracts.training import CommitmentPublished


@consumer.on(CommitmentPublished)
async def commitment_published(session: AsyncSession, event: CommitmentPublished) -> None:
    await post_commitment(session, event)
