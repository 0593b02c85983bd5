"""The provider's own tasks (我的任务): the orders they signed for and have not resolved, with where to go.

While a ticket is theirs (assigned or on site) the provider who signed for it sees the address and the caller's
phone in clear on the task itself (``GET /tasks/{ticketId}``), so they can call ahead and find the door; every such
read leaves an audit row with its purpose, as an operator's reveal does. The list (``GET /tasks``, the phone's home
page, loaded again and again) shows them masked and reveals nothing. Before they accept (an offer shows the masked
address) and once the ticket is resolved, closed or handed back, it is not their task: 404, like anyone else's.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.models import Ticket
from services.dispatch.routing.candidates import SIGNED
from services.dispatch.routing.schemas import TaskView
from services.dispatch.routing.services import my_providers
from services.dispatch.tickets.intake import PERSONAL_FIELDS
from shared.auth.principal import Principal
from shared.context import require_tenant
from shared.http.problems import missing
from shared.http.views import view
from shared.privacy import TenantKeys, data_key, reveal

PURPOSE = "接单服务：联系居民并上门"


class TaskService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self._keys: TenantKeys | None = None

    def _mine(self) -> Select[Any]:
        return select(Ticket).where(Ticket.provider_id.in_(my_providers(self.principal)), Ticket.status.in_(SIGNED))

    async def open_tasks(self) -> list[TaskView]:
        """Oldest signed-for first: the one waiting longest for its visit leads. Masked: no read in clear."""
        query = self._mine().order_by(Ticket.accepted_at, Ticket.id)
        return [self._masked(ticket) for ticket in await self.session.scalars(query)]

    async def task(self, ticket_id: UUID) -> TaskView:
        ticket = await self.session.scalar(self._mine().where(Ticket.id == ticket_id))
        if ticket is None:
            raise missing("task")
        return await self._view(ticket)

    def _masked(self, ticket: Ticket) -> TaskView:
        return view(
            TaskView,
            ticket,
            ticket_id=ticket.id,
            caller_name=ticket.caller_name_masked,
            caller_phone=ticket.caller_phone_masked,
            address=ticket.address_masked,
        )

    async def _view(self, ticket: Ticket) -> TaskView:
        assert ticket.provider_id is not None
        return view(
            TaskView,
            ticket,
            ticket_id=ticket.id,
            caller_name=ticket.caller_name_masked,
            caller_phone=await self._reveal(ticket, "callerPhone"),
            address=await self._reveal(ticket, "address"),
        )

    async def _reveal(self, ticket: Ticket, field: str) -> str | None:
        key, column = PERSONAL_FIELDS[field]
        ciphertext = getattr(ticket, column)
        if ciphertext is None:
            return None
        if self._keys is None:
            self._keys = await data_key(self.session, require_tenant())
        return await reveal(
            self.session, self._keys, key, ciphertext, purpose=PURPOSE, subject_type="ticket", subject_id=ticket.id
        )
