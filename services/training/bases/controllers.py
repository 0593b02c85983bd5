"""Open organisational-life bases' API (TRN-15): bases and their menus, bookings by branches, attendance."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from services.training.access import ORGANISERS
from services.training.bases.models import BaseBooking, OrgLifeBase
from services.training.bases.schemas import (
    ActivityCreate,
    ActivityView,
    AttendanceWrite,
    BaseCreate,
    BaseView,
    BookingCreate,
    BookingView,
)
from services.training.bases.services import BaseService
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.views import view, views

BASES = "/org-life-bases"
ONE = BASES + "/{base_id:uuid}"
BOOKING = "/base-bookings/{booking_id:uuid}"


async def base_view(bases: BaseService, row: OrgLifeBase) -> BaseView:
    return view(BaseView, row, activities=views(ActivityView, await bases.menu(row)))


def booking_view(row: BaseBooking, title: str) -> BookingView:
    return view(BookingView, row, activity_title=title)


class BaseController(Controller):
    path = "/api/training"
    tags = ["Open organisational-life bases"]
    guards = [requires_tenant, requires_role(*ORGANISERS)]
    dependencies = {"bases": provide_service(BaseService)}

    @get(BASES, operation_id="ListOrgLifeBases", summary="The district's open organisational-life bases and menus")
    async def list_bases(self, bases: NamedDependency[BaseService]) -> list[BaseView]:
        return [await base_view(bases, row) for row in await bases.listed()]

    @post(BASES, operation_id="RegisterOrgLifeBase", summary="Register orgtree's base venue of a unit of my scope")
    async def register(self, bases: NamedDependency[BaseService], data: JSONBody[BaseCreate]) -> BaseView:
        return await base_view(bases, await bases.register(data))

    @get(ONE, operation_id="GetOrgLifeBase", summary="A base with its menu")
    async def get_base(self, bases: NamedDependency[BaseService], base_id: FromPath[UUID]) -> BaseView:
        return await base_view(bases, await bases.get(base_id))

    @post(ONE + "/activities", operation_id="AddBaseActivity", summary="Add an item to a base's menu (its keepers)")
    async def add_activity(
        self, bases: NamedDependency[BaseService], base_id: FromPath[UUID], data: JSONBody[ActivityCreate]
    ) -> ActivityView:
        return view(ActivityView, await bases.add_activity(base_id, data))

    @get(ONE + "/bookings", operation_id="ListBaseBookings", summary="A base's bookings, soonest first")
    async def list_bookings(self, bases: NamedDependency[BaseService], base_id: FromPath[UUID]) -> list[BookingView]:
        return [booking_view(b, t) for b, t in await bases.bookings(await bases.get(base_id))]

    @post(ONE + "/bookings", operation_id="BookBaseActivity", summary="Book a menu item for a branch of my scope")
    async def book(
        self, bases: NamedDependency[BaseService], base_id: FromPath[UUID], data: JSONBody[BookingCreate]
    ) -> BookingView:
        row = await bases.book(base_id, data)
        return booking_view(row, await bases.title_of(row))

    @post(BOOKING + "/cancel", operation_id="CancelBaseBooking", summary="Cancel before it starts", status_code=200)
    async def cancel(self, bases: NamedDependency[BaseService], booking_id: FromPath[UUID]) -> BookingView:
        row = await bases.cancel(booking_id)
        return booking_view(row, await bases.title_of(row))

    @post(
        BOOKING + "/attendance",
        operation_id="RecordBaseAttendance",
        summary="How many came, after the activity started",
        status_code=200,
    )
    async def attend(
        self, bases: NamedDependency[BaseService], booking_id: FromPath[UUID], data: JSONBody[AttendanceWrite]
    ) -> BookingView:
        row = await bases.attend(booking_id, data)
        return booking_view(row, await bases.title_of(row))
