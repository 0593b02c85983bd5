"""The performance wall (党员考绩墙, TRN-06): a month's reports under a unit showing only the figures the district
made public, ordered by the first of them (largest first), so that the order reveals nothing hidden either."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.credits.below import confine
from services.training.reports.models import MonthlyReport, WallSettings
from services.training.reports.months import month, this_month
from services.training.reports.schemas import WALL_FIELDS, WallEntry, WallPage, WallSettingsUpdate
from services.training.reports.services import reports_under
from shared import audit
from shared.auth.principal import Principal
from shared.clock import now
from shared.context import require_tenant
from shared.http.problems import FieldErrors, invalid
from shared.http.views import view

R = MonthlyReport
DEFAULT_FIELDS = ("points", "services", "serviceHours", "sessions", "creditHours")
NOT_A_CURSOR = "not a cursor returned by a previous page"


@dataclass(frozen=True, slots=True)
class Settings:
    fields: list[str]
    updated_at: datetime | None


class WallService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal

    async def settings(self) -> Settings:
        row = await self.session.get(WallSettings, require_tenant())
        return Settings(list(row.fields), row.updated_at) if row else Settings(list(DEFAULT_FIELDS), None)

    async def update(self, data: WallSettingsUpdate) -> Settings:
        errors = FieldErrors()
        for index, field in enumerate(data.fields):
            if field not in WALL_FIELDS:
                errors.add(f"fields[{index}]", f"'{field}' is not a wall field: {', '.join(WALL_FIELDS)}")
            elif field in data.fields[:index]:
                errors.add(f"fields[{index}]", f"'{field}' is listed twice")
        errors.raise_if_any("the wall's fields are invalid")
        changed_at = now()
        values = {"fields": data.fields, "updated_at": changed_at, "updated_by": self.principal.user_id}
        await self.session.execute(
            pg_insert(WallSettings)
            .values(tenant_id=require_tenant(), **values)
            .on_conflict_do_update(index_elements=[WallSettings.tenant_id], set_=values)
        )
        await audit.record(
            self.session, "training.wall.fields_set", subject_type="performance_wall", detail={"fields": data.fields}
        )
        return Settings(list(data.fields), changed_at)

    async def page(self, month_text: str | None, unit_path: str | None, cursor: str | None, limit: int) -> WallPage:
        found = month("query.month", month_text, default=this_month().previous())
        fields = (await self.settings()).fields
        query = select(R).where(R.month == found.label, *reports_under(confine(self.principal.scope, unit_path)))
        # the first public figure orders the wall; without one, names do
        key: Any = func.coalesce(getattr(R, WALL_FIELDS[fields[0]]), -1) if fields else R.name
        if cursor is not None:
            after, after_id = self._cursor(cursor, numeric=bool(fields))
            beyond = key < after if fields else key > after
            query = query.where(or_(beyond, and_(key == after, R.id > after_id)))
        ordered = (key.desc() if fields else key, R.id)
        statement = query.add_columns(key.label("wall_key")).order_by(*ordered).limit(limit + 1)
        rows = list(await self.session.execute(statement))
        following = f"{rows[limit - 1].wall_key}|{rows[limit - 1][0].id}" if len(rows) > limit else None
        hidden = {column: None for field, column in WALL_FIELDS.items() if field not in fields}
        items = [view(WallEntry, row[0], **hidden) for row in rows[:limit]]
        return WallPage(month=found.label, fields=fields, items=items, next=following)

    @staticmethod
    def _cursor(cursor: str, *, numeric: bool) -> tuple[Any, UUID]:
        key, _, raw_id = cursor.rpartition("|")
        try:
            return (Decimal(key) if numeric else key), UUID(raw_id)
        except (ValueError, InvalidOperation):
            raise invalid("query.cursor", NOT_A_CURSOR) from None
