"""Whoever can take a dispatch order: member volunteers, teams, studios, firms and skilled residents."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, DateTime, Float, Index, LargeBinary, String, UniqueConstraint, and_
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.elements import ColumnElement

from services.dispatch.database import Base, tenant_column
from shared.db.base import TenantScoped, Timestamped, uuid7


class ProviderKind(StrEnum):
    MEMBER_VOLUNTEER = "member_volunteer"
    PROFESSIONAL_TEAM = "professional_team"
    EXPERT_STUDIO = "expert_studio"
    FRANCHISE_FIRM = "franchise_firm"
    SKILLED_RESIDENT = "skilled_resident"


class Provider(TenantScoped, Timestamped, Base):
    """Whoever can take a dispatch order (DSP-04, DSP-12). Member volunteers follow orgtree's members."""

    __tablename__ = "provider"
    __table_args__ = (
        UniqueConstraint("tenant_id", "member_id", name="uq_provider_tenant_member_id"),
        Index("ix_provider_tenant_grid", "tenant_id", "grid_id"),
        Index("ix_provider_tenant_user", "tenant_id", "user_id"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)  # team or firm name; masked for people
    member_id: Mapped[uuid.UUID | None] = mapped_column()
    user_id: Mapped[uuid.UUID | None] = mapped_column()  # the gateway account that answers offers
    grid_id: Mapped[uuid.UUID | None] = mapped_column()
    skills: Mapped[list[str]] = mapped_column(ARRAY(String(40)), nullable=False, default=list)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    on_duty: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    card_number: Mapped[str | None] = mapped_column(String(40))  # 96345 volunteer service card
    insured: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    fee_mode: Mapped[str | None] = mapped_column(String(10))  # franchise firms: low_fee | free
    phone_cipher: Mapped[bytes | None] = mapped_column(LargeBinary)  # SMS offers to providers
    phone_masked: Mapped[str | None] = mapped_column(String(20))
    # DSP-12/EVT-14: when training recorded the member volunteer's pre-service training (None: not on record).
    pre_service_completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def awaits_pre_service(self) -> bool:
        """A member volunteer without pre-service training on record: held back where the district requires it."""
        return self.kind == ProviderKind.MEMBER_VOLUNTEER and self.pre_service_completed_at is None


def awaiting_pre_service() -> ColumnElement[bool]:
    """``Provider.awaits_pre_service`` in SQL (teams, studios, firms and skilled residents never do)."""
    return and_(Provider.kind == ProviderKind.MEMBER_VOLUNTEER, Provider.pre_service_completed_at.is_(None))


class PreServiceCompletion(TenantScoped, Base):
    """Training's word that a person finished pre-service training (``training.PreServiceTrainingCompleted``),
    kept whether or not their provider row exists yet: a member volunteer that arrives later from orgtree's
    events reads it here. The earliest completion counts."""

    __tablename__ = "pre_service_completion"
    __table_args__ = (
        Index("ix_pre_service_completion_member", "tenant_id", "member_id"),
        Index("ix_pre_service_completion_user", "tenant_id", "user_id"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    person_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)  # training's person
    member_id: Mapped[uuid.UUID | None] = mapped_column()
    user_id: Mapped[uuid.UUID | None] = mapped_column()
    completed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    session_id: Mapped[uuid.UUID] = mapped_column(nullable=False)  # the training session that completed it
