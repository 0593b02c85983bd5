"""How a ticket looks to API callers: personal data masked, gifts only as a flag."""

from __future__ import annotations

from typing import Any, Protocol
from uuid import UUID

from sqlalchemy import Row

from services.dispatch.stages.steps import current_stage
from services.dispatch.tickets.models import Ticket
from services.dispatch.tickets.schemas import DuplicateView, RunningClock, TicketView
from shared.http.views import view


class Alike(Protocol):
    """A ticket, or a call not yet saved: what duplicates are matched on."""

    @property
    def household_id(self) -> UUID | None: ...
    @property
    def address_index(self) -> bytes | None: ...
    @property
    def caller_phone_index(self) -> bytes | None: ...


def ticket_view(row: Ticket, grid_name: str | None = None, clock: RunningClock | None = None) -> TicketView:
    return view(
        TicketView,
        row,
        caller_name=row.caller_name_masked,
        caller_phone=row.caller_phone_masked,
        address=row.address_masked,
        level=row.level_rank,
        gifts_flagged=bool(row.gifts_accepted),
        grid_name=grid_name,
        clock=clock,
        stage=current_stage(row.status, classified=row.category_id is not None),
    )


def duplicate_view(row: Ticket | Row[Any], of: Alike | None = None) -> DuplicateView:
    """``row`` as a possible duplicate of ``of``, naming what they share (nothing without ``of``)."""
    same = []
    if of is not None:
        if of.household_id and row.household_id == of.household_id:
            same.append("household")
        if of.address_index and row.address_index == of.address_index:
            same.append("address")
        if of.caller_phone_index and row.caller_phone_index == of.caller_phone_index:
            same.append("caller")
    return view(DuplicateView, row, same=same)
