"""Every failure as a page in the user's language (never a stack trace or a JSON body): 404 for what does not
exist or belongs to another district, 403, an expired form, the platform unreachable, and anything else."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar import Response
from litestar.exceptions import HTTPException, NotFoundException, PermissionDeniedException, ValidationException
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from services.console.api import ApiError, UnreachableError
from services.console.i18n import N_
from services.console.session import SignedOutError
from services.console.web import AnyRequest, is_fragment, page
from shared.logging import get_logger

log = get_logger(__name__)
SIGN_IN = "/console/sign-in"

TITLES = {
    400: N_("This request cannot be read"),
    403: N_("You may not open this page"),
    404: N_("Not found"),
    500: N_("Something went wrong"),
    502: N_("The platform did not answer"),
}
EXPLANATIONS = {
    400: N_("Check the address or the filters and try again."),
    403: N_("Your role does not include this page. Ask your district administrator if you need it."),
    404: N_("It does not exist, or it belongs to another district."),
    500: N_("The error was recorded. Try again in a moment."),
    502: N_("The platform is not reachable right now. Try again in a moment."),
}
CSRF_REFUSED = N_("This form has expired. Reload the page and try again.")


def error_page(request: AnyRequest, status: int, explanation: str | None = None) -> Template:
    shown = status if status in TITLES else 500
    return page(
        request,
        "layout/error.html",
        status_code=status,
        title=TITLES[shown],
        explanation=explanation or EXPLANATIONS[shown],
        request_id=request.headers.get("x-request-id", ""),
    )


def signed_out(request: AnyRequest, _: Exception) -> Response[Any]:
    if "text/event-stream" in request.headers.get("accept", ""):
        return Response(content=b"", status_code=401)  # a live part: the page's next request signs in
    if is_fragment(request):
        return Response(content=b"", headers={"HX-Redirect": SIGN_IN})  # htmx loads the whole sign-in page
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return Redirect(f"{SIGN_IN}?next={quote(target, safe='')}", status_code=303)


def api_failed(request: AnyRequest, exc: ApiError) -> Response[Any]:
    if exc.status == 401:
        return signed_out(request, exc)
    if exc.status >= 500:
        log.warning("an API failed behind a page", status=exc.status, detail=exc.detail)
        return error_page(request, 502)
    return error_page(request, exc.status if exc.status in (403, 404) else 400)


def unreachable(request: AnyRequest, exc: UnreachableError) -> Response[Any]:
    log.warning("the gateway is unreachable", error=str(exc))
    return error_page(request, 502)


def http_error(request: AnyRequest, exc: HTTPException) -> Response[Any]:
    if isinstance(exc, PermissionDeniedException) and "CSRF" in str(exc.detail):
        return error_page(request, 403, CSRF_REFUSED)
    if isinstance(exc, NotFoundException):
        return error_page(request, 404)
    if isinstance(exc, ValidationException):
        return error_page(request, 400)
    return error_page(request, exc.status_code if exc.status_code < 500 else 500)


def internal(request: AnyRequest, exc: Exception) -> Response[Any]:
    log.exception("console page failed", error=type(exc).__name__)
    return error_page(request, HTTP_500_INTERNAL_SERVER_ERROR)


EXCEPTION_HANDLERS: dict[Any, Any] = {
    SignedOutError: signed_out,
    ApiError: api_failed,
    UnreachableError: unreachable,
    HTTPException: http_error,
    Exception: internal,
}
