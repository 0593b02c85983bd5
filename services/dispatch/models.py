"""Tables of the dispatch service: the hotline's tickets and everything that moves them.

Sections, one per domain folder: settings and catalogue (``catalogue/``), the directory kept in step
with orgtree's events (``directory/``), tickets and their history (``tickets/``), offers and
providers (``routing/``), clocks (``clocks/``), closure (``closure/``), the time bank (``timebank/``),
micro-wishes (``wishes/``) and the delivery log (``notifications/``).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.context import require_tenant
from shared.db.base import TenantScoped, Timestamped, new_metadata, uuid7

PATH = String(400, collation="C")


def tenant_column() -> Mapped[uuid.UUID]:
    """``tenant_id`` without an index of its own: the composite indexes all lead with it."""
    return mapped_column(nullable=False, default=require_tenant)


class Base(DeclarativeBase):
    """Declarative base of the dispatch service's tables."""

    metadata = new_metadata()


# --- settings and catalogue -------------------------------------------------------------------


class DispatchSettings(TenantScoped, Timestamped, Base):
    """Per-district hotline rules; seeded when the district is provisioned (GW-07)."""

    __tablename__ = "dispatch_settings"
    __table_args__ = (UniqueConstraint("tenant_id", name="uq_dispatch_settings_tenant"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    hotline_number: Mapped[str] = mapped_column(String(20), nullable=False, default="96345")
    arrival_limit_minutes: Mapped[int] = mapped_column(Integer, nullable=False, default=15)  # DSP-05 pledge
    offer_timeout_seconds: Mapped[int] = mapped_column(Integer, nullable=False, default=120)
    duplicate_window_days: Mapped[int] = mapped_column(Integer, nullable=False, default=7)
    # Red warning this long after the yellow one (DSP-16); the level's resolution limit sets the yellow.
    red_after_minutes: Mapped[int] = mapped_column(Integer, nullable=False, default=24 * 60)
    # Working day for clocks "counted on the working calendar": Monday=1 .. Sunday=7.
    working_weekdays: Mapped[list[int]] = mapped_column(ARRAY(Integer), nullable=False, default=lambda: [1, 2, 3, 4, 5])
    work_starts: Mapped[time] = mapped_column(Time, nullable=False, default=time(8, 30))
    work_ends: Mapped[time] = mapped_column(Time, nullable=False, default=time(17, 30))
    timezone: Mapped[str] = mapped_column(String(40), nullable=False, default="Asia/Shanghai")
    webhook_url: Mapped[str | None] = mapped_column(String(500))  # the district's own system, if any


class CalendarDay(TenantScoped, Base):
    """An exception to the working week: a holiday (is_working false) or a make-up working day (调休)."""

    __tablename__ = "calendar_day"
    __table_args__ = (UniqueConstraint("tenant_id", "day", name="uq_calendar_day_tenant_day"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    day: Mapped[date] = mapped_column(Date, nullable=False)
    is_working: Mapped[bool] = mapped_column(Boolean, nullable=False)
    label: Mapped[str] = mapped_column(String(60), nullable=False, default="")


class DispatchMode(StrEnum):
    ASSIGN = "assign"  # an offer to one provider at a time
    CLAIM = "claim"  # published to every eligible provider; first to accept wins


class ServiceCategory(TenantScoped, Base):
    """A category of the district's service catalogue (DSP-03) with its dispatch mode and clocks."""

    __tablename__ = "service_category"
    __table_args__ = (UniqueConstraint("tenant_id", "code", name="uq_service_category_tenant_code"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    code: Mapped[str] = mapped_column(String(40), nullable=False)
    name: Mapped[str] = mapped_column(String(60), nullable=False)
    mode: Mapped[str] = mapped_column(String(10), nullable=False, default=DispatchMode.ASSIGN)
    # Minutes allowed to sign for (accept), arrive and resolve; None: that clock does not run.
    sign_for_minutes: Mapped[int | None] = mapped_column(Integer)
    arrival_minutes: Mapped[int | None] = mapped_column(Integer)
    resolution_minutes: Mapped[int | None] = mapped_column(Integer)
    # Counted on the working calendar (working hours of working days) instead of around the clock.
    working_time: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    rank: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class ServiceItem(TenantScoped, Base):
    """An item under a category (120+ in Jiaxing), handled on the spot or by proxy (DSP-03, DSP-26)."""

    __tablename__ = "service_item"
    __table_args__ = (UniqueConstraint("tenant_id", "code", name="uq_service_item_tenant_code"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    category_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("service_category.id", ondelete="CASCADE"), nullable=False
    )
    code: Mapped[str] = mapped_column(String(40), nullable=False)
    name: Mapped[str] = mapped_column(String(60), nullable=False)
    handling: Mapped[str] = mapped_column(String(10), nullable=False, default="on_spot")  # on_spot | proxy
    skill: Mapped[str | None] = mapped_column(String(40))  # the provider skill that fits this item
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class LadderLevel(TenantScoped, Base):
    """One rung of the district's escalation ladder (DSP-14); rank 0 is the grid."""

    __tablename__ = "ladder_level"
    __table_args__ = (UniqueConstraint("tenant_id", "rank", name="uq_ladder_level_tenant_rank"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    rank: Mapped[int] = mapped_column(Integer, nullable=False)
    code: Mapped[str] = mapped_column(String(40), nullable=False)
    name: Mapped[str] = mapped_column(String(60), nullable=False)
    # Which unit of the tree owns the case at this rung: grid, village (community), street or district.
    org_level: Mapped[str] = mapped_column(String(20), nullable=False)
    resolution_minutes: Mapped[int | None] = mapped_column(Integer)  # None: the category's limit
    issues_referral: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)  # street supervision


# --- directory: orgtree facts kept in step by its events ---------------------------------------


class DirectoryGrid(TenantScoped, Base):
    """A grid and its chain of units up to the district (ids and names only), for routing and the ladder."""

    __tablename__ = "directory_grid"

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    grid_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    path: Mapped[str] = mapped_column(PATH, nullable=False, default="")  # orgtree's path: staff scopes
    # Ancestors from the district root down to the grid's parent: [{"id", "level", "name"}].
    ancestors: Mapped[list[dict[str, str]]] = mapped_column(JSONB, nullable=False, default=list)
    leader_member_id: Mapped[uuid.UUID | None] = mapped_column()


class DirectoryHousehold(TenantScoped, Base):
    """Which grid a household is in (no personal data: orgtree keeps that)."""

    __tablename__ = "directory_household"

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    household_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    grid_id: Mapped[uuid.UUID | None] = mapped_column()


class DirectoryLink(TenantScoped, Base):
    """A red-cell link: the member who serves a household ranks first for its tickets."""

    __tablename__ = "directory_link"

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    household_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    member_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)


# --- providers and routing ----------------------------------------------------------------------


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


class OfferStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"  # another provider won the claim, or the ticket moved on
    RETURNED = "returned"  # accepted, then handed back (退单): the ticket is not offered to them again


class Offer(TenantScoped, Base):
    """A dispatch order put to a provider (派单): one at a time in assign mode, to many in claim mode."""

    __tablename__ = "offer"
    __table_args__ = (
        Index("ix_offer_ticket", "tenant_id", "ticket_id"),
        # Two routing runs racing on one ticket cannot put the same order to a provider twice.
        Index(
            "uq_offer_open_ticket_provider",
            "tenant_id",
            "ticket_id",
            "provider_id",
            unique=True,
            postgresql_where=text("status = 'open'"),
        ),
        Index("ix_offer_provider_open", "tenant_id", "provider_id", postgresql_where=text("status = 'open'")),
        # The offer time-out sweep reads only open offers by due time, across districts.
        Index("ix_offer_open_expiry", "expires_at", postgresql_where=text("status = 'open'")),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), nullable=False)
    provider_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("provider.id", ondelete="CASCADE"), nullable=False)
    mode: Mapped[str] = mapped_column(String(10), nullable=False)
    rank: Mapped[int] = mapped_column(Integer, nullable=False)  # 1 = best candidate
    reasons: Mapped[list[str]] = mapped_column(ARRAY(String(40)), nullable=False, default=list)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default=OfferStatus.OPEN)
    offered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decline_reason: Mapped[str | None] = mapped_column(String(200))


# --- tickets -------------------------------------------------------------------------------------


class Channel(StrEnum):
    """Where a request came in (DSP-01)."""

    PHONE = "phone"
    WEB = "web"
    SMS = "sms"
    ONE_TOUCH = "one_touch"
    WALK_IN = "walk_in"  # a Red Cube station desk
    VISIT = "visit"  # a micro-visit record
    WISH_WALL = "wish_wall"
    CHAT_GROUP = "chat_group"
    PROPOSAL_BOX = "proposal_box"
    DELEGATE = "delegate"
    MEETING = "meeting"


class Priority(StrEnum):
    NORMAL = "normal"
    URGENT = "urgent"
    EMERGENCY = "emergency"


class TicketStatus(StrEnum):
    NEW = "new"  # recorded, waiting to be classified or placed (public requests)
    ROUTING = "routing"  # offers out, no provider has signed for it
    ASSIGNED = "assigned"  # signed for: a provider, or the unit at the current ladder level
    ON_SITE = "on_site"  # the provider has arrived
    RESOLVED = "resolved"  # resolution note recorded; waiting for feedback and callback
    CLOSED = "closed"
    CANCELLED = "cancelled"
    MERGED = "merged"  # folded into another ticket as a duplicate


OPEN_STATUSES = (TicketStatus.NEW, TicketStatus.ROUTING, TicketStatus.ASSIGNED, TicketStatus.ON_SITE)


class Ticket(TenantScoped, Timestamped, Base):
    """A resident's request or case (工单 / 民情事项). Caller and address are personal data: encrypted."""

    __tablename__ = "ticket"
    __table_args__ = (
        UniqueConstraint("tenant_id", "number", name="uq_ticket_tenant_number"),
        Index("ix_ticket_tenant_status", "tenant_id", "status", "created_at"),
        Index("ix_ticket_tenant_phone", "tenant_id", "caller_phone_index", "created_at"),
        Index("ix_ticket_tenant_household", "tenant_id", "household_id", "created_at"),
        Index("ix_ticket_tenant_grid", "tenant_id", "grid_path", "created_at"),
        Index("ix_ticket_tenant_address", "tenant_id", "address_index", "created_at"),
        Index("ix_ticket_tenant_provider", "tenant_id", "provider_id", "status"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    number: Mapped[str] = mapped_column(String(20), nullable=False)  # e.g. 20261202-0007, per district
    channel: Mapped[str] = mapped_column(String(20), nullable=False)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default=TicketStatus.NEW)
    priority: Mapped[str] = mapped_column(String(10), nullable=False, default=Priority.NORMAL)
    category_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("service_category.id", ondelete="RESTRICT"))
    item_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("service_item.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # DSP-17 classification dimensions
    scope_kind: Mapped[str | None] = mapped_column(String(12))  # common | individual
    difficulty: Mapped[str | None] = mapped_column(String(12))  # solvable_now | hard
    # The caller (looked up by the phone's blind index) and the place.
    caller_name_cipher: Mapped[bytes | None] = mapped_column(LargeBinary)
    caller_name_masked: Mapped[str | None] = mapped_column(String(100))
    caller_phone_cipher: Mapped[bytes | None] = mapped_column(LargeBinary)
    caller_phone_index: Mapped[bytes | None] = mapped_column(LargeBinary)
    caller_phone_masked: Mapped[str | None] = mapped_column(String(20))
    caller_user_id: Mapped[uuid.UUID | None] = mapped_column()  # a resident account, for self-service
    household_id: Mapped[uuid.UUID | None] = mapped_column()
    address_cipher: Mapped[bytes | None] = mapped_column(LargeBinary)
    address_index: Mapped[bytes | None] = mapped_column(LargeBinary)
    address_masked: Mapped[str | None] = mapped_column(String(200))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    grid_id: Mapped[uuid.UUID | None] = mapped_column()
    grid_path: Mapped[str | None] = mapped_column(PATH)  # copy of the grid's path: cadres see their subtree
    # Ladder position and the unit answerable at that rung (DSP-14).
    level_rank: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    unit_id: Mapped[uuid.UUID | None] = mapped_column()
    # The order (DSP-04/05): the provider who signed for it, and its timestamps.
    provider_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("provider.id", ondelete="RESTRICT"))
    dispatched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    arrived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    arrival_late: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    service_minutes: Mapped[int | None] = mapped_column(Integer)  # credited to the time bank
    material_cost: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))  # DSP-06: only materials are charged
    gifts_accepted: Mapped[str | None] = mapped_column(String(200))  # must stay empty; flagged otherwise
    resolution_note: Mapped[str | None] = mapped_column(Text)
    resolved_by: Mapped[uuid.UUID | None] = mapped_column()  # user id
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    warning: Mapped[str | None] = mapped_column(String(10))  # yellow | red
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    merged_into_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("ticket.id", ondelete="RESTRICT"))
    created_by: Mapped[uuid.UUID | None] = mapped_column()  # operator user id; None: the resident
    # SHA-256 of the follow token a resident got from the public endpoint (public/; migration 0005).
    follow_token_hash: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}


