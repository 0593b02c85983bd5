"""Waiving the callback (DSP-07): only a hotline supervisor or a district administrator, and only for a reason
from a fixed list, some of which the ticket itself must bear out.

The list follows 12345 practice (peer-systems.md 1.2: a follow-up call after every case, with the exceptions a
supervision centre accepts) and the 96345 callback (domain 7.2): the resident could not be reached after
repeated attempts, the number is wrong, the resident declined, there is nobody to call (an anonymous call, a
case raised at a meeting or on a visit), or the resident already confirmed the result in person.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.models import Callback, Ticket
from shared.auth.principal import Role
from shared.http.problems import conflict

MAY_WAIVE = (Role.HOTLINE_SUPERVISOR, Role.DISTRICT_ADMIN)
UNREACHABLE_ATTEMPTS = 3  # 12345 practice: three calls at different times before "unreachable" is accepted


@dataclass(frozen=True)
class WaiverReason:
    code: str
    label: str  # zh-CN, as the console shows it
    requires: str | None = None  # zh-CN: what the ticket must show for the reason to be accepted


REASONS: tuple[WaiverReason, ...] = (
    WaiverReason("unreachable", "多次回访未接通", f"须先记录{UNREACHABLE_ATTEMPTS}次未接通的回访"),
    WaiverReason("wrong_number", "号码错误、空号或停机"),
    WaiverReason("declined", "居民明确表示不需要回访"),
    WaiverReason("no_contact", "匿名来电或无具体来电人，无从回访", "工单上没有来电号码"),
    WaiverReason("confirmed_in_person", "居民已当面确认办理结果"),
    WaiverReason("other", "其他（须在备注中说明）", "须填写备注"),
)
REASON_LABELS = {reason.code: reason.label for reason in REASONS}
CODES = tuple(REASON_LABELS)


async def check_waiver(session: AsyncSession, ticket: Ticket, code: str) -> None:
    """409 when the ticket does not bear out the reason ``code`` (a known code, already checked)."""
    if code == "unreachable":
        query = select(func.count()).where(Callback.ticket_id == ticket.id, Callback.outcome == "unreachable")
        if ticket.resolved_at is not None:
            query = query.where(Callback.at >= ticket.resolved_at)  # attempts about this resolution only
        attempts = int(await session.scalar(query) or 0)
        if attempts < UNREACHABLE_ATTEMPTS:
            raise conflict(
                f"'unreachable' needs {UNREACHABLE_ATTEMPTS} unanswered callbacks since the resolution; "
                f"{attempts} recorded so far"
            )
    elif code == "no_contact" and ticket.caller_phone_cipher is not None:
        raise conflict("the caller left a number: call it back, or choose another reason")
