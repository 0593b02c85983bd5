"""Every table of the dispatch service, for alembic and the tests; each model lives beside its domain."""

from services.dispatch.agendas.models import Meeting, MeetingItem
from services.dispatch.archive.models import ArchiveMember, ArchiveRefresh, HouseholdArchive
from services.dispatch.campaigns.models import CampaignCalendar, CampaignDay, CampaignDuty
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
from services.dispatch.devices.models import DeviceAlarm, DeviceGatewayKey, EmergencyDevice
from services.dispatch.directory.models import DirectoryGrid, DirectoryHousehold, DirectoryLink, DirectoryUnitMove
from services.dispatch.escalation.models import Extension, ReferralNotice
from services.dispatch.fund.models import FundEntry
from services.dispatch.ledgers.models import DelegateOpinion, OpinionStatus
from services.dispatch.notifications.models import Notification, PhoneVerification
from services.dispatch.numbers.models import HotlineNumber
from services.dispatch.open311.models import Open311Client, Open311Request
from services.dispatch.proposals.models import Proposal, ProposalSeminar, ProposalStatus, ProposalStep
from services.dispatch.providers.models import PreServiceCompletion, Provider, ProviderKind
from services.dispatch.returns.models import ReturnSetting, TicketReturn
from services.dispatch.routing.models import Offer, OfferStatus
from services.dispatch.seasons.models import SeasonActivity, SeasonProgramme, TeaPoint
from services.dispatch.stages.models import StageSetting
from services.dispatch.stations.models import Station, StationShift, StationSignUp
from services.dispatch.swap.models import SwapEvent, SwapEventItem, SwapItem, SwapStep
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
from services.dispatch.vulnerable.models import VulnerableHousehold
from services.dispatch.wishes.models import MicroWish, WishStatus

__all__ = [
    "OPEN_STATUSES",
    "ArchiveMember",
    "ArchiveRefresh",
    "Base",
    "CalendarDay",
    "Callback",
    "CampaignCalendar",
    "CampaignDay",
    "CampaignDuty",
    "Channel",
    "Deadline",
    "DeadlineKind",
    "DelegateOpinion",
    "DeviceAlarm",
    "DeviceGatewayKey",
    "DirectoryGrid",
    "DirectoryHousehold",
    "DirectoryLink",
    "DirectoryUnitMove",
    "DispatchMode",
    "DispatchSettings",
    "EmergencyDevice",
    "Extension",
    "Feedback",
    "FundEntry",
    "HotlineNumber",
    "HouseholdArchive",
    "LadderLevel",
    "Meeting",
    "MeetingItem",
    "MicroWish",
    "Notification",
    "Offer",
    "OfferStatus",
    "Open311Client",
    "Open311Request",
    "OpinionStatus",
    "PhoneVerification",
    "PreServiceCompletion",
    "Priority",
    "Proposal",
    "ProposalSeminar",
    "ProposalStatus",
    "ProposalStep",
    "Provider",
    "ProviderKind",
    "ReferralNotice",
    "ReturnSetting",
    "SeasonActivity",
    "SeasonProgramme",
    "ServiceCategory",
    "ServiceItem",
    "StageSetting",
    "Station",
    "StationShift",
    "StationSignUp",
    "SwapEvent",
    "SwapEventItem",
    "SwapItem",
    "SwapStep",
    "TeaPoint",
    "Ticket",
    "TicketCounter",
    "TicketEvidence",
    "TicketHistory",
    "TicketReturn",
    "TicketStatus",
    "TimeBankAccount",
    "TimeBankEntry",
    "Visit",
    "VisitMatter",
    "VisitTask",
    "VulnerableHousehold",
    "WishStatus",
]
