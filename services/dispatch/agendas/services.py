"""Agendas from open cases (DSP-21 [000, 003]): a village's or street's meeting takes up the open cases placed in
its subtree that stand at its rungs of the escalation ladder. The agenda is drawn when the meeting is recorded
(a snapshot: what the meeting had before it); its outcomes are then applied to the cases together, each through
the service that owns that move (closure's resolve, the ladder's escalate, the street's referral notice, a note in
the history), in one transaction: if one case cannot take its outcome, none does, and the problem names the case.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.access import is_operator
from services.dispatch.agendas.kinds import KINDS, MeetingKind
from services.dispatch.agendas.models import Meeting, MeetingItem
from services.dispatch.agendas.schemas import MeetingCreate, Outcome
from services.dispatch.campaigns.units import Unit, find_unit
from services.dispatch.catalogue.models import LadderLevel
from services.dispatch.closure.schemas import ResolutionCreate
from services.dispatch.closure.services import ClosureService
from services.dispatch.escalation.referrals import ReferralService
from services.dispatch.escalation.schemas import ReferralCreate
from services.dispatch.escalation.services import EscalationService
from services.dispatch.tickets.models import OPEN_STATUSES, Ticket
from services.dispatch.tickets.services import TicketService, visible_to
from shared import audit
from shared.auth.principal import Principal
from shared.clock import china_today, now
from shared.http.problems import FieldErrors, ProblemError, conflict, missing

OUTCOMES = ("resolved", "escalated", "referred", "discussed")
AGENDA_LIMIT = 200


class AgendaService:
    def __init__(
        self,
        session: AsyncSession,
        principal: Principal,
        *,
        tickets: TicketService,
        ladder: EscalationService,
        referrals: ReferralService,
        closure: ClosureService,
    ) -> None:
        self.session = session
        self.principal = principal
        self.tickets = tickets
        self.ladder = ladder
        self.referrals = referrals
        self.closure = closure

    async def levels(self) -> dict[int, LadderLevel]:
        return {row.rank: row for row in await self.session.scalars(select(LadderLevel).order_by(LadderLevel.rank))}

    @staticmethod
    def ranks(kind: MeetingKind, levels: dict[int, LadderLevel]) -> list[int]:
        named = [rank for rank, level in levels.items() if level.code in kind.rungs]
        return named or [rank for rank, level in levels.items() if level.org_level in kind.org_levels]

    async def _kind_and_unit(self, kind_code: str, unit_id: UUID, field: str = "kind") -> tuple[MeetingKind, Unit]:
        kind = KINDS.get(kind_code)
        if kind is None:
            errors = FieldErrors()
            errors.choice(field, kind_code, KINDS)
            errors.raise_if_any("no such meeting kind")
        assert kind is not None
        return kind, await find_unit(self.session, self.principal, unit_id, kind.unit_level)

    async def open_cases(self, kind: MeetingKind, unit: Unit) -> list[Ticket]:
        ranks = self.ranks(kind, await self.levels())
        query = visible_to(select(Ticket), self.principal).where(
            Ticket.status.in_(OPEN_STATUSES),
            Ticket.grid_path >= unit.path,
            Ticket.grid_path < unit.path + "~",
            Ticket.level_rank.in_(ranks),
        )
        ordered = query.order_by(Ticket.level_rank.desc(), Ticket.created_at, Ticket.id).limit(AGENDA_LIMIT)
        return list(await self.session.scalars(ordered))

    async def preview(self, kind_code: str, unit_id: UUID) -> tuple[MeetingKind, Unit, list[Ticket]]:
        kind, unit = await self._kind_and_unit(kind_code, unit_id, "query.kind")
        return kind, unit, await self.open_cases(kind, unit)

    def visible(self, query: Select[Any]) -> Select[Any]:
        scope = self.principal.scope
        if is_operator(self.principal) or scope is None:
            return query
        return query.where(Meeting.unit_path >= scope, Meeting.unit_path < scope + "~")

    async def create(self, data: MeetingCreate) -> Meeting:
        held_on = data.held_on or china_today()
        if held_on > china_today():
            errors = FieldErrors()
            errors.add("heldOn", "is in the future: record the meeting when it is held")
            errors.raise_if_any("the meeting has invalid fields")
        kind, unit = await self._kind_and_unit(data.kind, data.unit_id)
        meeting = Meeting(
            kind=kind.code,
            title=f"{unit.name}{kind.name}（{held_on.isoformat()}）",
            held_on=held_on,
            unit_id=unit.id,
            unit_name=unit.name,
            unit_path=unit.path,
            attendees=[name.strip() for name in data.attendees],
            recorded_by_name=self.principal.name,
            recorded_at=now(),
        )
        self.session.add(meeting)
        await self.session.flush()
        for position, ticket in enumerate(await self.open_cases(kind, unit)):
            self.session.add(
                MeetingItem(
                    meeting_id=meeting.id,
                    position=position,
                    ticket_id=ticket.id,
                    ticket_number=ticket.number,
                    ticket_title=ticket.title,
                    status_then=ticket.status,
                    level_then=ticket.level_rank,
                    warning_then=ticket.warning,
                )
            )
        await self.session.flush()
        await audit.record(
            self.session, "dispatch.meeting.recorded", subject_type="agenda_meeting", subject_id=str(meeting.id)
        )
        return meeting

    async def get(self, meeting_id: UUID) -> Meeting:
        meeting: Meeting | None = await self.session.scalar(
            self.visible(select(Meeting).where(Meeting.id == meeting_id))
        )
        if meeting is None:
            raise missing("meeting")
        return meeting

    async def page(self, kind: str | None, limit: int) -> list[Meeting]:
        query = self.visible(select(Meeting))
        if kind is not None:
            query = query.where(Meeting.kind == kind)
        return list(await self.session.scalars(query.order_by(Meeting.held_on.desc(), Meeting.id.desc()).limit(limit)))

    async def items(self, meeting: Meeting) -> list[MeetingItem]:
        rows = await self.session.scalars(
            select(MeetingItem).where(MeetingItem.meeting_id == meeting.id).order_by(MeetingItem.position)
        )
        return list(rows)

    async def counts(self, meeting_ids: list[UUID]) -> dict[UUID, tuple[int, int]]:
        if not meeting_ids:
            return {}
        rows = await self.session.execute(
            select(MeetingItem.meeting_id, func.count(), func.count(MeetingItem.outcome))
            .where(MeetingItem.meeting_id.in_(meeting_ids))
            .group_by(MeetingItem.meeting_id)
        )
        return {meeting: (int(cases), int(decided)) for meeting, cases, decided in rows.all()}

    @staticmethod
    def check(outcomes: list[Outcome]) -> None:
        """Every wrong field of the bulk request, named by its place in the list, before anything moves."""
        errors = FieldErrors()
        seen: set[UUID] = set()
        for index, entry in enumerate(outcomes):
            at = f"body.outcomes[{index}]"
            errors.choice(f"{at}.outcome", entry.outcome, OUTCOMES)
            if entry.item_id in seen:
                errors.add(f"{at}.itemId", "this case is named twice")
            seen.add(entry.item_id)
            if entry.outcome == "referred":
                for name, value in (
                    ("responsibleUnit", entry.responsible_unit),
                    ("responsiblePerson", entry.responsible_person),
                    ("dueOn", entry.due_on),
                ):
                    if value is None:
                        errors.add(f"{at}.{name}", "a referral notice needs it")
        errors.raise_if_any("the outcomes have invalid fields")

    async def decide(self, meeting_id: UUID, outcomes: list[Outcome]) -> Meeting:
        self.check(outcomes)
        meeting = await self.get(meeting_id)
        items = {item.id: item for item in await self.items(meeting)}
        for index, entry in enumerate(outcomes):
            item = items.get(entry.item_id)
            if item is None:
                errors = FieldErrors()
                errors.add(f"body.outcomes[{index}].itemId", "not a case on this meeting's agenda")
                errors.raise_if_any("the outcomes have invalid fields")
            assert item is not None
            if item.outcome is not None:
                raise conflict(f"case {item.ticket_number}: this meeting already decided it ({item.outcome})")
            try:
                await self._apply(meeting, item, entry)
            except ProblemError as problem:
                raise ProblemError(
                    problem.status_code,
                    f"case {item.ticket_number}: {problem.detail}",
                    errors=problem.errors,
                    title=problem.title,
                ) from problem
            item.outcome, item.outcome_note, item.decided_at = entry.outcome, entry.note.strip(), now()
        await self.session.flush()
        await audit.record(
            self.session,
            "dispatch.meeting.decided",
            subject_type="agenda_meeting",
            subject_id=str(meeting.id),
            detail={"outcomes": {str(o.item_id): o.outcome for o in outcomes}},
        )
        return meeting

    async def _apply(self, meeting: Meeting, item: MeetingItem, entry: Outcome) -> None:
        note = f"{meeting.title}：{entry.note.strip()}"
        if entry.outcome == "resolved":
            await self.closure.resolve(item.ticket_id, ResolutionCreate(note=note))
        elif entry.outcome == "escalated":
            ticket = await self.tickets.get(item.ticket_id)
            await self.ladder.escalate(item.ticket_id, ticket.level_rank + 1, note[:500])
        elif entry.outcome == "referred":
            assert entry.responsible_unit is not None
            assert entry.responsible_person is not None
            assert entry.due_on is not None
            notice = await self.referrals.issue(
                item.ticket_id,
                ReferralCreate(
                    meeting=meeting.title[:100],
                    responsible_unit=entry.responsible_unit,
                    responsible_person=entry.responsible_person,
                    due_on=entry.due_on,
                ),
            )
            item.referral_number = notice.number
        else:
            await self.tickets.add_note(item.ticket_id, note[:500])
