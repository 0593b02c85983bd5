"""Open311 GeoReport v2 clients (issue 17): a district's API keys (hashed) and the tickets filed through them.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.db.migrations import enable_tenant_rls

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("open311_client", "open311_request")


def upgrade() -> None:
    op.create_table(
        "open311_client",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("contact", sa.String(length=200), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("key_prefix", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.Uuid(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_open311_client")),
        sa.UniqueConstraint("tenant_id", "key_hash", name="uq_open311_client_tenant_key"),
    )
    op.create_index("ix_open311_client_tenant_created", "open311_client", ["tenant_id", "created_at"])
    op.create_table(
        "open311_request",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("service_code", sa.String(length=90), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["ticket.id"], name=op.f("fk_open311_request_ticket_id_ticket"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["open311_client.id"],
            name=op.f("fk_open311_request_client_id_open311_client"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("ticket_id", name=op.f("pk_open311_request")),
    )
    op.create_index("ix_open311_request_tenant_created", "open311_request", ["tenant_id", "created_at"])
    for table in TABLES:
        enable_tenant_rls(table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
