"""``/api/training/transfers/carried-over``: the history a member brought from another district (read-only)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.access import READERS
from services.training.credits.standing import visible
from services.training.people.models import Person
from services.training.transfers.models import CarriedOverRecord
from services.training.transfers.schemas import CarriedOverHistory, CarriedOverView
from shared.auth.principal import Principal
from shared.http.guards import principal_of, requires_role, requires_tenant
from shared.http.problems import missing
from shared.http.views import views


class CarriedOverController(Controller):
    path = "/api/training/transfers"
    tags = ["People"]
    guards = [requires_tenant, requires_role(*READERS)]

    @get("/carried-over", operation_id="GetCarriedOverHistory", summary="What a member brought from another district")
    async def carried_over(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        member_id: Annotated[UUID, QueryParameter(name="memberId")],
    ) -> CarriedOverHistory:
        principal: Principal = principal_of(request)
        person = await db_session.scalar(select(Person).where(Person.member_id == member_id))
        if person is None or not visible(principal, person):
            raise missing("member")
        rows = list(
            await db_session.scalars(
                select(CarriedOverRecord)
                .where(CarriedOverRecord.person_id == person.id)
                .order_by(CarriedOverRecord.occurred_on, CarriedOverRecord.kind)
            )
        )
        hours = sum((r.credit_hours or Decimal(0) for r in rows if r.kind == "attendance"), Decimal(0))
        points = sum(r.points or 0 for r in rows if r.kind == "points")
        return CarriedOverHistory(
            member_id=member_id, records=views(CarriedOverView, rows), credit_hours=hours, points=points
        )