class TicketCounter(TenantScoped, Base):
    """The last ticket number handed out per district and day (numbers read 20261202-0007)."""

    __tablename__ = "ticket_counter"

    tenant_id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=require_tenant)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class TicketHistory(TenantScoped, Base):
    """Everything that happened to a ticket: who, when, what and why. Append-only (DSP-14)."""

    __tablename__ = "ticket_history"
    __table_args__ = (Index("ix_ticket_history_ticket", "tenant_id", "ticket_id", "at"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ticket.id", ondelete="RESTRICT"), nullable=False)
    action: Mapped[str] = mapped_column(String(30), nullable=False)  # created, offered, accepted, escalated ...
    actor: Mapped[str] = mapped_column(String(80), nullable=False)  # user id or system:<process>
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, server_default=text("now()"))
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str | None] = mapped_column(String(12))
    from_level: Mapped[int | None] = mapped_column(Integer)
    to_level: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, object]] = mapped_column(JSONB, nullable=False, default=dict)


# --- clocks ----------------------------------------------------------------------------------


class DeadlineKind(StrEnum):
    SIGN_FOR = "sign_for"
    ARRIVAL = "arrival"
    RESOLUTION = "resolution"  # the current ladder level's limit: yellow at due
    RED = "red"  # further period after the yellow: red warning and escalation
    REFERRAL = "referral"  # a referral notice's deadline


