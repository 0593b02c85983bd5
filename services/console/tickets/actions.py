"""What an operator does on a ticket's page, each an htmx form posting here and calling one API (two for a
callback that reached the resident: the feedback, then the call).

The console converts what was typed into the API's types only where the text is plainly one (``"3"`` → 3,
``"true"`` → true) and sends anything else as typed, so the API's strict decoding refuses it and names the
field: every check stays in the API, and nothing is stored on bad input. A refusal comes back as the form
with the message beside the field (422) or above it (409, 403, 404), in the user's language; a success
re-renders the form's part and, out of band, every part the action may have changed. Without JavaScript a
form posts the ordinary way and gets the page back (or a redirect to it).
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from litestar import Controller, MediaType, Response, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.forms import FormErrors, read_form
from services.console.i18n import N_, translations
from services.console.tickets.parts import LIVE, Forms, some_parts, whole_page
from services.console.tickets.refusals import explain
from services.console.web import AnyRequest, is_fragment

Answer = Response[str] | Template | Redirect
DONE = {
    "reveal": N_("Shown for this purpose; recorded in the audit log."),
    "route": N_("Routed again: the best candidates have new offers."),
    "assign": N_("Offered to the chosen provider."),
    "accept": N_("Signed for on the provider's behalf; they are told by SMS."),
    "approved": N_("Extension approved: the time limit moved."),
    "rejected": N_("Extension refused: the time limit stays."),
    "escalate": N_("Escalated to the next rung."),
    "referral": N_("Referral notice issued."),
    "referral-closure": N_("Referral notice closed."),
    "reached": N_("Callback recorded with the resident's satisfaction."),
    "unsatisfied": N_("Recorded: the resident is not satisfied, so the ticket went back to its handler."),
    "unreachable": N_("Recorded: the resident was not reached. Try again later."),
    "waiver": N_("Callback waived."),
    "close": N_("Ticket closed."),
    "reopen": N_("Reopened: the ticket went back to its handler."),
}


def number(text: str) -> int | str | None:
    """``"3"`` as 3; nothing as None; anything else as typed (the API names the field it refuses)."""
    text = text.strip()
    if not text:
        return None
    return int(text) if text.isdigit() else text


def flag(text: str) -> bool | str | None:
    return {"true": True, "false": False, "": None}.get(text, text)


def optional(text: str) -> str | None:
    return text.strip() or None


async def attempt(request: AnyRequest, form: str, call: Awaitable[Any]) -> tuple[Any, FormErrors | None]:
    """The API's answer, or its refusal as the form shows it (5xx and sign-outs go on to the error pages)."""
    try:
        return await call, None
    except ApiError as refused:
        if refused.status not in (403, 404, 409, 422):
            raise
        gettext = translations(request.app.state.console.locale).gettext
        return None, explain(refused, form, gettext)


@dataclass(frozen=True)
class Outcome:
    """How one form's action went: the form and the part holding it, what was typed, the refusal or what was
    done (and, for a reveal, the API's answer)."""

    form: str
    part: str
    values: dict[str, str]
    refused: FormErrors | None
    done: str
    revealed: dict[str, str] | None = None


async def answer(request: AnyRequest, api: Api, ticket_id: UUID, outcome: Outcome) -> Answer:
    form, part, values, refused = outcome.form, outcome.part, outcome.values, outcome.refused
    done, revealed = outcome.done, outcome.revealed
    if refused is not None:
        forms = Forms(errors={form: refused}, values={form: values})
        if is_fragment(request):  # htmx swaps only 2xx answers: the form with its messages, as 200
            html = await some_parts(request, api, ticket_id, (part,), main=part, forms=forms)
            return Response(html, media_type=MediaType.HTML)
        return await whole_page(request, api, ticket_id, forms, status_code=422 if refused.fields else 409)
    forms = Forms(done={form: done}, revealed=revealed)
    if is_fragment(request):
        parts = (part,) if revealed else (part, *(p for p in LIVE if p != part))
        return Response(
            await some_parts(request, api, ticket_id, parts, main=part, forms=forms), media_type=MediaType.HTML
        )
    if revealed:
        return await whole_page(request, api, ticket_id, forms)
    return Redirect(f"/console/tickets/{ticket_id}#ticket-{part}", status_code=303)


