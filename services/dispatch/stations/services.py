"""Red Cube stations (红立方, DSP-11): a station belongs to a unit of the tree (a grid or a unit above grids) and
draws its on-duty rota from the member volunteers of the grids under that unit. Its desk takes volunteer
sign-ups (name and phone encrypted with the district's key) and registers demands as tickets (channel
``walk_in``), through the hotline desk's own intake; its local extra services (e.g. 翻译服务) are listed on it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.access import STAFF, is_operator
from services.dispatch.directory.models import DirectoryGrid
from services.dispatch.providers.models import Provider, ProviderKind
from services.dispatch.stations.models import Station, StationShift, StationSignUp
from services.dispatch.stations.schemas import (
    DemandCreate,
    DemandRegistered,
    ShiftCreate,
    ShiftView,
    SignUpCreate,
    SignUpView,
    StationCreate,
    StationUnit,
    StationUpdate,
    StationView,
    StationVolunteer,
)
from services.dispatch.tickets.intake import changed_values, check_phone
from services.dispatch.tickets.models import Channel
from services.dispatch.tickets.schemas import TicketCreate
from services.dispatch.tickets.services import TicketService
from services.dispatch.visits.rules import shown_name
from shared import audit
from shared.auth.principal import Principal
from shared.clock import now
from shared.context import require_tenant
from shared.db.paths import under
from shared.db.repository import Repository
from shared.http.problems import FieldErrors, conflict, invalid, missing
from shared.privacy import data_key, encrypt, mask_name, mask_phone, normalize_phone

LONGEST_SHIFT = timedelta(hours=24)
ROTA_DAYS = 7  # the rota shown by default: from a day ago to a week ahead


class StationRepository(Repository[Station]):
    model_type = Station
    noun = "station"


def path_segments(path: str, count: int) -> str:
    """The first ``count`` segments of a materialised path: ``/a/b/c/`` → ``/a/b/`` for 2."""
    return "/" + "".join(f"{part}/" for part in path.strip("/").split("/")[:count])


class StationService:
    def __init__(
        self, session: AsyncSession, principal: Principal, stations: StationRepository, desk: TicketService
    ) -> None:
        self.session = session
        self.principal = principal
        self.stations = stations
        self.desk = desk
        self.staff = principal.has_role(*STAFF)

    def _sees(self, path: str) -> bool:
        return is_operator(self.principal) or self.principal.may_see_path(path)

    async def get(self, station_id: UUID, *, for_update: bool = False) -> Station:
        """Any of the district's stations for reading; a cadre changes only those of their subtree (else 404)."""
        return await self.stations.get_or_404(station_id, for_update=for_update)

    async def _writable(self, station_id: UUID) -> Station:
        station = await self.get(station_id, for_update=True)
        if not self._sees(station.unit_path):
            raise missing(self.stations.noun)
        return station

    async def _unit(self, unit_id: UUID) -> tuple[str, str]:
        """The unit's (path, name): a grid, or an ancestor in some grid's chain; 404 for one the district lacks."""
        grid = await self.session.get(DirectoryGrid, unit_id)
        if grid is not None:
            return grid.path, grid.name
        holder = await self.session.scalar(
            select(DirectoryGrid).where(DirectoryGrid.ancestors.contains([{"id": str(unit_id)}])).limit(1)
        )
        if holder is None:
            raise missing("unit")
        index = next(i for i, unit in enumerate(holder.ancestors) if unit.get("id") == str(unit_id))
        return path_segments(holder.path, index + 1), holder.ancestors[index].get("name") or ""

    async def units(self) -> list[StationUnit]:
        """The grids of the caller's scope and the units above them, outermost first."""
        found: dict[UUID, tuple[str, StationUnit]] = {}
        for grid in await self.session.scalars(select(DirectoryGrid).where(DirectoryGrid.path != "")):
            if not self._sees(grid.path):
                continue
            for depth, unit in enumerate(grid.ancestors[1:], start=2):  # the district itself holds no station
                unit_id = UUID(unit["id"])
                path = path_segments(grid.path, depth)
                if unit_id not in found and self._sees(path):
                    found[unit_id] = (
                        path,
                        StationUnit(id=unit_id, name=unit.get("name") or "", level=unit.get("level") or ""),
                    )
            found[grid.grid_id] = (grid.path, StationUnit(id=grid.grid_id, name=grid.name, level="grid"))
        return [unit for _, unit in sorted(found.values(), key=lambda pair: pair[0])]

    async def create(self, data: StationCreate) -> StationView:
        path, unit_name = await self._unit(data.unit_id)
        if not self._sees(path):
            raise missing("unit")
        station = Station(
            name=data.name.strip(),
            unit_id=data.unit_id,
            unit_name=unit_name,
            unit_path=path,
            address=data.address.strip(),
            opening_hours=data.opening_hours.strip(),
            extra_services=[s.strip() for s in data.extra_services],
            active=True,
            created_at=now(),
        )
        self.session.add(station)
        await self.session.flush()
        await self._audit("created", station, {"unit": str(data.unit_id)})
        return await self.view(station)

    async def update(self, station_id: UUID, data: StationUpdate) -> StationView:
        station = await self._writable(station_id)
        values = changed_values(data)
        for name, value in values.items():
            setattr(station, name, [s.strip() for s in value] if name == "extra_services" else value)
        await self.session.flush()
        await self._audit("updated", station, {"fields": sorted(values)})
        return await self.view(station)

    async def page(self) -> list[StationView]:
        rows = await self.session.scalars(select(Station).order_by(Station.unit_path, Station.name))
        return [await self.view(station) for station in rows]

    async def view(self, station: Station) -> StationView:
        return StationView(
            id=station.id,
            name=station.name,
            unit_id=station.unit_id,
            unit_name=station.unit_name,
            address=station.address,
            opening_hours=station.opening_hours,
            extra_services=list(station.extra_services),
            active=station.active,
            on_duty=await self._shifts(station.id, now(), now()),
        )

    def _volunteers(self, station: Station) -> Any:
        """The member volunteers of the grids under the station's unit (the local sub-station's volunteers)."""
        return (
            select(Provider)
            .join(DirectoryGrid, DirectoryGrid.grid_id == Provider.grid_id)
            .where(under(DirectoryGrid.path, station.unit_path))
            .where(Provider.kind == ProviderKind.MEMBER_VOLUNTEER, Provider.active.is_(True))
        )

    async def volunteers(self, station_id: UUID) -> list[StationVolunteer]:
        station = await self.get(station_id)
        rows = await self.session.scalars(self._volunteers(station).order_by(Provider.name))
        return [
            StationVolunteer(
                id=p.id,
                name=shown_name(self.principal, p.name, own=p.user_id == self.principal.user_id) or "",
                grid_id=p.grid_id,
                card_number=p.card_number,
                insured=p.insured,
                pre_service_completed_at=p.pre_service_completed_at,
            )
            for p in rows
        ]

    async def add_shift(self, station_id: UUID, data: ShiftCreate) -> ShiftView:
        station = await self._writable(station_id)
        errors = FieldErrors()
        for field, value in (("startsAt", data.starts_at), ("endsAt", data.ends_at)):
            if value.tzinfo is None:
                errors.add(field, "give the time with its offset, e.g. 2026-12-07T08:30:00+08:00")
        if not errors and data.ends_at <= data.starts_at:
            errors.add("endsAt", "must be after startsAt")
        elif not errors and data.ends_at - data.starts_at > LONGEST_SHIFT:
            errors.add("endsAt", "a shift lasts at most 24 hours")
        volunteer = await self.session.scalar(self._volunteers(station).where(Provider.id == data.volunteer_id))
        if volunteer is None:
            errors.add("volunteerId", "not an active member volunteer under the station's unit")
        errors.raise_if_any("the shift has invalid fields")
        overlapping = await self.session.scalar(
            select(StationShift.id).where(
                StationShift.station_id == station.id,
                StationShift.provider_id == data.volunteer_id,
                StationShift.starts_at < data.ends_at,
                StationShift.ends_at > data.starts_at,
            )
        )
        if overlapping is not None:
            raise conflict("the volunteer is on this station's rota at that time already")
        shift = StationShift(
            station_id=station.id, provider_id=data.volunteer_id, starts_at=data.starts_at, ends_at=data.ends_at
        )
        self.session.add(shift)
        await self.session.flush()
        await self._audit("shift_added", station, {"shift": str(shift.id), "volunteer": str(data.volunteer_id)})
        return (await self._shifts(station.id, data.starts_at, data.ends_at, only=shift.id))[0]

    async def remove_shift(self, station_id: UUID, shift_id: UUID) -> None:
        station = await self._writable(station_id)
        shift = await self.session.get(StationShift, shift_id)
        if shift is None or shift.station_id != station.id:
            raise missing("shift")
        await self.session.delete(shift)
        await self._audit("shift_removed", station, {"shift": str(shift_id)})

    async def rota(self, station_id: UUID, start: datetime | None, end: datetime | None) -> list[ShiftView]:
        station = await self.get(station_id)
        start = start or now() - timedelta(days=1)
        end = end or now() + timedelta(days=ROTA_DAYS)
        if end <= start:
            raise invalid("query.to", "must be after from")
        return await self._shifts(station.id, start, end)

    async def on_duty(self, station_id: UUID, at: datetime | None) -> list[ShiftView]:
        station = await self.get(station_id)
        moment = at or now()
        return await self._shifts(station.id, moment, moment)

    async def _shifts(
        self, station_id: UUID, start: datetime, end: datetime, only: UUID | None = None
    ) -> list[ShiftView]:
        """Shifts of the station overlapping [start, end] (a moment when they are equal)."""
        query = (
            select(StationShift, Provider)
            .join(Provider, Provider.id == StationShift.provider_id)
            .where(StationShift.station_id == station_id)
            .where(and_(StationShift.starts_at <= end, StationShift.ends_at > start))
            .order_by(StationShift.starts_at, Provider.name)
        )
        if only is not None:
            query = query.where(StationShift.id == only)
        rows = await self.session.execute(query)
        return [
            ShiftView(
                id=shift.id,
                volunteer_id=provider.id,
                volunteer_name=shown_name(self.principal, provider.name, own=provider.user_id == self.principal.user_id)
                or "",
                volunteer_phone=provider.phone_masked,
                starts_at=shift.starts_at,
                ends_at=shift.ends_at,
            )
            for shift, provider in rows
        ]

    async def _desk_open_to_me(self, station: Station) -> None:
        """Staff, or a volunteer on duty at the station now, work its desk; anyone else gets the 404."""
        if self.staff:
            return
        on_duty = await self._shifts(station.id, now(), now())
        mine = select(Provider.id).where(Provider.user_id == self.principal.user_id)
        if not set(await self.session.scalars(mine)) & {s.volunteer_id for s in on_duty}:
            raise missing(self.stations.noun)

    async def sign_up(self, station_id: UUID, data: SignUpCreate) -> SignUpView:
        station = await self.get(station_id)
        await self._desk_open_to_me(station)
        errors = FieldErrors()
        check_phone(errors, "phone", data.phone)
        errors.raise_if_any("the sign-up has invalid fields")
        keys = await data_key(self.session, require_tenant())
        row = StationSignUp(
            station_id=station.id,
            name_cipher=encrypt(keys, "station_sign_up.name", data.name.strip()),
            name_masked=mask_name(data.name.strip()),
            phone_cipher=encrypt(keys, "station_sign_up.phone", normalize_phone(data.phone)),
            phone_masked=mask_phone(data.phone),
            skills=list(data.skills),
            note=data.note.strip(),
            taken_by=self.principal.user_id,
            signed_up_at=now(),
        )
        self.session.add(row)
        await self.session.flush()
        await self._audit("sign_up", station, {"signUp": str(row.id)})
        return sign_up_view(row)

    async def sign_ups(self, station_id: UUID) -> list[SignUpView]:
        station = await self.get(station_id)
        await self._desk_open_to_me(station)
        rows = await self.session.scalars(
            select(StationSignUp)
            .where(StationSignUp.station_id == station.id)
            .order_by(StationSignUp.signed_up_at.desc())
        )
        return [sign_up_view(row) for row in rows]

    async def register_demand(self, station_id: UUID, data: DemandCreate) -> DemandRegistered:
        station = await self.get(station_id)
        await self._desk_open_to_me(station)
        grid = await self.session.get(DirectoryGrid, station.unit_id)  # a station of a grid places it there
        call = TicketCreate(
            channel=Channel.WALK_IN,
            title=data.title,
            description=f"{station.name}：{data.description}".rstrip("："),
            household_id=data.household_id,
            grid_id=grid.grid_id if grid is not None and data.household_id is None else None,
            category_id=data.category_id,
            item_id=data.item_id,
            caller_name=data.caller_name,
            caller_phone=data.caller_phone,
        )
        ticket = await self.desk.create(call)
        await self._audit("demand", station, {"ticket": str(ticket.id)})
        return DemandRegistered(ticket_id=ticket.id, ticket_number=ticket.number, status=ticket.status)

    async def _audit(self, action: str, station: Station, detail: dict[str, Any]) -> None:
        await audit.record(
            self.session,
            f"dispatch.station.{action}",
            subject_type="station",
            subject_id=str(station.id),
            detail=detail,
        )


def sign_up_view(row: StationSignUp) -> SignUpView:
    return SignUpView(
        id=row.id,
        name=row.name_masked,
        phone=row.phone_masked,
        skills=list(row.skills),
        note=row.note,
        signed_up_at=row.signed_up_at,
    )
