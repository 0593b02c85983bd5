"""Every table of the dispatch service, for alembic and the tests; each model lives beside its domain."""

from services.dispatch.catalogue.models import (
    CalendarDay,
    DispatchMode,
    DispatchSettings,
    LadderLevel,
    ServiceCategory,
    ServiceItem,
)
from services.dispatch.clocks.models import Deadline, DeadlineKind
from services.dispatch.closure.models import Callback, Feedback
from services.dispatch.database import Base
from services.dispatch.directory.models import DirectoryGrid, DirectoryHousehold, DirectoryLink
from services.dispatch.escalation.models import Extension, ReferralNotice
from services.dispatch.notifications.models import Notification, PhoneVerification
from services.dispatch.providers.models import PreServiceCompletion, Provider, ProviderKind
from services.dispatch.routing.models import Offer, OfferStatus
from services.dispatch.tickets.evidence_models import TicketEvidence
from services.dispatch.tickets.models import (
    OPEN_STATUSES,
    Channel,
    Priority,
    Ticket,
    TicketCounter,
    TicketHistory,
    TicketStatus,
)
from services.dispatch.timebank.models import TimeBankAccount, TimeBankEntry
from services.dispatch.visits.models import Visit, VisitMatter, VisitTask
from services.dispatch.wishes.models import MicroWish, WishStatus

__all__ = [
    "OPEN_STATUSES",
    "Base",
    "CalendarDay",
    "Callback",
    "Channel",
    "Deadline",
    "DeadlineKind",
    "DirectoryGrid",
    "DirectoryHousehold",
    "DirectoryLink",
    "DispatchMode",
    "DispatchSettings",
    "Extension",
    "Feedback",
    "LadderLevel",
    "MicroWish",
    "Notification",
    "Offer",
    "OfferStatus",
    "PhoneVerification",
    "PreServiceCompletion",
    "Priority",
    "Provider",
    "ProviderKind",
    "ReferralNotice",
    "ServiceCategory",
    "ServiceItem",
    "Ticket",
    "TicketCounter",
    "TicketEvidence",
    "TicketHistory",
    "TicketStatus",
    "TimeBankAccount",
    "TimeBankEntry",
    "Visit",
    "VisitMatter",
    "VisitTask",
    "WishStatus",
]
