"""Generating a month's reports: set-based, a batch of members per statement.

One statement per batch of person ids sums the month's ledger entries, attendance and the year's commitments for
every member of the batch, upserts their reports (one per person and month: generating again replaces the
figures) and writes one ``MonthlyReportGenerated`` per report to the outbox, in the caller's transaction. Nothing
is looped per member in Python: a district has up to a million of them.

Hours of service come from the ledger: a completed order's entry carries its minutes in its reason
(``points/actors.py``), the only place training keeps them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    Integer,
    Numeric,
    Uuid,
    bindparam,
    func,
    insert,
    literal,
    literal_column,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.commitments.models import Commitment, HolderKind
from services.training.people.directory import in_either_tree
from services.training.people.models import Person, PersonKind
from services.training.points.models import PointsEntry
from services.training.programmes.models import Attendance
from services.training.reports.models import ONE_PER_MONTH, MonthlyReport
from services.training.reports.months import Month
from shared.clock import now
from shared.context import current_request_id, require_tenant
from shared.contracts.dispatch import ServiceCompleted, WishFulfilled
from shared.contracts.training import MonthlyReportGenerated
from shared.db.kernel import outbox_message

BATCH = 5000  # members per statement: a few hundred milliseconds each, a bounded transaction for the scheduler
SERVICE_MINUTES = "服务([0-9]+)分钟"  # in a completed order's ledger reason: 完成志愿服务工单（服务90分钟）
# A version 7 uuid (time-ordered, as shared/db/base.py's uuid7) made by PostgreSQL 15, which has no uuidv7():
# the millisecond clock over the first 48 bits of a random uuid, and the version nibble turned from 4 to 7.
UUID7 = literal_column(
    "encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing substring(int8send("
    "(extract(epoch from clock_timestamp()) * 1000)::bigint) from 3) from 1 for 6), 52, 1), 53, 1), 'hex')::uuid",
    Uuid(),
)
FIGURES = (
    "services",
    "wishes",
    "service_hours",
    "sessions",
    "credit_hours",
    "commitments_published",
    "commitments_evaluated",
    "commitment_score",
    "points",
)


def on_rolls(paths: Sequence[str]) -> list[ColumnElement[bool]]:
    """Members reports are made for: active members under every one of ``paths`` (in either tree)."""
    return [Person.kind == PersonKind.MEMBER, Person.active.is_(True), *(in_either_tree(path) for path in paths)]


async def next_members(session: AsyncSession, paths: Sequence[str], after: UUID | None) -> list[UUID]:
    """The next batch of members' ids, in id order after ``after``."""
    query = select(Person.id).where(*on_rolls(paths)).order_by(Person.id).limit(BATCH)
    if after is not None:
        query = query.where(Person.id > after)
    return list(await session.scalars(query))


