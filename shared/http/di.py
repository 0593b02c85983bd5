"""Services injected into handlers: one per request, over the request's transaction and verified principal.

A controller declares ``dependencies = {"leaders": provide_service(GridLeaderService)}`` and its handlers take
``leaders: NamedDependency[GridLeaderService]`` (Litestar 3 needs dependencies marked as such). A service
names what it needs in its constructor, by type:

    class GridLeaderService:
        def __init__(self, session: AsyncSession, members: MemberService) -> None: ...

``AsyncSession`` is the request's transaction, ``Principal`` the verified caller, and any other annotated
class is a collaborator built the same way, once per request (two services asking for ``NodeService`` share
one). Parameters with defaults are left to them. A plain function ``(session, principal) -> service`` may be
given instead of a class where construction needs more. Dependencies never appear in the API description.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar, cast, get_type_hints

from litestar import Request
from litestar.di import NamedDependency, Provide
from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth.principal import Principal
from shared.http.guards import principal_of

T = TypeVar("T")


@cache
def _wiring(cls: Any) -> tuple[tuple[str, Any], ...]:
    """The constructor's parameters to fill, with their types (resolved once per class)."""
    hints = get_type_hints(cls.__init__)
    wired = []
    for name, parameter in inspect.signature(cls.__init__).parameters.items():
        if name == "self" or parameter.default is not inspect.Parameter.empty:
            continue
        hint = hints.get(name)
        if hint is not AsyncSession and hint is not Principal and not isinstance(hint, type):
            raise TypeError(f"{cls.__name__}({name}): only a session, a principal or a service class can be injected")
        wired.append((name, hint))
    return tuple(wired)


def build_service(cls: type[T], session: AsyncSession, principal: Principal, built: dict[type, Any] | None = None) -> T:
    """``cls`` with its session, principal and collaborators (also usable outside HTTP: sweeps, actors)."""
    built = {} if built is None else built
    if cls in built:
        instance: T = built[cls]
        return instance
    arguments: dict[str, Any] = {}
    for name, hint in _wiring(cast(Any, cls)):
        if hint is AsyncSession:
            arguments[name] = session
        elif hint is Principal:
            arguments[name] = principal
        else:
            arguments[name] = build_service(hint, session, principal, built)
    instance = built[cls] = cls(**arguments)
    return instance


def provide_service(factory: type[T] | Callable[[AsyncSession, Principal], T]) -> Provide:
    if isinstance(factory, type):
        cls = factory
        _wiring(cls)  # a constructor that cannot be wired fails when the app is built, not on a request

        def dependency(request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]) -> Any:
            return build_service(cls, db_session, principal_of(request))

    else:

        def dependency(request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]) -> Any:
            return factory(db_session, principal_of(request))

    return Provide(dependency, sync_to_thread=False)
