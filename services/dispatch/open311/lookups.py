"""``GET requests`` and ``GET requests/{service_request_id}``: where Open311 requests stand.

Only tickets filed through Open311 are answered (a phoned-in ticket is nobody's business here), by their ticket
number. ``open`` is a ticket still being handled (new, routing, signed for, on site); ``closed`` one resolved,
closed, cancelled or merged. Anyone may ask, so the answer holds no personal field in clear: the address is the
masked copy the API shows everywhere, the place is rounded to about 100 m, and the description is given only to
the client that filed the request (with its ``api_key``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.catalogue.services import district_settings
from services.dispatch.models import Deadline, DeadlineKind, LadderLevel, Ticket
from services.dispatch.open311.formats import Document, refused
from services.dispatch.open311.models import Open311Request
from services.dispatch.open311.services import Service, iso
from services.dispatch.tickets.models import OPEN_STATUSES
from services.dispatch.tickets.transitions import LABELS

STATUSES = ("open", "closed")
DEFAULT_SPAN = timedelta(days=90)  # the specification's default window and widest range
MOST = 1000


@dataclass(frozen=True)
class RequestQuery:
    """``GET requests``' parameters, read strictly."""

    numbers: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None


def _moment(name: str, raw: str, errors: list[str]) -> datetime | None:
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        errors.append(f"{name}: not an ISO 8601 date and time (2026-12-01T00:00:00Z)")
        return None
    if moment.tzinfo is None:
        errors.append(f"{name}: give the offset from UTC (Z or +08:00)")
        return None
    return moment


def _listed(raw: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in raw.split(",") if v.strip())


def read_query(params: dict[str, str]) -> RequestQuery:
    errors: list[str] = []
    statuses = _listed(params.get("status", ""))
    errors += [f"status: {s} is not one of: open, closed" for s in statuses if s not in STATUSES]
    start = _moment("start_date", params["start_date"], errors) if params.get("start_date") else None
    end = _moment("end_date", params["end_date"], errors) if params.get("end_date") else None
    if start and end and (end < start or end - start > DEFAULT_SPAN):
        errors.append("end_date: must follow start_date by at most 90 days")
    numbers = _listed(params.get("service_request_id", ""))
    if len(numbers) > 100:
        errors.append("service_request_id: at most 100 ids at once")
    if errors:
        raise refused(400, *errors)
    return RequestQuery(numbers, _listed(params.get("service_code", "")), statuses, start, end)


class RequestLookup:
    """Open311 requests of the district of this transaction, as GeoReport documents."""

    def __init__(self, session: AsyncSession, services: Sequence[Service]) -> None:
        self.session = session
        self.services = {s.code: s for s in services}

    async def one(self, number: str, reader: UUID | None) -> Document:
        """The request with this number, or the specification's 404 (another district's alike)."""
        found = await self._rows(self._filed().where(Ticket.number == number))
        if not found:
            raise refused(404, f"service_request_id: no request {number} in this jurisdiction")
        return await self._document(found, reader)

    async def many(self, query: RequestQuery, reader: UUID | None) -> Document:
        statement = self._filed()
        if query.numbers:  # "this overrides all other arguments"
            statement = statement.where(Ticket.number.in_(query.numbers))
        else:
            end = query.end or (query.start + DEFAULT_SPAN if query.start else None)
            start = query.start or ((end or datetime.now(tz=ZoneInfo("UTC"))) - DEFAULT_SPAN)
            statement = statement.where(Open311Request.created_at >= start)
            if end is not None:
                statement = statement.where(Open311Request.created_at <= end)
            if query.codes:
                statement = statement.where(Open311Request.service_code.in_(query.codes))
            if query.statuses == ("open",):
                statement = statement.where(Ticket.status.in_(OPEN_STATUSES))
            elif query.statuses == ("closed",):
                statement = statement.where(Ticket.status.not_in(OPEN_STATUSES))
        return await self._document(await self._rows(statement), reader)

    @staticmethod
    def _filed() -> Select[Ticket, Open311Request]:
        return select(Ticket, Open311Request).join(Open311Request, Open311Request.ticket_id == Ticket.id)

    async def _rows(self, statement: Select[Ticket, Open311Request]) -> list[tuple[Ticket, Open311Request]]:
        ordered = statement.order_by(Open311Request.created_at.desc()).limit(MOST)
        return [(row[0], row[1]) for row in await self.session.execute(ordered)]

    async def _document(self, rows: list[tuple[Ticket, Open311Request]], reader: UUID | None) -> Document:
        zone = ZoneInfo((await district_settings(self.session)).timezone)
        agencies = dict((await self.session.execute(select(LadderLevel.rank, LadderLevel.name))).tuples().all())
        due = await self._due([ticket.id for ticket, _ in rows])
        return Document(
            "service_requests",
            [
                self._request(ticket=ticket, filed=filed, reader=reader, zone=zone, agencies=agencies, due=due)
                for ticket, filed in rows
            ],
        )

    async def _due(self, ticket_ids: list[UUID]) -> dict[UUID, datetime]:
        """Each open ticket's running resolution clock (the ``expected_datetime``)."""
        if not ticket_ids:
            return {}
        query = select(Deadline.ticket_id, Deadline.due_at).where(
            Deadline.ticket_id.in_(ticket_ids),
            Deadline.kind == DeadlineKind.RESOLUTION,
            Deadline.cancelled_at.is_(None),
        )
        return dict((await self.session.execute(query)).tuples().all())

    def _request(
        self,
        *,
        ticket: Ticket,
        filed: Open311Request,
        reader: UUID | None,
        zone: ZoneInfo,
        agencies: dict[int, str],
        due: dict[UUID, datetime],
    ) -> dict[str, Any]:
        service = self.services.get(filed.service_code)
        is_open = ticket.status in OPEN_STATUSES
        filer = reader == filed.client_id  # what the resident wrote or showed is the filing client's to read
        return {
            "service_request_id": ticket.number,
            "status": "open" if is_open else "closed",
            "status_notes": LABELS.get(ticket.status, ticket.status),
            "service_name": service.name if service else ticket.title,
            "service_code": filed.service_code,
            "description": ticket.description if filer else None,
            "agency_responsible": agencies.get(ticket.level_rank),
            "service_notice": None,
            "requested_datetime": iso(ticket.created_at, zone),
            "updated_datetime": iso(ticket.updated_at, zone),
            "expected_datetime": iso(due.get(ticket.id), zone) if is_open else None,
            "address": ticket.address_masked,
            "address_id": None,
            "zipcode": None,
            "lat": round(ticket.latitude, 3) if ticket.latitude is not None else None,
            "long": round(ticket.longitude, 3) if ticket.longitude is not None else None,
            "media_url": filed.media_url if filer else None,
        }
