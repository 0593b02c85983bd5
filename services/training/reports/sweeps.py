"""The scheduler generates every district's reports of the month just ended (TRN-06).

Each run looks at last month (Asia/Shanghai): a district without a ``monthly_report_run`` row for it gets one
(so the month is generated on the 1st, or on the first run after, once), and every unfinished run advances a
batch of members at a time, each batch's reports and events in one transaction under the district's RLS with
its progress, so a crash or a second scheduler costs at most a batch done twice (an upsert: the same reports).
A district of a million members takes a few runs; the run stops taking batches after ``BUDGET_S`` so that the
scheduler's other sweeps keep their pace.
"""

from __future__ import annotations

import time

from sqlalchemy import exists, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.training import SERVICE
from services.training.programmes.models import TrainingCategory
from services.training.reports.generation import BATCH, generate, next_members
from services.training.reports.models import ReportRun
from services.training.reports.months import Month, this_month
from shared.clock import now
from shared.scheduler import Job, apply_each, due_across_districts
from shared.settings import Settings

INTERVAL_S = 60.0
BUDGET_S = 30.0
SYSTEM_ACTOR = "system:training-scheduler"


async def start_run(session: AsyncSession, label: str) -> int:
    """The district's run of the month, unless it has one; 1 when started."""
    added = await session.execute(
        pg_insert(ReportRun).values(month=label, reports=0).on_conflict_do_nothing().returning(ReportRun.month)
    )
    return len(added.all())


async def advance_run(session: AsyncSession, label: str) -> int:
    """The next batch of the district's run; 1 when a batch was done (0: finished, or another run holds it)."""
    run = await session.scalar(
        select(ReportRun)
        .where(ReportRun.month == label, ReportRun.finished_at.is_(None))
        .with_for_update(skip_locked=True)
    )
    if run is None:
        return 0
    ids = await next_members(session, (), run.after)
    run.reports += await generate(session, Month.of(label), ids)
    if len(ids) < BATCH:
        run.finished_at = now()
    else:
        run.after = ids[-1]
    return 1


async def generate_last_month(settings: Settings) -> int:
    """One run of the job; returns how many batches it did."""
    last: Month = this_month().previous()
    # every district has a catalogue (seeded when it is provisioned): a small table to find them all by
    without_run = ~exists().where(ReportRun.tenant_id == TrainingCategory.tenant_id, ReportRun.month == last.label)
    districts = select(TrainingCategory.tenant_id).where(without_run).distinct()
    new = [(row[0], last.label) for row in await due_across_districts(settings, SERVICE, districts)]
    await apply_each(settings, SERVICE, new, start_run, actor=SYSTEM_ACTOR)
    unfinished = select(ReportRun.tenant_id, ReportRun.month).where(ReportRun.finished_at.is_(None))
    done, deadline = 0, time.monotonic() + BUDGET_S
    while time.monotonic() < deadline:
        due = [(row.tenant_id, row.month) for row in await due_across_districts(settings, SERVICE, unfinished)]
        batches = await apply_each(settings, SERVICE, due, advance_run, actor=SYSTEM_ACTOR)
        if not batches:
            break
        done += batches
    return done


JOBS: list[Job] = [Job(f"{SERVICE}.monthly_reports", INTERVAL_S, generate_last_month)]
