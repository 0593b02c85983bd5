"""The people training keeps records for: the district's members (kept in step with orgtree's events) and the
residents who attend without being members (entered by an organiser at check-in)."""

from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy import Boolean, Index, LargeBinary, String
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from services.training.database import PATH, Base, tenant_column
from shared.db.base import TenantScoped, Timestamped, uuid7


class PersonKind(StrEnum):
    MEMBER = "member"
    RESIDENT = "resident"  # attends micro-lectures and the daily classroom without being a member (TRN-02)


class Duty(StrEnum):
    """What a person's targets depend on (TRN-03), from orgtree's posts, cadre postings and dispatch's volunteers."""

    SECRETARY = "secretary"  # branch secretary
    COMMITTEE_MEMBER = "committee_member"
    VILLAGE_SECRETARY = "village_secretary"
    RURAL_CADRE = "rural_cadre"
    VOLUNTEER = "volunteer"


class Person(TenantScoped, Timestamped, Base):
    """One attendee. A member's row is keyed by orgtree's member id and follows its events; a resident's is
    made by hand. Rolls per unit are ranges of ``branch_path`` (party tree) or ``grid_path`` (administrative)."""

    __tablename__ = "person"
    __table_args__ = (
        Index("uq_person_tenant_member", "tenant_id", "member_id", unique=True),
        Index("uq_person_tenant_user", "tenant_id", "user_id", unique=True),
        Index("ix_person_tenant_branch_path", "tenant_id", "branch_path", "id"),
        Index("ix_person_tenant_grid_path", "tenant_id", "grid_path", "id"),
        Index("ix_person_tenant_phone_index", "tenant_id", "phone_index"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    member_id: Mapped[uuid.UUID | None] = mapped_column()
    user_id: Mapped[uuid.UUID | None] = mapped_column()  # the gateway account that checks itself in
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    # residents only (members' numbers stay in orgtree): sealed, blind-indexed and masked as everywhere
    phone_cipher: Mapped[bytes | None] = mapped_column(LargeBinary)
    phone_index: Mapped[bytes | None] = mapped_column(LargeBinary)
    phone_masked: Mapped[str | None] = mapped_column(String(20))
    branch_id: Mapped[uuid.UUID | None] = mapped_column()
    branch_path: Mapped[str | None] = mapped_column(PATH)
    grid_id: Mapped[uuid.UUID | None] = mapped_column()
    grid_path: Mapped[str | None] = mapped_column(PATH)
    classification: Mapped[str | None] = mapped_column(String(20))
    flags: Mapped[list[str]] = mapped_column(ARRAY(String(40)), nullable=False, default=list)
    duties: Mapped[list[str]] = mapped_column(ARRAY(String(40)), nullable=False, default=list)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)  # false: left the district's rolls
