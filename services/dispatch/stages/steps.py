"""The five steps (五步走, DSP-17, Jinghai [001/JH]): collect → classify → route → supervise → feed back, read off
the ticket's state model and history rather than kept beside them, so they can never disagree with it.

- collect (收集): the call, visit or request is on record (``created``);
- classify (分类): it has its topic category (with the common/individual and solvable-now/hard dimensions);
- route (流转): it went out to the one who handles it (offers out, or signed for);
- supervise (督办): someone has signed for it and its clocks are watched (yellow and red warnings, escalation);
- feed back (反馈): it is resolved and the resident is asked for their opinion; closed once they have given it
  and the hotline has called back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from services.dispatch.tickets.models import Ticket, TicketHistory, TicketStatus


class Step(StrEnum):
    COLLECT = "collect"
    CLASSIFY = "classify"
    ROUTE = "route"
    SUPERVISE = "supervise"
    FEED_BACK = "feed_back"


STEPS = tuple(Step)
S = TicketStatus
_ROUTED = (S.ROUTING, S.ASSIGNED, S.ON_SITE, S.RESOLVED, S.CLOSED)


def current_stage(status: str, *, classified: bool) -> str | None:
    """The step a ticket in ``status`` is at; None for a cancelled or merged one."""
    if status == S.NEW:
        return Step.ROUTE if classified else Step.CLASSIFY
    if status == S.ROUTING:
        return Step.ROUTE
    if status in (S.ASSIGNED, S.ON_SITE):
        return Step.SUPERVISE
    if status in (S.RESOLVED, S.CLOSED):
        return Step.FEED_BACK
    return None


@dataclass(frozen=True, slots=True)
class Reached:
    """When a step was first reached, and the history row that reached it."""

    step: Step
    at: datetime | None
    row: TicketHistory | None
    state: str  # done | current | pending


def _first(rows: Iterable[TicketHistory], test: object) -> TicketHistory | None:
    return next((row for row in rows if test(row)), None)  # type: ignore[operator]


def reached(ticket: Ticket, history: list[TicketHistory]) -> list[Reached]:
    """Each step with the row that first reached it (history oldest first) and whether it is done, current or
    still ahead. A closed ticket has every step done; a reopened one is back at supervise."""
    created = _first(history, lambda r: r.action == "created")
    classified_at_intake = created is not None and bool(created.details.get("classified"))
    firsts = {
        Step.COLLECT: created,
        Step.CLASSIFY: created
        if classified_at_intake
        else _first(history, lambda r: r.action == "classified" and "category_id" in r.details.get("fields", [])),
        Step.ROUTE: _first(history, lambda r: r.action != "created" and r.to_status in _ROUTED),
        Step.SUPERVISE: _first(history, lambda r: r.to_status in (S.ASSIGNED, S.ON_SITE, S.RESOLVED)),
        Step.FEED_BACK: _first(history, lambda r: r.to_status == S.RESOLVED),
    }
    if firsts[Step.CLASSIFY] is None and ticket.category_id is not None:
        firsts[Step.CLASSIFY] = created  # tickets from before the intake row said so
    current = current_stage(ticket.status, classified=ticket.category_id is not None)
    position = STEPS.index(Step(current)) if current else -1
    steps = []
    for index, step in enumerate(STEPS):
        row = firsts[step]
        if ticket.status == S.CLOSED or index < position:
            state = "done"
        elif index == position:
            state = "current"
        else:
            state = "pending"
        steps.append(Reached(step=step, at=row.at if row else None, row=row, state=state))
    return steps
