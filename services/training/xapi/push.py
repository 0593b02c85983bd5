"""Pushing the district's statements to its own LRS (POST <endpoint>statements), in batches, with backoff.

A scheduler job (``JOBS``) finds the districts with statements due (never pushed, their next attempt reached,
an enabled LRS) on the system role, then pushes each district's in its own scope on the application role:

1. Claim (short transaction): the oldest due statements, ``FOR UPDATE SKIP LOCKED``; count the attempt and push
   ``next_attempt_at`` out by a lease, so a second scheduler finds them not due; decrypt the password.
2. POST the batch with no transaction open.
3. Record: pushed, or the error and the next attempt after a backoff (30 s, 2, 10 and 30 min, then hourly;
   an LRS that is away for days gets everything once it is back). Rows carrying a later attempt are left alone.

At least once: a crash between 2 and 3 sends the batch again after the lease. Statement ids are fixed, and an
LRS answers a repeated identical statement without storing it twice (xAPI 1.0.3, "PUT/POST Statements").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

import httpx
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.training import SERVICE
from services.training.settings import get_training_settings
from services.training.xapi.lrs import password_of
from services.training.xapi.models import LrsSettings, XapiStatement
from services.training.xapi.settings import XapiSettings
from services.training.xapi.statements import VERSION
from shared.clock import now
from shared.context import tenant_scope
from shared.db.cells import CellEngines, cell_sessionmaker
from shared.logging import get_logger
from shared.scheduler import Job, due_across_districts
from shared.settings import Settings

log = get_logger(__name__)

BACKOFF_S = (30, 120, 600, 1800, 3600)  # after the 1st, 2nd, ... failed attempt; the last one repeats
LEASE_MARGIN_S = 30.0
MAX_BATCHES = 20  # per district and run: one district's backlog does not hold up the others for long
NOT_SENT = ("stored", "authority")  # the receiving LRS sets these itself


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=BACKOFF_S[min(attempts, len(BACKOFF_S)) - 1])


@dataclass(frozen=True, slots=True)
class Batch:
    url: str
    auth: tuple[str, str]
    claimed: list[tuple[UUID, int]]  # statement id, the attempt number this push is
    statements: list[dict[str, Any]]


async def claim(session: AsyncSession, limit: int, lease: timedelta) -> Batch | None:
    lrs = await session.scalar(select(LrsSettings).where(LrsSettings.enabled))
    if lrs is None:
        return None
    current = now()
    rows = list(
        await session.scalars(
            select(XapiStatement)
            .where(XapiStatement.pushed_at.is_(None), XapiStatement.next_attempt_at <= current)
            .order_by(XapiStatement.stored, XapiStatement.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    if not rows:
        return None
    for row in rows:
        row.attempts += 1
        row.next_attempt_at = current + lease
    sent = [{k: v for k, v in row.statement.items() if k not in NOT_SENT} for row in rows]
    auth = (lrs.username, await password_of(session, lrs))
    return Batch(f"{lrs.endpoint}statements", auth, [(row.id, row.attempts) for row in rows], sent)


async def send(http: httpx.AsyncClient, batch: Batch) -> str | None:
    """None when the LRS took the batch, else why not (kept on the rows as ``last_error``)."""
    try:
        answer = await http.post(
            batch.url, json=batch.statements, auth=batch.auth, headers={"X-Experience-API-Version": VERSION}
        )
    except httpx.HTTPError as exc:
        return f"{type(exc).__name__}: {exc}"[:500]
    if answer.status_code in (200, 204):
        return None
    return f"HTTP {answer.status_code}: {answer.text[:300]}"


async def record(session: AsyncSession, claimed: Sequence[tuple[UUID, int]], error: str | None) -> int:
    current = now()
    done = 0
    for statement_id, attempt in claimed:
        mine = (XapiStatement.id == statement_id, XapiStatement.attempts == attempt)
        values: dict[str, Any] = (
            {"pushed_at": current, "last_error": None}
            if error is None
            else {"last_error": error, "next_attempt_at": current + backoff(attempt)}
        )
        result = await session.execute(update(XapiStatement).where(*mine).values(**values))
        done += result.rowcount or 0  # type: ignore[attr-defined]
    return done


async def push_district(
    sessions: async_sessionmaker[AsyncSession], http: httpx.AsyncClient, tenant_id: UUID, xapi: XapiSettings
) -> int:
    """Push what is due in one district; how many statements its LRS took."""
    lease = timedelta(seconds=xapi.push_timeout_s + LEASE_MARGIN_S)
    pushed = 0
    with tenant_scope(tenant_id):
        for _ in range(MAX_BATCHES):
            async with sessions() as session, session.begin():
                batch = await claim(session, xapi.push_batch, lease)
            if batch is None:
                break
            error = await send(http, batch)
            async with sessions() as session, session.begin():
                await record(session, batch.claimed, error)
            if error is not None:
                log.info("xapi push will be retried", tenant=str(tenant_id), error=error, statements=len(batch.claimed))
                break
            pushed += len(batch.claimed)
    return pushed


async def districts_due(settings: Settings) -> list[UUID]:
    query = (
        select(XapiStatement.tenant_id)
        .join(LrsSettings, LrsSettings.tenant_id == XapiStatement.tenant_id)
        .where(LrsSettings.enabled, XapiStatement.pushed_at.is_(None), XapiStatement.next_attempt_at <= now())
        .distinct()
    )
    return [row.tenant_id for row in await due_across_districts(settings, SERVICE, query)]


async def push_due(settings: Settings, xapi: XapiSettings | None = None) -> int:
    """One run of the job: every district with statements due; how many statements were pushed."""
    xapi = xapi or get_training_settings().xapi
    due = await districts_due(settings)
    if not due:
        return 0
    engine = CellEngines(settings, SERVICE, "app", pool_size=1, max_overflow=0)
    try:
        async with httpx.AsyncClient(timeout=xapi.push_timeout_s, follow_redirects=False) as http:
            sessions = cell_sessionmaker(engine)
            pushed = 0
            for tenant_id in due:
                try:
                    pushed += await push_district(sessions, http, tenant_id, xapi)
                except Exception:  # one district's trouble (a key, a row) must not stop the others
                    log.exception("xapi push failed", tenant=str(tenant_id))
            return pushed
    finally:
        await engine.dispose()


JOBS: list[Job] = [Job(f"{SERVICE}.xapi_push", get_training_settings().xapi.push_interval_s, push_due)]
