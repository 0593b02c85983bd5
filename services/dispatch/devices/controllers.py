"""One-touch devices (DSP-10) over HTTP: operators register devices and map them to households; the district
admin issues the device gateway's key; the gateway posts alarms on the public prefix with that key."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, get, patch, post
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, HeaderParameter, JSONBody, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.dispatch.access import OPERATORS
from services.dispatch.devices.schemas import (
    AlarmCreate,
    AlarmView,
    DeviceCreate,
    DeviceUpdate,
    DeviceView,
    GatewayKeyIssued,
)
from services.dispatch.devices.services import GATEWAY_ACTOR, AlarmDesk, DeviceService
from shared import audit
from shared.auth.principal import Role
from shared.context import tenant_scope
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant

DeviceKey = Annotated[str | None, HeaderParameter(name="X-Device-Key", max_length=200)]


class DeviceController(Controller):
    path = "/api/dispatch/devices"
    tags = ["One-touch devices"]
    guards = [requires_tenant, requires_role(*OPERATORS)]
    dependencies = {"devices": provide_service(DeviceService)}

    @post("/", operation_id="RegisterDevice", summary="Register a one-touch device, mapped to a household or not yet")
    async def register(self, devices: NamedDependency[DeviceService], data: JSONBody[DeviceCreate]) -> DeviceView:
        return await devices.create(data)

    @get("/", operation_id="ListDevices", summary="The district's one-touch devices by code")
    async def list_devices(
        self,
        devices: NamedDependency[DeviceService],
        offset: Annotated[int, QueryParameter(ge=0, le=1_000_000)] = 0,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 100,
    ) -> list[DeviceView]:
        return await devices.page(offset, limit)

    @get("/alarms", operation_id="ListDeviceAlarms", summary="Alarms received, newest first, with their tickets")
    async def alarms(
        self,
        devices: NamedDependency[DeviceService],
        device_id: Annotated[UUID | None, QueryParameter(name="deviceId")] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
    ) -> list[AlarmView]:
        return await devices.alarms(device_id, limit)

    @post(
        "/gateway-key",
        operation_id="IssueDeviceGatewayKey",
        guards=[requires_role(Role.DISTRICT_ADMIN)],
        summary="Issue the device gateway's key (shown once; the previous key stops working)",
    )
    async def issue_key(self, devices: NamedDependency[DeviceService]) -> GatewayKeyIssued:
        key, at = await devices.issue_key()
        return GatewayKeyIssued(key=key, issued_at=at)

    @get("/{device_id:uuid}", operation_id="GetDevice", summary="One device")
    async def get_device(self, devices: NamedDependency[DeviceService], device_id: FromPath[UUID]) -> DeviceView:
        return await devices.get(device_id)

    @patch("/{device_id:uuid}", operation_id="UpdateDevice", summary="Map to another household, unmap, switch off")
    async def update(
        self, devices: NamedDependency[DeviceService], device_id: FromPath[UUID], data: JSONBody[DeviceUpdate]
    ) -> DeviceView:
        return await devices.update(device_id, data)


class AlarmSessions:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    @asynccontextmanager
    async def district(self, tenant_id: UUID) -> AsyncIterator[AlarmDesk]:
        """One transaction of the district in the path, written as the device gateway."""
        with tenant_scope(tenant_id), audit.actor_scope(GATEWAY_ACTOR):
            async with self.sessions() as session, session.begin():
                yield AlarmDesk(session)


def provide_alarms(state: State) -> AlarmSessions:
    return AlarmSessions(state.sessionmaker)


class DeviceAlarmController(Controller):
    """No token: the district comes from the path, the device gateway proves itself with the district's key."""

    path = "/api/dispatch/public/{tenant_id:uuid}/device-alarms"
    tags = ["One-touch devices"]
    dependencies = {"alarms": Provide(provide_alarms, sync_to_thread=False)}

    @post(
        "/",
        operation_id="RaiseDeviceAlarm",
        summary="The device gateway reports an alarm: an emergency ticket for the device's household (201), "
        "or the one this alarm id opened before (200)",
    )
    async def raise_alarm(
        self,
        alarms: NamedDependency[AlarmSessions],
        tenant_id: FromPath[UUID],
        data: JSONBody[AlarmCreate],
        x_device_key: DeviceKey = None,
    ) -> Response[AlarmView]:
        async with alarms.district(tenant_id) as desk:
            await desk.authenticate(x_device_key)
            alarm = await desk.raise_alarm(data)
        return Response(alarm, status_code=200 if alarm.repeated else 201)
