"""What ``redcell keys`` calls: rotating and retiring the gateway's token-signing keys."""

from __future__ import annotations

from sqlalchemy import select

from gateway.identity.keys import retire_signing_key, rotate_signing_key
from gateway.models import SigningKey
from shared.db.engine import make_engine, make_sessionmaker
from shared.settings import Settings


async def keys_command(settings: Settings, action: str, kid: str | None) -> list[str]:
    engine = make_engine(settings, "gateway", "system", pool_size=1)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            if action == "rotate":
                key = await rotate_signing_key(session, settings)
                return [f"new signing key {key.kid}; gateways use it within 30 s, old keys still verify"]
            if action == "retire":
                if kid is None:
                    return ["name the key id to retire"]
                retired = await retire_signing_key(session, kid)
                return [f"retired {kid}" if retired else f"no active key {kid}"]
            keys = await session.scalars(select(SigningKey).order_by(SigningKey.created_at))
            return [f"{k.kid}\t{k.created_at:%Y-%m-%d %H:%M}\t{'retired' if k.retired_at else 'active'}" for k in keys]
    finally:
        await engine.dispose()
