"""Whose city an account is: what sign-in asks (identity/services.py) to give a city account its one role."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.city.models import City, CityAccount

CITY_VIEWER = "city_viewer"  # the one role of a city account; a district's roles never include it


async def city_of(session: AsyncSession, user_id: UUID) -> City | None:
    """The city whose account ``user_id`` is; None for anyone else."""
    return await session.scalar(
        select(City).join(CityAccount, CityAccount.city_id == City.id).where(CityAccount.user_id == user_id)
    )
