"""Rendering a ticket page's parts: all of them for the page, some of them as htmx swaps after an action or a
change the live stream reports (``hx-swap-oob``: each part replaces the element with its id)."""

from __future__ import annotations

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
    engine = request.app.template_engine
    assert engine is not None
    return engine.engine.globals["fmt"]


def common(forms: Forms) -> dict[str, Any]:
    return {"stages": STAGES, "warnings": WARNINGS, "labels": labels, "forms": forms}


async def whole_page(
    request: AnyRequest, api: Api, ticket_id: UUID, forms: Forms | None = None, status_code: int = 200
) -> Template:
    parts = allowed(api, facts.PARTS)
    context = await facts.load(api, str(ticket_id), parts, formats(request))
    return page(request, "tickets/ticket.html", status_code=status_code, **context, **common(forms or Forms()))


async def some_parts(
    request: AnyRequest, api: Api, ticket_id: UUID, parts: tuple[str, ...], *, main: str | None, forms: Forms
) -> str:
    """The ``parts`` as HTML: ``main`` as the swap's own target, the others out of band."""
    return "".join((await parts_by_name(request, api, ticket_id, parts, main=main, forms=forms)).values())


async def parts_by_name(
    request: AnyRequest, api: Api, ticket_id: UUID, parts: tuple[str, ...], *, main: str | None, forms: Forms
) -> dict[str, str]:
    """Each of the ``parts`` the user may see, rendered."""
    parts = allowed(api, parts)
    context = await facts.load(api, str(ticket_id), parts, formats(request))
    engine = request.app.template_engine
    assert engine is not None
    env = engine.engine
    shared = {"request": request, "user": api.user, **context, **common(forms)}  # csrf_token() reads the request
    return {part: env.get_template(f"tickets/{part}.html").render(oob=part != main, **shared) for part in parts}
