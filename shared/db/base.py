"""Declarative bases: one metadata per service, and the tenant column every tenant-owned table carries."""

from __future__ import annotations

import uuid
from datetime import datetime

import uuid_utils.compat
from sqlalchemy import DateTime, MetaData, func
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from shared.context import require_tenant

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING_CONVENTION)


def uuid7() -> uuid.UUID:
    """Time-ordered UUID (RFC 9562 v7): primary keys that append to the btree instead of scattering."""
    return uuid_utils.compat.uuid7()


class TenantScoped:
    """Mixin for tenant-owned rows. RLS (not this default) is what keeps tenants apart."""

    @declared_attr
    def tenant_id(cls) -> Mapped[uuid.UUID]:  # noqa: N805 - SQLAlchemy declared_attr
        return mapped_column(nullable=False, default=require_tenant, index=True)


class Timestamped:
    @declared_attr
    def created_at(cls) -> Mapped[datetime]:  # noqa: N805
        return mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)

    @declared_attr
    def updated_at(cls) -> Mapped[datetime]:  # noqa: N805
        return mapped_column(DateTime(timezone=True), server_default=func.now(), onupdate=func.now(), nullable=False)
