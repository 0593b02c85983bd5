"""Party members, their formal membership over time, and the post catalogue."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from services.orgtree.database import PATH, Base, tenant_column
from shared.db.base import TenantScoped, Timestamped, uuid7


class Post(TenantScoped, Base):
    """The district's post catalogue (ORG-14), seeded with Huaining's eight posts."""

    __tablename__ = "post"
    __table_args__ = (UniqueConstraint("tenant_id", "code", name="uq_post_tenant_code"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    code: Mapped[str] = mapped_column(String(40), nullable=False)
    label: Mapped[str] = mapped_column(String(40), nullable=False)


class PostClaim(TenantScoped, Base):
    """A member's claim of a post (ORG-14: "党员认岗") by self-nomination or branch nomination, dated; a later
    claim ends it (``ended_on``), so the member's posts over time stay readable."""

    __tablename__ = "post_claim"
    __table_args__ = (Index("ix_post_claim_member", "tenant_id", "member_id", "claimed_on"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), nullable=False)
    post_code: Mapped[str] = mapped_column(String(40), nullable=False)
    method: Mapped[str] = mapped_column(String(30), nullable=False)  # self_nomination | branch_nomination
    claimed_on: Mapped[date] = mapped_column(Date, nullable=False)
    ended_on: Mapped[date | None] = mapped_column(Date)
    recorded_by: Mapped[uuid.UUID | None] = mapped_column()
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class Member(TenantScoped, Timestamped, Base):
    """A party member: profile, classification, flags, post, grid attachment and formal membership."""

    __tablename__ = "member"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id_card_index", name="uq_member_tenant_id_card_index"),
        UniqueConstraint("tenant_id", "user_id", name="uq_member_tenant_user_id"),
        Index("ix_member_tenant_grid_path", "tenant_id", "grid_path", "id"),
        Index("ix_member_tenant_branch_path", "tenant_id", "branch_path", "id"),
        Index("ix_member_tenant_phone_index", "tenant_id", "phone_index"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    user_id: Mapped[uuid.UUID | None] = mapped_column()  # the gateway account, when the member has one
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    gender: Mapped[str | None] = mapped_column(String(10))
    birth_date: Mapped[date | None] = mapped_column(Date)
    id_card_cipher: Mapped[bytes | None] = mapped_column(LargeBinary)
    id_card_index: Mapped[bytes | None] = mapped_column(LargeBinary)
    id_card_masked: Mapped[str | None] = mapped_column(String(20))
    phone_cipher: Mapped[bytes | None] = mapped_column(LargeBinary)
    phone_index: Mapped[bytes | None] = mapped_column(LargeBinary)
    phone_masked: Mapped[str | None] = mapped_column(String(20))
    classification: Mapped[str] = mapped_column(String(20), nullable=False)
    flags: Mapped[list[str]] = mapped_column(ARRAY(String(40)), nullable=False, default=list)
    info_card: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
    grid_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("org_node.id", ondelete="RESTRICT"))
    grid_path: Mapped[str | None] = mapped_column(PATH)
    branch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("org_node.id", ondelete="RESTRICT"), nullable=False)
    branch_path: Mapped[str] = mapped_column(PATH, nullable=False)
    post_code: Mapped[str | None] = mapped_column(String(40))
    post_method: Mapped[str | None] = mapped_column(String(30))
    joined_on: Mapped[date | None] = mapped_column(Date)


class MembershipTransfer(TenantScoped, Base):
    """A member's formal membership over time (ORG-17); the first row (no ``from``) is the joining."""

    __tablename__ = "membership_transfer"
    __table_args__ = (Index("ix_membership_transfer_member", "tenant_id", "member_id", "transferred_on"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    member_id: Mapped[uuid.UUID] = mapped_column(nullable=False)  # outlives the member row (history)
    from_branch_id: Mapped[uuid.UUID | None] = mapped_column()
    to_branch_id: Mapped[uuid.UUID | None] = mapped_column()  # None: removed from the rolls
    transferred_on: Mapped[date] = mapped_column(Date, nullable=False)
    reason: Mapped[str] = mapped_column(String(40), nullable=False)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
