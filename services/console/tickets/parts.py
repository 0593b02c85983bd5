"""Rendering a ticket page's parts: all of them for the page, some of them as htmx swaps after an action or a
change the live stream reports (``hx-swap-oob``: each part replaces the element with its id)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from litestar.response import Template

from services.console.api import Api
from services.console.desk.queue import STAGES, WARNINGS
from services.console.forms import FormErrors
from services.console.tickets import facts, labels
from services.console.web import AnyRequest, page

# What refreshes when a change comes in (every change: the header and the timeline; a change of stage: every
# part but the reveal, because which forms apply depends on the stage).
LIVE = ("header", "timeline", "routing", "extensions", "escalation", "closure")
ROUTING_ACTIONS = (
    "dispatched",
    "no_candidate",
    "offers_withdrawn",
    "offer_withdrawn",
    "accepted",
    "declined",
    "offer_expired",
    "returned",
    "provider_left",
    "classified",
)
CLOSURE_ACTIONS = ("resolved", "feedback", "reopened", "points_reversed", "callback", "callback_waived", "closed")


@dataclass
class Forms:
    """The state of the page's forms after an action: messages by form, what was typed, what was done."""

    errors: dict[str, FormErrors] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    done: dict[str, str] = field(default_factory=dict)  # form -> catalogue id of what happened
    revealed: dict[str, str] | None = None  # the reveal's answer: shown in its own part only

    def error(self, form: str) -> FormErrors:
        return self.errors.get(form) or FormErrors()

    def value(self, form: str, name: str, default: str = "") -> str:
        return self.values.get(form, {}).get(name, default)


def affected(change: dict[str, Any], stage: str) -> tuple[str, ...]:
    """The parts a change of the ticket touches, given the stage the page last showed."""
    action = str(change.get("action", ""))
    if change.get("status") != stage:
        return LIVE
    parts = ["header", "timeline"]
    if action in ROUTING_ACTIONS:
        parts.append("routing")
    if action in ("escalated", "assigned", "warned") or action.startswith("referral_"):
        parts += ["routing", "escalation", "extensions"]
    if action.startswith("extension_"):
        parts.append("extensions")
    if action in CLOSURE_ACTIONS:
        parts.append("closure")
    return tuple(dict.fromkeys(parts))


def allowed(api: Api, parts: tuple[str, ...]) -> tuple[str, ...]:
    """Operators' parts only for operators (the APIs behind them refuse anyone else)."""
    if api.user.has_role(*facts.OPERATORS):
        return parts
    return tuple(p for p in parts if p not in ("routing", "reveal"))


def formats(request: AnyRequest) -> Any:
    return _templates(request).globals["fmt"]


def common(forms: Forms) -> dict[str, Any]:
    return {"stages": STAGES, "warnings": WARNINGS, "labels": labels, "forms": forms}


async def whole_page(
    request: AnyRequest, api: Api, ticket_id: UUID, forms: Forms | None = None, status_code: int = 200
) -> Template:
    parts = allowed(api, facts.PARTS)
    context = await facts.load(api, str(ticket_id), parts, formats(request))
    shared = {"request": request, "user": api.user, **context, **common(Forms())}
    states = part_states(request, shared, parts)
    page_context = {**context, **common(forms or Forms()), "states": states, "live": False}
    return page(request, "tickets/ticket.html", status_code=status_code, **page_context)


async def some_parts(
    request: AnyRequest, api: Api, ticket_id: UUID, parts: tuple[str, ...], *, main: str | None, forms: Forms
) -> str:
    """The ``parts`` as HTML: ``main`` as the swap's own target, the others out of band."""
    return "".join((await parts_by_name(request, api, ticket_id, parts, main=main, forms=forms)).values())


async def parts_by_name(
    request: AnyRequest,
    api: Api,
    ticket_id: UUID,
    parts: tuple[str, ...],
    *,
    main: str | None,
    forms: Forms,
    live: bool = False,
) -> dict[str, str]:
    """Each of the ``parts`` the user may see, rendered, each carrying the digest of the state it shows; ``live``:
    for the live stream, whose parts the page does not swap in over the same state (console.js)."""
    parts = allowed(api, parts)
    context = await facts.load(api, str(ticket_id), parts, formats(request))
    shared = {"request": request, "user": api.user, **context}  # csrf_token() reads the request
    states = part_states(request, {**shared, **common(Forms())}, parts)
    env = _templates(request)
    return {
        part: env.get_template(f"tickets/{part}.html").render(
            oob=part != main, states=states, live=live, **shared, **common(forms)
        )
        for part in parts
    }


_CSRF_VALUE = re.compile(r'(name="_csrf_token" value=")[^"]*"')


def part_states(request: AnyRequest, plain: dict[str, Any], parts: tuple[str, ...]) -> dict[str, str]:
    """A digest of each part as rendered with no form's input, refusal or outcome (and no CSRF token): equal digests,
    the same ticket shown. A live part is not swapped over a part showing the same state, so what the user is typing
    and the refusal a form just showed stay until the ticket itself changes."""
    env = _templates(request)
    states = {}
    for part in parts:
        html = env.get_template(f"tickets/{part}.html").render(oob=True, states={}, live=False, **plain)
        states[part] = hashlib.blake2b(_CSRF_VALUE.sub(r'\1"', html).encode(), digest_size=8).hexdigest()
    return states


def _templates(request: AnyRequest) -> Any:
    engine = request.app.template_engine
    assert engine is not None
    return engine.engine
