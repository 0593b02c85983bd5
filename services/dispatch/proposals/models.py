"""The member proposal box (党员提案箱, DSP-29, seed 001/SZ-24): proposals, their seminars and their climb up the
resolution tiers (community → street → district)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from services.dispatch.database import PATH, Base, tenant_column
from shared.db.base import TenantScoped, uuid7


class ProposalStatus(StrEnum):
    FILED = "filed"  # in the box, not yet reviewed
    CLASSIFIED = "classified"  # the designated reviewer sorted it into a category
    CLOSED = "closed"  # solved (the closure rate counts these)


class Tier(StrEnum):
    COMMUNITY = "community"
    STREET = "street"
    DISTRICT = "district"


TIERS = (Tier.COMMUNITY, Tier.STREET, Tier.DISTRICT)


class Proposal(TenantScoped, Base):
    """One proposal, by one member or jointly by several, about the affairs of one community."""

    __tablename__ = "proposal"
    __table_args__ = (
        Index("ix_proposal_filed", "tenant_id", "filed_on"),
        Index("ix_proposal_community", "tenant_id", "community_id", "status"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    content: Mapped[str] = mapped_column(Text, nullable=False, default="")
    proposer_member_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid), nullable=False)
    proposer_names: Mapped[list[str]] = mapped_column(ARRAY(String(100)), nullable=False, default=list)
    community_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    community_name: Mapped[str] = mapped_column(String(200), nullable=False)
    community_path: Mapped[str] = mapped_column(PATH, nullable=False)  # staff confined to a subtree see theirs
    street_id: Mapped[uuid.UUID | None] = mapped_column()
    street_name: Mapped[str | None] = mapped_column(String(200))
    filed_on: Mapped[date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default=ProposalStatus.FILED)
    category: Mapped[str | None] = mapped_column(String(20))
    classified_by_name: Mapped[str | None] = mapped_column(String(80))
    tier: Mapped[str] = mapped_column(String(10), nullable=False, default=Tier.COMMUNITY)
    closing_note: Mapped[str | None] = mapped_column(Text)
    closed_on: Mapped[date | None] = mapped_column(Date)
    recorded_by: Mapped[uuid.UUID] = mapped_column(nullable=False)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class ProposalSeminar(TenantScoped, Base):
    """座谈: the meeting held with the proposing members, who attended and what it concluded."""

    __tablename__ = "proposal_seminar"
    __table_args__ = (Index("ix_proposal_seminar_proposal", "tenant_id", "proposal_id", "held_on"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    proposal_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), nullable=False)
    held_on: Mapped[date] = mapped_column(Date, nullable=False)
    attendees: Mapped[list[str]] = mapped_column(ARRAY(String(100)), nullable=False)
    conclusion: Mapped[str] = mapped_column(Text, nullable=False)
    recorded_by_name: Mapped[str | None] = mapped_column(String(80))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class ProposalStep(TenantScoped, Base):
    """One move of a proposal (filed, classified, escalated, closed), with who, when and why: its history."""

    __tablename__ = "proposal_step"
    __table_args__ = (Index("ix_proposal_step_proposal", "tenant_id", "proposal_id", "position"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    proposal_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    action: Mapped[str] = mapped_column(String(12), nullable=False)  # filed | classified | escalated | closed
    tier: Mapped[str] = mapped_column(String(10), nullable=False)  # the tier after the move
    note: Mapped[str | None] = mapped_column(Text)
    actor_name: Mapped[str | None] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
