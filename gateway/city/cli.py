"""What the demo loader calls: a city with its districts and one account, idempotently (a second load changes
nothing: an existing city keeps its districts, an existing account stays as it is)."""

from __future__ import annotations

from sqlalchemy import select

from gateway.city.accounts import city_of
from gateway.city.services import add_account, create_city
from gateway.models import UserAccount
from shared.db.engine import make_engine, make_sessionmaker
from shared.settings import Settings


async def create_city_cli(  # noqa: PLR0917 - mirrors the city's fields
    settings: Settings, code: str, name: str, districts: list[str], username: str, password: str
) -> None:
    engine = make_engine(settings, "gateway", "system", pool_size=1)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            city, _ = await create_city(session, code, name, districts)
            user = await session.scalar(select(UserAccount).where(UserAccount.username == username))
            if user is None:
                await add_account(session, city, username, password, None)
            elif (await city_of(session, user.id)) is None:
                msg = f"{username!r} is not an account of {code}"
                raise ValueError(msg)
    finally:
        await engine.dispose()
