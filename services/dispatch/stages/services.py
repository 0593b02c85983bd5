"""A ticket's five steps as the desk and the resident's cadre read them, and the district's SMS setting."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.settings import NOTIFY_EVERY_STAGE, remember
from services.dispatch.stages.models import StageSetting
from services.dispatch.stages.notices import notify_every_stage
from services.dispatch.stages.schemas import (
    Classification,
    StageSettingChange,
    StageSettingView,
    StagesView,
    StepView,
    Supervision,
)
from services.dispatch.stages.steps import current_stage, reached
from services.dispatch.tickets.history import actor_label
from services.dispatch.tickets.services import TicketService
from shared import audit
from shared.auth.principal import Principal
from shared.clock import now
from shared.http.views import view


class StageService:
    def __init__(self, session: AsyncSession, principal: Principal, tickets: TicketService) -> None:
        self.session = session
        self.principal = principal
        self.tickets = tickets

    async def of_ticket(self, ticket_id: UUID) -> StagesView:
        """404 for a ticket the caller may not see, as the ticket itself."""
        ticket = await self.tickets.get(ticket_id)
        history = await self.tickets.history(ticket_id)
        steps = [
            StepView(
                step=r.step,
                state=r.state,
                reached_at=r.at,
                action=r.row.action if r.row else None,
                actor_name=actor_label(r.row.actor, r.row.actor_name, self.principal) if r.row else None,
            )
            for r in reached(ticket, history)
        ]
        return StagesView(
            ticket_id=ticket.id,
            number=ticket.number,
            status=ticket.status,
            stage=current_stage(ticket.status, classified=ticket.category_id is not None),
            steps=steps,
            classification=view(Classification, ticket),
            supervision=Supervision(
                warning=ticket.warning,
                escalations=sum(1 for row in history if row.action == "escalated"),
                level=ticket.level_rank,
            ),
            notify_every_stage=await notify_every_stage(self.session),
        )

    async def setting(self) -> StageSettingView:
        row = await self.session.scalar(select(StageSetting))
        if row is None:
            return StageSettingView(notify_every_stage=False, updated_at=None, updated_by_name=None)
        return view(StageSettingView, row)

    async def change(self, data: StageSettingChange) -> StageSettingView:
        row = await self.session.scalar(select(StageSetting).with_for_update())
        if row is None:
            row = StageSetting()
            self.session.add(row)
        row.notify_every_stage = data.notify_every_stage
        remember(self.session, NOTIFY_EVERY_STAGE, data.notify_every_stage)  # what this transaction says from now on
        row.updated_by, row.updated_by_name, row.updated_at = self.principal.user_id, self.principal.name, now()
        await self.session.flush()
        await audit.record(
            self.session,
            "dispatch.stage_setting.changed",
            subject_type="stage_setting",
            subject_id=str(row.id),
            detail={"notifyEveryStage": row.notify_every_stage},
        )
        return view(StageSettingView, row)
