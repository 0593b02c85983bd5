"""Every table of the training service, for alembic and the tests; each model lives beside its domain."""

from services.training.accountability.models import AccountabilityRecord
from services.training.assessments.models import (
    AssessmentPollTally,
    AssessmentPollVoter,
    DemocraticPoll,
    IndicatorSet,
    ScoreSheet,
)
from services.training.bases.models import BaseActivity, BaseBooking, OrgLifeBase
from services.training.care.models import (
    CareSetting,
    CareTask,
    CertificateDeadline,
    CertificateReview,
    MobileCertificate,
    ReEducationCase,
)
from services.training.commitments.models import Commitment, ProgressNote
from services.training.credits.models import CreditRoll, CreditRule, CreditTotal
from services.training.database import Base
from services.training.people.models import Duty, Person, PersonKind
from services.training.points.models import PendingCredit, PointsCategory, PointsEntry
from services.training.programmes.models import (
    Attendance,
    Audience,
    CheckinMethod,
    Counts,
    Programme,
    Track,
    TrainingCategory,
    TrainingSession,
)
from services.training.ratings.models import (
    Award,
    AwardTitle,
    RatingEntry,
    RatingObjection,
    RatingSettings,
    RatingTemplate,
    StarRating,
)
from services.training.rectification.models import RectificationItem, RectificationProgress
from services.training.redflag.models import EvaluationStep, RedFlagEvaluation
from services.training.reports.models import MonthlyReport, ReportRun, WallSettings
from services.training.reviews.models import (
    DutyReview,
    PollTally,
    PollVoter,
    ReviewQuestion,
    ReviewRound,
    ReviewSettings,
)
from services.training.transfers.models import CarriedOverRecord
from services.training.xapi.models import LrsSettings, XapiStatement

__all__ = [
    "AccountabilityRecord",
    "AssessmentPollTally",
    "AssessmentPollVoter",
    "Attendance",
    "Audience",
    "Award",
    "AwardTitle",
    "Base",
    "BaseActivity",
    "BaseBooking",
    "CareSetting",
    "CareTask",
    "CarriedOverRecord",
    "CertificateDeadline",
    "CertificateReview",
    "CheckinMethod",
    "Commitment",
    "Counts",
    "CreditRoll",
    "CreditRule",
    "CreditTotal",
    "DemocraticPoll",
    "Duty",
    "DutyReview",
    "EvaluationStep",
    "IndicatorSet",
    "LrsSettings",
    "MobileCertificate",
    "MonthlyReport",
    "OrgLifeBase",
    "PendingCredit",
    "Person",
    "PersonKind",
    "PointsCategory",
    "PointsEntry",
    "PollTally",
    "PollVoter",
    "Programme",
    "ProgressNote",
    "RatingEntry",
    "RatingObjection",
    "RatingSettings",
    "RatingTemplate",
    "ReEducationCase",
    "RectificationItem",
    "RectificationProgress",
    "RedFlagEvaluation",
    "ReportRun",
    "ReviewQuestion",
    "ReviewRound",
    "ReviewSettings",
    "ScoreSheet",
    "StarRating",
    "Track",
    "TrainingCategory",
    "TrainingSession",
    "WallSettings",
    "XapiStatement",
]
