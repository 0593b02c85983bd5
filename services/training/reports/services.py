"""Monthly reports on demand and as people read them (TRN-06): organisers generate a month for the members under
their scope, readers list a month's reports under a unit, a member reads their own."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.credits.below import confine
from services.training.paging import page
from services.training.people.directory import PersonDirectory
from services.training.people.models import Person
from services.training.reports.generation import generate_under
from services.training.reports.models import MonthlyReport
from services.training.reports.months import month, this_month
from services.training.reports.schemas import GenerationView
from shared import audit
from shared.auth.principal import Principal
from shared.db.repository import Keyset, Repository

R = MonthlyReport
BY_NAME = Keyset(R.name, R.id)
NEWEST_FIRST = Keyset(R.month, R.id, descending=True)


def reports_under(path: str | None) -> list[ColumnElement[bool]]:
    """Reports of members who were in the subtree at ``path`` (either tree) in their month."""
    if path is None:
        return []
    end = path + "~"  # '~' sorts after every path character in C collation
    return [((R.branch_path >= path) & (R.branch_path < end)) | ((R.grid_path >= path) & (R.grid_path < end))]


class ReportRepository(Repository[MonthlyReport]):
    model_type = MonthlyReport
    noun = "monthly report"


class ReportService:
    def __init__(
        self, session: AsyncSession, principal: Principal, people: PersonDirectory, reports: ReportRepository
    ) -> None:
        self.session = session
        self.principal = principal
        self.people = people
        self.reports = reports

    async def generate(self, month_text: str, unit_path: str | None) -> GenerationView:
        """The month's reports of every member under the unit and the caller's scope, replacing earlier ones."""
        found = month("path.month", month_text)
        path = confine(self.principal.scope, unit_path)
        generated = await generate_under(self.session, found, [path] if path else [])
        detail = {"month": found.label, "unitPath": path, "generated": generated}
        await audit.record(
            self.session,
            "training.reports.generated",
            subject_type="monthly_report",
            subject_id=found.label,
            detail=detail,
        )
        return GenerationView(month=found.label, unit_path=path, generated=generated)

    async def page(
        self, month_text: str | None, unit_path: str | None, cursor: str | None, limit: int
    ) -> tuple[str, list[MonthlyReport], str | None]:
        """A month's reports (default: last month's) under the unit and the caller's scope, by name."""
        found = month("query.month", month_text, default=this_month().previous())
        conditions = [R.month == found.label, *reports_under(confine(self.principal.scope, unit_path))]
        rows, following = await page(self.reports, select(R).where(*conditions), BY_NAME, cursor=cursor, limit=limit)
        return found.label, rows, following

    async def of_person(
        self, person_id: UUID, cursor: str | None, limit: int
    ) -> tuple[list[MonthlyReport], str | None]:
        """A person's reports, newest month first; another district's or an unseen person is a 404."""
        return await self._of(await self.people.get(person_id), cursor, limit)

    async def mine(self, cursor: str | None, limit: int) -> tuple[list[MonthlyReport], str | None]:
        return await self._of(await self.people.me(), cursor, limit)

    async def _of(self, person: Person, cursor: str | None, limit: int) -> tuple[list[MonthlyReport], str | None]:
        statement = select(R).where(R.person_id == person.id)
        return await page(self.reports, statement, NEWEST_FIRST, cursor=cursor, limit=limit)
