"""Cadres posted to villages and communities."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.orgtree.database import PATH, Base
from shared.db.base import TenantScoped, uuid7


class CadrePosting(TenantScoped, Base):
    """A cadre at a village or community: stationed there by the street (ORG-10) or elected to its two committees."""

    __tablename__ = "cadre_posting"
    __table_args__ = (
        UniqueConstraint("tenant_id", "member_id", "village_id", "kind", name="uq_cadre_posting_member_village"),
        Index("ix_cadre_posting_village_path", "tenant_id", "village_path"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)  # stationed | village
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), nullable=False)
    village_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("org_node.id", ondelete="RESTRICT"), nullable=False)
    village_path: Mapped[str] = mapped_column(PATH, nullable=False)
    role: Mapped[str | None] = mapped_column(String(40))  # village cadres: secretary, director, member ...
    cross_appointed: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    one_shoulder: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    since: Mapped[date] = mapped_column(Date, nullable=False)
