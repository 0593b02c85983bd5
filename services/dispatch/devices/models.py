"""One-touch emergency devices (一键通, DSP-10): a device's code mapped to a household, the alarms its gateway
sent (one ticket per alarm id, however often it is repeated) and the district's key for that gateway."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.dispatch.database import PATH, Base, tenant_column
from shared.db.base import TenantScoped, uuid7


class EmergencyDevice(TenantScoped, Base):
    __tablename__ = "emergency_device"
    __table_args__ = (
        UniqueConstraint("tenant_id", "code", name="uq_emergency_device_code"),
        Index("ix_emergency_device_household", "tenant_id", "household_id"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    code: Mapped[str] = mapped_column(String(64), nullable=False)  # the maker's id, as the gateway sends it
    label: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    household_id: Mapped[uuid.UUID | None] = mapped_column()  # None: not (or no longer) mapped
    grid_id: Mapped[uuid.UUID | None] = mapped_column()
    grid_path: Mapped[str | None] = mapped_column(PATH)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    registered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class DeviceAlarm(TenantScoped, Base):
    """An alarm as the gateway reported it, and the ticket it opened (``alarm_id`` is the gateway's)."""

    __tablename__ = "device_alarm"
    __table_args__ = (UniqueConstraint("tenant_id", "device_id", "alarm_id", name="uq_device_alarm_alarm"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("emergency_device.id", ondelete="CASCADE"), nullable=False)
    alarm_id: Mapped[str] = mapped_column(String(64), nullable=False)
    household_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    raised_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # the device's clock
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    ticket_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("ticket.id", ondelete="RESTRICT"))
    ticket_number: Mapped[str | None] = mapped_column(String(30))


class DeviceGatewayKey(TenantScoped, Base):
    """The district's key for its device gateway: only its SHA-256 is kept; issuing a new one replaces it."""

    __tablename__ = "device_gateway_key"

    tenant_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    issued_by: Mapped[uuid.UUID] = mapped_column(nullable=False)
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
