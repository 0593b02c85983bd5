"""Every table of the training service, for alembic and the tests; each model lives beside its domain."""

from services.training.database import Base
from services.training.people.models import Duty, Person, PersonKind
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
    "Attendance",
    "Audience",
    "Base",
    "CheckinMethod",
    "Counts",
    "Duty",
    "Person",
    "PersonKind",
    "Programme",
    "Track",
    "TrainingCategory",
    "TrainingSession",
]
