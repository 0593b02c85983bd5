"""Cadre attendance (ORG-25): the duty roster of a village or community, attendance per cadre and day, leave
requests and the district's escalation thresholds. Rows name their unit by id, not by a copy of its path: every
query starts from one unit the caller sees, so a move has nothing here to rewrite."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.orgtree.database import Base
from shared.db.base import TenantScoped, uuid7


class AttendanceThresholds(TenantScoped, Base):
    """The district's absences in a month that bring a reminder, a public criticism, a fine. A district with no
    row keeps the seed's 1 / 2 / 3 ("发现干部脱岗1次提醒教育，2次通报批评，3次罚款" [001/FX])."""

    __tablename__ = "attendance_threshold"
    __table_args__ = (UniqueConstraint("tenant_id", name="uq_attendance_threshold_tenant"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    reminder: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    criticism: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    fine: Mapped[int] = mapped_column(SmallInteger, nullable=False)


class DutyRosterEntry(TenantScoped, Base):
    """The one cadre on duty at a village or community on a working day ("每个工作日有1名村干部坐班")."""

    __tablename__ = "duty_roster_entry"
    __table_args__ = (
        UniqueConstraint("tenant_id", "unit_id", "duty_day", name="uq_duty_roster_entry_unit_day"),
        Index("ix_duty_roster_entry_member", "tenant_id", "member_id", "duty_day"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("org_node.id", ondelete="CASCADE"), nullable=False)
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), nullable=False)
    duty_day: Mapped[date] = mapped_column(Date, nullable=False)
    recorded_by: Mapped[uuid.UUID | None] = mapped_column()
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class LeaveRequest(TenantScoped, Base):
    """A cadre's request to be away (村干部外出报告(请假)制度 [000]): requested, then approved or refused by an
    admin of the unit or above."""

    __tablename__ = "leave_request"
    __table_args__ = (
        Index("ix_leave_request_unit", "tenant_id", "unit_id", "first_day"),
        Index("ix_leave_request_member", "tenant_id", "member_id", "first_day"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("org_node.id", ondelete="CASCADE"), nullable=False)
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), nullable=False)
    first_day: Mapped[date] = mapped_column(Date, nullable=False)
    last_day: Mapped[date] = mapped_column(Date, nullable=False)
    reason: Mapped[str] = mapped_column(String(200), nullable=False)
    state: Mapped[str] = mapped_column(String(20), nullable=False)  # requested | approved | refused
    requested_by: Mapped[uuid.UUID | None] = mapped_column()
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    decided_by: Mapped[uuid.UUID | None] = mapped_column()
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision_note: Mapped[str | None] = mapped_column(String(200))


class CadreAttendance(TenantScoped, Base):
    """One cadre's attendance on one working day: present, on leave (an approved leave covers the day) or absent."""

    __tablename__ = "cadre_attendance"
    __table_args__ = (
        UniqueConstraint("tenant_id", "member_id", "day", name="uq_cadre_attendance_member_day"),
        Index("ix_cadre_attendance_unit_day", "tenant_id", "unit_id", "day"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("org_node.id", ondelete="CASCADE"), nullable=False)
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), nullable=False)
    day: Mapped[date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)  # present | on_leave | absent
    note: Mapped[str | None] = mapped_column(String(200))
    leave_request_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("leave_request.id", ondelete="SET NULL"))
    recorded_by: Mapped[uuid.UUID | None] = mapped_column()
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
