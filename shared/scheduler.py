"""``redcell scheduler``: periodic sweeps declared by each component in ``<package>.schedule.JOBS``.

Deadlines and housekeeping are rows in the owning service's database; a sweep finds what is due.
Several scheduler replicas may run: a Redis lock per job and interval makes one of them do the work,
and every sweep is idempotent, so a lost lock costs a repeat, never a miss.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import signal
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any, TypeVar
from uuid import UUID

from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import Executable, Row, text
from sqlalchemy.ext.asyncio import AsyncSession

from shared.audit import actor_scope
from shared.context import tenant_scope
from shared.db.cells import CellEngines, cell_sessionmaker, cells_holding, placement_view
from shared.db.engine import make_engine
from shared.logging import configure_logging, get_logger
from shared.probes import Heartbeat, dependency_checks, start_probes
from shared.settings import Settings, get_settings

log = get_logger(__name__)
T = TypeVar("T")

# Sweeps run inline in the loop, so a tick may last as long as the longest sweep: /livez allows for one.
_STALE_AFTER_S = 300.0


@dataclass(frozen=True)
class Job:
    name: str
    interval_s: float
    run: Callable[[Settings], Awaitable[int]]  # returns how many rows it handled


def prune_published_outbox(service: str, keep: timedelta = timedelta(days=7)) -> Job:
    """Published outbox rows are kept a week for inspection, then deleted (on every cell)."""

    async def run(settings: Settings) -> int:
        deleted = 0
        for cell in cells_holding(settings, service):
            engine = make_engine(settings, service, "system", pool_size=1, max_overflow=0, cell=cell)
            try:
                async with engine.begin() as conn:
                    result = await conn.execute(
                        text("DELETE FROM outbox_message WHERE published_at < now() - make_interval(secs => :s)"),
                        {"s": keep.total_seconds()},
                    )
                    deleted += int(result.rowcount or 0)
            finally:
                await engine.dispose()
        return deleted

    return Job(f"{service}.prune_outbox", 3600, run)


async def due_across_districts(settings: Settings, service: str, query: Executable) -> list[Row[Any]]:
    """What ``query`` finds due in every district, read on ``service``'s system role in every cell (finding
    crosses districts; acting on a row does not: see ``apply_each``)."""
    found: list[Row[Any]] = []
    for cell in cells_holding(settings, service):
        engine = make_engine(settings, service, "system", pool_size=1, max_overflow=0, cell=cell)
        try:
            async with engine.connect() as conn:
                found += list(await conn.execute(query))
        finally:
            await engine.dispose()
    return found


async def apply_each(
    settings: Settings,
    service: str,
    due: Sequence[tuple[UUID, T]],
    apply: Callable[[AsyncSession, T], Awaitable[int]],
    *,
    actor: str,
) -> int:
    """``apply`` each (tenant, item) in its own transaction, in that district's scope on the application role (on
    the district's cell), so RLS holds for everything it writes. One failing item is logged and left for the next
    sweep; the rest go on; a district whose rows are moving between cells is left for a sweep after the move.
    ``apply`` must lock and re-check its row (two sweeps may race) and return how many it handled."""
    if not due:
        return 0
    engines = CellEngines(settings, service, "app", pool_size=1, max_overflow=0)
    sessions = cell_sessionmaker(engines)
    view = placement_view(settings)
    handled = 0
    try:
        for tenant_id, item in due:
            with tenant_scope(tenant_id), actor_scope(actor):
                try:
                    if view.paused(tenant_id, service):
                        continue
                    async with sessions() as session, session.begin():
                        handled += await apply(session, item)
                except Exception:
                    log.exception("sweep could not apply an item", service=service, tenant=str(tenant_id))
    finally:
        await engines.dispose()
    return handled


def load_jobs(modules: list[str]) -> list[Job]:
    jobs: list[Job] = []
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        jobs.extend(getattr(module, "JOBS", []))
    return jobs


async def _run_due(job: Job, settings: Settings, redis: Redis) -> None:
    slot = int(time.time() // job.interval_s)
    acquired = await redis.set(f"redcell:sched:{job.name}:{slot}", "1", nx=True, ex=int(job.interval_s) + 60)
    if not acquired:
        return
    started = time.perf_counter()
    try:
        handled = await job.run(settings)
    except Exception:
        log.exception("scheduled job failed", job=job.name)
        await redis.delete(f"redcell:sched:{job.name}:{slot}")  # let this or another replica retry
        return
    # A sweep that found nothing says so at debug: at info, `make dev` printed a line a second that said nothing.
    said = log.info if handled else log.debug
    said("scheduled job ran", job=job.name, handled=handled, ms=round((time.perf_counter() - started) * 1000, 1))


async def scheduler_loop(
    jobs: list[Job], settings: Settings, stop: asyncio.Event, tick_s: float = 1.0, heartbeat: Heartbeat | None = None
) -> None:
    redis = Redis.from_url(settings.redis.url)
    try:
        next_run = dict.fromkeys((job.name for job in jobs), 0.0)
        while not stop.is_set():
            if heartbeat is not None:
                heartbeat.beat()
            now = time.monotonic()
            for job in jobs:
                if now >= next_run[job.name]:
                    next_run[job.name] = now + job.interval_s
                    try:
                        await _run_due(job, settings, redis)
                    except (OSError, RedisError):  # redis-py's ConnectionError is not an OSError
                        log.warning("scheduler cannot reach Redis; will retry", job=job.name)
                        next_run[job.name] = now + tick_s
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), tick_s)
    finally:
        await redis.aclose()


def with_intervals(jobs: list[Job], intervals: dict[str, float]) -> list[Job]:
    """``jobs`` at the intervals the settings give them; a name no job has, or an interval that is not a positive
    number of seconds, is refused (a misspelt override would otherwise do nothing, silently)."""
    names = {job.name for job in jobs}
    unknown = sorted(set(intervals) - names)
    if unknown:
        msg = f"REDCELL_SCHEDULE_INTERVALS names no such job: {', '.join(unknown)} (jobs: {', '.join(sorted(names))})"
        raise ValueError(msg)
    if any(seconds <= 0 for seconds in intervals.values()):
        msg = "REDCELL_SCHEDULE_INTERVALS: each interval is a positive number of seconds"
        raise ValueError(msg)
    return [replace(job, interval_s=intervals.get(job.name, job.interval_s)) for job in jobs]


def run_scheduler(modules: list[str]) -> None:
    settings = get_settings()
    configure_logging("scheduler", json=settings.log_json, level=settings.log_level)
    jobs = with_intervals(load_jobs(modules), settings.schedule_intervals)
    log.info("scheduler starting", jobs={job.name: job.interval_s for job in jobs})

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        heartbeat = Heartbeat(stale_after_s=_STALE_AFTER_S)
        # Redis only: each sweep's database belongs to its service and is that service's readiness.
        probes = start_probes(settings, alive=heartbeat.alive, readiness=dependency_checks(settings, None))
        try:
            await scheduler_loop(jobs, settings, stop, heartbeat=heartbeat)
        finally:
            if probes is not None:
                probes.stop()

    asyncio.run(main())
