"""Every table of the orgtree service, for alembic and the tests; each model lives beside its domain."""

from services.orgtree.cadres.models import CadrePosting
from services.orgtree.database import Base
from services.orgtree.grids.models import GridLeader
from services.orgtree.groupings.models import Grouping, GroupingMember
from services.orgtree.households.models import Household, HouseholdEvent
from services.orgtree.levels.models import DistrictSettings, OrgLevel
from services.orgtree.links.models import GuidanceContact, GuidanceLink, HouseholdLink
from services.orgtree.members.models import Member, MembershipTransfer, Post
from services.orgtree.nodes.models import OrgNode, OrgNodeVersion, TreeKind

__all__ = [
    "Base",
    "CadrePosting",
    "DistrictSettings",
    "GridLeader",
    "Grouping",
    "GroupingMember",
    "GuidanceContact",
    "GuidanceLink",
    "Household",
    "HouseholdEvent",
    "HouseholdLink",
    "Member",
    "MembershipTransfer",
    "OrgLevel",
    "OrgNode",
    "OrgNodeVersion",
    "Post",
    "TreeKind",
]
