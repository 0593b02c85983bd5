"""How a ticket looks to API callers: personal data masked, gifts only as a flag."""

from __future__ import annotations

from services.dispatch.tickets.models import Ticket
from services.dispatch.tickets.schemas import DuplicateView, TicketView
from shared.http.views import view


def ticket_view(row: Ticket) -> TicketView:
    return view(
        TicketView,
        row,
        caller_name=row.caller_name_masked,
        caller_phone=row.caller_phone_masked,
        address=row.address_masked,
        level=row.level_rank,
        gifts_flagged=bool(row.gifts_accepted),
    )


def duplicate_view(row: Ticket, of: Ticket | None = None) -> DuplicateView:
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
