"""The lost-contact member return programme (失联党员归队工程 [001/ZJ]): one case per member who lost contact, and
each step of finding and regrouping them, with who recorded it and when."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from services.orgtree.database import PATH, Base
from shared.db.base import TenantScoped, uuid7


class LostMemberCase(TenantScoped, Base):
    """A member who lost contact, from the opening to regrouping or removal. The member's name and unit are kept on
    the case, so the ledgers still count a member taken off the rolls; one open case per member."""

    __tablename__ = "lost_member_case"
    __table_args__ = (
        Index("ix_lost_member_case_unit_path", "tenant_id", "unit_path"),
        Index(
            "uq_lost_member_case_open",
            "tenant_id",
            "member_id",
            unique=True,
            postgresql_where=text("state IN ('searching', 'found')"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    member_id: Mapped[uuid.UUID] = mapped_column(nullable=False)  # outlives the member row (the ledgers)
    member_name: Mapped[str] = mapped_column(String(100), nullable=False)
    unit_id: Mapped[uuid.UUID] = mapped_column(nullable=False)  # the party unit the member was lost from
    unit_path: Mapped[str] = mapped_column(PATH, nullable=False)
    grid_path: Mapped[str | None] = mapped_column(PATH)
    how_lost: Mapped[str] = mapped_column(String(30), nullable=False)
    lost_since: Mapped[date] = mapped_column(Date, nullable=False)
    state: Mapped[str] = mapped_column(String(20), nullable=False)  # searching | found | regrouped | unqualified
    regrouped_by: Mapped[str | None] = mapped_column(String(20))  # location | workplace | interest | business
    to_branch_id: Mapped[uuid.UUID | None] = mapped_column()
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class LostMemberStep(TenantScoped, Base):
    """One step of a case: opened, a search ("dual search", "three entries, three checks"), found, regrouped, or
    found unqualified; dated by the user, stamped with who recorded it and when."""

    __tablename__ = "lost_member_step"
    __table_args__ = (Index("ix_lost_member_step_case", "tenant_id", "case_id", "recorded_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("lost_member_case.id", ondelete="CASCADE"), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    channel: Mapped[str | None] = mapped_column(String(30))
    happened_on: Mapped[date] = mapped_column(Date, nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    recorded_by: Mapped[uuid.UUID | None] = mapped_column()
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
