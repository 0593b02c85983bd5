"""Whoever can take a dispatch order: member volunteers, teams, studios, firms and skilled residents."""

from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy import Boolean, Float, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

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
