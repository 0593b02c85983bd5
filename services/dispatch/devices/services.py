"""One-touch emergency devices (一键通, DSP-10): operators map a device's code to a household; the device gateway
reports an alarm, which opens an emergency ticket for that household (channel ``one_touch``), routed as every
ticket is (``TicketCreated``: the serving member, the grid's volunteers, the nearest on duty). An alarm id seen
before answers the ticket it opened: gateways retry.

The gateway is no person: it proves itself with the district's device key (``X-Device-Key``, issued by the
district admin, shown once, kept as its SHA-256), on the public prefix that needs no token."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.catalogue.models import ServiceCategory
from services.dispatch.devices.models import DeviceAlarm, DeviceGatewayKey, EmergencyDevice
from services.dispatch.devices.schemas import AlarmCreate, AlarmView, DeviceCreate, DeviceUpdate, DeviceView
from services.dispatch.directory.models import DirectoryGrid, DirectoryHousehold
from services.dispatch.tickets.intake import changed_values
from services.dispatch.tickets.models import Channel, Priority
from services.dispatch.tickets.schemas import TicketCreate
from services.dispatch.tickets.services import TicketService
from shared import audit
from shared.auth.principal import Principal, Role
from shared.clock import now
from shared.context import require_tenant
from shared.db.repository import Repository
from shared.http.di import build_service
from shared.http.problems import ProblemError, conflict, invalid, missing

GATEWAY_ACTOR = "system:dispatch-devices"
KEY_PREFIX = "dgk_"
ALARM_TITLE = "一键通紧急呼叫"
ALARM_CATEGORY = "citizen_life"  # 市民生活: routing needs a category; an alarm is help at the door


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def unauthorised() -> ProblemError:
    """A missing, wrong or replaced key, or a district with none: the same answer (no oracle)."""
    return ProblemError(401, "a valid X-Device-Key of this district is required", title="Unauthorized")


class DeviceRepository(Repository[EmergencyDevice]):
    model_type = EmergencyDevice
    noun = "device"


async def _placed(session: AsyncSession, household_id: UUID) -> tuple[DirectoryHousehold, DirectoryGrid | None]:
    household = await session.get(DirectoryHousehold, household_id)
    if household is None:
        raise missing("household")
    grid = await session.get(DirectoryGrid, household.grid_id) if household.grid_id else None
    return household, grid


class DeviceService:
    """The operators' side: the devices of the district and the gateway's key."""

    def __init__(self, session: AsyncSession, principal: Principal, devices: DeviceRepository) -> None:
        self.session = session
        self.principal = principal
        self.devices = devices

    async def _map(self, device: EmergencyDevice, household_id: UUID | None) -> None:
        if household_id is None:
            device.household_id = device.grid_id = device.grid_path = None
            return
        household, grid = await _placed(self.session, household_id)
        device.household_id, device.grid_id = household.household_id, household.grid_id
        device.grid_path = grid.path if grid else None

    async def create(self, data: DeviceCreate) -> DeviceView:
        if await self.session.scalar(select(EmergencyDevice.id).where(EmergencyDevice.code == data.code)):
            raise conflict(f"device {data.code} is registered already")
        device = EmergencyDevice(code=data.code, label=data.label.strip(), active=True, registered_at=now())
        await self._map(device, data.household_id)
        self.session.add(device)
        await self.session.flush()
        await self._audit("registered", device, {"mapped": device.household_id is not None})
        return (await self.views([device]))[0]

    async def update(self, device_id: UUID, data: DeviceUpdate) -> DeviceView:
        device = await self.devices.get_or_404(device_id, for_update=True)
        values = changed_values(data)
        if "household_id" in values:
            await self._map(device, values["household_id"])
        if "label" in values:
            device.label = values["label"].strip()
        if "active" in values:
            device.active = values["active"]
        await self.session.flush()
        detail = {k: str(v) if isinstance(v, UUID) else v for k, v in values.items()}
        await self._audit("updated", device, detail)
        return (await self.views([device]))[0]

    async def get(self, device_id: UUID) -> DeviceView:
        return (await self.views([await self.devices.get_or_404(device_id)]))[0]

    async def page(self, offset: int, limit: int) -> list[DeviceView]:
        query = select(EmergencyDevice).order_by(EmergencyDevice.code).offset(offset).limit(limit)
        return await self.views(list(await self.session.scalars(query)))

    async def views(self, devices: list[EmergencyDevice]) -> list[DeviceView]:
        rows = await self.session.execute(
            select(DeviceAlarm.device_id, func.max(DeviceAlarm.received_at))
            .where(DeviceAlarm.device_id.in_([d.id for d in devices]))
            .group_by(DeviceAlarm.device_id)
        )
        last = {row.device_id: row[1] for row in rows}
        return [
            DeviceView(
                id=d.id,
                code=d.code,
                label=d.label,
                household_id=d.household_id,
                grid_id=d.grid_id,
                active=d.active,
                registered_at=d.registered_at,
                last_alarm_at=last.get(d.id),
            )
            for d in devices
        ]

    async def alarms(self, device_id: UUID | None, limit: int) -> list[AlarmView]:
        query = select(DeviceAlarm, EmergencyDevice.code).join(EmergencyDevice)
        if device_id is not None:
            await self.devices.get_or_404(device_id)
            query = query.where(DeviceAlarm.device_id == device_id)
        rows = await self.session.execute(query.order_by(DeviceAlarm.received_at.desc()).limit(limit))
        return [alarm_view(alarm, code) for alarm, code in rows]

    async def issue_key(self) -> tuple[str, datetime]:
        """A new key for the district's device gateway; the old one stops working now."""
        key, at = KEY_PREFIX + secrets.token_urlsafe(32), now()
        insert = pg_insert(DeviceGatewayKey).values(
            tenant_id=require_tenant(), key_hash=key_hash(key), issued_by=self.principal.user_id, issued_at=at
        )
        set_ = {"key_hash": insert.excluded.key_hash, "issued_by": insert.excluded.issued_by, "issued_at": at}
        await self.session.execute(insert.on_conflict_do_update(index_elements=["tenant_id"], set_=set_))
        await audit.record(
            self.session,
            "dispatch.device.key_issued",
            subject_type="device_gateway_key",
            subject_id=str(require_tenant()),
        )
        return key, at

    async def _audit(self, action: str, device: EmergencyDevice, detail: dict[str, Any]) -> None:
        await audit.record(
            self.session, f"dispatch.device.{action}", subject_type="device", subject_id=str(device.id), detail=detail
        )


