"""SMS to the resident at every step (Jinghai [001/JH]: 短信告知群众办理情况并征求意见), where the district asks for it.

DSP-18 already tells the caller when the ticket is routed, resolved (asking their opinion) and closed. A district
whose ``notifyEveryStage`` is on also tells them when the request is collected (and classified, if it was at
intake), when it is classified later, and when someone signs for it and supervision begins. Like every message,
these go through the delivery log and carry the ticket number only: the SMS channel decrypts the phone."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.notifications.queue import queue_notification
from services.dispatch.settings import NOTIFY_EVERY_STAGE, remember, remembered
from services.dispatch.stages.models import StageSetting
from services.dispatch.stages.steps import Step
from services.dispatch.tickets.models import Ticket, TicketHistory, TicketStatus

TEMPLATES = {Step.COLLECT: "stage_collected", Step.CLASSIFY: "stage_classified", Step.SUPERVISE: "stage_supervised"}


async def notify_every_stage(session: AsyncSession) -> bool:
    """Whether the district tells residents of every step; read once per transaction (a call's intake reads it
    along with the settings)."""
    known, answer = remembered(session, NOTIFY_EVERY_STAGE)
    if not known:
        answer = bool(await session.scalar(select(StageSetting.notify_every_stage)))
        remember(session, NOTIFY_EVERY_STAGE, answer)
    return bool(answer)


async def stage_reached(session: AsyncSession, ticket: Ticket, step: Step, *, classified: bool = False) -> None:
    """Queue the resident's SMS for ``step`` if the district tells residents of every step."""
    if ticket.caller_phone_cipher is None or step not in TEMPLATES or not await notify_every_stage(session):
        return
    params: dict[str, object] = {"number": ticket.number}
    if classified:
        params["classified"] = True
    await queue_notification(
        session, template=TEMPLATES[step], recipient_kind="resident", channel="sms", ticket_id=ticket.id, params=params
    )


async def supervision_begins(session: AsyncSession, ticket: Ticket) -> bool:
    """True when the move being made is the ticket's first signing-for (asked before its history row is written):
    a hand-back and a second signing is not a new step for the resident."""
    earlier = await session.scalar(
        select(TicketHistory.id)
        .where(TicketHistory.ticket_id == ticket.id, TicketHistory.to_status == TicketStatus.ASSIGNED)
        .limit(1)
    )
    return earlier is None