class TicketActions(Controller):
    """The ticket page's forms (the page's controller inherits them, so they share its path and guards)."""

    include_in_schema = False

    @post("/tickets/{ticket_id:uuid}/reveal", status_code=200)
    async def reveal(self, request: AnyRequest, api: NamedDependency[Api], ticket_id: FromPath[UUID]) -> Answer:
        values = await read_form(request)
        body = {"field": values.get("field", ""), "purpose": values.get("purpose", "").strip()}
        found, refused = await attempt(request, "reveal", api.post(f"/api/dispatch/tickets/{ticket_id}/reveal", body))
        outcome = Outcome("reveal", "reveal", values, refused, DONE["reveal"], found)
        return await answer(request, api, ticket_id, outcome)

    @post("/tickets/{ticket_id:uuid}/route", status_code=200)
    async def route(self, request: AnyRequest, api: NamedDependency[Api], ticket_id: FromPath[UUID]) -> Answer:
        _, refused = await attempt(request, "route", api.post(f"/api/dispatch/tickets/{ticket_id}/route", None))
        outcome = Outcome("route", "routing", {}, refused, DONE["route"])
        return await answer(request, api, ticket_id, outcome)

    @post("/tickets/{ticket_id:uuid}/assign", status_code=200)
    async def assign(self, request: AnyRequest, api: NamedDependency[Api], ticket_id: FromPath[UUID]) -> Answer:
        values = await read_form(request)
        call = api.post(f"/api/dispatch/tickets/{ticket_id}/assign", {"providerId": values.get("providerId", "")})
        _, refused = await attempt(request, "assign", call)
        outcome = Outcome("assign", "routing", values, refused, DONE["assign"])
        return await answer(request, api, ticket_id, outcome)

    @post("/tickets/{ticket_id:uuid}/offers/{offer_id:uuid}/accept", status_code=200)
    async def accept(
        self, request: AnyRequest, api: NamedDependency[Api], ticket_id: FromPath[UUID], offer_id: FromPath[UUID]
    ) -> Answer:
        call = api.post(f"/api/dispatch/tickets/{ticket_id}/offers/{offer_id}/accept", None)
        _, refused = await attempt(request, "accept", call)
        outcome = Outcome("accept", "routing", {}, refused, DONE["accept"])
        return await answer(request, api, ticket_id, outcome)

    @post("/tickets/{ticket_id:uuid}/extensions/{extension_id:uuid}/decision", status_code=200)
    async def decide(
        self, request: AnyRequest, api: NamedDependency[Api], ticket_id: FromPath[UUID], extension_id: FromPath[UUID]
    ) -> Answer:
        values = await read_form(request)
        approve = flag(values.get("approve", ""))
        body = {"approve": approve, "note": values.get("note", "").strip()}
        form = f"decision-{extension_id}"
        _, refused = await attempt(
            request, "decision", api.post(f"/api/dispatch/extensions/{extension_id}/decision", body)
        )
        done = DONE["approved"] if approve is True else DONE["rejected"]
        outcome = Outcome(form, "extensions", values, refused, done)
        return await answer(request, api, ticket_id, outcome)

    @post("/tickets/{ticket_id:uuid}/escalate", status_code=200)
    async def escalate(self, request: AnyRequest, api: NamedDependency[Api], ticket_id: FromPath[UUID]) -> Answer:
        values = await read_form(request)
        body = {"toLevel": number(values.get("toLevel", "")), "reason": values.get("reason", "").strip()}
        call = api.post(f"/api/dispatch/tickets/{ticket_id}/escalations", body)
        _, refused = await attempt(request, "escalate", call)
        outcome = Outcome("escalate", "escalation", values, refused, DONE["escalate"])
        return await answer(request, api, ticket_id, outcome)

    @post("/tickets/{ticket_id:uuid}/referrals", status_code=200)
    async def referral(self, request: AnyRequest, api: NamedDependency[Api], ticket_id: FromPath[UUID]) -> Answer:
        values = await read_form(request)
        names = ("meeting", "responsibleUnit", "responsiblePerson", "dueOn")
        body = {name: values.get(name, "").strip() for name in names}
        _, refused = await attempt(request, "referral", api.post(f"/api/dispatch/tickets/{ticket_id}/referrals", body))
        outcome = Outcome("referral", "escalation", values, refused, DONE["referral"])
        return await answer(request, api, ticket_id, outcome)

    @post("/tickets/{ticket_id:uuid}/referrals/{referral_id:uuid}/closure", status_code=200)
    async def close_referral(
        self, request: AnyRequest, api: NamedDependency[Api], ticket_id: FromPath[UUID], referral_id: FromPath[UUID]
    ) -> Answer:
        values = await read_form(request)
        call = api.post(f"/api/dispatch/referrals/{referral_id}/closure", {"note": values.get("note", "").strip()})
        _, refused = await attempt(request, "referral-closure", call)
        form = f"referral-closure-{referral_id}"
        outcome = Outcome(form, "escalation", values, refused, DONE["referral-closure"])
        return await answer(request, api, ticket_id, outcome)

    @post("/tickets/{ticket_id:uuid}/callback", status_code=200)
    async def callback(self, request: AnyRequest, api: NamedDependency[Api], ticket_id: FromPath[UUID]) -> Answer:
        """The call back to the resident: reached, their feedback (satisfaction, how it was collected) first,
        then the call itself; dissatisfaction reopens the ticket, so no callback follows it. Not reached:
        the attempt alone."""
        values = await read_form(request)
        base = f"/api/dispatch/tickets/{ticket_id}"
        reached, note = values.get("outcome", ""), optional(values.get("note", ""))
        done = DONE["unreachable"]
        if reached == "reached":
            satisfied = flag(values.get("satisfied", ""))
            feedback: dict[str, Any] = {"satisfied": satisfied, "via": values.get("via", "phone"), "comment": note}
            feedback |= {key: number(values.get(key, "")) for key in ("handlerScore", "stationScore")}
            feedback |= {key: number(values.get(key, "")) for key in ("processScore", "resultScore")}
            _, refused = await attempt(request, "callback", api.post(f"{base}/feedback", feedback))
            done = DONE["reached"] if satisfied is True else DONE["unsatisfied"]
            if refused is None and satisfied is True:
                _, refused = await attempt(request, "callback", api.post(f"{base}/callback", {"outcome": reached}))
        else:
            body = {"outcome": reached or None, "note": note}
            _, refused = await attempt(request, "callback", api.post(f"{base}/callback", body))
        if refused is not None and "comment" in refused.fields:  # the form calls the resident's words "note"
            refused.fields["note"] = refused.fields.pop("comment")
        return await answer(request, api, ticket_id, Outcome("callback", "closure", values, refused, done))

    @post("/tickets/{ticket_id:uuid}/waiver", status_code=200)
    async def waive(self, request: AnyRequest, api: NamedDependency[Api], ticket_id: FromPath[UUID]) -> Answer:
        values = await read_form(request)
        body = {"waived": True, "waiverReason": optional(values.get("waiverReason", ""))}
        body["note"] = optional(values.get("note", ""))
        _, refused = await attempt(request, "waiver", api.post(f"/api/dispatch/tickets/{ticket_id}/callback", body))
        outcome = Outcome("waiver", "closure", values, refused, DONE["waiver"])
        return await answer(request, api, ticket_id, outcome)

    @post("/tickets/{ticket_id:uuid}/close", status_code=200)
    async def close(self, request: AnyRequest, api: NamedDependency[Api], ticket_id: FromPath[UUID]) -> Answer:
        _, refused = await attempt(request, "close", api.post(f"/api/dispatch/tickets/{ticket_id}/close", None))
        outcome = Outcome("close", "closure", {}, refused, DONE["close"])
        return await answer(request, api, ticket_id, outcome)

    @post("/tickets/{ticket_id:uuid}/reopen", status_code=200)
    async def reopen(self, request: AnyRequest, api: NamedDependency[Api], ticket_id: FromPath[UUID]) -> Answer:
        """The resident is not satisfied (a dissatisfied feedback, which sends the ticket back to its handler)."""
        values = await read_form(request)
        body = {"satisfied": False, "via": values.get("via", "phone"), "comment": optional(values.get("comment", ""))}
        _, refused = await attempt(request, "reopen", api.post(f"/api/dispatch/tickets/{ticket_id}/feedback", body))
        outcome = Outcome("reopen", "closure", values, refused, DONE["reopen"])
        return await answer(request, api, ticket_id, outcome)
