"""Reading the district's statements as an LRS does (xAPI 1.0.3, "Statement Resource": GET), for organisers and
for any LRS client holding an organiser's token. RLS keeps every other district's statements out of sight; an
organiser with a scope sees the statements of sessions organised by units under it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, false, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.xapi.filters import Query, bad
from services.training.xapi.models import XapiStatement
from services.training.xapi.statements import authority
from shared.auth.principal import Principal
from shared.db.paths import under
from shared.db.repository import Keyset, Repository
from shared.http.problems import ProblemError, missing

S = XapiStatement
# The start of the oldest transaction still open on this database under the application role (which alone writes
# statements), else now: a statement's ``stored`` is its transaction's start, so every statement stored before
# this instant has committed and is visible to a reader from now on. Same-role rows of pg_stat_activity are visible.
OLDEST_OPEN = text(
    "SELECT least(now(), min(xact_start)) FROM pg_stat_activity WHERE datname = current_database() "
    "AND usename = current_user AND xact_start IS NOT NULL"
)
NEWEST_FIRST = Keyset(S.stored, S.id, descending=True, parse=datetime.fromisoformat)
OLDEST_FIRST = Keyset(S.stored, S.id, parse=datetime.fromisoformat)


@dataclass(frozen=True, slots=True)
class Found:
    statements: list[dict[str, Any]]
    next: str | None  # the cursor of the following page


class StatementRepository(Repository[XapiStatement]):
    model_type = XapiStatement
    noun = "statement"


class StatementService:
    def __init__(self, session: AsyncSession, principal: Principal, statements: StatementRepository) -> None:
        self.session = session
        self.principal = principal
        self.statements = statements

    def _in_scope(self) -> list[ColumnElement[bool]]:
        scope = self.principal.scope
        return [under(S.unit_path, scope)] if scope else []

    async def consistent_through(self) -> datetime:
        """For the X-Experience-API-Consistent-Through header."""
        moment: datetime = await self.session.scalar(OLDEST_OPEN)
        return moment

    async def one(self, query: Query) -> dict[str, Any]:
        """By statementId; voidedStatementId finds nothing, as nothing here is ever voided."""
        if query.statement_id is None:
            raise missing("statement")
        row = await self.statements.one_or_404(select(S).where(S.id == query.statement_id, *self._in_scope()))
        return row.statement

    def _conditions(self, query: Query, home_page: str) -> list[ColumnElement[bool]]:
        conditions = self._in_scope()
        if query.agent_elsewhere:
            conditions.append(false())  # every actor here is an account on this platform
        elif query.agent is not None:
            ours = query.agent.home_page == home_page
            asserted_by_us = authority(home_page)["account"]["name"] == query.agent.name
            if not (ours and query.related_agents and asserted_by_us):  # the authority of every statement
                conditions.append(S.actor_name == query.agent.name if ours else false())
        if query.verb is not None:
            conditions.append(S.verb == query.verb)
        if query.activity is not None:
            if query.related_activities:
                conditions.append(S.related_activities.contains([query.activity]))
            else:
                conditions.append(S.activity_id == query.activity)
        if query.registration is not None:
            conditions.append(S.registration == query.registration)
        if query.since is not None:
            conditions.append(S.stored > query.since)
        if query.until is not None:
            conditions.append(S.stored <= query.until)
        return conditions

    async def page(self, query: Query, home_page: str) -> Found:
        """Newest stored first unless ``ascending``; ``limit`` a page, then a cursor for the ``more`` link."""
        keyset = OLDEST_FIRST if query.ascending else NEWEST_FIRST
        if query.cursor is not None:
            try:
                keyset.decode(query.cursor)
            except ProblemError:
                raise bad("cursor", "not a cursor from a previous page's more link") from None
        statement = select(S).where(*self._conditions(query, home_page))
        rows, following = await self.statements.page(statement, keyset, after=query.cursor, limit=query.limit)
        return Found([row.statement for row in rows], following)
