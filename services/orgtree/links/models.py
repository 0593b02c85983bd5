"""Red-cell links (member → household) and guidance links (cadre → member) with their contacts."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Date, FetchedValue, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.orgtree.database import PATH, Base
from shared.db.base import TenantScoped, uuid7


class HouseholdLink(TenantScoped, Base):
    """A member's claim to serve a household: a "red cell" link (ORG-08), not membership.

    ``grid_path`` (the household's) and ``branch_path`` (the member's) are copies kept by the database's triggers
    (migration 0005) on every insert, transfer and move: a unit's links are one index range. Never set them.
    """

    __tablename__ = "household_link"
    __table_args__ = (
        UniqueConstraint("tenant_id", "member_id", "household_id", name="uq_household_link_member_household"),
        Index("ix_household_link_household", "tenant_id", "household_id"),
        Index("ix_household_link_tenant_grid_path", "tenant_id", "grid_path"),
        Index("ix_household_link_tenant_branch_path", "tenant_id", "branch_path"),
    )
    __mapper_args__ = {"eager_defaults": True}  # the trigger's paths come back with the INSERT (RETURNING)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), nullable=False)
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), nullable=False)
    since: Mapped[date] = mapped_column(Date, nullable=False)
    grid_path: Mapped[str] = mapped_column(PATH, nullable=False, server_default=FetchedValue())
    branch_path: Mapped[str] = mapped_column(PATH, nullable=False, server_default=FetchedValue())


class GuidanceLink(TenantScoped, Base):
    """A cadre's duty to guide a member (ORG-09)."""

    __tablename__ = "guidance_link"
    __table_args__ = (UniqueConstraint("tenant_id", "cadre_id", "member_id", name="uq_guidance_link_cadre_member"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    cadre_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), nullable=False)
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), nullable=False)
    since: Mapped[date] = mapped_column(Date, nullable=False)


class GuidanceContact(TenantScoped, Base):
    """One logged contact on a guidance link."""

    __tablename__ = "guidance_contact"
    __table_args__ = (Index("ix_guidance_contact_link_date", "tenant_id", "link_id", "contacted_on"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    link_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("guidance_link.id", ondelete="CASCADE"), nullable=False)
    contacted_on: Mapped[date] = mapped_column(Date, nullable=False)
    channel: Mapped[str] = mapped_column(String(20), nullable=False)
    note: Mapped[str | None] = mapped_column(Text)
