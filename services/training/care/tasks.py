"""Care tasks (TRN-04): what an organiser owes, today an overdue certificate review; listed per unit within the
reader's scope, open ones first by how long they have been due."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.care.models import CareTask
from services.training.care.rows import by_id, under_units
from services.training.care.schemas import TaskView
from services.training.paging import page
from services.training.people.directory import PersonDirectory
from services.training.people.models import Person
from shared.db.repository import Keyset, Repository
from shared.http.views import view

BY_DUE = Keyset(CareTask.due_on, CareTask.id, parse=date.fromisoformat)


class TaskRepository(Repository[CareTask]):
    model_type = CareTask
    noun = "task"


class TaskService:
    def __init__(self, session: AsyncSession, people: PersonDirectory, repository: TaskRepository) -> None:
        self.session = session
        self.people = people
        self.repository = repository

    async def page(
        self, *, unit_path: str | None, state: str | None, cursor: str | None, limit: int
    ) -> tuple[list[TaskView], str | None]:
        statement = select(CareTask).join(Person, Person.id == CareTask.person_id)
        statement = statement.where(*under_units(self.people.principal.scope, unit_path))
        if state is not None:
            statement = statement.where(CareTask.state == state)
        rows, following = await page(self.repository, statement, BY_DUE, cursor=cursor, limit=limit)
        holders = await by_id(self.session, Person, (row.person_id for row in rows))
        items = [
            view(
                TaskView,
                row,
                person_name=holders[row.person_id].name,
                branch_path=holders[row.person_id].branch_path,
                grid_path=holders[row.person_id].grid_path,
            )
            for row in rows
        ]
        return items, following
