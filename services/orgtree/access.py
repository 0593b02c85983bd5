"""Who may see and change what in the org tree (GW-04), on top of RLS's district boundary.

Staff are confined to the subtree at their token's scope path; a member (with no staff role)
sees their own record and the households they serve. Anything outside is reported as missing.
"""

from __future__ import annotations

from shared.auth.principal import Principal, Role
from shared.http.problems import ProblemError

STAFF = (Role.DISTRICT_ADMIN, Role.STREET_ADMIN, Role.COMMUNITY_CADRE, Role.GRID_LEADER, Role.HOTLINE_OPERATOR)
EDITORS = (Role.DISTRICT_ADMIN, Role.STREET_ADMIN, Role.COMMUNITY_CADRE)
# Grid leaders keep their grid's roll: members, households and red-cell links, not the units.
ROLL_KEEPERS = (*EDITORS, Role.GRID_LEADER)
READERS = (*STAFF, Role.MEMBER)


def is_staff(principal: Principal) -> bool:
    return principal.has_role(*STAFF)


def sees_any(principal: Principal, *paths: str | None) -> bool:
    """A staff caller sees a row hanging at any of ``paths`` inside its scope."""
    return is_staff(principal) and any(p is not None and principal.may_see_path(p) for p in paths)


def missing(what: str) -> ProblemError:
    return ProblemError(404, f"no such {what} in this district", title="Not Found")
