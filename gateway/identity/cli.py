"""What ``redcell keys`` calls, and a programmatic login for tools and tests (no HTTP)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from gateway.identity.keys import (
    PUBLISH_BEFORE_SIGNING,
    KeyRing,
    retire_signing_key,
    retire_signing_keys,
    rotate_signing_key,
)
from gateway.identity.services import Identity, IssuedTokens
from gateway.models import SigningKey
from shared.db.engine import make_engine, make_sessionmaker
from shared.http.problems import ProblemError
from shared.settings import Settings


def _state(key: SigningKey, now: datetime) -> str:
    if key.retired_at is not None:
        return "retired"
    return "active" if key.activated_at <= now else f"staged until {key.activated_at:%Y-%m-%d %H:%M}"


async def keys_command(settings: Settings, action: str, kid: str | None) -> list[str]:
    """What ``redcell keys`` does.

    ``rotate``: add a key, published at once and signing a minute later. ``retire KID``: withdraw one key.
    ``retire`` alone: withdraw every key superseded longer ago than an access token lives. ``list``: all keys.
    """
    engine = make_engine(settings, "gateway", "system", pool_size=1)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            if action == "rotate":
                start = datetime.now().astimezone() + PUBLISH_BEFORE_SIGNING
                key = await rotate_signing_key(session, settings, activate_at=start)
                return [
                    f"new signing key {key.kid}: published now, signing from {start:%H:%M:%S %Z}; "
                    "older keys keep verifying until retired"
                ]
            if action == "retire":
                if kid is None:
                    lifetime = timedelta(seconds=settings.jwt.access_ttl_s + settings.jwt.leeway_s)
                    retired = await retire_signing_keys(session, lifetime)
                    return [f"retired {k}" for k in retired] or ["no key was superseded long enough ago"]
                try:
                    done = await retire_signing_key(session, kid)
                except ValueError as exc:
                    return [str(exc)]
                return [f"retired {kid}" if done else f"no unretired key {kid}"]
            now = datetime.now().astimezone()
            keys = await session.scalars(select(SigningKey).order_by(SigningKey.activated_at))
            return [f"{k.kid}\t{k.created_at:%Y-%m-%d %H:%M}\t{_state(k, now)}" for k in keys]
    finally:
        await engine.dispose()


async def issue_tokens(
    settings: Settings, username: str, password: str, *, tenant: str | None = None, otp: str | None = None
) -> IssuedTokens:
    """Log in exactly as ``POST /auth/login`` does (same checks, lockout counting and audit), without HTTP.

    Raises ``shared.http.problems.ProblemError`` (status 401 or 422) when the login is refused.
    """
    engine = make_engine(settings, "gateway", "system", pool_size=1)
    try:
        sessions = make_sessionmaker(engine)
        keys = KeyRing(settings, sessions)
        async with sessions() as session:
            try:
                issued = await Identity(session, settings, keys).login(username, password, tenant, otp)
            except ProblemError:
                await session.commit()  # counters and audit rows of a refusal are kept, as over HTTP
                raise
            await session.commit()
            return issued
    finally:
        await engine.dispose()
