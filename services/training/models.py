"""Every table of the training service, for alembic and the tests; each model lives beside its domain."""

from services.training.accountability.models import AccountabilityRecord
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

__all__ = [
    "AccountabilityRecord",
    "Attendance",
    "Audience",
    "Base",
    "CheckinMethod",
    "Counts",
    "CreditRoll",
    "CreditRule",
    "CreditTotal",
    "Duty",
    "PendingCredit",
    "Person",
    "PersonKind",
    "PointsCategory",
    "PointsEntry",
    "Programme",
    "Track",
    "TrainingCategory",
    "TrainingSession",
]