def alarm_view(alarm: DeviceAlarm, code: str, *, repeated: bool = False) -> AlarmView:
    return AlarmView(
        alarm_id=alarm.alarm_id,
        device_code=code,
        household_id=alarm.household_id,
        raised_at=alarm.raised_at,
        received_at=alarm.received_at,
        ticket_id=alarm.ticket_id,
        ticket_number=alarm.ticket_number,
        repeated=repeated,
    )


class AlarmDesk:
    """The gateway's side, in one transaction of the district in the path (no principal: the key stands for it)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def authenticate(self, key: str | None) -> None:
        stored = await self.session.scalar(select(DeviceGatewayKey.key_hash))
        if not key or stored is None or not hmac.compare_digest(stored, key_hash(key)):
            raise unauthorised()

    async def raise_alarm(self, data: AlarmCreate) -> AlarmView:
        if data.raised_at is not None and data.raised_at.tzinfo is None:
            raise invalid("raisedAt", "give the time with its offset, e.g. 2026-12-06T09:30:00+08:00")
        device = await self.session.scalar(
            select(EmergencyDevice).where(EmergencyDevice.code == data.device_code).with_for_update()
        )
        if device is None:
            raise ProblemError(404, f"no device {data.device_code} in this district", title="Not Found")
        if device.household_id is None or not device.active:
            state = "is switched off" if not device.active else "is not mapped to a household"
            raise conflict(f"device {data.device_code} {state}: the hotline must map it before it can alarm")
        # the device row is locked: a repeat waits here and then finds the alarm the first one stored
        known = await self.session.scalar(
            select(DeviceAlarm).where(DeviceAlarm.device_id == device.id, DeviceAlarm.alarm_id == data.alarm_id)
        )
        if known is not None:
            return alarm_view(known, device.code, repeated=True)
        alarm = DeviceAlarm(
            device_id=device.id,
            alarm_id=data.alarm_id,
            household_id=device.household_id,
            raised_at=data.raised_at,
            received_at=now(),
        )
        self.session.add(alarm)
        category = await self.session.scalar(
            select(ServiceCategory.id)
            .where(ServiceCategory.active.is_(True))
            .order_by(ServiceCategory.code != ALARM_CATEGORY, ServiceCategory.code)
            .limit(1)
        )
        gateway = Principal(user_id=device.id, tenant_id=require_tenant(), roles=frozenset({Role.RESIDENT}))
        call = TicketCreate(
            channel=Channel.ONE_TOUCH,
            priority=Priority.EMERGENCY,
            title=f"{ALARM_TITLE}（{device.label or device.code}）",
            description=f"一键通设备 {device.code} 报警，请立即联系并上门查看",
            household_id=device.household_id,
            category_id=category,
        )
        ticket = await build_service(TicketService, self.session, gateway).create(call)
        ticket.created_by = None  # the resident pressed the button (None: the resident, as on the public page)
        alarm.ticket_id, alarm.ticket_number = ticket.id, ticket.number
        await self.session.flush()
        await audit.record(
            self.session,
            "dispatch.device.alarm",
            subject_type="ticket",
            subject_id=str(ticket.id),
            detail={"device": str(device.id), "alarmId": data.alarm_id},
        )
        return alarm_view(alarm, device.code)
