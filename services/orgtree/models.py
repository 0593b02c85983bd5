"""Every table of the orgtree service, for alembic and the tests; each model lives beside its domain."""

from services.orgtree.bulk.models import ImportJob
from services.orgtree.cadres.models import CadrePosting
from services.orgtree.database import Base
from services.orgtree.grids.models import GridLeader
from services.orgtree.groupings.models import Grouping, GroupingMember
from services.orgtree.honours.models import Disposition, HonourTitle, MemberWarning, StarLevel
from services.orgtree.households.models import Household, HouseholdEvent
from services.orgtree.levels.models import DistrictSettings, OrgLevel
from services.orgtree.links.models import GuidanceContact, GuidanceLink, HouseholdLink
from services.orgtree.members.models import Member, MembershipTransfer, Post
from services.orgtree.nodes.models import OrgNode, OrgNodeVersion, TreeKind
from services.orgtree.redflag.models import StaffingQuota, UnitBrand, UnitStaff, Venue, VenueCertification

__all__ = [
    "Base",
    "CadrePosting",
    "Disposition",
    "DistrictSettings",
    "GridLeader",
    "Grouping",
    "GroupingMember",
    "GuidanceContact",
    "GuidanceLink",
    "HonourTitle",
    "Household",
    "HouseholdEvent",
    "HouseholdLink",
    "ImportJob",
    "Member",
    "MemberWarning",
    "MembershipTransfer",
    "OrgLevel",
    "OrgNode",
    "OrgNodeVersion",
    "Post",
    "StaffingQuota",
    "StarLevel",
    "TreeKind",
    "UnitBrand",
    "UnitStaff",
    "Venue",
    "VenueCertification",
]
