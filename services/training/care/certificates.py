"""Mobile members' certificates (TRN-04): opened when orgtree flags a member "mobile" (the sweep in ``sweeps.py``)
or registered by an organiser; listed per unit within the reader's scope; the year's review rate per unit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import and_, distinct, func, select, union
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.care import deadlines
from services.training.care.calendar import today, year_end
from services.training.care.models import (
    ONE_CERTIFICATE_PER_PERSON,
    CareSetting,
    CertificateReview,
    CertificateState,
    MobileCertificate,
    Origin,
)
from services.training.care.rows import by_id, under_units
from services.training.care.schemas import CertificateCreate, CertificateView, ReviewSummary
from services.training.paging import page
from services.training.people.directory import PersonDirectory
from services.training.people.models import Person, PersonKind
from shared import audit
from shared.context import require_tenant
from shared.db.base import uuid7
from shared.db.repository import Keyset, Repository
from shared.http.problems import FieldErrors, ProblemError, conflict, missing

MOBILE = "mobile"  # orgtree's flag for a member who works or lives away (流动党员)
BY_DUE = Keyset(MobileCertificate.review_due_on, MobileCertificate.id, parse=date.fromisoformat)
STATES = tuple(state.value for state in CertificateState)


def certificate_view(certificate: MobileCertificate, person: Person) -> CertificateView:
    return CertificateView(
        id=certificate.id,
        person_id=person.id,
        person_name=person.name,
        member_id=person.member_id,
        branch_path=person.branch_path,
        grid_path=person.grid_path,
        number=certificate.number,
        issued_on=certificate.issued_on,
        review_due_on=certificate.review_due_on,
        state=certificate.state,
        origin=certificate.origin,
        last_reviewed_on=certificate.last_reviewed_on,
        last_outcome=certificate.last_outcome,
    )


async def open_for_flag(db: AsyncSession, person_id: UUID) -> int:
    """The certificate of a member flagged mobile, due for review at the year's end; 1 when it was opened."""
    person = await db.scalar(select(Person).where(Person.id == person_id))
    if person is None or MOBILE not in person.flags or not person.active:
        return 0
    values = {
        "tenant_id": require_tenant(),
        "id": uuid7(),
        "person_id": person.id,
        "review_due_on": year_end(today()),
        "state": CertificateState.ACTIVE,
        "origin": Origin.FLAG,
    }
    statement = (
        pg_insert(MobileCertificate).values(**values).on_conflict_do_nothing(constraint=ONE_CERTIFICATE_PER_PERSON)
    )
    certificate = await db.scalar(statement.returning(MobileCertificate))
    if certificate is None:
        return 0
    await deadlines.schedule(db, certificate)
    return 1


class CertificateRepository(Repository[MobileCertificate]):
    model_type = MobileCertificate
    noun = "certificate"


