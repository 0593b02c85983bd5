"""The year's review rate of mobile members' certificates (TRN-04) for each whole district, as the care summary
computes it (``care/certificates.py``), published on a schedule for the city's view: counts and a rate, never a
member. Each district in its own transaction on the application role (RLS holds); as of the run, kept by the gateway
under today and this month."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.training import SERVICE
from services.training.care.calendar import today
from services.training.care.certificates import CertificateRepository, CertificateService
from services.training.people.directory import PersonDirectory
from services.training.programmes.models import Programme
from shared.auth.principal import Principal, Role
from shared.city_figures import FiguresPublication
from shared.clock import now
from shared.contracts.city import CareFigures, CareFiguresPublished, periods_to_publish
from shared.messaging.outbox import publish
from shared.scheduler import Job

# The district as a whole, as its administrator sees it: the summary's own rules apply.
_DISTRICT_WIDE = frozenset({Role.DISTRICT_ADMIN.value})


async def care_figures(session: AsyncSession, tenant_id: UUID) -> CareFigures:
    principal = Principal(user_id=UUID(int=0), tenant_id=tenant_id, roles=_DISTRICT_WIDE)
    certificates = CertificateService(session, PersonDirectory(session, principal), CertificateRepository(session))
    summary = await certificates.summary(unit_path=None, year=today().year)
    return CareFigures(
        year=summary.year,
        certificates_due=summary.due,
        reviewed=summary.reviewed,
        overdue=summary.overdue,
        review_rate=summary.rate,
    )


async def publish_district(session: AsyncSession, tenant_id: UUID, periods: list[str] | None = None) -> int:
    """Publish the district's figures under ``periods`` (by default today, yesterday and this month in the
    districts' calendar); returns how many periods it published."""
    figures = await care_figures(session, tenant_id)
    computed_at = now()
    chosen = periods if periods is not None else periods_to_publish(today())
    for period in chosen:
        event = CareFiguresPublished(tenant_id=tenant_id, period=period, computed_at=computed_at, figures=figures)
        await publish(session, event)
    return len(chosen)


PUBLICATION = FiguresPublication(SERVICE, select(Programme.tenant_id).distinct(), publish_district)
publish_all = PUBLICATION.publish_all
JOBS: list[Job] = PUBLICATION.jobs
