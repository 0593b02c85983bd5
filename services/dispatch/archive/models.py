"""The household archive (群众档案, DSP-32, Zhuji [001/ZHJ]): the household sheet kept by the stationed cadre,
refreshed at least every six months, each refresh on record."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from services.dispatch.database import PATH, Base, tenant_column
from shared.db.base import TenantScoped, uuid7


class HouseholdArchive(TenantScoped, Base):
    """One household's sheet: its economic type, income sources and assistance records (the family members are
    rows of their own: names are personal data). Demands and their resolution are the household's tickets."""

    __tablename__ = "household_archive"
    __table_args__ = (
        UniqueConstraint("tenant_id", "household_id", name="uq_household_archive_tenant_household"),
        Index("ix_household_archive_refreshed", "tenant_id", "refreshed_at"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    household_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    grid_id: Mapped[uuid.UUID | None] = mapped_column()
    grid_path: Mapped[str | None] = mapped_column(PATH)  # cadres see the archives of their subtree
    # 加工户 / 种植户 / 打工户 / 低保户 ... as Zhuji classifies households by their economy.
    economic_type: Mapped[str] = mapped_column(String(20), nullable=False)
    # [{"kind": land|crops|livestock|business|migrant_work|other, "note": "..."}]
    income_sources: Mapped[list[dict[str, str]]] = mapped_column(JSONB, nullable=False, default=list)
    # [{"on": "2026-03-01", "source": "镇民政办", "what": "..."}]: policy assistance by government and others
    assistance: Mapped[list[dict[str, str]]] = mapped_column(JSONB, nullable=False, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())
    refreshed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    refreshed_by: Mapped[uuid.UUID | None] = mapped_column()
    refreshed_by_name: Mapped[str | None] = mapped_column(String(80))
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}


class ArchiveMember(TenantScoped, Base):
    """A member of the household as the sheet records them; the name is encrypted and shown masked."""

    __tablename__ = "household_archive_member"
    __table_args__ = (Index("ix_household_archive_member_archive", "tenant_id", "archive_id", "position"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    archive_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("household_archive.id", ondelete="CASCADE"), nullable=False
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    name_cipher: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    name_masked: Mapped[str] = mapped_column(String(50), nullable=False)
    relation: Mapped[str] = mapped_column(String(20), nullable=False)  # 户主, 配偶, 子女 ...
    birth_year: Mapped[int | None] = mapped_column(Integer)
    education: Mapped[str | None] = mapped_column(String(20))
    political_status: Mapped[str | None] = mapped_column(String(20))
    health: Mapped[str | None] = mapped_column(String(40))


class ArchiveRefresh(TenantScoped, Base):
    """Who refreshed the archive, when, and which parts changed. Append-only: the refresh history is evidence
    of the semiannual round (至少每半年一次大走访)."""

    __tablename__ = "household_archive_refresh"
    __table_args__ = (Index("ix_household_archive_refresh_archive", "tenant_id", "archive_id", "at"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    archive_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("household_archive.id", ondelete="RESTRICT"), nullable=False
    )
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    by_user: Mapped[uuid.UUID | None] = mapped_column()
    by_name: Mapped[str | None] = mapped_column(String(80))
    changed: Mapped[list[str]] = mapped_column(JSONB, nullable=False, default=list)  # created, members, ...
    note: Mapped[str | None] = mapped_column(Text)
