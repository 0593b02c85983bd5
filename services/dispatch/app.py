"""The dispatch API process: ``redcell api dispatch``."""

from __future__ import annotations

from pathlib import Path

from litestar import Litestar

from services.dispatch import SERVICE
from services.dispatch.agendas.controllers import AgendaController
from services.dispatch.archive.controllers import ArchiveController
from services.dispatch.campaigns.controllers import CampaignController
from services.dispatch.catalogue.controllers import CatalogueController
from services.dispatch.closure.controllers import ClosureController, WaiverReasonController
from services.dispatch.deadlines.controllers import DeadlineController
from services.dispatch.devices.controllers import DeviceAlarmController, DeviceController
from services.dispatch.escalation.controllers import ExtensionController, LadderController, ReferralController
from services.dispatch.fund.controllers import FundController
from services.dispatch.ledgers.controllers import LedgerController
from services.dispatch.notifications.controllers import LiveController, NotificationController
from services.dispatch.notifications.controllers import lifespan as notifications_lifespan
from services.dispatch.numbers.controllers import NumberController
from services.dispatch.open311.controllers import Open311ClientController, Open311Controller
from services.dispatch.proposals.controllers import ProposalController
from services.dispatch.providers.controllers import ProviderController
from services.dispatch.public.controllers import PublicController
from services.dispatch.reports.controllers import ReportController
from services.dispatch.returns.controllers import ReturnController
from services.dispatch.routing.controllers import DispatchOrderController, OfferController, TaskController
from services.dispatch.seasons.controllers import SeasonController
from services.dispatch.stages.controllers import StageController
from services.dispatch.stations.controllers import StationController
from services.dispatch.swap.controllers import SwapController
from services.dispatch.tickets.controllers import CallerController, TicketController
from services.dispatch.tickets.evidence import TicketEvidenceController
from services.dispatch.timebank.controllers import TimeBankController
from services.dispatch.visits.controllers import VisitController
from services.dispatch.vulnerable.controllers import VulnerableController
from services.dispatch.wishes.controllers import WishController
from shared.auth.verify import TokenVerifier
from shared.http.app import PUBLIC_PREFIXES, build_app
from shared.http.audit_log import audit_log_controller
from shared.settings import Settings, get_settings

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: Settings | None = None, *, verifier: TokenVerifier | None = None) -> Litestar:
    settings = settings or get_settings()
    return build_app(
        SERVICE,
        [
            audit_log_controller(SERVICE),
            NotificationController,
            LiveController,
            PublicController,
            CatalogueController,
            TicketController,
            CallerController,
            DispatchOrderController,
            OfferController,
            TaskController,
            ProviderController,
            DeadlineController,
            LadderController,
            ReferralController,
            ExtensionController,
            ClosureController,
            TicketEvidenceController,
            WaiverReasonController,
            ReportController,
            TimeBankController,
            WishController,
            VisitController,
            NumberController,
            StageController,
            ArchiveController,
            ProposalController,
            LedgerController,
            VulnerableController,
            DeviceController,
            DeviceAlarmController,
            StationController,
            CampaignController,
            FundController,
            AgendaController,
            ReturnController,
            SeasonController,
            SwapController,
            Open311Controller,
            Open311ClientController,
        ],
        settings,
        title="Redcell dispatch",
        verifier=verifier,
        # residents: public/controllers.py; Open311 clients: open311/controllers.py
        public_prefixes=(*PUBLIC_PREFIXES, "/api/dispatch/public/", "/api/dispatch/open311/v2/"),
        lifespan=[notifications_lifespan(settings)],
        openapi_description=(
            "The district's hotline: tickets from residents' calls and visits, routing to volunteers and units, "
            "time limits and escalation up the tree, callbacks, the time bank and micro-wishes."
        ),
    )
