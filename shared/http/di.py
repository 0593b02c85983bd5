"""Services injected into handlers: one per request, over the request's transaction and verified principal.

A controller declares ``dependencies = {"members": provide_service(MemberService)}`` and its handlers take
``members: MemberService``; a factory that wires collaborators (``lambda session, principal: ...``) works
the same way. Dependencies never appear in the API description.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from litestar import Request
from litestar.di import Provide
from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth.principal import Principal
from shared.http.guards import principal_of

T = TypeVar("T")


def provide_service(factory: Callable[[AsyncSession, Principal], T]) -> Provide:
    def dependency(request: Request[Any, Any, Any], db_session: AsyncSession) -> T:
        return factory(db_session, principal_of(request))

    return Provide(dependency, sync_to_thread=False)
