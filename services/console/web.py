"""What every page handler uses: the signed-in user, the API client, role guards and ``page()``.

A handler names ``user: NamedDependency[SignedIn]`` and ``api: NamedDependency[Api]`` as parameters
(app-level dependencies) and is guarded by ``signed_in(*roles)``; it returns
``page(request, "<area>/<template>.html", **context)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.exceptions import PermissionDeniedException
from litestar.handlers import BaseRouteHandler
from litestar.response import Template
from litestar.types import Guard

from services.console.api import Api
from services.console.session import SignedIn, SignedOutError

AnyRequest = Request[Any, Any, Any]


@dataclass(frozen=True, slots=True)
class NavEntry:
    """A link in the left navigation, shown to the roles that may open it."""

    path: str
    label: str  # a catalogue message id (marked with N_)
    roles: tuple[str, ...]


@dataclass(frozen=True)
class NavGroup:
    """A heading of the left navigation and its links (22 links in one list were too many to scan)."""

    label: str  # a catalogue message id (marked with N_)
    entries: tuple[NavEntry, ...]


def visible_navigation(groups: list[NavGroup], user: SignedIn | None) -> list[NavGroup]:
    """The groups with the links ``user``'s roles may open; a group with none is left out."""
    if user is None:
        return []
    shown = (NavGroup(g.label, tuple(e for e in g.entries if user.has_role(*e.roles))) for g in groups)
    return [group for group in shown if group.entries]


def current_user(connection: ASGIConnection[Any, Any, Any, Any]) -> SignedIn | None:
    session = connection.scope.get("session")
    return SignedIn.from_session(session) if isinstance(session, dict) else None


def signed_in(*roles: str) -> list[Guard]:
    """Guards of a page: a signed-in user (else off to sign in) holding one of ``roles`` (else a 403 page)."""

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        user = current_user(connection)
        if user is None:
            raise SignedOutError
        if roles and not user.has_role(*roles):
            raise PermissionDeniedException("this page is for other roles")

    return [guard]


async def provide_user(request: AnyRequest) -> SignedIn:
    user = current_user(request)
    if user is None:
        raise SignedOutError
    return user


async def provide_api(state: State, user: NamedDependency[SignedIn]) -> Api:
    return Api(state.gateway, state.tokens, user)


def is_fragment(request: AnyRequest) -> bool:
    """An htmx request for part of a page (not a boosted navigation, not a history restore)."""
    headers = request.headers
    return (
        headers.get("hx-request") == "true"
        and not headers.get("hx-boosted")
        and not headers.get("hx-history-restore-request")
    )


def page(request: AnyRequest, template: str, status_code: int = 200, **context: Any) -> Template:
    """A template with what the layout needs: the user, the navigation they may see."""
    user = current_user(request)
    navigation = visible_navigation(request.app.state.navigation, user)
    return Template(
        template_name=template,
        context={"user": user, "navigation": navigation, "path": request.url.path, **context},
        status_code=status_code,
    )


def render(request: AnyRequest, template: str, **context: Any) -> str:
    """A template as HTML text, for what is not a response of its own (a live part's event)."""
    engine = request.app.template_engine
    assert engine is not None, "the console's app has a template engine"
    html: str = engine.get_template(template).render(**context)
    return html
