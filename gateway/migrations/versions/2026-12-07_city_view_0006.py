"""The city's view (GW-02, issue 17): cities grouping districts, city accounts, the figures districts publish.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "city",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=63), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("code ~ '^[a-z][a-z0-9-]{2,62}$'", name=op.f("ck_city_code_format")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_city")),
        sa.UniqueConstraint("code", name=op.f("uq_city_code")),
    )
    op.create_table(
        "city_district",
        sa.Column("district_id", sa.Uuid(), nullable=False),
        sa.Column("city_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["district_id"], ["tenant.id"], name=op.f("fk_city_district_district_id_tenant"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["city_id"], ["city.id"], name=op.f("fk_city_district_city_id_city"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("district_id", name=op.f("pk_city_district")),
    )
    op.create_index("ix_city_district_city", "city_district", ["city_id"])
    op.create_table(
        "city_account",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("city_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_city_account_user_id_user_account"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["city_id"], ["city.id"], name=op.f("fk_city_account_city_id_city"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_city_account")),
    )
    op.create_index("ix_city_account_city", "city_account", ["city_id"])
    op.create_table(
        "city_figures",
        sa.Column("district_id", sa.Uuid(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("figures", JSONB(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("source IN ('hotline', 'network', 'care')", name=op.f("ck_city_figures_source_known")),
        sa.CheckConstraint(r"period ~ '^\d{4}-\d{2}(-\d{2})?$'", name=op.f("ck_city_figures_period_format")),
        sa.ForeignKeyConstraint(
            ["district_id"], ["tenant.id"], name=op.f("fk_city_figures_district_id_tenant"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("district_id", "source", "period", name=op.f("pk_city_figures")),
    )


def downgrade() -> None:
    op.drop_table("city_figures")
    op.drop_table("city_account")
    op.drop_table("city_district")
    op.drop_table("city")
