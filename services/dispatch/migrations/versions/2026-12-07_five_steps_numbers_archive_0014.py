"""Jinghai five steps, hotline numbers, Zhuji archive (issue 16, DSP-17/02/32): the district's published numbers
and their owning units, the number a ticket was dialled on, the five steps' SMS setting, and the household
archive with its members and its append-only refresh history.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from shared.db.migrations import enable_tenant_rls, make_append_only

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PATH = sa.String(length=400, collation="C")


def upgrade() -> None:
    op.add_column("ticket", sa.Column("dialled_number", sa.String(length=20), nullable=True))
    op.create_table(
        "hotline_number",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("unit_level", sa.String(length=30), nullable=False),
        sa.Column("unit_name", sa.String(length=200), nullable=False),
        sa.Column("unit_path", PATH, nullable=False),
        sa.Column("label", sa.String(length=60), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hotline_number")),
        sa.UniqueConstraint("tenant_id", "number", name="uq_hotline_number_tenant_number"),
    )
    op.create_table(
        "stage_setting",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("notify_every_stage", sa.Boolean(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_by_name", sa.String(length=80), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stage_setting")),
        sa.UniqueConstraint("tenant_id", name="uq_stage_setting_tenant"),
    )
    op.create_table(
        "household_archive",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("household_id", sa.Uuid(), nullable=False),
        sa.Column("grid_id", sa.Uuid(), nullable=True),
        sa.Column("grid_path", PATH, nullable=True),
        sa.Column("economic_type", sa.String(length=20), nullable=False),
        sa.Column("income_sources", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("assistance", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("refreshed_by", sa.Uuid(), nullable=True),
        sa.Column("refreshed_by_name", sa.String(length=80), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household_archive")),
        sa.UniqueConstraint("tenant_id", "household_id", name="uq_household_archive_tenant_household"),
    )
    op.create_index("ix_household_archive_refreshed", "household_archive", ["tenant_id", "refreshed_at"])
    op.create_table(
        "household_archive_member",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("archive_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name_cipher", sa.LargeBinary(), nullable=False),
        sa.Column("name_masked", sa.String(length=50), nullable=False),
        sa.Column("relation", sa.String(length=20), nullable=False),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("education", sa.String(length=20), nullable=True),
        sa.Column("political_status", sa.String(length=20), nullable=True),
        sa.Column("health", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["archive_id"],
            ["household_archive.id"],
            name=op.f("fk_household_archive_member_archive_id_household_archive"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household_archive_member")),
    )
    op.create_index(
        "ix_household_archive_member_archive", "household_archive_member", ["tenant_id", "archive_id", "position"]
    )
    op.create_table(
        "household_archive_refresh",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("archive_id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by_user", sa.Uuid(), nullable=True),
        sa.Column("by_name", sa.String(length=80), nullable=True),
        sa.Column("changed", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["archive_id"],
            ["household_archive.id"],
            name=op.f("fk_household_archive_refresh_archive_id_household_archive"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household_archive_refresh")),
    )
    op.create_index(
        "ix_household_archive_refresh_archive", "household_archive_refresh", ["tenant_id", "archive_id", "at"]
    )
    for table in (
        "hotline_number",
        "stage_setting",
        "household_archive",
        "household_archive_member",
        "household_archive_refresh",
    ):
        enable_tenant_rls(table)
    make_append_only("household_archive_refresh")


def downgrade() -> None:
    op.execute('DROP TRIGGER IF EXISTS household_archive_refresh_append_only ON "household_archive_refresh"')
    op.drop_table("household_archive_refresh")
    op.drop_table("household_archive_member")
    op.drop_table("household_archive")
    op.drop_table("stage_setting")
    op.drop_table("hotline_number")
    op.drop_column("ticket", "dialled_number")