class CertificateService:
    def __init__(self, session: AsyncSession, people: PersonDirectory, repository: CertificateRepository) -> None:
        self.session = session
        self.people = people
        self.repository = repository

    def scoped(self, unit_path: str | None) -> list[Any]:
        return under_units(self.people.principal.scope, unit_path)

    async def get(self, certificate_id: UUID, *, for_update: bool = False) -> tuple[MobileCertificate, Person]:
        """The certificate and its holder, if in this district and under the caller's scope; else a 404."""
        certificate = await self.repository.get_or_404(certificate_id, for_update=for_update)
        person = await self.session.get(Person, certificate.person_id)
        if person is None or not self.people.visible(person):
            raise missing("certificate")
        return certificate, person

    async def reviews(self, certificate_id: UUID) -> Sequence[CertificateReview]:
        statement = (
            select(CertificateReview)
            .where(CertificateReview.certificate_id == certificate_id)
            .order_by(CertificateReview.reviewed_on.desc(), CertificateReview.id.desc())
        )
        return (await self.session.scalars(statement)).all()

    async def page(
        self, *, unit_path: str | None, state: str | None, cursor: str | None, limit: int
    ) -> tuple[list[CertificateView], str | None]:
        """Certificates by due date, soonest first."""
        statement = select(MobileCertificate).join(Person, Person.id == MobileCertificate.person_id)
        statement = statement.where(*self.scoped(unit_path))
        if state is not None:
            statement = statement.where(MobileCertificate.state == state)
        rows, following = await page(self.repository, statement, BY_DUE, cursor=cursor, limit=limit)
        holders = await by_id(self.session, Person, (row.person_id for row in rows))
        return [certificate_view(row, holders[row.person_id]) for row in rows], following

    async def register(self, data: CertificateCreate) -> tuple[MobileCertificate, Person, bool]:
        """A member's certificate by hand; the one opened when they were flagged mobile is completed instead (the
        bool says whether a new certificate was made). A second registration is a 409."""
        errors = FieldErrors()
        if data.issued_on > today():
            errors.add("issuedOn", "must not be in the future")
        if data.review_due_on <= data.issued_on:
            errors.add("reviewDueOn", "must be after issuedOn")
        errors.raise_if_any("the certificate has invalid fields")
        person = await self.people.get(data.person_id)
        if person.kind != PersonKind.MEMBER:
            raise ProblemError(
                422,
                "body.personId: mobile-member certificates are for party members",
                errors=[{"field": "body.personId", "message": "not a party member"}],
            )
        taken = await self.session.scalar(select(MobileCertificate.id).where(MobileCertificate.number == data.number))
        certificate = await self.session.scalar(
            select(MobileCertificate).where(MobileCertificate.person_id == person.id).with_for_update()
        )
        if taken is not None and (certificate is None or taken != certificate.id):
            raise conflict(f"certificate number {data.number} is already registered in this district")
        if certificate is not None and certificate.number is not None:
            raise conflict(f"this member's certificate is already registered: {certificate.id}")
        fresh = certificate is None
        if certificate is None:
            certificate = MobileCertificate(person_id=person.id, origin=Origin.HAND, state=CertificateState.ACTIVE)
            self.session.add(certificate)
        certificate.number = data.number
        certificate.issued_on = data.issued_on
        if certificate.review_due_on != data.review_due_on and certificate.state == CertificateState.REVIEW_DUE:
            certificate.state = CertificateState.ACTIVE  # the new date's warning comes in its own time
        certificate.review_due_on = data.review_due_on
        await self.session.flush()
        await deadlines.schedule(self.session, certificate)
        detail = {"reviewDueOn": data.review_due_on.isoformat(), "completed": not fresh}
        await audit.record(
            self.session,
            "training.certificate.registered",
            subject_type="mobile_certificate",
            subject_id=str(certificate.id),
            detail=detail,
        )
        return certificate, person, fresh

    async def summary(self, *, unit_path: str | None, year: int) -> ReviewSummary:
        """Certificates whose review fell due in ``year`` (answered or still current) and those reviewed."""
        first, last = date(year, 1, 1), date(year, 12, 31)
        due_ids = union(
            select(MobileCertificate.id.label("id")).where(MobileCertificate.review_due_on.between(first, last)),
            select(CertificateReview.certificate_id.label("id")).where(CertificateReview.due_on.between(first, last)),
        ).subquery()
        reviewed = select(CertificateReview.certificate_id).where(
            CertificateReview.certificate_id == MobileCertificate.id, CertificateReview.due_on.between(first, last)
        )
        late = and_(MobileCertificate.review_due_on.between(first, last), MobileCertificate.review_due_on < today())
        statement = (
            select(
                func.count(distinct(MobileCertificate.id)),
                func.count(distinct(MobileCertificate.id)).filter(reviewed.exists()),
                func.count(distinct(MobileCertificate.id)).filter(late),
            )
            .select_from(due_ids)
            .join(MobileCertificate, MobileCertificate.id == due_ids.c.id)
            .join(Person, Person.id == MobileCertificate.person_id)
            .where(*self.scoped(unit_path))
        )
        due, done, overdue = (await self.session.execute(statement)).one()
        rate = round(done / due, 4) if due else None
        return ReviewSummary(
            year=year, unit_path=unit_path, due=due, reviewed=done, overdue=overdue, rate=rate, reference=1.0
        )

    async def warning_days(self) -> int:
        return await deadlines.warning_days(self.session)

    async def set_warning_days(self, days: int) -> int:
        statement = pg_insert(CareSetting).values(tenant_id=require_tenant(), review_warning_days=days)
        await self.session.execute(
            statement.on_conflict_do_update(index_elements=[CareSetting.tenant_id], set_={"review_warning_days": days})
        )
        await audit.record(
            self.session,
            "training.care.settings_changed",
            subject_type="care_setting",
            subject_id=str(require_tenant()),
            detail={"reviewWarningDays": days},
        )
        return days
