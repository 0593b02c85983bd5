"""Monthly performance reports (党员考绩月报, TRN-06): one row per member and month with the month's figures, the
district's choice of what the performance wall (党员考绩墙) shows, and the scheduler's progress through a district.

A report keeps the member's name and paths as they were when it was generated: it is the month's record, and the
lists and the wall read this table alone."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import DateTime, ForeignKey, Index, Integer, Numeric, String, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from services.training.database import PATH, Base, tenant_column
from shared.context import require_tenant
from shared.db.base import TenantScoped, uuid7

ONE_PER_MONTH = "uq_monthly_report_tenant_person_month"


class MonthlyReport(TenantScoped, Base):
    """A member's month: services and wishes from the points ledger, training from attendance, the year's
    commitments as they stood, and the month's points. Generating again replaces the figures."""

    __tablename__ = "monthly_report"
    __table_args__ = (
        UniqueConstraint("tenant_id", "person_id", "month", name=ONE_PER_MONTH),
        Index("ix_monthly_report_tenant_month_name", "tenant_id", "month", "name", "id"),
        Index("ix_monthly_report_tenant_month_branch_path", "tenant_id", "month", "branch_path"),
        Index("ix_monthly_report_tenant_month_grid_path", "tenant_id", "month", "grid_path"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), nullable=False)
    member_id: Mapped[uuid.UUID | None] = mapped_column()
    month: Mapped[str] = mapped_column(String(7), nullable=False)  # "2026-11"
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    branch_path: Mapped[str | None] = mapped_column(PATH)
    grid_path: Mapped[str | None] = mapped_column(PATH)
    services: Mapped[int] = mapped_column(Integer, nullable=False)  # completed volunteer orders
    wishes: Mapped[int] = mapped_column(Integer, nullable=False)  # micro-wishes fulfilled
    service_hours: Mapped[Decimal] = mapped_column(Numeric(6, 1), nullable=False)
    sessions: Mapped[int] = mapped_column(Integer, nullable=False)  # sessions attended
    credit_hours: Mapped[Decimal] = mapped_column(Numeric(6, 1), nullable=False)
    commitments_published: Mapped[int] = mapped_column(Integer, nullable=False)  # the month's year's, by its end
    commitments_evaluated: Mapped[int] = mapped_column(Integer, nullable=False)
    commitment_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))  # mean of the evaluated ones
    points: Mapped[int] = mapped_column(Integer, nullable=False)  # every ledger entry of the month
    generated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class WallSettings(TenantScoped, Base):
    """Which figures the district's performance wall shows, in the order it shows them (the first orders it);
    without a row the wall shows ``wall.DEFAULT_FIELDS``."""

    __tablename__ = "performance_wall"

    tenant_id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=require_tenant)
    fields: Mapped[list[str]] = mapped_column(ARRAY(String(40)), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)
    updated_by: Mapped[uuid.UUID | None] = mapped_column()


class ReportRun(TenantScoped, Base):
    """The scheduler's generation of a district's month: members are done in batches of person ids, each with
    its reports and events in one transaction; ``after`` is the last person done, ``finished_at`` set at the end.
    One row per district and month: the month is generated once by the scheduler however often it looks."""

    __tablename__ = "monthly_report_run"

    tenant_id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=require_tenant)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    after: Mapped[uuid.UUID | None] = mapped_column()
    reports: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
