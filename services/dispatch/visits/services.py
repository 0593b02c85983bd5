"""Recording micro-visits (DSP-24): a member visits a household they serve, or staff a household of their scope;
each matter found becomes a ticket (channel ``visit``) or stays a note, and the visit closes the household's open
mandatory visits (DSP-25)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import Select, false, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.access import STAFF, is_operator
from services.dispatch.catalogue.models import ServiceCategory
from services.dispatch.directory.models import DirectoryGrid, DirectoryHousehold, DirectoryLink
from services.dispatch.tickets.models import Channel
from services.dispatch.tickets.schemas import TicketCreate
from services.dispatch.tickets.services import TicketService
from services.dispatch.visits.models import Visit, VisitMatter, VisitTask
from services.dispatch.visits.rules import CHANNELS, OUTCOMES, member_of, shown_name, visit_rules
from services.dispatch.visits.schemas import MatterCreate, MatterView, ServedHousehold, VisitCreate, VisitView
from services.dispatch.visits.tasks import task_views
from shared import audit
from shared.auth.principal import Principal
from shared.clock import now
from shared.db.paths import under
from shared.db.repository import Repository
from shared.http.problems import FieldErrors, missing

CLOCK_SKEW = timedelta(minutes=5)  # a phone's clock a little ahead is not a visit in the future


class VisitRepository(Repository[Visit]):
    model_type = Visit
    noun = "visit"


class HouseholdRepository(Repository[DirectoryHousehold]):
    model_type = DirectoryHousehold
    noun = "household"


class VisitService:
    def __init__(
        self,
        session: AsyncSession,
        principal: Principal,
        visits: VisitRepository,
        households: HouseholdRepository,
        desk: TicketService,
    ) -> None:
        self.session = session
        self.principal = principal
        self.visits = visits
        self.households = households
        self.desk = desk
        self.staff = principal.has_role(*STAFF)

    def _in_scope(self, path_column: Any) -> Any:
        """Staff confined to a subtree see its households' visits; operators and district staff see all."""
        if is_operator(self.principal) or self.principal.scope is None:
            return None
        return under(path_column, self.principal.scope)

    async def _member_id(self) -> UUID | None:
        member = await member_of(self.session, self.principal)
        return member.member_id if member else None

    async def visible(self, query: Select[Any]) -> Select[Any]:
        """Staff: their scope's visits. Members: the visits to the households they serve now, and their own."""
        if self.staff:
            scope = self._in_scope(Visit.grid_path)
            return query if scope is None else query.where(scope)
        me = await self._member_id()
        if me is None:
            return query.where(false())
        served = select(DirectoryLink.household_id).where(DirectoryLink.member_id == me)
        return query.where((Visit.member_id == me) | Visit.household_id.in_(served))

    async def _household(self, household_id: UUID) -> tuple[DirectoryHousehold, DirectoryGrid | None]:
        """The household to visit: another district's, or one outside a cadre's scope, is a 404."""
        household = await self.households.one_or_404(
            select(DirectoryHousehold).where(DirectoryHousehold.household_id == household_id)
        )
        grid = await self.session.get(DirectoryGrid, household.grid_id) if household.grid_id else None
        outside = grid is None or not self.principal.may_see_path(grid.path)
        if self.staff and not is_operator(self.principal) and self.principal.scope is not None and outside:
            raise missing("household")
        return household, grid

    async def record(self, data: VisitCreate) -> VisitView:
        household, grid = await self._household(data.household_id)
        member = await member_of(self.session, self.principal)
        errors = FieldErrors()
        errors.choice("channel", data.channel, CHANNELS)
        if data.visited_at.tzinfo is None:
            errors.add("visitedAt", "give the time with its offset, e.g. 2026-12-06T09:30:00+08:00")
        elif data.visited_at > now() + CLOCK_SKEW:
            errors.add("visitedAt", "is in the future")
        for number, matter in enumerate(data.matters):
            errors.choice(f"matters[{number}].outcome", matter.outcome, OUTCOMES)
            if matter.category_id is not None:
                category = await self.session.get(ServiceCategory, matter.category_id)
                if category is None or not category.active:
                    errors.add(f"matters[{number}].categoryId", "not a service category of this district")
        if not self.staff:
            link = None
            if member is not None:
                link = await self.session.get(DirectoryLink, (data.household_id, member.member_id))
            if link is None:
                errors.add("householdId", "not a household you serve")
        errors.raise_if_any("the visit has invalid fields")
        visit = Visit(
            household_id=household.household_id,
            grid_id=household.grid_id,
            grid_path=grid.path if grid else None,
            member_id=member.member_id if member else None,
            visitor_name=(member.name if member else self.principal.name) or "",
            recorded_by=self.principal.user_id,
            visited_at=data.visited_at,
            channel=data.channel,
            note=data.note.strip(),
            recorded_at=now(),
        )
        self.session.add(visit)
        await self.session.flush()
        matters = [await self._matter(visit, position, m) for position, m in enumerate(data.matters)]
        closed = await self._close_tasks(visit)
        await audit.record(
            self.session,
            "dispatch.visit.recorded",
            subject_type="visit",
            subject_id=str(visit.id),
            detail={
                "channel": visit.channel,
                "matters": len(matters),
                "tickets": sum(m.ticket_id is not None for m in matters),
            },
        )
        return self._view(visit, matters, closed)

    async def _matter(self, visit: Visit, position: int, data: MatterCreate) -> VisitMatter:
        summary = data.summary.strip()
        matter = VisitMatter(visit_id=visit.id, position=position, summary=summary, outcome=data.outcome)
        if data.outcome == "ticket":
            call = TicketCreate(
                channel=Channel.VISIT,
                title=summary,
                description=visit.note,
                category_id=data.category_id,
                household_id=visit.household_id,
            )
            ticket = await self.desk.create(call)
            matter.ticket_id, matter.ticket_number = ticket.id, ticket.number
        self.session.add(matter)
        await self.session.flush()
        return matter

    async def _close_tasks(self, visit: Visit) -> list[UUID]:
        """A visit on or after the event's day (the district's) closes the household's open mandatory visits,
        whoever they were owed by."""
        rules = await visit_rules(self.session)
        closed = await self.session.scalars(
            update(VisitTask)
            .where(VisitTask.household_id == visit.household_id, VisitTask.closed_at.is_(None))
            .where(VisitTask.occurred_on <= visit.visited_at.astimezone(ZoneInfo(rules.timezone)).date())
            .values(closed_at=now(), closed_by_visit_id=visit.id)
            .returning(VisitTask.id)
            .execution_options(synchronize_session=False)
        )
        return list(closed)

    def _view(self, visit: Visit, matters: list[VisitMatter], closed: list[UUID] | None = None) -> VisitView:
        own = visit.recorded_by == self.principal.user_id
        return VisitView(
            id=visit.id,
            household_id=visit.household_id,
            grid_id=visit.grid_id,
            member_id=visit.member_id,
            visitor_name=shown_name(self.principal, visit.visitor_name, own=own) or "",
            visited_at=visit.visited_at,
            channel=visit.channel,
            note=visit.note,
            recorded_at=visit.recorded_at,
            matters=[
                MatterView(summary=m.summary, outcome=m.outcome, ticket_id=m.ticket_id, ticket_number=m.ticket_number)
                for m in matters
            ],
            closed_task_ids=closed or [],
        )

    async def _matters(self, visit_ids: list[UUID]) -> dict[UUID, list[VisitMatter]]:
        found: dict[UUID, list[VisitMatter]] = {v: [] for v in visit_ids}
        if visit_ids:
            rows = await self.session.scalars(
                select(VisitMatter).where(VisitMatter.visit_id.in_(visit_ids)).order_by(VisitMatter.position)
            )
            for matter in rows:
                found[matter.visit_id].append(matter)
        return found

    async def get(self, visit_id: UUID) -> VisitView:
        visit = await self.visits.one_or_404(await self.visible(select(Visit).where(Visit.id == visit_id)))
        await self._audit_read([visit])
        return self._view(visit, (await self._matters([visit.id]))[visit.id])

    async def page(self, household_id: UUID | None, limit: int) -> list[VisitView]:
        query = await self.visible(select(Visit))
        if household_id is not None:
            query = query.where(Visit.household_id == household_id)
        rows = list(await self.session.scalars(query.order_by(Visit.visited_at.desc(), Visit.id.desc()).limit(limit)))
        await self._audit_read(rows)
        matters = await self._matters([v.id for v in rows])
        return [self._view(v, matters[v.id]) for v in rows]

    async def _audit_read(self, visits: list[Visit]) -> None:
        """Visit notes speak of residents: who read them is kept, as for a provider's task in clear."""
        if visits:
            await audit.record(
                self.session,
                "dispatch.visit.read",
                subject_type="visit",
                subject_id=str(visits[0].id) if len(visits) == 1 else None,
                detail={"visits": len(visits)},
            )

    async def served(self) -> list[ServedHousehold]:
        """The households the caller serves as a member, each with their last visit and open mandatory visits."""
        me = await self._member_id()
        if me is None:
            return []
        interval = (await visit_rules(self.session)).interval_days
        last = (
            select(func.max(Visit.visited_at))
            .where(Visit.household_id == DirectoryLink.household_id, Visit.member_id == me)
            .scalar_subquery()
        )
        rows = await self.session.execute(
            select(DirectoryLink.household_id, DirectoryHousehold.grid_id, DirectoryGrid.name, last)
            .join(DirectoryHousehold, DirectoryHousehold.household_id == DirectoryLink.household_id, isouter=True)
            .join(DirectoryGrid, DirectoryGrid.grid_id == DirectoryHousehold.grid_id, isouter=True)
            .where(DirectoryLink.member_id == me)
            .order_by(last.asc().nulls_first(), DirectoryLink.household_id)
        )
        served = rows.all()
        open_tasks = await self.session.scalars(
            select(VisitTask)
            .where(VisitTask.household_id.in_([r[0] for r in served]), VisitTask.closed_at.is_(None))
            .order_by(VisitTask.due_at)
        )
        views = await task_views(self.session, self.principal, list(open_tasks))
        since = now() - timedelta(days=interval)
        return [
            ServedHousehold(
                household_id=household_id,
                grid_id=grid_id,
                grid_name=grid_name,
                last_visited_at=last_at,
                due=last_at is None or last_at < since,
                open_tasks=[t for t in views if t.household_id == household_id],
            )
            for household_id, grid_id, grid_name, last_at in served
        ]
