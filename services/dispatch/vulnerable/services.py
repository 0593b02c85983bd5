"""The vulnerable-group registry (DSP-09): staff register a household of their scope as disabled, empty-nest or
living alone and pair it with a member volunteer of its grid; the volunteer's visits are recorded as micro-visits
(``visits.models.Visit``), and the missed-visit report counts the district's intervals (``visitIntervalDays``,
一周一访 by default) in which the volunteer visited not once."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.access import STAFF, is_operator
from services.dispatch.directory.models import DirectoryGrid, DirectoryHousehold
from services.dispatch.providers.models import Provider, ProviderKind
from services.dispatch.visits.models import Visit
from services.dispatch.visits.rules import CHANNELS, shown_name, visit_rules
from services.dispatch.vulnerable.models import VulnerableHousehold
from services.dispatch.vulnerable.schemas import (
    CareVisitCreate,
    CareVisitView,
    MissedReport,
    MissedVisits,
    PairingUpdate,
    VolunteerView,
    VulnerableCreate,
    VulnerableView,
)
from shared import audit
from shared.auth.principal import Principal
from shared.clock import now
from shared.db.paths import under
from shared.db.repository import Repository
from shared.http.problems import FieldErrors, conflict, invalid, missing

# The groups DSP-09 registers, as orgtree's household categories name them.
CATEGORIES = {"disabled": "残疾人户", "empty_nest": "空巢老人户", "living_alone": "独居老人户"}
CLOCK_SKEW = timedelta(minutes=5)


class VulnerableRepository(Repository[VulnerableHousehold]):
    model_type = VulnerableHousehold
    noun = "registered household"


def missed_periods(paired_at: datetime, visits: list[datetime], interval: timedelta, at: datetime) -> tuple[int, int]:
    """Whole intervals since the pairing, and how many of them hold none of the volunteer's ``visits``."""
    periods = int((at - paired_at) / interval)
    missed = 0
    for k in range(periods):
        start, end = paired_at + k * interval, paired_at + (k + 1) * interval
        missed += not any(start <= v < end for v in visits)
    return periods, missed


