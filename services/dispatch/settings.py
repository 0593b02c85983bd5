"""Settings of the dispatch processes (``REDCELL_DISPATCH__...``); per-district rules live in the database."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, cast

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.catalogue.models import DispatchSettings, LadderLevel
from shared.http.problems import ProblemError


class DispatchProcessSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="REDCELL_DISPATCH__", env_nested_delimiter="__", extra="ignore", frozen=True
    )

    # Caller lookup reads households from orgtree with the operator's own token (no copy of personal data here).
    orgtree_url: str = "http://127.0.0.1:8101"
    orgtree_timeout_s: float = 2.0
    # SMS gateway spoken to over HTTP (JSON POST); empty: SMS messages go to the local development channel.
    sms_gateway_url: str = ""
    sms_gateway_token: SecretStr = SecretStr("")
    delivery_timeout_s: float = 5.0
    delivery_max_attempts: int = 6  # then the message is marked dead in the delivery log
    # The public request endpoint: codes per phone per hour, requests per phone per day.
    public_codes_per_hour: int = 3
    public_requests_per_day: int = 5
    verification_ttl_s: int = 600
    # Open311: the requests one client's API key may make a minute, across the endpoint.
    open311_key_requests_per_minute: int = 60


@lru_cache(maxsize=1)
def get_dispatch_settings() -> DispatchProcessSettings:
    return DispatchProcessSettings()


_RULES = "dispatch.district_rules"


async def district_rules(session: AsyncSession) -> DispatchSettings:
    """The current district's hotline settings, read once per transaction: a ticket's routing asks for them in
    several places (pre-service rule, offer time-out, time zone, the message's hotline number). Kept beside the
    transaction that read them, so the next transaction of a long-lived session reads them afresh; within it,
    the row is the session's own object, so a change made in the transaction is seen. A district without a
    hotline is a 404, as ``catalogue.services.district_settings`` says."""
    found = await district_rules_or_none(session)
    if found is None:
        raise ProblemError(404, "this district has no hotline set up", title="Not Found")
    return found


async def district_rules_or_none(session: AsyncSession) -> DispatchSettings | None:
    """``district_rules``, or None for a district without a hotline (the delivery log renders without them)."""
    known, row = remembered(session, _RULES)
    if known:
        return cast(DispatchSettings | None, row)
    found: DispatchSettings | None = await session.scalar(select(DispatchSettings))
    remember_rules(session, found)
    return found


def remember_rules(session: AsyncSession, row: DispatchSettings | None) -> None:
    """The district's settings as a statement of the caller's read them along (routing's lock), for this
    transaction's ``district_rules``."""
    remember(session, _RULES, row)


def remember(session: AsyncSession, key: str, value: object) -> None:
    """``value`` as this transaction's answer to ``key`` (a district fact read along with another statement)."""
    session.info[key] = (session.sync_session.get_transaction(), value)


def remembered(session: AsyncSession, key: str) -> tuple[bool, Any]:
    """Whether this transaction has an answer to ``key``, and the answer: a later transaction of a long-lived
    session reads afresh."""
    transaction = session.sync_session.get_transaction()
    cached = session.info.get(key)
    if cached is not None and transaction is not None and cached[0] is transaction:
        return True, cached[1]
    return False, None


NOTIFY_EVERY_STAGE = "dispatch.notify_every_stage"
FIRST_RUNG = 0  # a new ticket's ladder rank: the grid


def _ladder_key(rank: int) -> str:
    return f"dispatch.ladder_level.{rank}"


async def ladder_level(session: AsyncSession, rank: int) -> LadderLevel | None:
    """The district's ladder rung at ``rank``, read once per transaction (a call's intake reads rung 0 along with
    the settings: ``remember_ladder_level``)."""
    known, level = remembered(session, _ladder_key(rank))
    if known:
        return cast(LadderLevel | None, level)
    found: LadderLevel | None = await session.scalar(select(LadderLevel).where(LadderLevel.rank == rank))
    remember_ladder_level(session, rank, found)
    return found


def remember_ladder_level(session: AsyncSession, rank: int, level: LadderLevel | None) -> None:
    remember(session, _ladder_key(rank), level)
