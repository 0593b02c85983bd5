"""Errors as RFC 9457 problem+json, naming the offending field where there is one.

Another tenant's object is reported exactly like a missing one (404), so ids leak nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import asyncpg
import msgspec
from advanced_alchemy.exceptions import IntegrityError as AAIntegrityError
from advanced_alchemy.exceptions import NotFoundError as AANotFoundError
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import (
    HTTP_404_NOT_FOUND,
    HTTP_409_CONFLICT,
    HTTP_422_UNPROCESSABLE_ENTITY,
    HTTP_500_INTERNAL_SERVER_ERROR,
    HTTP_503_SERVICE_UNAVAILABLE,
)
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import DBAPIError, IntegrityError

from shared.context import current_request_id
from shared.db.cells import DistrictPausedError, PlacementUnknownError
from shared.logging import get_logger

PROBLEM_JSON = "application/problem+json"
READ_ONLY_TRANSACTION = "25006"  # PostgreSQL's read_only_sql_transaction
# Seconds a client waits before trying again after a 503: a district's move pauses its writes for a few seconds, and a
# restarting database or Redis is back in about as long (the gateway answers a service that is down the same way).
RETRY_AFTER_S = 5
# PostgreSQL cannot take the statement now: a connection exception (class 08), too many connections, or the server
# shutting down, crashed or starting up (57P01-57P03).
UNAVAILABLE_STATES = ("53300", "57P01", "57P02", "57P03")
# What a store that is down or restarting raises, where the driver's error is not wrapped by SQLAlchemy.
UNAVAILABLE_ERRORS: tuple[type[Exception], ...] = (
    ConnectionError,  # refused, reset
    TimeoutError,  # connecting took longer than the configured timeout
    asyncpg.PostgresConnectionError,
    asyncpg.exceptions.AdminShutdownError,
    asyncpg.exceptions.CrashShutdownError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.TooManyConnectionsError,
    RedisConnectionError,
    RedisTimeoutError,
)
log = get_logger(__name__)


class ProblemError(HTTPException):
    """Raise from domain code for a specific 4xx with a human-readable detail and optional field errors."""

    def __init__(
        self, status_code: int, detail: str, *, errors: list[dict[str, str]] | None = None, title: str | None = None
    ) -> None:
        super().__init__(status_code=status_code, detail=detail)
        self.errors = errors or []
        self.title = title


def field_name(field: str) -> str:
    """Errors name fields as Litestar's validation does: ``body.gridId``, ``query.after``; a bare name is the body's."""
    return field if "." in field else f"body.{field}"


def invalid(field: str, message: str, detail: str | None = None) -> ProblemError:
    """A 422 naming the one field that is wrong (``field`` in the API's camelCase)."""
    name = field_name(field)
    return ProblemError(422, detail or f"{name}: {message}", errors=[{"field": name, "message": message}])


def conflict(detail: str) -> ProblemError:
    return ProblemError(409, detail, title="Conflict")


def missing(what: str) -> ProblemError:
    """Another district's object, or one the caller may not see: the same 404 (no existence oracle)."""
    return ProblemError(404, f"no such {what} in this district", title="Not Found")


class FieldErrors:
    """Every wrong field of one input, reported together as the ``errors`` of one 422."""

    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []

    def add(self, field: str, message: str) -> None:
        self.items.append({"field": field_name(field), "message": message})

    def choice(self, field: str, value: str | None, allowed: Iterable[str]) -> None:
        allowed = tuple(allowed)
        if value is not None and value not in allowed:
            self.add(field, f"one of: {', '.join(allowed)}")

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self, detail: str) -> None:
        if self.items:
            raise ProblemError(422, detail, errors=self.items)


def problem(
    status: int, title: str, detail: str | None, request: Request[Any, Any, Any] | None, **extra: Any
) -> Response[bytes]:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if request is not None:
        body["instance"] = request.url.path
    request_id = current_request_id.get()
    if request_id:
        body["request_id"] = request_id
    body.update({k: v for k, v in extra.items() if v})
    return Response(content=msgspec.json.encode(body), status_code=status, media_type=PROBLEM_JSON)