class VulnerableService:
    def __init__(self, session: AsyncSession, principal: Principal, registry: VulnerableRepository) -> None:
        self.session = session
        self.principal = principal
        self.registry = registry
        self.staff = principal.has_role(*STAFF)

    def _scoped(self, query: Any) -> Any:
        """Staff confined to a subtree see its registrations; operators and district staff see all."""
        if is_operator(self.principal) or self.principal.scope is None:
            return query
        return query.where(under(VulnerableHousehold.grid_path, self.principal.scope))

    async def _volunteer_row(self) -> Provider | None:
        return await self.session.scalar(
            select(Provider)
            .where(Provider.user_id == self.principal.user_id, Provider.kind == ProviderKind.MEMBER_VOLUNTEER)
            .order_by(Provider.created_at)
            .limit(1)
        )

    async def get(self, registration_id: UUID) -> VulnerableHousehold:
        """Staff: one of their scope; a volunteer: one paired with them. Anything else is the district's 404."""
        query = select(VulnerableHousehold).where(VulnerableHousehold.id == registration_id)
        if self.staff:
            return await self.registry.one_or_404(self._scoped(query))
        me = await self._volunteer_row()
        if me is None:
            raise missing(self.registry.noun)
        return await self.registry.one_or_404(query.where(VulnerableHousehold.volunteer_id == me.id))

    async def _household(self, household_id: UUID) -> tuple[DirectoryHousehold, DirectoryGrid | None]:
        household = await self.session.get(DirectoryHousehold, household_id)
        grid = await self.session.get(DirectoryGrid, household.grid_id) if household and household.grid_id else None
        outside = not is_operator(self.principal) and not (grid and self.principal.may_see_path(grid.path))
        if household is None or (self.principal.scope is not None and outside):
            raise missing("household")
        return household, grid

    async def _check_volunteer(self, volunteer_id: UUID, grid_id: UUID | None) -> Provider:
        """A member volunteer of the household's grid, still active: else a 422 naming ``volunteerId``."""
        volunteer = await self.session.get(Provider, volunteer_id)
        if volunteer is None or volunteer.kind != ProviderKind.MEMBER_VOLUNTEER or not volunteer.active:
            raise invalid("volunteerId", "not an active member volunteer of this district")
        if grid_id is None or volunteer.grid_id != grid_id:
            raise invalid("volunteerId", "not a member volunteer of the household's grid")
        return volunteer

    async def register(self, data: VulnerableCreate) -> VulnerableView:
        household, grid = await self._household(data.household_id)
        errors = FieldErrors()
        for number, category in enumerate(data.categories):
            errors.choice(f"categories[{number}]", category, CATEGORIES)
        if len(set(data.categories)) != len(data.categories):
            errors.add("categories", "each category once")
        errors.raise_if_any("the registration has invalid fields")
        known = await self.session.scalar(
            select(VulnerableHousehold.id).where(VulnerableHousehold.household_id == household.household_id)
        )
        if known is not None:
            raise conflict(f"the household is registered already ({known})")
        volunteer = None
        if data.volunteer_id is not None:
            volunteer = await self._check_volunteer(data.volunteer_id, household.grid_id)
        at = now()
        row = VulnerableHousehold(
            household_id=household.household_id,
            grid_id=household.grid_id,
            grid_path=grid.path if grid else None,
            categories=list(data.categories),
            note=data.note.strip(),
            volunteer_id=volunteer.id if volunteer else None,
            paired_at=at if volunteer else None,
            registered_by=self.principal.user_id,
            registered_at=at,
        )
        self.session.add(row)
        await self.session.flush()
        await self._audit("registered", row, {"categories": row.categories, "paired": volunteer is not None})
        return (await self.views([row]))[0]

    async def pair(self, registration_id: UUID, data: PairingUpdate) -> VulnerableView:
        if not self.staff:
            raise missing(self.registry.noun)
        row = await self.get(registration_id)
        volunteer = await self._check_volunteer(data.volunteer_id, row.grid_id)
        if row.volunteer_id != volunteer.id:
            row.volunteer_id, row.paired_at = volunteer.id, now()  # a new pairing counts its intervals afresh
            await self.session.flush()
            await self._audit("paired", row, {"volunteerId": str(volunteer.id)})
        return (await self.views([row]))[0]

    async def candidates(self, registration_id: UUID) -> list[VolunteerView]:
        """The member volunteers of the household's grid who may be paired with it, least paired first."""
        row = await self.get(registration_id)
        paired = (
            select(func.count())
            .where(VulnerableHousehold.volunteer_id == Provider.id)
            .correlate(Provider)
            .scalar_subquery()
        )
        rows = await self.session.execute(
            select(Provider, paired)
            .where(Provider.grid_id == row.grid_id, Provider.kind == ProviderKind.MEMBER_VOLUNTEER)
            .where(Provider.active.is_(True))
            .order_by(paired, Provider.name)
        )
        return [self._volunteer_view(provider, count) for provider, count in rows]

    def _volunteer_view(self, provider: Provider, paired: int) -> VolunteerView:
        own = provider.user_id == self.principal.user_id
        return VolunteerView(
            id=provider.id,
            name=shown_name(self.principal, provider.name, own=own) or "",
            phone=provider.phone_masked,
            card_number=provider.card_number,
            insured=provider.insured,
            pre_service_completed_at=provider.pre_service_completed_at,
            paired_households=paired,
        )

    async def page(self, category: str | None, unpaired: bool, limit: int, offset: int) -> list[VulnerableView]:
        if category is not None and category not in CATEGORIES:
            raise invalid("query.category", f"one of: {', '.join(CATEGORIES)}")
        query = select(VulnerableHousehold)
        if self.staff:
            query = self._scoped(query)
        else:  # a volunteer: the households paired with them
            me = await self._volunteer_row()
            query = query.where(VulnerableHousehold.volunteer_id == (me.id if me else None))
        if category is not None:
            query = query.where(VulnerableHousehold.categories.contains([category]))
        if unpaired:
            query = query.where(VulnerableHousehold.volunteer_id.is_(None))
        order = (VulnerableHousehold.registered_at.desc(), VulnerableHousehold.id)
        rows = list(await self.session.scalars(query.order_by(*order).offset(offset).limit(limit)))
        return await self.views(rows)

    async def views(self, rows: list[VulnerableHousehold]) -> list[VulnerableView]:
        interval = timedelta(days=(await visit_rules(self.session)).interval_days)
        volunteers = {
            p.id: p
            for p in await self.session.scalars(
                select(Provider).where(Provider.id.in_({r.volunteer_id for r in rows if r.volunteer_id}))
            )
        }
        grids = {
            g.grid_id: g.name
            for g in await self.session.scalars(
                select(DirectoryGrid).where(DirectoryGrid.grid_id.in_({r.grid_id for r in rows if r.grid_id}))
            )
        }
        last = await self._last_visits(rows, volunteers)
        at = now()
        views = []
        for row in rows:
            volunteer = volunteers.get(row.volunteer_id) if row.volunteer_id else None
            own = volunteer is not None and volunteer.user_id == self.principal.user_id
            last_at = last.get(row.id)
            views.append(
                VulnerableView(
                    id=row.id,
                    household_id=row.household_id,
                    grid_id=row.grid_id,
                    grid_name=grids.get(row.grid_id) if row.grid_id else None,
                    categories=row.categories,
                    note=row.note,
                    volunteer_id=row.volunteer_id,
                    volunteer_name=shown_name(self.principal, volunteer.name, own=own) if volunteer else None,
                    volunteer_phone=volunteer.phone_masked if volunteer else None,
                    paired_at=row.paired_at,
                    registered_at=row.registered_at,
                    last_visited_at=last_at,
                    due=volunteer is not None and (last_at is None or last_at < at - interval),
                )
            )
        return views

    async def _visits_by_volunteers(
        self, rows: list[VulnerableHousehold], volunteers: dict[UUID, Provider]
    ) -> dict[UUID, list[datetime]]:
        """Each registration's visits by its paired volunteer (``missed_periods`` counts from the pairing)."""
        member_of = {r.id: volunteers[r.volunteer_id].member_id for r in rows if r.volunteer_id in volunteers}
        found: dict[UUID, list[datetime]] = {r.id: [] for r in rows}
        households = {r.household_id: r for r in rows if member_of.get(r.id)}
        if not households:
            return found
        visits = await self.session.execute(
            select(Visit.household_id, Visit.member_id, Visit.visited_at).where(Visit.household_id.in_(households))
        )
        for household_id, member_id, visited_at in visits:
            row = households[household_id]
            if member_id == member_of[row.id]:  # earlier visits count as "last visit"; the intervals start at pairing
                found[row.id].append(visited_at)
        return found

    async def _last_visits(
        self, rows: list[VulnerableHousehold], volunteers: dict[UUID, Provider]
    ) -> dict[UUID, datetime | None]:
        visits = await self._visits_by_volunteers(rows, volunteers)
        return {row_id: max(times) if times else None for row_id, times in visits.items()}

    async def record_visit(self, registration_id: UUID, data: CareVisitCreate) -> CareVisitView:
        """The paired volunteer records a visit (staff may record theirs too, which the pairing does not count)."""
        row = await self.get(registration_id)
        errors = FieldErrors()
        errors.choice("channel", data.channel, CHANNELS)
        if data.visited_at.tzinfo is None:
            errors.add("visitedAt", "give the time with its offset, e.g. 2026-12-06T09:30:00+08:00")
        elif data.visited_at > now() + CLOCK_SKEW:
            errors.add("visitedAt", "is in the future")
        errors.raise_if_any("the visit has invalid fields")
        me = await self._volunteer_row()
        visit = Visit(
            household_id=row.household_id,
            grid_id=row.grid_id,
            grid_path=row.grid_path,
            member_id=me.member_id if me else None,
            visitor_name=(me.name if me else self.principal.name) or "",
            recorded_by=self.principal.user_id,
            visited_at=data.visited_at,
            channel=data.channel,
            note=data.note.strip(),
            recorded_at=now(),
        )
        self.session.add(visit)
        await self.session.flush()
        await audit.record(
            self.session,
            "dispatch.visit.recorded",
            subject_type="visit",
            subject_id=str(visit.id),
            detail={"channel": visit.channel, "vulnerable": str(row.id)},
        )
        return CareVisitView(
            id=visit.id,
            household_id=visit.household_id,
            visited_at=visit.visited_at,
            channel=visit.channel,
            note=visit.note,
            visitor_name=shown_name(self.principal, visit.visitor_name, own=True) or "",
        )

    async def missed(self) -> MissedReport:
        """The scope's registrations with a missed interval, a visit due now, or no volunteer yet; worst first."""
        days = (await visit_rules(self.session)).interval_days
        interval, at = timedelta(days=days), now()
        rows = list(await self.session.scalars(self._scoped(select(VulnerableHousehold))))
        views = {view.id: view for view in await self.views(rows)}
        volunteers = {
            p.id: p
            for p in await self.session.scalars(
                select(Provider).where(Provider.id.in_({r.volunteer_id for r in rows if r.volunteer_id}))
            )
        }
        visits = await self._visits_by_volunteers(rows, volunteers)
        items = []
        for row in rows:
            view = views[row.id]
            periods, missed = (0, 0)
            if row.paired_at is not None:
                periods, missed = missed_periods(row.paired_at, visits[row.id], interval, at)
            if row.volunteer_id is None or missed or view.due:
                items.append(MissedVisits(registration=view, periods=periods, missed_periods=missed))
        items.sort(key=lambda i: (i.registration.volunteer_id is not None, -i.missed_periods, not i.registration.due))
        return MissedReport(
            interval_days=days,
            registered=len(rows),
            unpaired=sum(r.volunteer_id is None for r in rows),
            due=sum(v.due for v in views.values()),
            items=items,
        )

    async def _audit(self, action: str, row: VulnerableHousehold, detail: dict[str, Any]) -> None:
        await audit.record(
            self.session,
            f"dispatch.vulnerable.{action}",
            subject_type="vulnerable_household",
            subject_id=str(row.id),
            detail=detail,
        )
