"""The programme catalogue: read by everyone who attends, kept by the district's organisers."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.programmes.models import Programme, TrainingCategory


class CatalogueService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def categories(self) -> Sequence[TrainingCategory]:
        return (await self.session.scalars(select(TrainingCategory).order_by(TrainingCategory.code))).all()

    async def programmes(self) -> Sequence[Programme]:
        return (await self.session.scalars(select(Programme).order_by(Programme.code))).all()
