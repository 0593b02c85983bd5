"""Litestar guards over the verified Principal.

Coroutines, though they never wait: Litestar runs a plain-function guard in a worker thread, a thread hop per
guard per request (two on most routes) that cost more than the check itself.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from shared.auth.principal import Principal

Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Awaitable[None]]


def principal_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    user = connection.scope.get("user")
    if not isinstance(user, Principal):
        raise NotAuthorizedException(detail="authentication required")
    return user


async def requires_tenant(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    if principal_of(connection).tenant_id is None:
        raise PermissionDeniedException(detail="this operation needs a district (tenant) token")


def requires_role(*roles: str) -> Guard:
    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        if not principal_of(connection).has_role(*roles):
            raise PermissionDeniedException(detail=f"requires one of the roles: {', '.join(roles)}")

    return guard