class Deadline(TenantScoped, Base):
    """A clock as a row (architecture.md section 4): the scheduler fires each one exactly once."""

    __tablename__ = "deadline"
    __table_args__ = (
        Index("ix_deadline_ticket", "tenant_id", "ticket_id"),
        # The sweep's index, across districts: only rows still waiting.
        Index("ix_deadline_due", "due_at", postgresql_where=text("fired_at IS NULL AND cancelled_at IS NULL")),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), nullable=False)
    kind: Mapped[str] = mapped_column(String(12), nullable=False)
    level_rank: Mapped[int] = mapped_column(Integer, nullable=False)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    fired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # met, or superseded


class Extension(TenantScoped, Base):
    """A request for more time on a deadline, decided before it passes (12345 practice)."""

    __tablename__ = "extension"
    __table_args__ = (Index("ix_extension_ticket", "tenant_id", "ticket_id"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), nullable=False)
    deadline_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("deadline.id", ondelete="CASCADE"), nullable=False)
    requested_by: Mapped[uuid.UUID] = mapped_column(nullable=False)
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    new_due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="pending")  # approved | rejected
    decided_by: Mapped[uuid.UUID | None] = mapped_column()
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision_note: Mapped[str | None] = mapped_column(Text)  # why it was approved or refused (migration 0003)


