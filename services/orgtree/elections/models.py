"""Election records on a unit (ORG-24): who stood and how they were nominated, the competitive rounds (up to three)
with each candidate's votes, and who was elected."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.orgtree.database import PATH, Base
from shared.db.base import TenantScoped, uuid7


class Election(TenantScoped, Base):
    """An election held by a unit for ``seats`` places of a body (branch committee, village or residents'
    committee); carries the unit's path, so a subtree's elections are one range and a move rewrites it."""

    __tablename__ = "election"
    __table_args__ = (Index("ix_election_unit_path", "tenant_id", "unit_path"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("org_node.id", ondelete="CASCADE"), nullable=False)
    unit_path: Mapped[str] = mapped_column(PATH, nullable=False)
    body: Mapped[str] = mapped_column(String(30), nullable=False)
    held_on: Mapped[date] = mapped_column(Date, nullable=False)
    seats: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    recorded_by: Mapped[uuid.UUID | None] = mapped_column()
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class ElectionCandidate(TenantScoped, Base):
    """A candidate and how they were put forward; ``member_id`` when the candidate is a member on the rolls."""

    __tablename__ = "election_candidate"
    __table_args__ = (Index("ix_election_candidate_election", "tenant_id", "election_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    election_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("election.id", ondelete="CASCADE"), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    member_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    nominated_by: Mapped[str] = mapped_column(String(30), nullable=False)


class ElectionVote(TenantScoped, Base):
    """One candidate's votes in one round, and whether the round elected them."""

    __tablename__ = "election_vote"
    __table_args__ = (
        UniqueConstraint("tenant_id", "election_id", "round", "candidate_id", name="uq_election_vote_round_candidate"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    election_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("election.id", ondelete="CASCADE"), nullable=False)
    round: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    candidate_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("election_candidate.id", ondelete="CASCADE"), nullable=False
    )
    votes: Mapped[int] = mapped_column(Integer, nullable=False)
    elected: Mapped[bool] = mapped_column(Boolean, nullable=False)
