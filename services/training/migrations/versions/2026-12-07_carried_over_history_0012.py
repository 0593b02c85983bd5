"""a member's history carried over from another district (GW-03): read-only copies, counted in the totals.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.db.migrations import enable_tenant_rls, make_append_only

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "carried_over_record",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("offer_id", sa.Uuid(), nullable=False),
        sa.Column("from_district", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("source_id", sa.Uuid(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("credit_hours", sa.Numeric(precision=4, scale=1), nullable=True),
        sa.Column("points", sa.Integer(), nullable=True),
        sa.Column("result", sa.String(length=200), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_carried_over_record_person_id_person"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_carried_over_record")),
        sa.UniqueConstraint("tenant_id", "offer_id", "kind", "source_id", name="uq_carried_over_record_source"),
    )
    op.create_index(op.f("ix_carried_over_record_tenant_id"), "carried_over_record", ["tenant_id"])
    op.create_index("ix_carried_over_record_person", "carried_over_record", ["tenant_id", "person_id", "occurred_on"])
    enable_tenant_rls("carried_over_record")
    make_append_only("carried_over_record")


def downgrade() -> None:
    op.drop_table("carried_over_record")
