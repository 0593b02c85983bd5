"""Tables every service database holds besides its own: outbox, inbox, audit log and tenant data keys.

They are plain Core tables on one shared metadata: each process talks to one service database, and
each service's first migration creates them with ``shared.db.migrations.create_kernel_tables``.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Identity,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    Uuid,
    func,
)
from sqlalchemy.dialects.postgresql import INET, JSONB

from shared.db.base import NAMING_CONVENTION

kernel_metadata = MetaData(naming_convention=NAMING_CONVENTION)

# Events waiting to be published; written in the business transaction, published by the relay.
outbox_message = Table(
    "outbox_message",
    kernel_metadata,
    Column("id", Uuid, primary_key=True),
    Column("seq", BigInteger, Identity(always=True), nullable=False, unique=True),
    Column("tenant_id", Uuid, nullable=True, index=True),  # null: platform-wide events
    Column("event", String(120), nullable=False),
    Column("payload", JSONB, nullable=False),
    Column("request_id", String(64), nullable=True),
    Column("created_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
    Column("published_at", DateTime(timezone=True), nullable=True),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_error", Text, nullable=True),
)

# Messages a consumer has already applied: the effect and this row commit together.
inbox_message = Table(
    "inbox_message",
    kernel_metadata,
    Column("consumer", String(120), nullable=False),
    Column("message_id", String(64), nullable=False),
    Column("tenant_id", Uuid, nullable=True, index=True),
    Column("event", String(120), nullable=False),
    Column("processed_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
    PrimaryKeyConstraint("consumer", "message_id"),
)

# Append-only: the app role may insert and read; updates and deletes are refused by a trigger.
audit_event = Table(
    "audit_event",
    kernel_metadata,
    Column("id", BigInteger, Identity(always=True), primary_key=True),
    Column("tenant_id", Uuid, nullable=True, index=True),
    Column("occurred_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
    Column("actor_id", String(64), nullable=True),
    Column("actor_roles", String(200), nullable=True),
    Column("action", String(120), nullable=False),
    Column("subject_type", String(80), nullable=True),
    Column("subject_id", String(64), nullable=True),
    Column("purpose", Text, nullable=True),
    Column("detail", JSONB, nullable=False, server_default="{}"),
    Column("request_id", String(64), nullable=True),
    Column("client_ip", INET, nullable=True),
)

# Per-tenant data keys, wrapped (AES-GCM) by the master key; one row per key version.
tenant_data_key = Table(
    "tenant_data_key",
    kernel_metadata,
    Column("tenant_id", Uuid, nullable=False),
    Column("version", Integer, nullable=False),
    Column("wrapped_key", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
    PrimaryKeyConstraint("tenant_id", "version"),
)

KERNEL_TENANT_TABLES = ("outbox_message", "inbox_message", "audit_event", "tenant_data_key")
