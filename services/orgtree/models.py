"""Tables of the orgtree service. Trees are C-collated text paths (architecture.md section 3).

Rows that hang somewhere in a tree carry a copy of that node's path (``grid_path``,
``branch_path``, ``village_path``) so that a subtree of any size is one btree range under RLS;
a move rewrites those copies in the same transaction as the nodes' own paths.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.context import require_tenant
from shared.db.base import TenantScoped, Timestamped, new_metadata, uuid7

PATH = String(400, collation="C")


def tenant_column() -> Mapped[uuid.UUID]:
    """``tenant_id`` without an index of its own, for the big tables whose composite indexes all lead with it.

    A bare tenant_id index tempts the planner under RLS (the tenant is a run-time parameter, estimated
    as an average district) into reading a whole district instead of one path range.
    """
    return mapped_column(nullable=False, default=require_tenant)


class Base(DeclarativeBase):
    """Declarative base of the orgtree service's tables."""

    metadata = new_metadata()


class TreeKind(StrEnum):
    ADMINISTRATIVE = "administrative"  # district → street/town → community/village → grid (→ households)
    PARTY = "party"  # party committee → general branch → branch → party group (→ members)


class DistrictSettings(TenantScoped, Timestamped, Base):
    """Per-district rules (GW-07): the level shapes in use, dual-network fusion, link ranges."""

    __tablename__ = "district_settings"
    __table_args__ = (UniqueConstraint("tenant_id", name="uq_district_settings_tenant"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    dual_network: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    household_links_min: Mapped[int] = mapped_column(Integer, nullable=False, default=5)
    household_links_max: Mapped[int] = mapped_column(Integer, nullable=False, default=10)
    guided_members_min: Mapped[int] = mapped_column(Integer, nullable=False, default=8)
    guided_members_max: Mapped[int] = mapped_column(Integer, nullable=False, default=15)
    guidance_contacts_per_month: Mapped[int] = mapped_column(Integer, nullable=False, default=2)


class OrgLevel(TenantScoped, Base):
    """One level of a district's level schema (ORG-01): which parents it may hang under."""

    __tablename__ = "org_level"
    __table_args__ = (UniqueConstraint("tenant_id", "tree", "code", name="uq_org_level_tenant_tree_code"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    tree: Mapped[str] = mapped_column(String(20), nullable=False)
    code: Mapped[str] = mapped_column(String(40), nullable=False)
    label: Mapped[str] = mapped_column(String(40), nullable=False)  # zh-CN display name
    parent_codes: Mapped[list[str]] = mapped_column(ARRAY(String(40)), nullable=False, default=list)
    # Households hang here, members attach here; one leader per node (the grid of ORG-03).
    is_grid: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # Villages and communities: stationed cadres and village cadres are posted here.
    is_village: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # Party units that hold members' formal membership.
    holds_members: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    rank: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class OrgNode(TenantScoped, Timestamped, Base):
    """A unit in one of the district's trees. ``path`` is the chain of segments from the root, e.g. ``/3f9a01c2/``."""

    __tablename__ = "org_node"
    __table_args__ = (
        UniqueConstraint("tenant_id", "path", name="uq_org_node_tenant_path"),
        Index("ix_org_node_tenant_parent", "tenant_id", "parent_id"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("org_node.id", ondelete="RESTRICT"))
    tree: Mapped[str] = mapped_column(String(20), nullable=False)
    level: Mapped[str] = mapped_column(String(40), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    path: Mapped[str] = mapped_column(PATH, nullable=False)
    # A party unit's administrative counterpart (ORG-02), e.g. a grid party group's grid.
    linked_node_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("org_node.id", ondelete="SET NULL"))
    formation_basis: Mapped[str | None] = mapped_column(String(40))  # ORG-06, grids only
    flags: Mapped[list[str]] = mapped_column(ARRAY(String(40)), nullable=False, default=list)


class OrgNodeVersion(TenantScoped, Base):
    """Structure history: one row per period in which a node had a given parent, name and level."""

    __tablename__ = "org_node_version"
    __table_args__ = (Index("ix_org_node_version_parent", "tenant_id", "parent_id", "valid_from"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    node_id: Mapped[uuid.UUID] = mapped_column(nullable=False, index=True)
    parent_id: Mapped[uuid.UUID | None] = mapped_column()
    tree: Mapped[str] = mapped_column(String(20), nullable=False)
    level: Mapped[str] = mapped_column(String(40), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    valid_from: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    valid_to: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Post(TenantScoped, Base):
    """The district's post catalogue (ORG-14), seeded with Huaining's eight posts."""

    __tablename__ = "post"
    __table_args__ = (UniqueConstraint("tenant_id", "code", name="uq_post_tenant_code"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    code: Mapped[str] = mapped_column(String(40), nullable=False)
    label: Mapped[str] = mapped_column(String(40), nullable=False)


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


class GridLeader(TenantScoped, Base):
    """The one red-collar leader (or grid party group leader) of a grid (ORG-03); the unique key refuses a second."""

    __tablename__ = "grid_leader"
    __table_args__ = (UniqueConstraint("tenant_id", "grid_id", name="uq_grid_leader_tenant_grid"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    grid_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("org_node.id", ondelete="CASCADE"), nullable=False)
    grid_path: Mapped[str] = mapped_column(PATH, nullable=False, index=True)
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("member.id", ondelete="RESTRICT"), nullable=False)
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    since: Mapped[date] = mapped_column(Date, nullable=False)


class Household(TenantScoped, Timestamped, Base):
    """A household in a grid (ORG-07, ORG-15). Address, head and phone are personal data: encrypted."""

    __tablename__ = "household"
    __table_args__ = (
        Index("ix_household_tenant_grid_path", "tenant_id", "grid_path", "id"),
        Index("ix_household_tenant_phone_index", "tenant_id", "phone_index"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    grid_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("org_node.id", ondelete="RESTRICT"), nullable=False)
    grid_path: Mapped[str] = mapped_column(PATH, nullable=False)
    label: Mapped[str] = mapped_column(String(100), nullable=False)  # e.g. "3组12号", not personal
    head_name_cipher: Mapped[bytes | None] = mapped_column(LargeBinary)
    head_name_masked: Mapped[str | None] = mapped_column(String(100))
    address_cipher: Mapped[bytes | None] = mapped_column(LargeBinary)
    address_masked: Mapped[str | None] = mapped_column(String(200))
    phone_cipher: Mapped[bytes | None] = mapped_column(LargeBinary)
    phone_index: Mapped[bytes | None] = mapped_column(LargeBinary)
    phone_masked: Mapped[str | None] = mapped_column(String(20))
    categories: Mapped[list[str]] = mapped_column(ARRAY(String(40)), nullable=False, default=list)
    is_member_hub: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    plaque: Mapped[str | None] = mapped_column(String(40))
    plaque_issued_on: Mapped[date | None] = mapped_column(Date)


class HouseholdLink(TenantScoped, Base):
    """A member's claim to serve a household: a "red cell" link (ORG-08), not membership."""

    __tablename__ = "household_link"
    __table_args__ = (
        UniqueConstraint("tenant_id", "member_id", "household_id", name="uq_household_link_member_household"),
        Index("ix_household_link_household", "tenant_id", "household_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), nullable=False)
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), nullable=False)
    since: Mapped[date] = mapped_column(Date, nullable=False)


class HouseholdEvent(TenantScoped, Base):
    """Something that happened to a household (hospitalised, moved, conflict, ...) that needs a visit (EVT-12)."""

    __tablename__ = "household_event"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    household_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("household.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    occurred_on: Mapped[date] = mapped_column(Date, nullable=False)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


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


class Grouping(TenantScoped, Timestamped, Base):
    """A virtual grouping that is neither grid nor branch (ORG-16): courtyard, red-cell cluster, service team."""

    __tablename__ = "grouping"
    __table_args__ = (Index("ix_grouping_anchor_path", "tenant_id", "anchor_path"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    anchor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("org_node.id", ondelete="RESTRICT"), nullable=False)
    anchor_path: Mapped[str] = mapped_column(PATH, nullable=False)
    contact_member_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    hub_household_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("household.id", ondelete="SET NULL"))
    chat_group_ref: Mapped[str | None] = mapped_column(String(200))


class GroupingMember(TenantScoped, Base):
    """A member or a household in a grouping."""

    __tablename__ = "grouping_member"
    __table_args__ = (
        UniqueConstraint("tenant_id", "grouping_id", "member_id", "household_id", name="uq_grouping_member_entry"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    grouping_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("grouping.id", ondelete="CASCADE"), nullable=False)
    member_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    household_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"))