def _figures(month: Month, ids: Any, first: UUID, last: UUID) -> Any:
    """One row per member of the batch with the month's figures, ready for ``monthly_report``. Each member's sums
    are a lateral subquery on that member's index range: a plan that stays a few index probes per member whatever
    the statistics say (joining grouped subqueries, PostgreSQL could misjudge them as one row each and nest loops
    over the whole batch)."""
    people = (Person.id, Person.member_id, Person.name, Person.branch_path, Person.grid_path)
    # the batch's id range as well: the tenant's RLS predicate is opaque to the planner, which may otherwise scan
    # every person of the district to pick out the batch
    batch = func.unnest(ids).table_valued("id").render_derived(name="batch")
    members = (
        select(*people)
        .join_from(batch, Person, Person.id == batch.c.id)
        .where(Person.id.between(first, last), *on_rolls(()))
        .subquery("members")
    )
    minutes = func.substring(PointsEntry.reason, SERVICE_MINUTES).cast(Integer)
    service = PointsEntry.source_kind == ServiceCompleted.NAME
    ledger = (
        select(
            func.count().filter(service).label("services"),
            func.count().filter(PointsEntry.source_kind == WishFulfilled.NAME).label("wishes"),
            func.sum(minutes).filter(service).label("minutes"),
            func.sum(PointsEntry.points).label("points"),
        )
        .where(PointsEntry.person_id == members.c.id, PointsEntry.occurred_at >= month.starts_at)
        .where(PointsEntry.occurred_at < month.ends_at)
        .lateral("ledger")
    )
    training = (
        select(func.count().label("sessions"), func.sum(Attendance.credit_hours).label("credit_hours"))
        .where(Attendance.person_id == members.c.id, Attendance.checked_in_at >= month.starts_at)
        .where(Attendance.checked_in_at < month.ends_at)
        .lateral("training")
    )
    # the year's commitments as they stood at the month's end
    published = Commitment.published_at < month.ends_at
    evaluated = (Commitment.evaluated_at < month.ends_at) & Commitment.score.is_not(None)
    commitments = (
        select(
            func.count().filter(published).label("published"),
            func.count().filter(evaluated).label("evaluated"),
            func.avg(Commitment.score).filter(evaluated).label("score"),
        )
        .where(Commitment.holder_kind == HolderKind.MEMBER, Commitment.person_id == members.c.id)
        .where(Commitment.period == str(month.year))
        .lateral("commitments")
    )
    return (
        select(
            literal(require_tenant(), Uuid()).label("tenant_id"),
            UUID7.label("id"),
            members.c.id.label("person_id"),
            members.c.member_id,
            literal(month.label).label("month"),
            members.c.name,
            members.c.branch_path,
            members.c.grid_path,
            func.coalesce(ledger.c.services, 0).label("services"),
            func.coalesce(ledger.c.wishes, 0).label("wishes"),
            func.round(func.coalesce(ledger.c.minutes, 0) / literal(60, Numeric()), 1).label("service_hours"),
            func.coalesce(training.c.sessions, 0).label("sessions"),
            func.coalesce(training.c.credit_hours, 0).label("credit_hours"),
            func.coalesce(commitments.c.published, 0).label("commitments_published"),
            func.coalesce(commitments.c.evaluated, 0).label("commitments_evaluated"),
            func.round(commitments.c.score, 2).label("commitment_score"),
            func.coalesce(ledger.c.points, 0).label("points"),
            literal(now()).label("generated_at"),
        )
        .select_from(members)
        .join(ledger, true())
        .join(training, true())
        .join(commitments, true())
    )


async def generate(session: AsyncSession, month: Month, person_ids: Sequence[UUID]) -> int:
    """Generate (or regenerate) the month's reports of the members among ``person_ids``, with one event each;
    returns how many."""
    if not person_ids:
        return 0
    ids = bindparam("ids", list(person_ids), type_=ARRAY(Uuid()))
    rows = _figures(month, ids, min(person_ids), max(person_ids))
    upsert = pg_insert(MonthlyReport).from_select([column.name for column in rows.selected_columns], rows)
    kept = ("member_id", "name", "branch_path", "grid_path", *FIGURES, "generated_at")
    reports = upsert.on_conflict_do_update(
        constraint=ONE_PER_MONTH, set_={name: upsert.excluded[name] for name in kept}
    ).returning(
        MonthlyReport.tenant_id,
        MonthlyReport.id,
        MonthlyReport.person_id,
        MonthlyReport.member_id,
        MonthlyReport.month,
        MonthlyReport.branch_path,
        MonthlyReport.generated_at,
        MonthlyReport.name,
        *(getattr(MonthlyReport, name) for name in FIGURES),
    )
    done = reports.cte("reports")
    payload = func.jsonb_build_object(
        "version",
        MonthlyReportGenerated.VERSION,
        "report_id",
        done.c.id,
        "person_id",
        done.c.person_id,
        "member_id",
        done.c.member_id,
        "month",
        done.c.month,
        "branch_path",
        func.coalesce(done.c.branch_path, ""),
        "generated_at",
        done.c.generated_at,
        "member_name",
        done.c.name,  # the name and figures documents prints on the rendered report
        *(item for name in FIGURES for item in (name, done.c[name])),
    )
    request_id = current_request_id.get()
    events = select(
        UUID7,
        done.c.tenant_id,
        literal(MonthlyReportGenerated.NAME),
        payload,
        literal(request_id[:64] if request_id else None, outbox_message.c.request_id.type),
    )
    statement = (
        insert(outbox_message).from_select(["id", "tenant_id", "event", "payload", "request_id"], events).add_cte(done)
    )
    result = await session.execute(statement)
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def generate_under(session: AsyncSession, month: Month, paths: Sequence[str]) -> int:
    """Every member under ``paths`` (all of them: empty), a batch per statement, in the caller's transaction."""
    generated, after = 0, None
    while ids := await next_members(session, paths, after):
        generated += await generate(session, month, ids)
        if len(ids) < BATCH:
            break
        after = ids[-1]
    return generated