class ReferralNotice(TenantScoped, Base):
    """抄告单 (DSP-15): the street supervision meeting hands a case to a responsible unit with a deadline."""

    __tablename__ = "referral_notice"
    __table_args__ = (
        UniqueConstraint("tenant_id", "number", name="uq_referral_notice_tenant_number"),
        Index("ix_referral_notice_ticket", "tenant_id", "ticket_id"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ticket.id", ondelete="RESTRICT"), nullable=False)
    number: Mapped[str] = mapped_column(String(30), nullable=False)
    meeting: Mapped[str] = mapped_column(String(100), nullable=False)
    responsible_unit: Mapped[str] = mapped_column(String(100), nullable=False)
    responsible_person: Mapped[str] = mapped_column(String(60), nullable=False)
    due_on: Mapped[date] = mapped_column(Date, nullable=False)
    issued_by: Mapped[uuid.UUID] = mapped_column(nullable=False)
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    closure_note: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


# --- closure -------------------------------------------------------------------------------------


class Feedback(TenantScoped, Base):
    """The served person's feedback form (DSP-07, DSP-19, DSP-20); the latest one counts."""

    __tablename__ = "feedback"
    __table_args__ = (Index("ix_feedback_ticket", "tenant_id", "ticket_id", "given_at"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ticket.id", ondelete="RESTRICT"), nullable=False)
    satisfied: Mapped[bool] = mapped_column(Boolean, nullable=False)
    # 1..5 scores for the handler, the station, the process and the result (DSP-19).
    handler_score: Mapped[int | None] = mapped_column(Integer)
    station_score: Mapped[int | None] = mapped_column(Integer)
    process_score: Mapped[int | None] = mapped_column(Integer)
    result_score: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    given_by: Mapped[uuid.UUID | None] = mapped_column()  # the resident, or the operator taking it down
    given_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class Callback(TenantScoped, Base):
    """The hotline's call back to the served person (电话回访), or a waiver of it with a reason."""

    __tablename__ = "callback"
    __table_args__ = (Index("ix_callback_ticket", "tenant_id", "ticket_id", "at"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ticket.id", ondelete="RESTRICT"), nullable=False)
    outcome: Mapped[str] = mapped_column(String(20), nullable=False)  # reached | unreachable | waived
    note: Mapped[str | None] = mapped_column(Text)
    waiver_reason: Mapped[str | None] = mapped_column(Text)
    by_user: Mapped[uuid.UUID] = mapped_column(nullable=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


# --- time bank -----------------------------------------------------------------------------------


class TimeBankAccount(TenantScoped, Base):
    """Service points of a provider or a paired beneficiary household (DSP-08). Never below zero."""

    __tablename__ = "timebank_account"
    __table_args__ = (
        UniqueConstraint("tenant_id", "holder_kind", "holder_id", name="uq_timebank_account_holder"),
        CheckConstraint("balance_points >= 0", name="balance_not_negative"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    holder_kind: Mapped[str] = mapped_column(String(12), nullable=False)  # provider | household
    holder_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    balance_points: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    service_minutes: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)


class TimeBankEntry(TenantScoped, Base):
    """One ledger line; the account balance is the sum of its entries. Append-only."""

    __tablename__ = "timebank_entry"
    __table_args__ = (
        Index("ix_timebank_entry_account", "tenant_id", "account_id", "at"),
        # A completed order credits once, however often the completion is replayed.
        UniqueConstraint("tenant_id", "ticket_id", "kind", name="uq_timebank_entry_ticket_kind"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("timebank_account.id", ondelete="RESTRICT"), nullable=False
    )
    kind: Mapped[str] = mapped_column(String(20), nullable=False)  # credit | redemption | transfer_out | transfer_in
    points: Mapped[int] = mapped_column(BigInteger, nullable=False)  # signed
    minutes: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    ticket_id: Mapped[uuid.UUID | None] = mapped_column()
    counterpart_account_id: Mapped[uuid.UUID | None] = mapped_column()
    reason: Mapped[str | None] = mapped_column(String(200))
    by_user: Mapped[str] = mapped_column(String(80), nullable=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, server_default=text("now()"))


# --- micro-wishes -----------------------------------------------------------------------------


class WishStatus(StrEnum):
    COLLECTED = "collected"
    PUBLISHED = "published"
    CLAIMED = "claimed"
    UNIT_CLAIM = "unit_claim"  # no individual could fulfil it: open to firms and units
    FULFILLED = "fulfilled"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class MicroWish(TenantScoped, Timestamped, Base):
    """微心愿 (DSP-22): a small wish of a person in difficulty, claimed by a person or a unit."""

    __tablename__ = "micro_wish"
    __table_args__ = (Index("ix_micro_wish_tenant_status", "tenant_id", "status", "created_at"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    source: Mapped[str] = mapped_column(String(20), nullable=False)  # visit, wall, staff, media, online, station
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    value_yuan: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    household_id: Mapped[uuid.UUID | None] = mapped_column()
    grid_id: Mapped[uuid.UUID | None] = mapped_column()
    beneficiary_masked: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(12), nullable=False, default=WishStatus.COLLECTED)
    claimer_kind: Mapped[str | None] = mapped_column(String(12))  # person | unit
    claimer_user_id: Mapped[uuid.UUID | None] = mapped_column()
    claimer_provider_id: Mapped[uuid.UUID | None] = mapped_column()
    claimer_unit: Mapped[str | None] = mapped_column(String(100))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    fulfilled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    evidence_note: Mapped[str | None] = mapped_column(Text)
    evidence_key: Mapped[str | None] = mapped_column(String(300))  # object key, built by the server
    evidence_sha256: Mapped[str | None] = mapped_column(String(64))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[uuid.UUID | None] = mapped_column()


# --- notifications ---------------------------------------------------------------------------


class Notification(TenantScoped, Base):
    """The delivery log (DSP-18): every message, its channel, attempts and outcome."""

    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_ticket", "tenant_id", "ticket_id"),
        # The retry sweep, across districts: only messages still owed.
        Index("ix_notification_retry", "next_attempt_at", postgresql_where=text("status IN ('pending', 'retrying')")),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    channel: Mapped[str] = mapped_column(String(12), nullable=False)  # webhook | sms | dev
    template: Mapped[str] = mapped_column(String(40), nullable=False)  # ticket_routed, offer_made, ...
    recipient_kind: Mapped[str] = mapped_column(String(12), nullable=False)  # resident | provider | district
    recipient_id: Mapped[uuid.UUID | None] = mapped_column()  # provider id; None for the ticket's caller
    ticket_id: Mapped[uuid.UUID | None] = mapped_column()
    offer_id: Mapped[uuid.UUID | None] = mapped_column()
    params: Mapped[dict[str, object]] = mapped_column(JSONB, nullable=False, default=dict)  # no personal data
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="pending")
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, server_default=text("now()"))
    first_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PhoneVerification(TenantScoped, Base):
    """A one-time code sent to a resident's phone for the public request endpoint."""

    __tablename__ = "phone_verification"
    __table_args__ = (Index("ix_phone_verification_phone", "tenant_id", "phone_index", "created_at"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    phone_index: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    phone_cipher: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    code_hash: Mapped[str] = mapped_column(String(200), nullable=False)  # argon2
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
