"""The organiser's check-in screen (``/console/training/sessions/<id>/screen``): full-screen, for a projector or a
laptop at the door. A big QR code of the phone check-in page's address with the session's current code, drawn
here as SVG; the page asks for the next one as each code's step ends (htmx, every ``stepSeconds``) and shows how
many have checked in so far. Another district's session is the 404 page."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any
from uuid import UUID

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from services.console.api import Api, ApiError
from services.console.training.labels import ORGANISERS, Refusal, shown, window_refusal
from services.console.training.qr import qr_svg
from services.console.web import AnyRequest, signed_in
from shared.clock import now

FALLBACK_STEP_S = 10  # how often a screen without a code (check-in closed) still updates the count
AFTER_STEP_MS = 300  # past the step's end, so the API's clock has moved on too
MIN_WAIT_MS = 500


def public_base(request: AnyRequest) -> str:
    """The console's address as the organiser's browser reached it (the gateway forwards the host and scheme it
    was asked with): what a phone in the same room opens."""
    headers = request.headers
    scheme = headers.get("x-forwarded-proto") or request.url.scheme
    host = headers.get("x-forwarded-host") or headers.get("host") or request.url.netloc
    return f"{scheme}://{host}"


async def current(request: AnyRequest, api: Api, session_id: UUID) -> dict[str, Any]:
    """What the screen shows now: the session (its count) and its code as a QR code, or why there is none."""
    session, code = await asyncio.gather(api.get(f"/api/training/sessions/{session_id}"), _code(api, session_id))
    drawn = {"session": session, "qr": qr_svg}  # the template draws the code with its title in the page's language
    if isinstance(code, Refusal):
        return {**drawn, "code": None, "refusal": code, "step": FALLBACK_STEP_S, "wait_ms": 0, "url": ""}
    step = int(code.get("stepSeconds") or FALLBACK_STEP_S)
    url = public_base(request) + code["checkinPath"]
    return {**drawn, "code": code, "refusal": None, "step": step, "wait_ms": _until(code["refreshAt"]), "url": url}


def _until(refresh_at: str) -> int:
    """Milliseconds until just after the code's step ends. Asking then (rather than every ``stepSeconds`` from
    whenever the page opened) shows each code from the start of its step, so a code on the screen always has a
    whole step of validity left for a member who scans it at the last moment."""
    left = datetime.fromisoformat(refresh_at) - now()
    return max(MIN_WAIT_MS, int(left.total_seconds() * 1000) + AFTER_STEP_MS)


async def _code(api: Api, session_id: UUID) -> dict[str, Any] | Refusal:
    try:
        code: dict[str, Any] = await api.get(f"/api/training/sessions/{session_id}/checkin-code")
    except ApiError as refused:
        if refused.status != 409:  # another district's: the 404 page; anything else an error page
            raise
        return window_refusal(refused.detail)
    return code


class ScreenController(Controller):
    path = "/console/training/sessions/{session_id:uuid}/screen"
    include_in_schema = False
    guards = signed_in(*ORGANISERS)

    @get("/")
    async def screen(self, request: AnyRequest, api: NamedDependency[Api], session_id: FromPath[UUID]) -> Template:
        return shown(request, "training/screen.html", **await current(request, api, session_id))

    @get("/code")
    async def code(self, request: AnyRequest, api: NamedDependency[Api], session_id: FromPath[UUID]) -> Template:
        """The changing part for the page's poll: the QR code and the count."""
        return shown(request, "training/screen_code.html", **await current(request, api, session_id))
