"""A certificate's review deadlines as rows (EVT-15): the warning within the district's warning days and the due
date itself. The scheduler fires each once: CertificateReviewDue through the outbox, the certificate's state, and
for an overdue review a task. A review replaces the unfired rows with the next due date's."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.care.calendar import today
from services.training.care.models import (
    DEFAULT_WARNING_DAYS,
    ONE_DEADLINE,
    ONE_TASK_PER_DUE,
    CareSetting,
    CareTask,
    CertificateDeadline,
    CertificateState,
    DeadlineKind,
    MobileCertificate,
    TaskState,
)
from services.training.people.models import Person
from shared.clock import now
from shared.context import require_tenant
from shared.contracts.training import CertificateReviewDue
from shared.db.base import uuid7
from shared.messaging import outbox

REVIEW_TASK = "certificate_review"


async def warning_days(db: AsyncSession) -> int:
    days = await db.scalar(select(CareSetting.review_warning_days))
    return DEFAULT_WARNING_DAYS if days is None else days


async def schedule(db: AsyncSession, certificate: MobileCertificate) -> None:
    """The certificate's deadlines for its current due date, in place of any unfired ones."""
    await db.execute(
        delete(CertificateDeadline).where(
            CertificateDeadline.certificate_id == certificate.id, CertificateDeadline.fired_at.is_(None)
        )
    )
    rows = [
        {
            "tenant_id": require_tenant(),
            "id": uuid7(),
            "certificate_id": certificate.id,
            "due_on": certificate.review_due_on,
            "kind": kind,
        }
        for kind in (DeadlineKind.WARNING, DeadlineKind.OVERDUE)
    ]
    await db.execute(pg_insert(CertificateDeadline).values(rows).on_conflict_do_nothing(constraint=ONE_DEADLINE))


def due_by(kind: str, due_on: date, *, on: date, warning: int) -> bool:
    """Whether a deadline of ``kind`` for ``due_on`` has come on the day ``on``."""
    if kind == DeadlineKind.OVERDUE:
        return due_on < on
    return due_on <= on + timedelta(days=warning)


async def fire(db: AsyncSession, deadline_id: UUID) -> int:
    """Fire one deadline if it has come and still belongs to the certificate's due date; 1 when it fired."""
    deadline = await db.scalar(
        select(CertificateDeadline).where(CertificateDeadline.id == deadline_id).with_for_update(skip_locked=True)
    )
    if deadline is None or deadline.fired_at is not None:
        return 0
    certificate = await db.scalar(
        select(MobileCertificate).where(MobileCertificate.id == deadline.certificate_id).with_for_update()
    )
    if certificate is None or certificate.review_due_on != deadline.due_on:  # reviewed since: stale
        await db.execute(delete(CertificateDeadline).where(CertificateDeadline.id == deadline.id))
        return 0
    if not due_by(deadline.kind, deadline.due_on, on=today(), warning=await warning_days(db)):
        return 0
    deadline.fired_at = now()
    overdue = deadline.kind == DeadlineKind.OVERDUE
    if overdue:
        certificate.state = CertificateState.OVERDUE
        await _open_task(db, certificate)
    elif certificate.state != CertificateState.OVERDUE:
        certificate.state = CertificateState.REVIEW_DUE
    member_id = await db.scalar(select(Person.member_id).where(Person.id == certificate.person_id))
    due = CertificateReviewDue(
        tenant_id=require_tenant(),
        certificate_id=certificate.id,
        person_id=certificate.person_id,
        member_id=member_id,
        due_on=certificate.review_due_on,
        overdue=overdue,
    )
    await outbox.publish(db, due)
    await db.flush()
    return 1


async def _open_task(db: AsyncSession, certificate: MobileCertificate) -> None:
    values = {
        "tenant_id": require_tenant(),
        "id": uuid7(),
        "kind": REVIEW_TASK,
        "certificate_id": certificate.id,
        "person_id": certificate.person_id,
        "due_on": certificate.review_due_on,
        "state": TaskState.OPEN,
        "opened_at": now(),
    }
    await db.execute(pg_insert(CareTask).values(**values).on_conflict_do_nothing(constraint=ONE_TASK_PER_DUE))