def _titles(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


_NAMED_FIELD = re.compile(r"(?:missing required field|unknown field) `([^`]+)`")


def _api_names(request: Request[Any, Any, Any]) -> dict[str, str]:
    """The handler's parameters by Python name -> the name the API gives them (``unit_path`` -> ``unitPath``)."""
    handler = request.scope.get("route_handler")
    signature = getattr(handler, "parsed_fn_signature", None)
    if signature is None:  # no handler resolved: keep Litestar's names
        return {}
    parameters = signature.parameters
    names = {}
    for name, parameter in parameters.items():
        declared = getattr(parameter.kwarg_definition, "name", None)
        if declared:
            names[name] = declared
    return names


def _field_errors(extra: Any, api_names: dict[str, str] | None = None) -> list[dict[str, str]]:
    """Litestar's validation detail as [{field, message}], naming the field even for missing or unknown ones, and
    a query, path or header parameter by the name the API gives it."""
    errors: list[dict[str, str]] = []
    if isinstance(extra, list):
        for item in extra:
            if isinstance(item, dict):
                message = str(item.get("message", "invalid"))
                key = item.get("key")
                named = _NAMED_FIELD.search(message)
                if named:
                    key = named.group(1) if key in (None, "data") else f"{key}.{named.group(1)}"
                elif key == "data":  # the body as a whole
                    key = None
                source = item.get("source")
                source = getattr(source, "value", source)  # ParamType.QUERY -> "query"
                if source and api_names and key in api_names:
                    key = api_names[key]
                field = ".".join(str(p) for p in (source, key) if p) or "body"
                errors.append({"field": field, "message": message})
    return errors


def handle_http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[bytes]:
    status = exc.status_code
    if isinstance(exc, ProblemError):
        return problem(status, exc.title or _titles(status), exc.detail, request, errors=exc.errors)
    if isinstance(exc, ValidationException):
        errors = _field_errors(exc.extra, _api_names(request))
        malformed = any("JSON is malformed" in e["message"] or "malformed" in e["message"].lower() for e in errors) or (
            "malformed" in (exc.detail or "").lower()
        )
        if malformed:
            return problem(400, "Malformed request body", "the request body is not valid JSON", request, errors=errors)
        fields = ", ".join(e["field"] for e in errors) or "request"
        return problem(
            HTTP_422_UNPROCESSABLE_ENTITY, "Invalid input", f"invalid value for {fields}", request, errors=errors
        )
    detail = exc.detail if status < 500 else None
    return problem(status, _titles(status), detail, request)


def handle_not_found(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    return problem(HTTP_404_NOT_FOUND, "Not Found", "no such resource in this district", request)


def handle_integrity(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    return problem(HTTP_409_CONFLICT, "Conflict", "the change conflicts with existing data", request)


def handle_db_error(request: Request[Any, Any, Any], exc: DBAPIError) -> Response[bytes]:
    # A write aimed at another tenant fails the RLS WITH CHECK: answer as if the target did not exist.
    if "row-level security" in str(exc.orig):
        return handle_not_found(request, exc)
    # A read of a district being moved runs read-only (shared/http/app.py); one that wanted to write waits too.
    if getattr(exc.orig, "sqlstate", None) == READ_ONLY_TRANSACTION:
        return handle_district_moving(request, exc)
    if database_unavailable(exc):
        return handle_unavailable(request, exc)
    return handle_unexpected(request, exc)


def database_unavailable(exc: DBAPIError) -> bool:
    """The database is down, restarting or full, not the statement wrong: the client may simply try again."""
    if exc.connection_invalidated:
        return True
    orig = exc.orig
    state = str(getattr(orig, "sqlstate", "") or "")
    closed = "connection is closed" in str(orig)  # asyncpg's word for a connection the server dropped
    return state.startswith("08") or state in UNAVAILABLE_STATES or closed or isinstance(orig, UNAVAILABLE_ERRORS)


def handle_unavailable(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    """The database or Redis is not answering (restarting, down, out of connections): 503 with Retry-After, never a
    bare 500; the client tries again. A request cut off mid-transaction was rolled back by PostgreSQL, unless the
    cut came during its commit."""
    log.warning("a store is unavailable", path=request.url.path, error=type(exc).__name__)
    return try_again(request, "a database or queue this service needs is not answering; try again in a few seconds")


def handle_district_moving(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    """The district's rows are moving between database cells, or this process has not read where they are yet:
    nothing was stored; the client tries again shortly (a move pauses writes for a few seconds, docs/scaling.md)."""
    detail = (
        "this district's data is being moved to another database; nothing was stored, try again in a few seconds"
        if not isinstance(exc, PlacementUnknownError)
        else "where this district's data is kept is not known yet; nothing was stored, try again in a few seconds"
    )
    return try_again(request, detail)


def try_again(request: Request[Any, Any, Any], detail: str) -> Response[bytes]:
    """503 problem+json with ``Retry-After``: nothing is wrong with the request, only its moment."""
    response = problem(HTTP_503_SERVICE_UNAVAILABLE, "Service Unavailable", detail, request)
    response.headers["Retry-After"] = str(RETRY_AFTER_S)
    return response


def handle_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    log.exception("unhandled error", path=request.url.path)
    return problem(HTTP_500_INTERNAL_SERVER_ERROR, "Internal Server Error", None, request)


EXCEPTION_HANDLERS: dict[type[Exception] | int, Any] = {
    HTTPException: handle_http_exception,
    AANotFoundError: handle_not_found,
    AAIntegrityError: handle_integrity,
    IntegrityError: handle_integrity,
    DBAPIError: handle_db_error,
    DistrictPausedError: handle_district_moving,
    PlacementUnknownError: handle_district_moving,
    **dict.fromkeys(UNAVAILABLE_ERRORS, handle_unavailable),
    Exception: handle_unexpected,
}

__all__ = [
    "EXCEPTION_HANDLERS",
    "PROBLEM_JSON",
    "FieldErrors",
    "MediaType",
    "ProblemError",
    "conflict",
    "invalid",
    "missing",
    "problem",
]
