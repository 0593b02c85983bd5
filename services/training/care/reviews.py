"""Recording a certificate's annual review (TRN-04): pass or fail, by whom and when. The review answers the
current due date; the next is a year on from it, its deadlines replace the old ones, and the overdue task (if
the review came late) closes."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import update

from services.training.care import deadlines
from services.training.care.calendar import a_year_before, a_year_on, today
from services.training.care.certificates import CertificateService
from services.training.care.models import CareTask, CertificateReview, CertificateState, MobileCertificate, TaskState
from services.training.care.schemas import ReviewCreate
from services.training.people.models import Person
from shared import audit
from shared.auth.principal import Principal
from shared.clock import now
from shared.http.problems import FieldErrors, conflict

OUTCOME_STATES = {"pass": CertificateState.REVIEWED_PASS, "fail": CertificateState.REVIEWED_FAIL}


class ReviewService:
    def __init__(self, principal: Principal, certificates: CertificateService) -> None:
        self.principal = principal
        self.certificates = certificates
        self.session = certificates.session

    async def record(
        self, certificate_id: UUID, data: ReviewCreate
    ) -> tuple[CertificateReview, MobileCertificate, Person]:
        certificate, person = await self.certificates.get(certificate_id, for_update=True)
        errors = FieldErrors()
        if data.reviewed_on > today():
            errors.add("reviewedOn", "must not be in the future")
        elif certificate.issued_on is not None and data.reviewed_on < certificate.issued_on:
            errors.add("reviewedOn", f"must not be before the certificate was issued ({certificate.issued_on})")
        errors.raise_if_any("the review has invalid fields")
        due = certificate.review_due_on
        opens = a_year_before(due)  # a review answers its due date: the year up to it
        if data.reviewed_on <= opens:
            raise conflict(f"the next review is due on {due.isoformat()}: it can be recorded after {opens.isoformat()}")
        last = certificate.last_reviewed_on
        if last is not None and data.reviewed_on <= last:
            raise conflict(f"the certificate was last reviewed on {last.isoformat()}")
        review = CertificateReview(
            certificate_id=certificate.id,
            due_on=due,
            outcome=data.outcome,
            reviewed_on=data.reviewed_on,
            note=(data.note or "").strip() or None,
            reviewer_id=self.principal.user_id,
            reviewer_name=self.principal.name,
            recorded_at=now(),
        )
        self.session.add(review)
        certificate.review_due_on = a_year_on(due)
        certificate.state = OUTCOME_STATES[data.outcome]
        certificate.last_reviewed_on = data.reviewed_on
        certificate.last_outcome = data.outcome
        await self.session.flush()
        await deadlines.schedule(self.session, certificate)
        await self.session.execute(
            update(CareTask)
            .where(CareTask.certificate_id == certificate.id, CareTask.state == TaskState.OPEN)
            .values(state=TaskState.CLOSED, closed_at=now(), closed_by_review_id=review.id)
        )
        detail = {"outcome": data.outcome, "dueOn": due.isoformat(), "reviewedOn": data.reviewed_on.isoformat()}
        await audit.record(
            self.session,
            "training.certificate.reviewed",
            subject_type="mobile_certificate",
            subject_id=str(certificate.id),
            detail=detail,
        )
        return review, certificate, person
