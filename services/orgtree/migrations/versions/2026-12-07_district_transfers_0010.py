"""members moving between districts (GW-03, ORG-17): each district's side of a transfer the gateway mediates.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.db.migrations import enable_tenant_rls

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "district_transfer",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("offer_id", sa.Uuid(), nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("other_tenant_id", sa.Uuid(), nullable=False),
        sa.Column("other_district", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("transfer_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("direction IN ('out', 'in')", name=op.f("ck_district_transfer_direction_known")),
        sa.CheckConstraint(
            "status IN ('leaving', 'transferred', 'returned', 'arrived')",
            name=op.f("ck_district_transfer_status_known"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_district_transfer")),
        sa.UniqueConstraint("tenant_id", "offer_id", name="uq_district_transfer_tenant_offer"),
    )
    op.create_index(op.f("ix_district_transfer_tenant_id"), "district_transfer", ["tenant_id"])
    op.create_index("ix_district_transfer_member", "district_transfer", ["tenant_id", "member_id"])
    op.create_index(
        "uq_district_transfer_leaving",
        "district_transfer",
        ["tenant_id", "member_id"],
        unique=True,
        postgresql_where=sa.text("status = 'leaving'"),
    )
    enable_tenant_rls("district_transfer")


def downgrade() -> None:
    op.drop_table("district_transfer")
