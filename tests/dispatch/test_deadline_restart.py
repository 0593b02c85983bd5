"""Deadlines are rows, not timers in a process: a clock that runs out while the scheduler is down is acted on
once it is back, exactly once, even when the scheduler is killed in the middle of a sweep and restarted.

Real ``redcell scheduler`` subprocesses against the session's PostgreSQL and Redis.
"""

from __future__ import annotations

import asyncio
import json
import signal
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.db.engine import make_engine
from shared.settings import Settings
from tests.dispatch.builders import District, make_overdue, open_ticket
from tests.platform.processes import Platform, RunningProcess
from tests.platform.tokens import TestIssuer

# Far past: the yellow fires on the first sweep and the red it starts (a day later) is already due too,
# so the escalation comes on the next sweep: a backlog caught up step by step.
LONG_AGO_MINUTES = 3 * 24 * 60
WAIT_S = 120.0


async def escalations(system: AsyncEngine, district: District) -> dict[str, tuple[int, int, int]]:
    """Per ticket of the district: (escalated history rows, TicketEscalated outbox rows, level now)."""
    async with system.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT t.id::text, t.level_rank,"
                " (SELECT count(*) FROM ticket_history h WHERE h.ticket_id = t.id AND h.action = 'escalated'),"
                " (SELECT count(*) FROM outbox_message o WHERE o.event = 'dispatch.TicketEscalated'"
                "    AND o.payload->>'ticket_id' = t.id::text)"
                " FROM ticket t WHERE t.tenant_id = :t"
            ),
            {"t": district.id},
        )
        return {row[0]: (int(row[2]), int(row[3]), int(row[1])) for row in rows}


async def wait_until(check: Callable[[], Awaitable[bool]], process: RunningProcess, what: str) -> None:
    """Poll until ``check`` holds; fail with the scheduler's log if it never does or the process died."""
    give_up = time.monotonic() + WAIT_S
    while not await check():
        if process.proc is not None and process.proc.poll() is not None:
            raise AssertionError(f"{process.name} exited while waiting for {what}:\n{process.log_tail()}")
        if time.monotonic() > give_up:
            raise AssertionError(f"{what} did not happen within {WAIT_S} s:\n{process.log_tail()}")
        await asyncio.sleep(0.02)


async def overdue_tickets(
    client: AsyncTestClient[Any], issuer: TestIssuer, district: District, count: int
) -> list[str]:
    ids = []
    for _ in range(count):
        ticket: dict[str, Any] = await open_ticket(client, issuer, district)
        assert await make_overdue(district, ticket["id"], "resolution", LONG_AGO_MINUTES) == 1
        ids.append(ticket["id"])
    return ids


async def test_a_deadline_passed_while_stopped_escalates_exactly_once_after_restarts(
    *,
    client: AsyncTestClient[Any],
    issuer: TestIssuer,
    settings: Settings,
    server_env: dict[str, str],
    district_a: District,
    district_b: District,
    tmp_path: Path,
) -> None:
    # Sweeps every second (five in production): each ticket needs several sweeps, and the clocks are what is tested.
    fast = {"REDCELL_SCHEDULE_INTERVALS": json.dumps({"dispatch.deadlines": 1})}
    platform = Platform(base_env={**server_env, **fast}, log_dir=tmp_path)
    system = make_engine(settings, "dispatch", "system")
    try:
        # Nothing runs while the deadline passes.
        [ticket] = await overdue_tickets(client, issuer, district_a, 1)
        assert (await escalations(system, district_a))[ticket] == (0, 0, 0)

        scheduler = platform.add("scheduler", "scheduler")

        async def escalated() -> bool:
            return (await escalations(system, district_a))[ticket][2] == 1

        await wait_until(escalated, scheduler, "the automatic escalation")
        # Proof that further sweeps ran after it: a later ticket goes through yellow, red and escalation too.
        [marker] = await overdue_tickets(client, issuer, district_b, 1)

        async def marker_escalated() -> bool:
            return (await escalations(system, district_b))[marker][2] == 1

        await wait_until(marker_escalated, scheduler, "the marker's escalation")
        assert (await escalations(system, district_a))[ticket] == (1, 1, 1)

        # kill -9 in the middle of a batch, then start again: still once per ticket.
        batch = await overdue_tickets(client, issuer, district_a, 40)

        async def some_escalated() -> bool:
            counts = await escalations(system, district_a)
            return any(counts[t][2] == 1 for t in batch)

        await wait_until(some_escalated, scheduler, "the first escalation of the batch")
        scheduler.kill(signal.SIGKILL)
        restarted = platform.add("scheduler-restarted", "scheduler")

        async def all_escalated() -> bool:
            counts = await escalations(system, district_a)
            return all(counts[t][2] == 1 for t in batch)

        await wait_until(all_escalated, restarted, "the whole batch's escalation")
        [marker] = await overdue_tickets(client, issuer, district_b, 1)
        await wait_until(marker_escalated, restarted, "the second marker's escalation")

        counts = await escalations(system, district_a)
        assert {counts[t] for t in [ticket, *batch]} == {(1, 1, 1)}
        async with system.connect() as conn:
            warnings = await conn.execute(
                text(
                    "SELECT payload->>'ticket_id', payload->>'warning', count(*) FROM outbox_message"
                    " WHERE tenant_id = :t AND event = 'dispatch.TicketOverdue' GROUP BY 1, 2"
                ),
                {"t": district_a.id},
            )
            per_ticket = {(row[0], row[1]): int(row[2]) for row in warnings}
        assert all(per_ticket[(t, w)] == 1 for t in [ticket, *batch] for w in ("yellow", "red"))
    finally:
        platform.stop_all()
        await system.dispose()
