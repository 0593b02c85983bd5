"""Member care's scheduled sweeps: certificates for members newly flagged mobile, and review deadlines that have
come (the warning within the district's warning days, then the due date).

Finding crosses districts (system role); each item is applied in its own district's transaction on the
application role, locked and re-checked there, so two schedulers act once.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, exists, func, or_, select

from services.training import SERVICE
from services.training.care import deadlines
from services.training.care.calendar import today
from services.training.care.certificates import MOBILE, open_for_flag
from services.training.care.models import (
    DEFAULT_WARNING_DAYS,
    CareSetting,
    CertificateDeadline,
    DeadlineKind,
    MobileCertificate,
)
from services.training.people.models import Person, PersonKind
from shared.scheduler import Job, apply_each, due_across_districts
from shared.settings import Settings

SWEEP_INTERVAL_S = 60.0
BATCH = 500
SYSTEM_ACTOR = "system:training-scheduler"


async def open_flagged_certificates(settings: Settings) -> int:
    """One run: a certificate for each active member flagged mobile who has none yet."""
    holds = exists().where(MobileCertificate.tenant_id == Person.tenant_id, MobileCertificate.person_id == Person.id)
    query = (
        select(Person.tenant_id, Person.id)
        .where(
            Person.kind == PersonKind.MEMBER,
            Person.active.is_(True),
            Person.flags.contains([MOBILE]),
            ~holds,
        )
        .limit(BATCH)
    )
    due = [(row.tenant_id, row.id) for row in await due_across_districts(settings, SERVICE, query)]
    return await apply_each(settings, SERVICE, due, open_for_flag, actor=SYSTEM_ACTOR)


async def fire_review_deadlines(settings: Settings) -> int:
    """One run: every unfired deadline that has come in its district (warning days as the district set them)."""
    on = today()
    days = func.coalesce(
        select(CareSetting.review_warning_days)
        .where(CareSetting.tenant_id == CertificateDeadline.tenant_id)
        .scalar_subquery(),
        DEFAULT_WARNING_DAYS,
    )
    come = or_(
        and_(CertificateDeadline.kind == DeadlineKind.OVERDUE, CertificateDeadline.due_on < on),
        and_(CertificateDeadline.kind == DeadlineKind.WARNING, CertificateDeadline.due_on - days <= on),
    )
    # a member who left the district's rolls is chased no more
    on_the_rolls = (
        select(Person.id)
        .join(MobileCertificate, MobileCertificate.person_id == Person.id)
        .where(MobileCertificate.id == CertificateDeadline.certificate_id, Person.active.is_(True))
        .exists()
    )
    query = (
        select(CertificateDeadline.tenant_id, CertificateDeadline.id)
        .where(
            CertificateDeadline.fired_at.is_(None),
            CertificateDeadline.due_on <= on + timedelta(days=366),
            come,
            on_the_rolls,
        )
        # the warning before the due date's own event
        .order_by(CertificateDeadline.due_on, CertificateDeadline.kind.desc())
        .limit(BATCH)
    )
    due = [(row.tenant_id, row.id) for row in await due_across_districts(settings, SERVICE, query)]
    return await apply_each(settings, SERVICE, due, deadlines.fire, actor=SYSTEM_ACTOR)


JOBS: list[Job] = [
    Job(f"{SERVICE}.care_certificates", SWEEP_INTERVAL_S, open_flagged_certificates),
    Job(f"{SERVICE}.care_deadlines", SWEEP_INTERVAL_S, fire_review_deadlines),
]
