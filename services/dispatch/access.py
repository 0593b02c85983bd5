"""Who may do what on the hotline (GW-04), on top of RLS's district boundary."""

from __future__ import annotations

from shared.auth.principal import Principal, Role

# Hotline staff: operators (and their supervisors) run the floor; cadres follow their subtree's cases.
OPERATORS = (Role.DISTRICT_ADMIN, Role.HOTLINE_OPERATOR, Role.HOTLINE_SUPERVISOR)
STAFF = (*OPERATORS, Role.STREET_ADMIN, Role.COMMUNITY_CADRE, Role.GRID_LEADER)
PROVIDERS = (Role.VOLUNTEER, Role.MEMBER)


def is_operator(principal: Principal) -> bool:
    return principal.has_role(*OPERATORS)
