"""How a ticket looks to API callers: personal data masked, gifts only as a flag."""

from __future__ import annotations

from services.dispatch.models import Ticket, TicketHistory
from services.dispatch.tickets.schemas import HistoryView, TicketView


def ticket_view(t: Ticket) -> TicketView:
    return TicketView(
        id=t.id, number=t.number, channel=t.channel, status=t.status, priority=t.priority, title=t.title,
        description=t.description, category_id=t.category_id, item_id=t.item_id, scope_kind=t.scope_kind,
        difficulty=t.difficulty, caller_name=t.caller_name_masked, caller_phone=t.caller_phone_masked,
        household_id=t.household_id, address=t.address_masked, grid_id=t.grid_id, level=t.level_rank,
        unit_id=t.unit_id, provider_id=t.provider_id, dispatched_at=t.dispatched_at, accepted_at=t.accepted_at,
        arrived_at=t.arrived_at, arrival_late=t.arrival_late, completed_at=t.completed_at,
        resolution_note=t.resolution_note, material_cost=t.material_cost, gifts_flagged=bool(t.gifts_accepted),
        warning=t.warning, merged_into_id=t.merged_into_id, created_at=t.created_at, closed_at=t.closed_at,
    )  # fmt: skip


def history_view(h: TicketHistory) -> HistoryView:
    return HistoryView(action=h.action, actor=h.actor, at=h.at, from_status=h.from_status, to_status=h.to_status,
                       from_level=h.from_level, to_level=h.to_level, reason=h.reason, details=h.details)  # fmt: skip
