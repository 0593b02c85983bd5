from __future__ import annotations

from contextvars import ContextVar
from enum import StrEnum
from uuid import UUID

import msgspec


class Role(StrEnum):
    """Roles of GW-04. A user holds roles per tenant membership."""

    PLATFORM_OPERATOR = "platform_operator"  # runs the platform; sees no business data
    DISTRICT_ADMIN = "district_admin"  # whole tenant
    STREET_ADMIN = "street_admin"  # street subtree
    COMMUNITY_CADRE = "community_cadre"  # community or village subtree
    GRID_LEADER = "grid_leader"  # one grid
    MEMBER = "member"  # self and linked households
    HOTLINE_OPERATOR = "hotline_operator"  # dispatch, whole tenant
    HOTLINE_SUPERVISOR = "hotline_supervisor"  # an operator who may also waive callbacks (dispatch, whole tenant)
    VOLUNTEER = "volunteer"  # own orders
    RESIDENT = "resident"  # own requests


ADMIN_ROLES = frozenset({Role.PLATFORM_OPERATOR, Role.DISTRICT_ADMIN, Role.STREET_ADMIN})


class Principal(msgspec.Struct, frozen=True, kw_only=True):
    """Who is calling, as proven by a verified token."""

    user_id: UUID
    tenant_id: UUID | None
    roles: frozenset[str]
    # Materialised org-tree path the caller is confined to (None: whole tenant).
    scope: str | None = None
    token_id: str | None = None
    # The display name the gateway put in the token (``name``): services record it beside the user id.
    name: str | None = None

    def has_role(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    def may_see_path(self, path: str) -> bool:
        """True when ``path`` lies inside the caller's org scope (text paths; prefix = subtree)."""
        return self.scope is None or path.startswith(self.scope)


current_principal: ContextVar[Principal | None] = ContextVar("redcell_principal", default=None)
