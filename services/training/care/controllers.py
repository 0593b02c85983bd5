"""Member care's API (TRN-04, TRN-05): mobile members' certificates and their reviews, the review rate, the
tasks overdue reviews open, and warned members' re-education cases."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.training.access import ORGANISERS, READERS
from services.training.care.calendar import today
from services.training.care.certificates import STATES, CertificateService, certificate_view
from services.training.care.re_education import STATES as CASE_STATES
from services.training.care.re_education import ReEducationService
from services.training.care.reviews import ReviewService
from services.training.care.schemas import (
    CareSettingsUpdate,
    CareSettingsView,
    CaseConclude,
    CaseDetail,
    CasePage,
    CaseView,
    CertificateCreate,
    CertificateDetail,
    CertificatePage,
    CertificateView,
    ReviewCreate,
    ReviewRecorded,
    ReviewSummary,
    ReviewView,
    TaskPage,
)
from services.training.care.tasks import TaskService
from services.training.paging import Cursor, Limit
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.problems import invalid
from shared.http.views import view, views

UnitPath = Annotated[str | None, QueryParameter(name="unitPath", max_length=400)]
StateQuery = Annotated[str | None, QueryParameter(name="state", max_length=20)]
TASK_STATES = ("open", "closed")
Year = Annotated[int | None, QueryParameter(name="year", ge=2000, le=2100, description="default: this year")]

ORGANISER = [requires_role(*ORGANISERS)]


def one_of(state: str | None, allowed: tuple[str, ...]) -> str | None:
    """The ``state`` filter, named as the client sent it when it is not one of ``allowed``."""
    if state is not None and state not in allowed:
        raise invalid("query.state", f"one of: {', '.join(allowed)}")
    return state


class CertificateController(Controller):
    path = "/api/training"
    tags = ["Member care"]
    guards = [requires_tenant, requires_role(*READERS)]
    dependencies = {
        "certificates": provide_service(CertificateService),
        "reviews": provide_service(ReviewService),
    }

    @get("/certificates", operation_id="ListCertificates", summary="Mobile members' certificates, soonest due first")
    async def list_certificates(
        self,
        certificates: NamedDependency[CertificateService],
        unit_path: UnitPath = None,
        in_state: StateQuery = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> CertificatePage:
        items, following = await certificates.page(
            unit_path=unit_path, state=one_of(in_state, STATES), cursor=cursor, limit=limit
        )
        return CertificatePage(items=items, next=following)

    @post(
        "/certificates",
        operation_id="RegisterCertificate",
        summary="Register a member's certificate (completes the one opened when they were flagged mobile)",
        guards=ORGANISER,
    )
    async def register(
        self, certificates: NamedDependency[CertificateService], data: JSONBody[CertificateCreate]
    ) -> Response[CertificateView]:
        certificate, person, fresh = await certificates.register(data)
        return Response(certificate_view(certificate, person), status_code=201 if fresh else 200)

    @get(
        "/certificates/summary",
        operation_id="GetCertificateReviewSummary",
        summary="The year's review rate under a unit (Yaoxi's 100% is the reference)",
    )
    async def summary(
        self, certificates: NamedDependency[CertificateService], unit_path: UnitPath = None, year: Year = None
    ) -> ReviewSummary:
        return await certificates.summary(unit_path=unit_path, year=year or today().year)

    @get("/certificates/settings", operation_id="GetCareSettings", summary="The district's review warning days")
    async def settings(self, certificates: NamedDependency[CertificateService]) -> CareSettingsView:
        return CareSettingsView(review_warning_days=await certificates.warning_days())

    @put(
        "/certificates/settings",
        operation_id="PutCareSettings",
        summary="Set how many days before a review is due the member and branch are told",
        guards=ORGANISER,
    )
    async def put_settings(
        self, certificates: NamedDependency[CertificateService], data: JSONBody[CareSettingsUpdate]
    ) -> CareSettingsView:
        return CareSettingsView(review_warning_days=await certificates.set_warning_days(data.review_warning_days))

    @get(
        "/certificates/{certificate_id:uuid}",
        operation_id="GetCertificate",
        summary="A certificate with its reviews, newest first",
    )
    async def get_certificate(
        self, certificates: NamedDependency[CertificateService], certificate_id: FromPath[UUID]
    ) -> CertificateDetail:
        certificate, person = await certificates.get(certificate_id)
        found = await certificates.reviews(certificate.id)
        return CertificateDetail(certificate=certificate_view(certificate, person), reviews=views(ReviewView, found))

    @post(
        "/certificates/{certificate_id:uuid}/reviews",
        operation_id="RecordCertificateReview",
        summary="Record the annual review (pass or fail); the next is due a year on",
        guards=ORGANISER,
    )
    async def review(
        self, reviews: NamedDependency[ReviewService], certificate_id: FromPath[UUID], data: JSONBody[ReviewCreate]
    ) -> ReviewRecorded:
        review, certificate, person = await reviews.record(certificate_id, data)
        return ReviewRecorded(review=view(ReviewView, review), certificate=certificate_view(certificate, person))


class TaskController(Controller):
    path = "/api/training"
    tags = ["Member care"]
    guards = [requires_tenant, requires_role(*READERS)]
    dependencies = {"tasks": provide_service(TaskService)}

    @get("/tasks", operation_id="ListCareTasks", summary="Overdue certificate reviews to chase, longest due first")
    async def list_tasks(
        self,
        tasks: NamedDependency[TaskService],
        unit_path: UnitPath = None,
        in_state: StateQuery = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> TaskPage:
        items, following = await tasks.page(
            unit_path=unit_path, state=one_of(in_state, TASK_STATES), cursor=cursor, limit=limit
        )
        return TaskPage(items=items, next=following)


class ReEducationController(Controller):
    path = "/api/training"
    tags = ["Member care"]
    guards = [requires_tenant, requires_role(*READERS)]
    dependencies = {"cases": provide_service(ReEducationService)}

    @get(
        "/re-education", operation_id="ListReEducationCases", summary="Warned members' re-education cases, newest first"
    )
    async def list_cases(
        self,
        cases: NamedDependency[ReEducationService],
        unit_path: UnitPath = None,
        in_state: StateQuery = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> CasePage:
        items, following = await cases.page(
            unit_path=unit_path, state=one_of(in_state, CASE_STATES), cursor=cursor, limit=limit
        )
        return CasePage(items=items, next=following)

    @get(
        "/re-education/{case_id:uuid}",
        operation_id="GetReEducationCase",
        summary="A case with the programme's sessions the member attended since the warning",
    )
    async def get_case(self, cases: NamedDependency[ReEducationService], case_id: FromPath[UUID]) -> CaseDetail:
        found, sessions = await cases.detail(case_id)
        return CaseDetail(case=found, sessions=sessions)

    @post(
        "/re-education/{case_id:uuid}/conclude",
        operation_id="ConcludeReEducationCase",
        summary="Conclude the reassessment: qualified, or still unqualified (orgtree transfers the membership)",
        guards=ORGANISER,
        status_code=200,
    )
    async def conclude(
        self, cases: NamedDependency[ReEducationService], case_id: FromPath[UUID], data: JSONBody[CaseConclude]
    ) -> CaseView:
        return await cases.conclude(case_id, data)
