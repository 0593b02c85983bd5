"""Who may see and change what in the org tree (GW-04), on top of RLS's district boundary.

Staff are confined to the subtree at their token's scope path; a member (with no staff role)
sees their own record and the households they serve. Anything outside is reported as missing.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth.principal import Principal, Role
from shared.context import require_tenant
from shared.http.guards import Guard, requires_role, requires_tenant
from shared.http.problems import ProblemError, invalid
from shared.privacy import data_key, reveal

STAFF = (Role.DISTRICT_ADMIN, Role.STREET_ADMIN, Role.COMMUNITY_CADRE, Role.GRID_LEADER, Role.HOTLINE_OPERATOR)
EDITORS = (Role.DISTRICT_ADMIN, Role.STREET_ADMIN, Role.COMMUNITY_CADRE)
# Grid leaders keep their grid's roll: members, households and red-cell links, not the units.
ROLL_KEEPERS = (*EDITORS, Role.GRID_LEADER)
READERS = (*STAFF, Role.MEMBER)

# Handler guards, on top of their controller's: who changes the units, the rolls, the district's rules.
EDITOR = [requires_role(*EDITORS)]
ROLL_KEEPER = [requires_role(*ROLL_KEEPERS)]
DISTRICT_ADMIN = [requires_role(Role.DISTRICT_ADMIN)]
# The hotline desk (dispatch's operators) finds a caller's household by phone: that lookup only, masked, audited.
CALLER_DESK = [requires_role(Role.HOTLINE_OPERATOR, Role.DISTRICT_ADMIN)]


def in_district(*roles: str) -> list[Guard]:
    """A controller's guards: a caller of the district (RLS's tenant) holding one of ``roles``."""
    return [requires_tenant, requires_role(*roles)]


def is_staff(principal: Principal) -> bool:
    return principal.has_role(*STAFF)


def sees_any(principal: Principal, *paths: str | None) -> bool:
    """A staff caller sees a row hanging at any of ``paths`` inside its scope."""
    return is_staff(principal) and any(p is not None and principal.may_see_path(p) for p in paths)


def masked(row: Any, *fields: str) -> dict[str, str | None]:
    """The masked copies that stand for ``row``'s personal ``fields`` in a view (``phone`` -> ``phone_masked``)."""
    return {field: getattr(row, f"{field}_masked") for field in fields}


async def reveal_field(
    session: AsyncSession, row: Any, fields: dict[str, tuple[str, str]], *, field: str, purpose: str, subject_type: str
) -> str:
    """The clear value of one of ``row``'s encrypted ``fields`` (API name -> (cipher field, column)), audited."""
    if field not in fields:
        raise invalid("field", f"one of: {', '.join(fields)}")
    key, column = fields[field]
    ciphertext: bytes | None = getattr(row, column)
    if ciphertext is None:
        raise ProblemError(404, f"this {subject_type} has no {field} on record", title="Not Found")
    keys = await data_key(session, require_tenant())
    return await reveal(session, keys, key, ciphertext, purpose=purpose, subject_type=subject_type, subject_id=row.id)
