"""The orgtree API process: ``redcell api orgtree``."""

from __future__ import annotations

from pathlib import Path

from litestar import Litestar

from services.orgtree import SERVICE
from services.orgtree.activity.controllers import ActivityController
from services.orgtree.attendance.controllers import AttendanceController
from services.orgtree.broadcast.controllers import BroadcastController
from services.orgtree.bulk.controllers import BulkController
from services.orgtree.cadres.controllers import CadreController
from services.orgtree.elections.controllers import ElectionController
from services.orgtree.grids.controllers import GridLeaderController
from services.orgtree.groupings.controllers import GroupingController
from services.orgtree.honours.controllers import HonourController
from services.orgtree.honours.coverage_controller import CoverageController
from services.orgtree.households.controllers import HouseholdController
from services.orgtree.instructors.controllers import InstructorController
from services.orgtree.levels.controllers import DistrictSetupController
from services.orgtree.links.controllers import GuidanceController, HouseholdLinkController
from services.orgtree.lost_members.controllers import LostMemberController
from services.orgtree.members.claim_controller import PostClaimController
from services.orgtree.members.controllers import MemberController, PostController
from services.orgtree.nodes.controllers import NodeController
from services.orgtree.redflag.controllers import RedFlagController
from services.orgtree.reports.controllers import ReportController
from services.orgtree.transfers.controllers import DistrictTransferController
from shared.auth.verify import TokenVerifier
from shared.http.app import build_app
from shared.http.audit_log import audit_log_controller
from shared.settings import Settings, get_settings

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: Settings | None = None, *, verifier: TokenVerifier | None = None) -> Litestar:
    return build_app(
        SERVICE,
        [
            audit_log_controller(SERVICE),
            NodeController,
            DistrictSetupController,
            MemberController,
            HouseholdController,
            HouseholdLinkController,
            GuidanceController,
            PostController,
            GridLeaderController,
            CadreController,
            GroupingController,
            ReportController,
            BulkController,
            HonourController,
            RedFlagController,
            InstructorController,
            PostClaimController,
            CoverageController,
            ActivityController,
            ElectionController,
            BroadcastController,
            LostMemberController,
            DistrictTransferController,
            AttendanceController,
        ],
        settings or get_settings(),
        title="Redcell orgtree",
        verifier=verifier,
        openapi_description=(
            "The district's two organisation trees (streets, communities, grids; party units), its members, "
            "the households they serve, and the reports built on them."
        ),
    )
