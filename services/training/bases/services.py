"""Open organisational-life bases (TRN-15): organisers register orgtree's base venues of their units and keep
their menus; organisers of a branch book an item of a base's menu for their branch at a time (one live booking per
base and start; not in the past; no more people than the base holds); after the activity the attendance is
recorded; a booking is cancelled before it starts."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.bases.models import (
    ONE_BASE_PER_VENUE,
    ONE_BOOKING_PER_SLOT,
    BaseActivity,
    BaseBooking,
    BookingState,
    OrgLifeBase,
)
from services.training.bases.schemas import ActivityCreate, AttendanceWrite, BaseCreate, BookingCreate
from shared import audit
from shared.auth.principal import Principal
from shared.clock import now
from shared.db.paths import under
from shared.http.problems import conflict, invalid, missing


class BaseService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal

    async def _flush_or(self, constraint: str, message: str) -> None:
        try:
            async with self.session.begin_nested():
                await self.session.flush()
        except IntegrityError as clash:
            if constraint in str(clash.orig):
                raise conflict(message) from None
            raise

    async def register(self, data: BaseCreate) -> OrgLifeBase:
        if not self.principal.may_see_path(data.unit_path):
            raise invalid("unitPath", f"a unit under your scope {self.principal.scope}")
        row = OrgLifeBase(
            venue_id=data.venue_id,
            unit_path=data.unit_path,
            unit_name=data.unit_name.strip(),
            name=data.name.strip(),
            capacity=data.capacity,
            created_at=now(),
        )
        self.session.add(row)
        await self._flush_or(ONE_BASE_PER_VENUE, "this venue is a base already")
        await audit.record(
            self.session, "training.base.registered", subject_type="org_life_base", subject_id=str(row.id)
        )
        return row

    async def listed(self) -> list[OrgLifeBase]:
        """Every base of the district: any branch may book any base (open bases are open to all)."""
        return list(await self.session.scalars(select(OrgLifeBase).order_by(OrgLifeBase.unit_path, OrgLifeBase.name)))

    async def get(self, base_id: UUID) -> OrgLifeBase:
        row = await self.session.get(OrgLifeBase, base_id)
        if row is None:
            raise missing("organisational-life base")
        return row

    async def _kept(self, base_id: UUID) -> OrgLifeBase:
        """A base the caller keeps: its unit lies under their scope."""
        row = await self.get(base_id)
        if not self.principal.may_see_path(row.unit_path):
            raise missing("organisational-life base")
        return row

    async def menu(self, base: OrgLifeBase) -> list[BaseActivity]:
        return list(
            await self.session.scalars(
                select(BaseActivity).where(BaseActivity.base_id == base.id).order_by(BaseActivity.title)
            )
        )

    async def add_activity(self, base_id: UUID, data: ActivityCreate) -> BaseActivity:
        base = await self._kept(base_id)
        row = BaseActivity(
            base_id=base.id, title=data.title.strip(), description=data.description.strip(), minutes=data.minutes
        )
        self.session.add(row)
        await self.session.flush()
        return row

    async def book(self, base_id: UUID, data: BookingCreate) -> BaseBooking:
        base = await self.get(base_id)
        if not self.principal.may_see_path(data.branch_path):
            raise invalid("branchPath", f"book for a branch under your scope {self.principal.scope}")
        activity = await self.session.get(BaseActivity, data.activity_id)
        if activity is None or activity.base_id != base.id or not activity.active:
            raise invalid("activityId", "an item of this base's menu")
        if data.starts_at.tzinfo is None:
            raise invalid("startsAt", "a time with its offset, such as 2026-12-10T14:00:00+08:00")
        if data.starts_at <= now():
            raise invalid("startsAt", "a time from now on")
        if data.expected > base.capacity:
            raise invalid("expected", f"at most the base's capacity, {base.capacity}")
        row = BaseBooking(
            base_id=base.id,
            activity_id=activity.id,
            branch_id=data.branch_id,
            branch_path=data.branch_path,
            branch_name=data.branch_name.strip(),
            starts_at=data.starts_at,
            expected=data.expected,
            state=BookingState.BOOKED,
            booked_by=self.principal.user_id,
            booked_by_name=self.principal.name,
        )
        self.session.add(row)
        await self._flush_or(ONE_BOOKING_PER_SLOT, "the base is booked at that time already")
        await audit.record(self.session, "training.base.booked", subject_type="base_booking", subject_id=str(row.id))
        return row

    async def bookings(self, base: OrgLifeBase) -> list[tuple[BaseBooking, str]]:
        """The base's bookings, soonest first: all of them for its keepers, their branches' for the others."""
        query = (
            select(BaseBooking, BaseActivity.title)
            .join(BaseActivity, BaseActivity.id == BaseBooking.activity_id)
            .where(BaseBooking.base_id == base.id)
            .order_by(BaseBooking.starts_at, BaseBooking.id)
        )
        if self.principal.scope is not None and not self.principal.may_see_path(base.unit_path):
            query = query.where(under(BaseBooking.branch_path, self.principal.scope))
        return [(booking, str(title)) for booking, title in (await self.session.execute(query)).all()]

    async def _booking(self, booking_id: UUID) -> BaseBooking:
        row = await self.session.get(BaseBooking, booking_id, with_for_update=True)
        if row is None:
            raise missing("booking")
        base = await self.get(row.base_id)
        if not (self.principal.may_see_path(row.branch_path) or self.principal.may_see_path(base.unit_path)):
            raise missing("booking")
        return row

    async def cancel(self, booking_id: UUID) -> BaseBooking:
        row = await self._booking(booking_id)
        if row.state != BookingState.BOOKED:
            raise conflict(f"the booking is {row.state}: only a booked one is cancelled")
        if row.starts_at <= now():
            raise conflict("the activity has started: record its attendance instead")
        row.state = BookingState.CANCELLED
        await self.session.flush()
        return row

    async def attend(self, booking_id: UUID, data: AttendanceWrite) -> BaseBooking:
        row = await self._booking(booking_id)
        if row.state != BookingState.BOOKED:
            raise conflict(f"the booking is {row.state}: attendance is recorded for a booked one")
        if row.starts_at > now():
            raise conflict("the activity has not started: attendance is recorded after it")
        row.state = BookingState.ATTENDED
        row.attended = data.attended
        row.attendance_note = data.note.strip()
        await self.session.flush()
        await audit.record(self.session, "training.base.attended", subject_type="base_booking", subject_id=str(row.id))
        return row

    async def title_of(self, booking: BaseBooking) -> str:
        activity = await self.session.get(BaseActivity, booking.activity_id)
        return activity.title if activity is not None else ""
