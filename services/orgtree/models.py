"""Every table of the orgtree service, for alembic and the tests; each model lives beside its domain."""

from services.orgtree.activity.models import OrgLifeAttendance
from services.orgtree.attendance.models import AttendanceThresholds, CadreAttendance, DutyRosterEntry, LeaveRequest
from services.orgtree.bulk.models import ImportJob
from services.orgtree.cadres.models import CadrePosting
from services.orgtree.database import Base
from services.orgtree.elections.models import Election, ElectionCandidate, ElectionVote
from services.orgtree.grids.models import GridLeader
from services.orgtree.groupings.models import Grouping, GroupingMember
from services.orgtree.honours.models import Disposition, HonourTitle, MemberWarning, RedFlagTarget, StarLevel
from services.orgtree.households.models import Household, HouseholdEvent
from services.orgtree.instructors.models import GroupInstructor
from services.orgtree.levels.models import DistrictSettings, OrgLevel
from services.orgtree.links.models import GuidanceContact, GuidanceLink, HouseholdLink
from services.orgtree.lost_members.models import LostMemberCase, LostMemberStep
from services.orgtree.members.models import Member, MembershipTransfer, Post, PostClaim
from services.orgtree.nodes.models import OrgNode, OrgNodeVersion, TreeKind
from services.orgtree.redflag.models import StaffingQuota, UnitBrand, UnitStaff, Venue, VenueCertification
from services.orgtree.transfers.models import DistrictTransfer

__all__ = [
    "AttendanceThresholds",
    "Base",
    "CadreAttendance",
    "CadrePosting",
    "Disposition",
    "DistrictSettings",
    "DistrictTransfer",
    "DutyRosterEntry",
    "Election",
    "ElectionCandidate",
    "ElectionVote",
    "GridLeader",
    "GroupInstructor",
    "Grouping",
    "GroupingMember",
    "GuidanceContact",
    "GuidanceLink",
    "HonourTitle",
    "Household",
    "HouseholdEvent",
    "HouseholdLink",
    "ImportJob",
    "LeaveRequest",
    "LostMemberCase",
    "LostMemberStep",
    "Member",
    "MemberWarning",
    "MembershipTransfer",
    "OrgLevel",
    "OrgLifeAttendance",
    "OrgNode",
    "OrgNodeVersion",
    "Post",
    "PostClaim",
    "RedFlagTarget",
    "StaffingQuota",
    "StarLevel",
    "TreeKind",
    "UnitBrand",
    "UnitStaff",
    "Venue",
    "VenueCertification",
]
