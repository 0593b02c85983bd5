"""The training API process: ``redcell api training``."""

from __future__ import annotations

from pathlib import Path

from litestar import Litestar

from services.training import SERVICE
from services.training.accountability.controllers import AccountabilityController
from services.training.assessments.controllers import AssessmentController
from services.training.bases.controllers import BaseController
from services.training.care.controllers import CertificateController, ReEducationController, TaskController
from services.training.checkin.controllers import CheckinController
from services.training.commitments.controllers import CommitmentController
from services.training.credits.controllers import RuleController, StandingController
from services.training.people.controllers import PersonController
from services.training.points.controllers import PointsController
from services.training.programmes.controllers import ProgrammeController, SessionController
from services.training.ratings.award_controllers import AwardController
from services.training.ratings.board import NoticeBoardController
from services.training.ratings.controllers import RatingController
from services.training.rectification.controllers import RectificationController
from services.training.redflag.controllers import RedFlagController
from services.training.reports.controllers import ReportController
from services.training.reviews.controllers import DutyReviewController
from services.training.transfers.controllers import CarriedOverController
from services.training.xapi.controllers import LrsController, StatementController
from shared.auth.verify import TokenVerifier
from shared.http.app import build_app
from shared.http.audit_log import audit_log_controller
from shared.settings import Settings, get_settings

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: Settings | None = None, *, verifier: TokenVerifier | None = None) -> Litestar:
    settings = settings or get_settings()
    return build_app(
        SERVICE,
        [
            audit_log_controller(SERVICE),
            ProgrammeController,
            SessionController,
            PersonController,
            PointsController,
            AccountabilityController,
            CheckinController,
            CertificateController,
            TaskController,
            ReEducationController,
            CommitmentController,
            RuleController,
            StandingController,
            StatementController,
            LrsController,
            ReportController,
            RatingController,
            NoticeBoardController,
            AwardController,
            DutyReviewController,
            RectificationController,
            RedFlagController,
            AssessmentController,
            BaseController,
            CarriedOverController,
        ],
        settings,
        title="Redcell training",
        verifier=verifier,
        openapi_description=(
            "Member education and assessment records: the programme catalogue, sessions and check-in, credit "
            "hours against the district's rules, the points ledger, commitments, star ratings, monthly reports, "
            "secretary duty reviews and rectification lists."
        ),
    )
