"""members moving between districts (GW-03, ORG-17): the offers the gateway holds between two districts.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FROM_TENANT = "fk_member_transfer_offer_from_tenant_id_tenant"
TO_TENANT = "fk_member_transfer_offer_to_tenant_id_tenant"
STATES = "status IN ('offered', 'accepted', 'declined', 'withdrawn')"


def upgrade() -> None:
    op.create_table(
        "member_transfer_offer",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "from_tenant_id",
            sa.Uuid(),
            sa.ForeignKey("tenant.id", name=FROM_TENANT),
            nullable=False,
        ),
        sa.Column(
            "to_tenant_id",
            sa.Uuid(),
            sa.ForeignKey("tenant.id", name=TO_TENANT),
            nullable=False,
        ),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("transfer_on", sa.Date(), nullable=False),
        sa.Column("member", JSONB(), nullable=True),
        sa.Column("history", JSONB(), nullable=True),
        sa.Column("offered_by", sa.Uuid(), nullable=True),
        sa.Column("branch_id", sa.Uuid(), nullable=True),
        sa.Column("new_member_id", sa.Uuid(), nullable=True),
        sa.Column("decline_reason", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.Uuid(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "status IN ('offered', 'accepted', 'declined', 'withdrawn')",
            name=op.f("ck_member_transfer_offer_status_known"),
        ),
        sa.CheckConstraint("from_tenant_id <> to_tenant_id", name=op.f("ck_member_transfer_offer_between_districts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_transfer_offer")),
    )
    op.create_index("ix_member_transfer_offer_from", "member_transfer_offer", ["from_tenant_id", "created_at"])
    op.create_index("ix_member_transfer_offer_to", "member_transfer_offer", ["to_tenant_id", "created_at"])
    op.create_index(
        "uq_member_transfer_offer_open",
        "member_transfer_offer",
        ["from_tenant_id", "member_id"],
        unique=True,
        postgresql_where=sa.text("status = 'offered'"),
    )


def downgrade() -> None:
    op.drop_table("member_transfer_offer")
