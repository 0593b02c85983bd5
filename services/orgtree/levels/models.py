"""A district's level schema and settings."""

from __future__ import annotations

import uuid

from sqlalchemy import Boolean, Integer, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from services.orgtree.database import Base
from shared.db.base import TenantScoped, Timestamped, uuid7


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
    # ORG-11: instructors each grid party group should have, from the township and from the community's branch
    instructors_from_township: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    instructors_from_branch: Mapped[int] = mapped_column(Integer, nullable=False, default=1)


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
