"""Moving one district's rows of a component to another database cell, with that district's writes paused and
every other district untouched (``redcell tenant move``; the runbook is docs/scaling.md, "Moving a district").

1. Pause: the registry marks the component paused and is mirrored; after ``settle_s`` every process has seen it
   (the gateway refuses the district's writes with 503 and Retry-After, consumers put its messages back, sweeps
   leave it alone). Its unpublished outbox rows are given time to be published.
2. Copy the district's rows (``shared/db/tenant_rows.py``) from one snapshot of the old cell into the new cell in
   one transaction, then compare every table's count and digest on both sides.
3. Switch: the registry points at the new cell (still paused); after ``settle_s`` every process reads there.
4. Resume, then delete the district's rows from the old cell.

A failure before the switch deletes what reached the new cell and resumes on the old one: the district is where it
was. Reads go on throughout.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import asyncpg
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.models import Tenant
from gateway.tenants.models import TenantPlacement
from gateway.tenants.placement import mirror
from shared.components import placed
from shared.db.cells import REFRESH_S
from shared.db.tenant_rows import copy_district, delete_district, digest_district
from shared.db.urls import database_url, plain_dsn
from shared.settings import Settings

SETTLE_S = 3 * REFRESH_S  # every process refreshes its view of the registry at least once in this time
DRAIN_TIMEOUT_S = 30.0


class MoveError(RuntimeError):
    """The move was refused or undone; the district stays (or is back) where it was."""


@dataclass
class MoveReport:
    slug: str
    component: str
    from_cell: str
    to_cell: str
    rows: dict[str, int] = field(default_factory=dict)
    paused_s: float = 0.0
    copied_s: float = 0.0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


async def _connect(settings: Settings, component: str, role: str, cell: str) -> asyncpg.Connection:
    url = database_url(settings, component, role, cell=cell)  # type: ignore[arg-type]
    return await asyncpg.connect(plain_dsn(url), timeout=settings.pg.connect_timeout_s)


async def _set(sessions: async_sessionmaker[AsyncSession], tenant: uuid.UUID, component: str, **values: object) -> None:
    async with sessions() as session, session.begin():
        await session.execute(
            update(TenantPlacement)
            .where(TenantPlacement.tenant_id == tenant, TenantPlacement.component == component)
            .values(**values)
        )


async def _mirror(sessions: async_sessionmaker[AsyncSession], settings: Settings) -> None:
    async with sessions() as session:
        await mirror(session, settings)


async def _drain_outbox(source: asyncpg.Connection, tenant: uuid.UUID) -> None:
    """Wait (bounded) for the relay to publish the district's pending events from the old cell. Not required for
    correctness (a copied pending row is published from the new cell under the same envelope id, which consumers
    apply once), but it keeps the events in order."""
    deadline = time.monotonic() + DRAIN_TIMEOUT_S
    while time.monotonic() < deadline:
        pending = await source.fetchval(
            "SELECT count(*) FROM outbox_message WHERE tenant_id = $1 AND published_at IS NULL", tenant
        )
        if not pending:
            return
        await asyncio.sleep(0.2)


async def _placement(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, slug: str, component: str, to_cell: str
) -> tuple[uuid.UUID, str]:
    """The district's id and the cell its ``component`` rows are on; ``MoveError`` if it cannot move."""
    if component not in placed():
        raise MoveError(f"{component!r} is not a component with rows of its own ({', '.join(placed())})")
    if to_cell not in settings.cell_names:
        raise MoveError(f"no database cell named {to_cell!r} (known: {', '.join(settings.cell_names)})")
    async with sessions() as session:
        tenant = await session.scalar(select(Tenant).where(Tenant.slug == slug))
        if tenant is None:
            raise MoveError(f"no district {slug!r}")
        placement = await session.get(TenantPlacement, (tenant.id, component))
    if placement is None:
        raise MoveError(f"district {slug} has no placement for {component}")
    if placement.paused:
        raise MoveError(f"district {slug}'s {component} rows are already being moved")
    return tenant.id, placement.cell


async def move_district(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    slug: str,
    component: str,
    to_cell: str,
    *,
    settle_s: float = SETTLE_S,
    say: Callable[[str], object] = lambda _line: None,
) -> MoveReport:
    """Move district ``slug``'s rows of ``component`` to ``to_cell``; ``sessions`` are the gateway's system role."""
    tenant, from_cell = await _placement(sessions, settings, slug, component, to_cell)
    report = MoveReport(slug, component, from_cell, to_cell)
    if from_cell == to_cell:
        return report
    paused_at = time.monotonic()
    await _set(sessions, tenant, component, paused=True)
    await _mirror(sessions, settings)
    say(f"{slug} {component}: writes paused; waiting {settle_s:.1f} s for every process to see it")
    await asyncio.sleep(settle_s)
    try:
        await _copy(settings, report, tenant)
    except BaseException:
        await _undo(settings, component, to_cell, tenant)
        await _set(sessions, tenant, component, paused=False)
        await _mirror(sessions, settings)
        raise
    say(f"{slug} {component}: {report.total_rows} rows copied to {to_cell} and compared")
    await _set(sessions, tenant, component, cell=to_cell)
    await _mirror(sessions, settings)
    await asyncio.sleep(settle_s)  # every process reads the new cell before the district writes again
    await _set(sessions, tenant, component, paused=False)
    await _mirror(sessions, settings)
    report.paused_s = time.monotonic() - paused_at
    await _undo(settings, component, from_cell, tenant)
    say(f"{slug} {component}: on {to_cell}, writes resumed after {report.paused_s:.1f} s; old rows deleted")
    return report


async def _copy(settings: Settings, report: MoveReport, tenant: uuid.UUID) -> None:
    """Copy the district's rows to the new cell and compare both sides; ``MoveError`` if they differ."""
    source = await _connect(settings, report.component, "system", report.from_cell)
    target = await _connect(settings, report.component, "system", report.to_cell)
    try:
        await _drain_outbox(source, tenant)
        started = time.monotonic()
        report.rows = await copy_district(source, target, tenant)
        report.copied_s = time.monotonic() - started
        ours, theirs = await digest_district(source, tenant), await digest_district(target, tenant)
        if ours != theirs:
            differ = sorted(t for t in ours.keys() | theirs.keys() if ours.get(t) != theirs.get(t))
            raise MoveError(f"the copy differs from the original in {', '.join(differ)}; nothing was switched")
    finally:
        await source.close()
        await target.close()


async def _undo(settings: Settings, component: str, cell: str, tenant: uuid.UUID) -> None:
    """Delete the district's rows of ``component`` from ``cell`` (the copy, or the original once moved)."""
    owner = await _connect(settings, component, "owner", cell)
    try:
        await delete_district(owner, tenant)
    finally:
        await owner.close()
